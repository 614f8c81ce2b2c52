//! Issue 20: a confirmed change of the unit profile is a new version valid from the import's year (schema 17),
//! on SQLite and (with JIXIAO_TEST_PG_URL) PostgreSQL.

use jixiao_core::records::{UnitProfile, UnitYear};
use jixiao_import::{Source, Streamed};
use jixiao_store::{ImportOptions, ProfileChange, Store, StoreError};
use sqlx::any::AnyPoolOptions;
use std::path::Path;

mod common;
use common::store_urls;

fn demo_source() -> Source {
    jixiao_import::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/furong-kexie-2020")).unwrap()
}

/// An import of no records for `year` under `unit`: what a unit.toml naming a new year carries first.
fn year_source(unit: &UnitProfile, year: i32) -> Source {
    Source { label: format!("{year}"), unit: unit.clone(), years: vec![UnitYear { year, report_date: None }], rows: Vec::new() }
}

async fn import(store: &Store, source: Source, change: Option<&ProfileChange>) -> Result<(), StoreError> {
    let options = ImportOptions { profile_change: change, ..Default::default() };
    let label = source.label.clone();
    let checked = store.import(&Streamed::held(source), &label, None, options, &|_| {}, &[]).await?.expect("the records pass the checks");
    checked.commit().await.map(|_| ())
}

/// A store at `url` holding the demo; the demo unit's code and profile.
async fn demo_store(url: &str) -> (Store, String, UnitProfile) {
    let store = Store::open(url).await.unwrap();
    let demo = demo_source();
    let (code, profile) = (demo.unit.code.clone(), demo.unit.clone());
    import(&store, demo, None).await.unwrap();
    (store, code, profile)
}

