//! `jixiao` — the command line: import a unit's records, check its books, and write its
//! 部门整体支出绩效自评报告. See README.md for the contract other tools rely on.

mod backup;
mod codes;
mod consolidated;
mod export;
mod generate;
mod import;
mod kinds;
mod migrate;
mod monitor;
mod reliability;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use jixiao_core::budget_control::OverrideRequest;
use jixiao_core::check::has_errors;
use jixiao_core::finding::Severity;
use jixiao_service::{Assessment, RulesFile};
use jixiao_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "jixiao", version, about = "部门整体支出绩效自评：记账、核对与报告")]
struct Cli {
    /// Database URL: sqlite://FILE (default) or postgres://…
    #[arg(long, global = true, env = "JIXIAO_DB", default_value = "sqlite://jixiao.db")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database (or bring its schema up to date).
    Init,
    /// Import a directory of CSV files with unit.toml, or an .xlsx workbook. All or nothing; re-importing adds nothing.
    /// A directory without unit.toml whose subdirectories have one (what `jixiao gen` writes) imports each of them.
    Import {
        path: PathBuf,
        /// Pass vouchers that overdraw a 刚性控制 line, with this written reason (kept as a 超控记录).
        #[arg(long, requires = "override_by")]
        override_reason: Option<String>,
        /// Who passes them (the 超控人 of the 超控记录); needs --override-reason.
        #[arg(long, requires = "override_reason")]
        override_by: Option<String>,
        /// Confirm that the unit information (unit.toml, 单位信息 sheets) differs from the database because the
        /// unit changed: it is kept as a new version of the profile, valid from the import's year; earlier
        /// years keep theirs. Without it such an import is refused, naming the fields.
        #[arg(long)]
        accept_profile_change: bool,
    },
    /// Export the books (every unit-year, or those of --unit / --year): a ledger/hledger journal (stdout
    /// without -o), or a Fiscal Data Package (datapackage.json + budget.csv) into the directory -o.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Write a synthetic dataset in the import format: one directory per unit, deterministic per seed.
    Gen {
        #[arg(long, default_value_t = 1)]
        units: usize,
        /// Money records (budget vouchers, receipts, expenditures) over all units.
        #[arg(long, default_value_t = 1000)]
        vouchers: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 2020)]
        year: i32,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write empty import templates (an .xlsx workbook and CSV files) into DIR.
    Template {
        #[arg(long)]
        out: PathBuf,
        /// Fiscal year whose code tables fill the dropdowns.
        #[arg(long, default_value_t = 2021)]
        year: i32,
    },
    /// The 政府收支分类科目 editions: list, import a year's official table, diff two years, harvest sources.
    Codes {
        #[command(subcommand)]
        command: codes::CodesCommand,
    },
    /// List the units in the database: code, then name.
    Units,
    /// Check a unit-year's books. Exits 1 when an error-level finding exists.
    Check {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// The fixed-asset register of a unit-year: each asset's depreciation class and useful life (财会〔2017〕4号 表1),
    /// the year's depreciation, accumulated depreciation and net value (元), and the status counted.
    Assets {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        year: i32,
    },
    /// Write the self-evaluation report (stdout without -o); with --scope department|region, the consolidated report;
    /// with --kind, another document of the unit-year (项目支出绩效自评报告, 绩效运行监控表, 绩效目标申报表).
    Report {
        #[arg(long)]
        unit: Option<String>,
        /// department: the 部门整体支出绩效自评报告; project: one project's 项目支出绩效自评报告 (--project CODE);
        /// monitor: the 绩效运行监控表 (--as-of YYYY-MM-DD); targets: the year after --year's 绩效目标申报表 (项目 and
        /// 部门整体), drafted from this year's continuing projects, their targets and their actuals.
        #[arg(long, value_enum, default_value_t = kinds::ReportKind::Department)]
        kind: kinds::ReportKind,
        /// 项目编码, for --kind project.
        #[arg(long, required_if_eq("kind", "project"))]
        project: Option<String>,
        /// The monitoring date, for --kind monitor.
        #[arg(long)]
        as_of: Option<String>,
        /// unit: one unit's report; department: a 主管部门's units (--department CODE); region: a 财政局's units
        /// (--bureau CODE, or --area 行政区划代码, or every unit in the database).
        #[arg(long, value_enum, default_value_t = ReportScope::Unit)]
        scope: ReportScope,
        /// 主管部门编码, for --scope department.
        #[arg(long)]
        department: Option<String>,
        /// 财政局编码, for --scope region.
        #[arg(long)]
        bureau: Option<String>,
        /// 行政区划代码, for --scope region: the units of an area (430100 covers every 4301xx unit).
        #[arg(long, conflicts_with = "bureau")]
        area: Option<String>,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum)]
        format: ReportFormat,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Write the report even when the books check finds errors.
        #[arg(long)]
        allow_errors: bool,
        /// One more evaluation rules file applied over the defaults and the region's overrides.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Money in 万元 (wan, the default) or in 元 (yuan), for the forms published in 元: the report in every
        /// format and the workbook's 决算公开 tables.
        #[arg(long, value_enum, default_value_t = Money::Wan)]
        money: Money,
    },
    /// Score the unit-year: departmental indicators and every project's self-evaluation table.
    Evaluate {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = EvaluateFormat::Md)]
        format: EvaluateFormat,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// One more evaluation rules file applied over the defaults and the region's overrides.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Check published documents (部门整体/项目 self-evaluation reports, 自评表, 决算说明, 预算说明; .txt, .md,
    /// .docx, .pdf, .xlsx) on their own, without the database: sums, rates, sections, form scores, dates.
    /// Several files of one unit and year are compared figure by figure (元 against 万元).
    /// Exit 0 clean, 1 findings, 2 a file can't be read.
    Lint {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Load the demo dataset (芙蓉区科学技术协会, 2020).
    Demo,
    /// Compute and store the year's unit-year summaries (books check and evaluation) that are missing or out of
    /// date, for the units of a 主管部门 (--department) or a region (--bureau, --area, or every unit): after a mass
    /// import, so the first consolidated report reads one stored row per unit instead of every unit's books.
    Summarize {
        /// 主管部门编码.
        #[arg(long, conflicts_with_all = ["bureau", "area"])]
        department: Option<String>,
        /// 财政局编码.
        #[arg(long)]
        bureau: Option<String>,
        /// 行政区划代码 (430100 covers every 4301xx unit).
        #[arg(long, conflicts_with = "bureau")]
        area: Option<String>,
        #[arg(long)]
        year: i32,
    },
    /// Copy every unit's books from one database to another (e.g. sqlite://a.db to postgres://…), verified by
    /// identical reports. The target must be empty, or already hold exactly the same books. The stored
    /// unit-year summaries are a cache and are not copied: `jixiao summarize` on the target recomputes them.
    Migrate {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Recompute the tamper-evidence hash chain over every stored record. Exit 0 intact (prints the head hash,
    /// to keep elsewhere), 1 when a record was altered, deleted or inserted behind jixiao's back (names the first).
    Verify {
        /// The head hash printed by an earlier verify or backup: the chain must still start with it.
        #[arg(long)]
        expect_head: Option<String>,
    },
    /// Close (结账) a month or a fiscal year: records dated in it (or, for a year, belonging to it) are refused
    /// from then on; corrections are reversals dated in an open period. Without --month/--year, lists the closed periods.
    Close {
        /// YYYY-MM
        #[arg(long, conflicts_with = "year")]
        month: Option<String>,
        /// YYYY
        #[arg(long)]
        year: Option<String>,
        /// Close it for this unit only (default: every unit).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Write a verified backup of the database to a new FILE (SQLite: an online copy; PostgreSQL: pg_dump).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database with a backup, verified before and after (hash chain, record counts, chain head).
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds units.
        #[arg(long)]
        force: bool,
    },
    /// Run the web application.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Load the demo dataset into a fresh embedded database (unless --db is given), create the demo users
        /// (password `demo`) and bind to 127.0.0.1 only.
        #[arg(long)]
        demo: bool,
        /// Mark the session cookie `Secure` (when the application is reached over TLS, directly or through a
        /// proxy; a proxy's `X-Forwarded-Proto: https` marks it too).
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Manage the web application's users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The sign-in audit log of the web application and its API: time (UTC), user name as typed, client
    /// address, outcome (登录成功, 密码错误或用户不存在, 锁定中尝试, 修改密码).
    Audit {
        /// The first day listed (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from --password or, without it, from the first line of standard input.
    Add {
        username: String,
        /// clerk 填报员, reviewer 审核员, unit_admin 单位管理员, bureau 财政局
        #[arg(long)]
        role: String,
        /// The unit of a 填报员, 审核员 or 单位管理员.
        #[arg(long)]
        unit: Option<String>,
        /// The region of a 财政局 (e.g. 430102; 430100 for a city, 430000 for a province; empty for all).
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a user's password (from --password or standard input); ends the user's sessions.
    Passwd {
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Change a user's role and scope.
    Role {
        username: String,
        role: String,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        region: Option<String>,
    },
    /// List the users.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// A plain-text accounting journal (ledger, hledger): accounts UNIT:功能分类:经济分类, one transaction per voucher.
    Ledger,
    /// A Fiscal Data Package: phases approved/adjusted/executed by functional, economic and administrative classification.
    Fdp,
}

#[derive(Clone, Copy, ValueEnum)]
enum LintFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvaluateFormat {
    Md,
    Html,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportScope {
    Unit,
    Department,
    Region,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Money {
    /// 万元, two decimals.
    Wan,
    /// 元, two decimals.
    Yuan,
}

impl Money {
    fn unit(self) -> jixiao_core::MoneyUnit {
        match self {
            Money::Wan => jixiao_core::MoneyUnit::Wan,
            Money::Yuan => jixiao_core::MoneyUnit::Yuan,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ReportFormat {
    Md,
    Html,
    /// Word, in 公文 layout (GB/T 9704).
    Docx,
    /// PDF, typeset with the CJK fonts of JIXIAO_FONT_DIR (default /usr/share/fonts).
    Pdf,
    /// The 部门决算公开 tables, the 绩效自评表 and one 项目支出绩效自评表 per project.
    Xlsx,
}

// Multi-threaded: `serve` answers on every core, and the consolidated views evaluate several units at once.
#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_env("JIXIAO_LOG")).with_writer(std::io::stderr).init();
    let cli = Cli::parse();
    // `serve --demo` without an explicit database gets a fresh file of its own.
    let db_given = std::env::args().any(|a| a == "--db" || a.starts_with("--db=")) || std::env::var_os("JIXIAO_DB").is_some();
    let outcome = run(cli, db_given).await;
    // Closed before exit, so SQLite folds its write-ahead log back into the one database file.
    let opened: Vec<Store> = std::mem::take(&mut *OPENED.lock().unwrap_or_else(|e| e.into_inner()));
    for store in opened {
        store.close().await;
    }
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(1)
        }
    }
}

/// Every store this run opened, closed by `main` when the command is done.
static OPENED: std::sync::Mutex<Vec<Store>> = std::sync::Mutex::new(Vec::new());

async fn open(db: &str) -> Result<Store> {
    let store = Store::open(db).await.with_context(|| format!("无法打开数据库 {db}"))?;
    OPENED.lock().unwrap_or_else(|e| e.into_inner()).push(store.clone());
    install_code_tables(&store).await?;
    Ok(store)
}

/// Makes the official 科目 tables loaded into this database (`jixiao codes import`) the editions in force
/// for their years in this process: every check, import and report of the command reads them.
async fn install_code_tables(store: &Store) -> Result<()> {
    for load in store.code_tables().await? {
        jixiao_core::codes::CodeTables::install_official(load.tables());
    }
    Ok(())
}

/// Whether the database already exists (a SQLite file); commands that only read code tables don't create one.
fn database_exists(db: &str) -> bool {
    match db.strip_prefix("sqlite://").or_else(|| db.strip_prefix("sqlite:")) {
        Some(path) => {
            let path = path.split('?').next().unwrap_or(path);
            path != ":memory:" && Path::new(path).exists()
        }
        None => true,
    }
}

/// Installs the database's official code tables when the database exists (see [`install_code_tables`]).
async fn load_code_tables_if_any(db: &str) -> Result<()> {
    if database_exists(db) {
        open(db).await?;
    }
    Ok(())
}

async fn run(cli: Cli, db_given: bool) -> Result<ExitCode> {
    match cli.command {
        Command::Init => {
            open(&cli.db).await?;
            println!("数据库已就绪：{}", cli.db);
        }
        Command::Import { path, override_reason, override_by, accept_profile_change } => {
            let request =
                override_by.zip(override_reason).map(|(approved_by, reason)| OverrideRequest { approved_by, role: "cli".into(), reason });
            let change = accept_profile_change.then(|| jixiao_store::ProfileChange {
                entered_by: std::env::var("USER").map(|u| format!("命令行（{u}）")).unwrap_or_else(|_| "命令行".into()),
                reason: format!("jixiao import {} --accept-profile-change", path.display()),
            });
            let options = jixiao_store::ImportOptions { override_request: request.as_ref(), profile_change: change.as_ref() };
            return import_path(&cli.db, &path, options).await;
        }
        Command::Export { format, unit, year, output } => {
            let store = open(&cli.db).await?;
            match format {
                ExportFormat::Ledger => {
                    export::ledger(&store, unit.as_deref(), year, output.as_deref()).await?;
                }
                ExportFormat::Fdp => {
                    let Some(dir) = output else {
                        bail!("--format fdp 写出一个目录（datapackage.json 与 CSV）：请用 -o 目录 指定")
                    };
                    let rows = export::fiscal_data_package(&store, unit.as_deref(), year, &dir).await?;
                    println!("已导出财政数据包：{}（{rows} 条预算指标）", dir.display());
                }
            }
        }
        Command::Gen { units, vouchers, seed, year, out } => {
            let records = generate::run(units, vouchers, seed, year, &out)?;
            println!("已生成 {units} 个单位、{records} 条记录：{}", out.display());
        }
        Command::Template { out, year } => {
            load_code_tables_if_any(&cli.db).await?;
            let written = jixiao_import::template::write_templates(&out, year).map_err(anyhow::Error::msg)?;
            for p in written {
                println!("{}", p.display());
            }
        }
        Command::Codes { command } => match command {
            codes::CodesCommand::List { year, level, format } => {
                load_code_tables_if_any(&cli.db).await?;
                codes::list(year, level, format)?;
            }
            codes::CodesCommand::Diff { from, to } => {
                load_code_tables_if_any(&cli.db).await?;
                codes::diff(from, to)?;
            }
            codes::CodesCommand::Import { file, year } => return codes::import(&cli.db, &file, year).await,
            codes::CodesCommand::Harvest { dir, year, format } => codes::harvest(&dir, year, format)?,
        },
        Command::Units => {
            let store = open(&cli.db).await?;
            let mut out = std::io::stdout().lock();
            for (code, name) in store.units().await? {
                writeln!(out, "{code}\t{name}")?;
            }
        }
        Command::Check { unit, year, format } => {
            let store = open(&cli.db).await?;
            let assessment = assess(&store, unit, year, None).await?;
            let findings = &assessment.findings;
            match format {
                CheckFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
                CheckFormat::Text => {
                    for f in findings {
                        let records: Vec<String> =
                            f.records.iter().filter(|r| !r.key.is_empty()).take(8).map(|r| format!("{}:{}", r.kind, r.key)).collect();
                        println!(
                            "[{}] {} {}{}",
                            f.severity.label(),
                            f.rule_id,
                            f.message,
                            if records.is_empty() { String::new() } else { format!("（记录：{}）", records.join("、")) }
                        );
                    }
                    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
                    println!(
                        "核对完成：错误 {} 项，警告 {} 项，提示 {} 项。",
                        count(Severity::Error),
                        count(Severity::Warning),
                        count(Severity::Info)
                    );
                }
            }
            if has_errors(findings) {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Assets { unit, year } => {
            let store = open(&cli.db).await?;
            let books = store.books_summary(&unit_code(&store, unit).await?, year).await?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "资产编号\t资产名称\t折旧类别\t年限\t原值\t本年折旧\t累计折旧\t净值\t状态")?;
            for a in &books.records.fixed_assets {
                let status = jixiao_core::assets::effective_status(&books.records, a).label();
                match jixiao_core::assets::depreciation_in(a, year) {
                    Some((class, years, d)) => writeln!(
                        out,
                        "{}\t{}\t{}\t{years}\t{}\t{}\t{}\t{}\t{status}",
                        a.asset_code, a.name, class.class, a.original_value, d.charge, d.accumulated, d.net
                    )?,
                    None => writeln!(
                        out,
                        "{}\t{}\t{}（不计提折旧或类别未列入折旧年限表）\t—\t{}\t—\t—\t—\t{status}",
                        a.asset_code, a.name, a.category, a.original_value
                    )?,
                }
            }
        }
        Command::Report {
            unit,
            kind,
            project,
            as_of,
            scope,
            department,
            bureau,
            area,
            year,
            format,
            output,
            allow_errors,
            rules,
            money,
        } => {
            let store = open(&cli.db).await?;
            if scope != ReportScope::Unit && kind != kinds::ReportKind::Department {
                bail!("--kind 只用于单位报告（--scope unit）");
            }
            if scope != ReportScope::Unit {
                if money == Money::Yuan {
                    bail!("汇总报告（--scope department|region）以万元列示，不支持 --money yuan");
                }
                let format = match format {
                    ReportFormat::Md => jixiao_report::Format::Markdown,
                    ReportFormat::Html => jixiao_report::Format::Html,
                    _ => bail!("汇总报告（--scope department|region）只有 md 和 html 格式"),
                };
                let scope = consolidated::scope(scope == ReportScope::Region, department, bureau, area)?;
                write_output(output.as_deref(), &consolidated::report(&store, &scope, year, format, rules.as_deref()).await?)?;
                return Ok(ExitCode::SUCCESS);
            }
            let assessment = assess(&store, unit, year, rules.as_deref()).await?;
            let books = &assessment.books;
            let findings = &assessment.findings;
            if kind == kinds::ReportKind::Monitor {
                // No evaluation: the monitor table reads the books as of a date.
                let Some(as_of) = as_of else { bail!("--kind monitor 需要 --as-of 监控日期（如 --as-of {year}-06-30）") };
                let as_of = monitor::parse_as_of(&as_of).map_err(anyhow::Error::msg)?;
                if money == Money::Yuan {
                    bail!("绩效运行监控表金额以万元列示（不支持 --money yuan）");
                }
                stop_on_errors(findings, allow_errors, "监控表")?;
                return match monitor::render(books, as_of, format)? {
                    monitor::Rendered::Text(text) => write_output(output.as_deref(), &text).map(|()| ExitCode::SUCCESS),
                    monitor::Rendered::Bytes(bytes) => write_binary(output.as_deref(), &bytes),
                };
            }
            stop_on_errors(findings, allow_errors, "报告")?;
            let evaluation = assessment.evaluation()?;
            if kind != kinds::ReportKind::Department {
                let (outline, ident) = kinds::outline(kind, books, evaluation, project.as_deref(), as_of.as_deref(), money.unit())?;
                let bytes = kinds::write(books, &outline, &ident, format)?;
                return if matches!(format, ReportFormat::Md | ReportFormat::Html) {
                    write_output(output.as_deref(), &String::from_utf8(bytes)?).map(|()| ExitCode::SUCCESS)
                } else {
                    write_binary(output.as_deref(), &bytes)
                };
            }
            let model = assessment.report_model(money.unit())?;
            let text_format = match format {
                ReportFormat::Md => jixiao_report::Format::Markdown,
                ReportFormat::Html => jixiao_report::Format::Html,
                ReportFormat::Docx => return write_binary(output.as_deref(), &jixiao_documents::docx(&jixiao_documents::outline(&model))?),
                ReportFormat::Xlsx => {
                    return write_binary(
                        output.as_deref(),
                        &jixiao_documents::workbook_in(books, assessment.evaluation()?, money.unit(), assessment.prior.as_ref())?,
                    );
                }
                ReportFormat::Pdf => {
                    return write_binary(output.as_deref(), &jixiao_pdf::render(books, &model, &jixiao_pdf::FontSet::from_env()?)?);
                }
            };
            write_output(output.as_deref(), &jixiao_report::render(&model, text_format)?)?;
        }
        Command::Evaluate { unit, year, format, output, rules } => {
            let store = open(&cli.db).await?;
            let assessment = assess(&store, unit, year, rules.as_deref()).await?;
            let evaluation = assessment.evaluation()?;
            let text = match format {
                EvaluateFormat::Json => serde_json::to_string_pretty(&evaluation)? + "\n",
                EvaluateFormat::Md => jixiao_report::render_evaluation(evaluation, jixiao_report::Format::Markdown)?,
                EvaluateFormat::Html => jixiao_report::render_evaluation(evaluation, jixiao_report::Format::Html)?,
            };
            write_output(output.as_deref(), &text)?;
        }
        Command::Serve { addr, demo, secure_cookies } => {
            let (db, addr) = if demo {
                let db = if db_given {
                    cli.db.clone()
                } else {
                    format!("sqlite://{}", std::env::temp_dir().join(format!("jixiao-demo-{}.db", std::process::id())).display())
                };
                // The demo binds to loopback only, whatever address was asked for.
                (db, std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port()))
            } else {
                (cli.db.clone(), addr)
            };
            let store = open(&db).await?;
            // Someone must be able to manage users and approve: a 单位管理员 or a 财政局 account.
            if !demo && !store.users().await?.iter().any(|u| u.role == "unit_admin" || u.role == "bureau") {
                bail!(
                    "数据库中还没有管理员（单位管理员或财政局用户）：请先用 jixiao user add NAME --role unit_admin --unit CODE 创建（或用 --demo 运行演示）"
                );
            }
            if demo {
                jixiao_web::setup::load_demo(&store).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("演示模式：数据库 {db}");
                println!("演示用户（密码均为 {}）：", jixiao_web::setup::DEMO_PASSWORD);
                for (username, display, role) in jixiao_web::setup::DEMO_USERS {
                    println!("  {username:<10} {display}（{}）", role.label());
                }
            }
            println!("jixiao 已启动：http://{addr}/");
            jixiao_web::serve(jixiao_web::AppState::with_options(store, demo, secure_cookies), addr).await?;
        }
        Command::Audit { since } => {
            let day = jixiao_core::Date::parse(&since).with_context(|| format!("--since「{since}」不是日期（YYYY-MM-DD）"))?;
            let store = open(&cli.db).await?;
            let events = store.login_events(day.unix_days() * 86_400).await?;
            for e in &events {
                let date = jixiao_core::Date::from_unix_days(e.at.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default();
                let seconds = e.at.rem_euclid(86_400);
                let outcome = match e.outcome.as_str() {
                    "success" => "登录成功",
                    "failure" => "密码错误或用户不存在",
                    "locked" => "锁定中尝试",
                    "password_changed" => "修改密码",
                    other => other,
                };
                println!(
                    "{date} {:02}:{:02}:{:02}\t{}\t{}\t{outcome}",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60,
                    e.username,
                    e.address
                );
            }
            eprintln!("{since} 以来共 {} 条登录记录", events.len());
        }
        Command::User { command } => {
            let store = open(&cli.db).await?;
            let web = |e: jixiao_web::AppError| anyhow::anyhow!("{e}");
            match command {
                UserCommand::Add { username, role, unit, region, name, password } => {
                    let password = password_from(password)?;
                    jixiao_web::setup::add_user(
                        &store,
                        &username,
                        name.as_deref().unwrap_or(&username),
                        &password,
                        &role,
                        unit.as_deref(),
                        region.as_deref(),
                    )
                    .await
                    .map_err(web)?;
                    println!("已添加用户 {username}");
                }
                UserCommand::Passwd { username, password } => {
                    jixiao_web::setup::set_password(&store, &username, &password_from(password)?).await.map_err(web)?;
                    println!("已修改 {username} 的密码");
                }
                UserCommand::Role { username, role, unit, region } => {
                    jixiao_web::setup::set_role(&store, &username, &role, unit.as_deref(), region.as_deref()).await.map_err(web)?;
                    println!("已修改 {username} 的角色");
                }
                UserCommand::List => {
                    for u in store.users().await? {
                        println!("{}\t{}\t{}\t{}", u.username, u.display_name, u.role, u.unit_code.or(u.region_code).unwrap_or_default());
                    }
                }
            }
        }
        Command::Lint { files, format } => {
            let format = match format {
                LintFormat::Text => jixiao_lint::OutputFormat::Text,
                LintFormat::Json => jixiao_lint::OutputFormat::Json,
                LintFormat::Html => jixiao_lint::OutputFormat::Html,
            };
            return Ok(ExitCode::from(jixiao_lint::run(&files, format).clamp(0, 255) as u8));
        }
        Command::Migrate { from, to } => migrate::run(&from, &to).await?,
        Command::Summarize { department, bureau, area, year } => {
            let scope = consolidated::scope(department.is_none(), department, bureau, area)?;
            let (units, computed) = jixiao_service::consolidate::warm_summaries(&open(&cli.db).await?, &scope, year).await?;
            println!("{year}年度：{units} 个单位有账，计算并保存了 {computed} 个单位的汇总（其余已是最新）");
        }
        Command::Backup { to } => backup::backup(&cli.db, &to).await?,
        Command::Restore { from, force } => backup::restore(&cli.db, &from, force).await?,
        Command::Verify { expect_head } => return reliability::verify(&open(&cli.db).await?, expect_head.as_deref()).await,
        Command::Close { month, year, unit } => {
            reliability::close(&open(&cli.db).await?, month.or(year).as_deref(), unit.as_deref()).await?
        }
        Command::Demo => {
            let dir = tempfile::tempdir().context("无法创建临时目录")?;
            jixiao_import::demo::unpack_into(dir.path()).context("无法写出演示数据")?;
            return import::import(&cli.db, &mut None, dir.path(), Default::default()).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One import, or — for a directory without unit.toml — each subdirectory that has one, in name order,
/// stopping at the first that fails.
async fn import_path(db: &str, path: &Path, options: jixiao_store::ImportOptions<'_>) -> Result<ExitCode> {
    // One store for every unit, opened at the first import that reads cleanly (a bad file creates no database).
    let mut store = None;
    if !path.is_dir() || path.join("unit.toml").exists() {
        return import::import(db, &mut store, path, options).await;
    }
    let mut units: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("无法读取目录 {}", path.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    units.retain(|p| p.join("unit.toml").is_file());
    if units.is_empty() {
        return import::import(db, &mut store, path, options).await; // the importer names what is missing
    }
    units.sort();
    for unit in units {
        let code = import::import(db, &mut store, &unit, options).await?;
        if code != ExitCode::SUCCESS {
            return Ok(code);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A password from the option, or the first line of standard input.
fn password_from(option: Option<String>) -> Result<String> {
    match option {
        Some(p) => Ok(p),
        None => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("无法读取密码")?;
            Ok(line.trim_end_matches(['\r', '\n']).to_string())
        }
    }
}

/// Refuses to write a document (`what`: 报告, 监控表) over error-level findings of the books check, printing them,
/// unless `--allow-errors`.
fn stop_on_errors(findings: &[jixiao_core::finding::Finding], allow_errors: bool, what: &str) -> Result<()> {
    if has_errors(findings) && !allow_errors {
        for f in findings.iter().filter(|f| f.severity == Severity::Error) {
            eprintln!("[错误] {} {}", f.rule_id, f.message);
        }
        bail!("账务核对有错误，未生成{what}（先运行 jixiao check 修正；或加 --allow-errors 强制生成）");
    }
    Ok(())
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => std::fs::write(path, text).with_context(|| format!("无法写入 {}", path.display())),
        None => Ok(std::io::stdout().lock().write_all(text.as_bytes())?),
    }
}

/// Writes a binary document to `path`, or to stdout when that is not a terminal.
fn write_binary(path: Option<&Path>, bytes: &[u8]) -> Result<ExitCode> {
    use std::io::IsTerminal;
    match path {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))?,
        None if std::io::stdout().is_terminal() => {
            bail!("该格式是二进制文件，不能输出到终端：请用 -o 文件名 指定输出文件（或重定向到文件）")
        }
        None => std::io::stdout().lock().write_all(bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// An extra evaluation rules file (`--rules FILE`), read.
fn rules_file(path: Option<&Path>) -> Result<Option<std::sync::Arc<RulesFile>>> {
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(path).with_context(|| format!("无法读取评价规则文件 {}", path.display()))?;
    Ok(Some(std::sync::Arc::new(RulesFile { label: path.display().to_string(), text })))
}

/// The books of `unit` (or the only unit) for `year` in summary form, checked, with the prior year's books and
/// the evaluation rules (plus `--rules`): what check, evaluation and reports read.
async fn assess(store: &Store, unit: Option<String>, year: i32, rules: Option<&Path>) -> Result<Assessment> {
    let rules = rules_file(rules)?;
    Ok(jixiao_service::assess(store, &unit_code(store, unit).await?, year, rules).await?)
}

/// The code of `unit`, or of the only unit in the database.
async fn unit_code(store: &Store, unit: Option<String>) -> Result<String> {
    let code = match unit {
        Some(code) => code,
        None => {
            let units = store.units().await?;
            match units.as_slice() {
                [(code, _)] => code.clone(),
                [] => bail!("数据库中没有单位：请先运行 jixiao import 或 jixiao demo"),
                _ => bail!(
                    "数据库中有 {} 个单位，请用 --unit 指定：{}",
                    units.len(),
                    units.iter().map(|(c, n)| format!("{c}（{n}）")).collect::<Vec<_>>().join("、")
                ),
            }
        }
    };
    Ok(code)
}
