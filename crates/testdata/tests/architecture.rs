//! Keeps ARCHITECTURE.md current: every path it names exists, every `crate::module::item` it names is in
//! that module's file, every row of its rule index names functions found in the row's source file, and every
//! indicator and rule id of the data files and the code is in the index. Plain text searches on purpose: the
//! map names files and functions, so a rename or a move shows here as the row to update.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn architecture() -> String {
    read("ARCHITECTURE.md")
}

/// The text between backticks, line by line (a code span never crosses a line in ARCHITECTURE.md).
fn code_spans(text: &str) -> Vec<String> {
    text.lines().flat_map(|line| line.split('`').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>()).collect()
}

const TOP_DIRS: &[&str] = &["crates/", "docs/", "examples/", "scripts/", "fuzz/"];

fn is_path(span: &str) -> bool {
    TOP_DIRS.iter().any(|d| span.starts_with(d)) && !span.contains(' ') && !span.contains('*') && !span.contains('{')
}

/// Whether `text` defines `name` as a Rust item (a function, type, constant or module) or a match arm key.
fn defines(text: &str, name: &str) -> bool {
    ["fn", "struct", "enum", "trait", "type", "const", "static", "mod"].iter().any(|kw| {
        let pat = format!("{kw} {name}");
        text.match_indices(&pat).any(|(i, _)| {
            let after = text[i + pat.len()..].chars().next();
            !matches!(after, Some(c) if c.is_alphanumeric() || c == '_')
        })
    })
}

const CRATES: &[&str] = &["core", "store", "import", "service", "web", "cli", "lint", "report", "documents", "pdf", "testdata"];

/// `crate::a::b::item` → the file of the longest module path `a::b` that exists, and `item`.
fn resolve(span: &str) -> Option<(PathBuf, String)> {
    let span = span.strip_prefix("jixiao_").unwrap_or(span);
    let parts: Vec<&str> = span.split("::").collect();
    if parts.len() < 2
        || !CRATES.contains(&parts[0])
        || !parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    let src = root().join("crates").join(parts[0]).join("src");
    let item = parts[parts.len() - 1].to_string();
    // Lowercase segments before the item are modules; a type name ends the module path (`Store::import`).
    let modules: Vec<&str> = parts[1..parts.len() - 1].iter().take_while(|p| p.starts_with(|c: char| c.is_lowercase())).copied().collect();
    for n in (0..=modules.len()).rev() {
        let m = &modules[..n];
        let candidates = if n == 0 {
            vec![src.join("lib.rs")]
        } else {
            let base = m.iter().fold(src.clone(), |p, s| p.join(s));
            vec![base.with_extension("rs"), base.join("mod.rs")]
        };
        if let Some(file) = candidates.into_iter().find(|f| f.is_file()) {
            return Some((file, item));
        }
    }
    None
}

#[test]
fn every_path_named_exists() {
    let missing: Vec<String> =
        code_spans(&architecture()).into_iter().filter(|s| is_path(s)).filter(|s| !root().join(s.trim_end_matches('/')).exists()).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
}

#[test]
fn every_crate_path_named_is_in_its_file() {
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in code_spans(&architecture()) {
        let Some((file, item)) = resolve(&span) else { continue };
        checked += 1;
        if !defines(&fs::read_to_string(&file).unwrap(), &item) {
            missing.push(format!("`{span}`: no `{item}` in {}", file.display()));
        }
    }
    assert!(checked > 20, "only {checked} `crate::…` paths found: has the map's notation changed?");
    assert!(missing.is_empty(), "ARCHITECTURE.md names items not found in their files:\n{}", missing.join("\n"));
}

struct Row {
    ids: Vec<String>,
    data: Vec<String>,
    source: String,
    functions: Vec<String>,
}

/// The rows of the rule index's tables: ids | data files | source file | functions.
fn rule_index() -> Vec<Row> {
    let text = architecture();
    let index = text.split("\n## Rule index").nth(1).expect("ARCHITECTURE.md has a \"## Rule index\" section");
    let index = index.split("\n## ").next().unwrap();
    index
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 4, "a rule index row has four columns: {l}");
            let spans = |c: &str| code_spans(c);
            Row { ids: spans(cells[0]), data: spans(cells[1]), source: spans(cells[2]).concat(), functions: spans(cells[3]) }
        })
        .collect()
}

#[test]
fn every_rule_index_row_names_what_is_in_its_files() {
    let rows = rule_index();
    assert!(rows.len() > 20, "only {} rule index rows", rows.len());
    let mut problems = Vec::new();
    for row in &rows {
        let Ok(source) = fs::read_to_string(root().join(&row.source)) else {
            problems.push(format!("{:?}: source file `{}` does not exist", row.ids, row.source));
            continue;
        };
        for f in &row.functions {
            // `core::assets::effective_status`: an item of another module, named by its crate path.
            let found = match resolve(f) {
                Some((file, item)) => fs::read_to_string(file).is_ok_and(|t| defines(&t, &item)),
                None => defines(&source, f),
            };
            if !found {
                problems.push(format!("{:?}: no function `{f}` in {}", row.ids, row.source));
            }
        }
        for d in &row.data {
            if !root().join(d).exists() {
                problems.push(format!("{:?}: data file `{d}` does not exist", row.ids));
            }
        }
        for id in &row.ids {
            let found = if id.chars().any(|c| c.is_lowercase()) {
                // An indicator: an `id` of its data file.
                row.data.iter().any(|d| read(d).contains(&format!("id = \"{id}\"")))
            } else {
                source.contains(&format!("\"{id}\""))
            };
            if !found {
                problems.push(format!("`{id}` is not in the files its row names ({} / {:?})", row.source, row.data));
            }
        }
    }
    assert!(problems.is_empty(), "rule index of ARCHITECTURE.md:\n{}", problems.join("\n"));
}

