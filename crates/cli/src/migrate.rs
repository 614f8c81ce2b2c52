//! `jixiao migrate --from URL --to URL`: copies every unit's books (profile and its versions, fiscal years,
//! every record of every kind and year, in stored order) into an empty database, then proves the copy: the books read back equal and
//! every unit-year's report is byte-identical on both sides. A target that already holds exactly the same
//! books is left alone (running it twice is harmless); any other non-empty target is refused.
//!
//! The stored unit-year summaries (`unit_year_summary`) are not copied, on purpose: they are a cache of the
//! books check and evaluation, keyed among other things by the unit's newest import batch id, which the copy
//! does not keep (it writes one batch per unit), so a copied row could never be used. The target's first
//! consolidated report (or `jixiao summarize`) recomputes them from the copied books, and prints the same bytes.

use anyhow::{Result, bail};
use jixiao_core::records::Batch;
use jixiao_store::Store;

/// The URL without its password, for messages and the import log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// The first difference between the books of two databases, or none.
async fn difference(a: &Store, b: &Store) -> Result<Option<String>> {
    let (ua, ub) = (a.units().await?, b.units().await?);
    if ua != ub {
        let codes = |u: &[(String, String)]| u.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>().join("、");
        return Ok(Some(format!("单位不同：源为 {}，目标为 {}", codes(&ua), codes(&ub))));
    }
    for (code, _) in &ua {
        if a.unit(code).await? != b.unit(code).await? {
            return Ok(Some(format!("单位「{code}」的基本信息不同")));
        }
        if a.profile_versions(code).await? != b.profile_versions(code).await? {
            return Ok(Some(format!("单位「{code}」的单位信息版本不同")));
        }
        if a.years(code).await? != b.years(code).await? {
            return Ok(Some(format!("单位「{code}」的年度不同")));
        }
        if a.records(code).await? != b.records(code).await? {
            return Ok(Some(format!("单位「{code}」的记录不同")));
        }
    }
    Ok(None)
}

/// Every unit-year's report (Markdown and HTML, written as with --allow-errors) must be the same on both sides.
async fn reports_differ(a: &Store, b: &Store) -> Result<Option<String>> {
    for (code, _) in a.units().await? {
        for y in a.years(&code).await? {
            let mut texts = Vec::new();
            for store in [a, b] {
                let books = store.books(&code, y.year).await?;
                let prior = jixiao_service::prior_books(store, &code, y.year).await?;
                let model = jixiao_service::Assessment::new(books, prior, None).report_model(jixiao_core::MoneyUnit::Wan)?;
                texts.push((
                    jixiao_report::render(&model, jixiao_report::Format::Markdown)?,
                    jixiao_report::render(&model, jixiao_report::Format::Html)?,
                ));
            }
            if texts[0] != texts[1] {
                return Ok(Some(format!("单位「{code}」{}年度的报告", y.year)));
            }
        }
    }
    Ok(None)
}

pub async fn run(from: &str, to: &str) -> Result<()> {
    let source = crate::open(from).await?;
    let target = crate::open(to).await?;
    let units = source.units().await?;
    if !target.units().await?.is_empty() {
        return match difference(&source, &target).await? {
            None => {
                println!("目标数据库 {} 已与源数据库一致（{} 个单位），无需迁移。", redact(to), units.len());
                Ok(())
            }
            Some(d) => bail!("目标数据库 {} 不是空的，且与源数据库不同（{d}）：未迁移。请迁移到一个空数据库。", redact(to)),
        };
    }
    // The official 科目 tables first: the units' codes are checked against them.
    for load in source.code_tables().await? {
        target.load_code_table(load.year, &load.source_file, &load.rows).await?;
    }
    let label = format!("jixiao migrate --from {}", redact(from));
    let bar = indicatif::ProgressBar::new(units.len() as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}").expect("static template"));
    bar.set_message("迁移");
    let (mut years, mut records) = (0, 0);
    for (code, _) in &units {
        let Some(unit) = source.unit(code).await? else { continue };
        let batch = Batch { unit, years: source.years(code).await?, records: source.records(code).await? };
        target.apply(&batch, &label).await?;
        // Each year's profile as the source has it: the reports of years before a change keep theirs.
        target.copy_profile_versions(code, &source.profile_versions(code).await?).await?;
        years += batch.years.len();
        records += batch.records.len();
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Some(d) = difference(&source, &target).await? {
        bail!("迁移后核对失败：{d}");
    }
    if let Some(d) = reports_differ(&source, &target).await? {
        bail!("迁移后核对失败：{d}不同");
    }
    println!(
        "已迁移 {} 个单位、{years} 个单位年度、{records} 条记录到 {}；两库的账套一致，各单位年度报告逐字节相同。",
        units.len(),
        redact(to)
    );
    Ok(())
}