#[tokio::test]
async fn a_confirmed_rename_is_a_version_from_its_year_and_earlier_years_keep_theirs() {
    let tmp = tempfile::tempdir().unwrap();
    let change = ProfileChange { entered_by: "admin".into(), reason: "2021年更名".into() };
    for (backend, url) in store_urls(tmp.path()).await {
        let (store, code, old) = demo_store(&url).await;
        let chain_before = store.verify_chain().await.unwrap();
        assert!(store.profile_versions(&code).await.unwrap().is_empty(), "{backend}: an unchanged unit has no versions");
        let counts = store.record_counts().await.unwrap();

        let mut renamed = old.clone();
        renamed.name = format!("{}（更名）", old.name);
        renamed.duties[0] = "新的职能".into();
        // Not confirmed: refused, naming each field, its two values and the way to confirm; nothing written.
        match import(&store, year_source(&renamed, 2021), None).await {
            Err(StoreError::Conflicts(m)) => {
                assert!(m.contains(&format!("单位名称（已登记「{}」，导入「{}」）", old.name, renamed.name)), "{backend}: {m}");
                assert!(m.contains("职能职责第1条") && m.contains("--accept-profile-change"), "{backend}: {m}");
                assert!(m.ends_with("[UNIT_PROFILE_CHANGED]"), "{backend}: the rule id: {m}");
            }
            other => panic!("{backend}: expected a refusal, got {other:?}"),
        }
        assert_eq!(store.record_counts().await.unwrap(), counts, "{backend}: a refused import writes nothing");
        assert!(store.years(&code).await.unwrap().iter().all(|y| y.year == 2020), "{backend}");

        // Confirmed: version 1 is the profile as registered, version 2 the rename from 2021.
        import(&store, year_source(&renamed, 2021), Some(&change)).await.unwrap();
        let versions = store.profile_versions(&code).await.unwrap();
        let summary: Vec<_> = versions.iter().map(|v| (v.version, v.valid_from_year, v.profile.name.clone())).collect();
        assert_eq!(summary, [(1, 2020, old.name.clone()), (2, 2021, renamed.name.clone())], "{backend}");
        assert_eq!((versions[1].entered_by.as_deref(), versions[1].reason.as_str()), (Some("admin"), "2021年更名"), "{backend}");
        assert_eq!(versions[0].profile, old, "{backend}: version 1 is the registered profile, lists included");

        // Each year reads its own version; the unit lists show the newest.
        assert_eq!(store.books(&code, 2020).await.unwrap().unit, old, "{backend}: 2020 keeps the 2020 profile");
        assert_eq!(store.books_summary(&code, 2020).await.unwrap().unit, old, "{backend}");
        assert_eq!(store.books(&code, 2021).await.unwrap().unit, renamed, "{backend}");
        assert_eq!(store.unit(&code).await.unwrap(), Some(renamed.clone()), "{backend}");
        assert_eq!(store.units().await.unwrap(), [(code.clone(), renamed.name.clone())], "{backend}");
        let all = jixiao_store::consolidate::Scope::Region(None);
        let names = |units: Vec<UnitProfile>| units.into_iter().map(|u| u.name).collect::<Vec<_>>();
        assert_eq!(names(store.directory_in(&all, 2020).await.unwrap()), [old.name.as_str()], "{backend}: a 2020 view");
        assert_eq!(names(store.directory_in(&all, 2021).await.unwrap()), [renamed.name.as_str()], "{backend}");

        // The same confirmed import again adds no version (idempotent), nor does the 2020 import under the
        // 2020 profile, confirmed or not: each is compared with the version in force for its year.
        import(&store, year_source(&renamed, 2021), Some(&change)).await.unwrap();
        import(&store, demo_source(), None).await.unwrap();
        import(&store, demo_source(), Some(&change)).await.unwrap();
        assert_eq!(store.profile_versions(&code).await.unwrap().len(), 2, "{backend}: one version per change");
        // The 2021 profile for a 2020 import is a change of 2020's, refused unless confirmed.
        let mut renamed_2020 = demo_source();
        renamed_2020.unit = renamed.clone();
        assert!(matches!(import(&store, renamed_2020, None).await, Err(StoreError::Conflicts(_))), "{backend}");

        // The import log names the change; the records' hash chain is as it was.
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        let sources: Vec<String> = sqlx::query_scalar("SELECT source FROM import_batch ORDER BY id").fetch_all(&pool).await.unwrap();
        let noted: Vec<&String> =
            sources.iter().filter(|s| s.contains("单位信息变更为第 2 版，自 2021 年度起：单位名称、职能职责第1条")).collect();
        assert_eq!(noted.len(), 1, "{backend}: {sources:?}");
        pool.close().await;
        let chain_after = store.verify_chain().await.unwrap();
        assert_eq!((chain_after.length, &chain_after.head), (chain_before.length, &chain_before.head), "{backend}");
        assert!(chain_after.problems.is_empty(), "{backend}");
        store.close().await;
    }
}

/// A correction confirmed later for an earlier year applies from that year up to the next version only.
#[tokio::test]
async fn a_change_for_an_earlier_year_does_not_override_a_later_version() {
    let tmp = tempfile::tempdir().unwrap();
    let change = ProfileChange { entered_by: "admin".into(), reason: "更正".into() };
    for (backend, url) in store_urls(tmp.path()).await {
        let (store, code, old) = demo_store(&url).await;
        import(&store, year_source(&old, 2022), None).await.unwrap();
        let renamed = UnitProfile { name: "2022年的名称".into(), ..old.clone() };
        import(&store, year_source(&renamed, 2022), Some(&change)).await.unwrap();
        let corrected = UnitProfile { parent_department: "更正后的主管部门".into(), ..old.clone() };
        import(&store, year_source(&corrected, 2021), Some(&change)).await.unwrap();
        let names = |year| {
            let store = store.clone();
            let code = code.clone();
            async move { store.unit_in(&code, year).await.unwrap().unwrap() }
        };
        assert_eq!(names(2020).await, old, "{backend}");
        assert_eq!(names(2021).await, corrected, "{backend}");
        assert_eq!(names(2022).await, renamed, "{backend}");
        assert_eq!(store.unit(&code).await.unwrap(), Some(renamed), "{backend}: the newest year's version stays current");
        store.close().await;
    }
}