fn indexed_ids() -> BTreeSet<String> {
    rule_index().into_iter().flat_map(|r| r.ids).collect()
}

/// `key = "value"` of a TOML line, without a TOML parser (the data files keep one key a line).
fn toml_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim().strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
    rest.strip_prefix('"')?.split('"').next()
}

#[test]
fn every_indicator_of_the_department_framework_is_indexed_and_measured() {
    let framework = read("crates/core/data/frameworks/department.toml");
    let measures = read("crates/core/src/evaluation/measures.rs");
    let indexed = indexed_ids();
    let (mut ids, mut missing, mut unmeasured) = (0, Vec::new(), Vec::new());
    for block in framework.split("[[indicator]]").skip(1) {
        let id = block.lines().find_map(|l| toml_value(l, "id")).expect("an indicator has an id");
        let measure = block.lines().find_map(|l| toml_value(l, "measure")).expect("an indicator has a measure");
        ids += 1;
        if !indexed.contains(id) {
            missing.push(id.to_string());
        }
        if !measures.contains(&format!("\"{measure}\" =>")) {
            unmeasured.push(format!("{id} (measure {measure})"));
        }
    }
    assert!(ids > 20, "only {ids} indicators read from department.toml");
    assert!(missing.is_empty(), "indicators missing from ARCHITECTURE.md's rule index: {missing:?}");
    assert!(unmeasured.is_empty(), "indicators whose measure has no arm in measures.rs: {unmeasured:?}");
}

#[test]
fn every_books_check_rule_is_indexed() {
    let check = read("crates/core/src/check.rs");
    let rules = check.split("pub const RULES").nth(1).expect("check.rs has RULES").split("];").next().unwrap();
    let ids: Vec<&str> = rules.lines().filter_map(|l| l.trim().strip_prefix("(\"")).filter_map(|l| l.split('"').next()).collect();
    assert!(ids.len() > 20, "only {} rules read from core::check::RULES", ids.len());
    let indexed = indexed_ids();
    let missing: Vec<&&str> = ids.iter().filter(|id| !indexed.contains(**id)).collect();
    assert!(missing.is_empty(), "books check rules missing from ARCHITECTURE.md's rule index: {missing:?}");
}

/// The string literals `"PREFIX_…"` of a file.
fn rule_literals(text: &str, prefixes: &[&str]) -> BTreeSet<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            prefixes.iter().any(|p| s.starts_with(p)) && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // Tests name rule ids to assert them; only code that raises them counts.
            if path.file_name().is_some_and(|n| n != "tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_ledger_and_control_rule_is_indexed() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/import/src"), &mut files);
    files.push(root().join("crates/core/src/ledger.rs"));
    files.push(root().join("crates/core/src/budget_control.rs"));
    let prefixes = ["IMPORT_", "CODES_", "LEDGER_", "BUDGET_CONTROL_"];
    let raised: BTreeSet<String> = files.iter().flat_map(|f| rule_literals(&fs::read_to_string(f).unwrap(), &prefixes)).collect();
    assert!(raised.len() > 50, "only {} import, ledger and control rule ids found", raised.len());
    let indexed = indexed_ids();
    let missing: Vec<&String> = raised.iter().filter(|id| !indexed.contains(*id)).collect();
    assert!(missing.is_empty(), "rule ids raised in the code but missing from ARCHITECTURE.md's rule index: {missing:?}");
}

/// `[dependencies]` of a crate's Cargo.toml, by name.
fn dependencies(krate: &str) -> Vec<String> {
    let manifest = read(&format!("crates/{krate}/Cargo.toml"));
    let deps = manifest.split("\n[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap();
    deps.lines()
        .filter_map(|l| l.split(['=', '.']).next())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty() && !n.starts_with('#'))
        .collect()
}

#[test]
fn core_does_no_io_and_lint_depends_on_core_alone() {
    let core = dependencies("core");
    let forbidden: Vec<&String> =
        core.iter().filter(|d| d.starts_with("jixiao-") || ["tokio", "sqlx", "futures", "reqwest"].contains(&d.as_str())).collect();
    assert!(forbidden.is_empty(), "core depends on {forbidden:?}: it must stay free of IO, async and our other crates");
    let ours: Vec<String> = dependencies("lint").into_iter().filter(|d| d.starts_with("jixiao-")).collect();
    assert_eq!(ours, ["jixiao-core"], "lint reads no database: cli → lint → core");
}
