//! `jixiao verify` (the tamper-evidence chain) and `jixiao close` (period close).

use anyhow::{Result, bail};
use jixiao_core::period::Period;
use jixiao_store::Store;
use std::process::ExitCode;

/// Recomputes the chain; prints the head, or every problem with the first one named first.
pub async fn verify(store: &Store, expect_head: Option<&str>) -> Result<ExitCode> {
    let report = store.verify_chain().await?;
    if report.problems.is_empty() {
        if let Some(expected) = expect_head
            && !store.chain_had_head(expected).await?
        {
            println!("哈希链被破坏：链中找不到此前记下的链头 {expected}（此前的记录被改动，或整条链被重写）[chain-head-missing]");
            return Ok(ExitCode::from(1));
        }
        println!("哈希链完好：{} 条记录均在链中，链头 {}", report.length, report.head);
        return Ok(ExitCode::SUCCESS);
    }
    println!("哈希链被破坏：共 {} 处 [chain-broken]", report.problems.len());
    println!("第一处：{}", report.problems[0]);
    for p in report.problems.iter().skip(1).take(50) {
        println!("  {p}");
    }
    Ok(ExitCode::from(1))
}

/// Closes the period given as `YYYY-MM` or `YYYY`, or lists the closed periods.
pub async fn close(store: &Store, period: Option<&str>, unit: Option<&str>) -> Result<()> {
    let Some(text) = period else {
        for p in store.closed_periods().await? {
            println!("{}\t{}", p.period, p.unit.as_deref().unwrap_or("全部单位"));
        }
        return Ok(());
    };
    let Some(period) = Period::parse(text) else {
        bail!("无法识别的期间「{text}」：月份写作 YYYY-MM（如 2020-03），年度写作 YYYY [period-format]")
    };
    if let Some(code) = unit
        && store.unit(code).await?.is_none()
    {
        bail!("数据库中没有单位「{code}」");
    }
    let whom = unit.map(|c| format!("单位 {c}")).unwrap_or_else(|| "全部单位".into());
    if store.close_period(unit, period).await? {
        println!("已结账：{}（{whom}）。此后该期间不再接受新记录，更正请在未结账期间录入冲销凭证。", period.chinese());
    } else {
        println!("{}（{whom}）此前已结账。", period.chinese());
    }
    Ok(())
}
