//! A demo server for tests: a fresh SQLite file with the demo dataset and users, served on a free port.

use jixiao_store::Store;
use jixiao_web::{AppState, SharedState};

pub struct TestServer {
    pub base: String,
    pub state: SharedState,
    _dir: tempfile::TempDir,
}

pub async fn demo_state() -> (SharedState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/web.db", dir.path().display())).await.unwrap();
    jixiao_web::setup::load_demo(&store).await.unwrap();
    (AppState::new(store, true), dir)
}

pub async fn start() -> TestServer {
    let (state, dir) = demo_state().await;
    serve(state, dir).await
}

/// Serves `state` (whose database lives in `dir`) on a free port.
pub async fn serve(state: SharedState, dir: tempfile::TempDir) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = jixiao_web::router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestServer { base, state, _dir: dir }
}
