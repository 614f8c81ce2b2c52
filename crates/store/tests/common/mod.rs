//! The stores every store test runs on: SQLite always, PostgreSQL when JIXIAO_TEST_PG_URL names a server.
#![allow(dead_code)]

use jixiao_store::Store;
use sqlx::any::AnyPoolOptions;
use std::path::Path;

/// A fresh, empty database URL per backend. The SQLite file lives in `tmp`; PostgreSQL gets a new database.
pub async fn store_urls(tmp: &Path) -> Vec<(&'static str, String)> {
    let mut out = vec![("sqlite", format!("sqlite://{}/t.db", tmp.display()))];
    match std::env::var("JIXIAO_TEST_PG_URL") {
        Ok(admin) => {
            sqlx::any::install_default_drivers();
            let name = format!(
                "jixiao_test_{}",
                tmp.file_name().unwrap().to_string_lossy().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            );
            let pool = AnyPoolOptions::new().max_connections(1).connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
            out.push(("postgres", format!("{}/{name}", admin.rsplit_once('/').unwrap().0)));
        }
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must run the store tests on PostgreSQL too: set JIXIAO_TEST_PG_URL"),
        Err(_) => eprintln!("JIXIAO_TEST_PG_URL not set: PostgreSQL part skipped"),
    }
    out
}

/// A fresh, empty store per backend (see [`store_urls`]).
pub async fn stores(tmp: &Path) -> Vec<(&'static str, Store)> {
    let mut out = Vec::new();
    for (backend, url) in store_urls(tmp).await {
        out.push((backend, Store::open(&url).await.unwrap()));
    }
    out
}
