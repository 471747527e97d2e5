//! The test harness: a real server on 127.0.0.1:0 with its own fresh database, as in
//! zero-to-production's `spawn_app`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use clap::Parser;
use server::config::Config;

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: app::db::Db,
    /// Holds the temporary data folder for the test's lifetime.
    pub _dir: TempDir,
}

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("stillpoint-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The workspace's `public/` folder, used as the site root so `/sw.js` and the manifest exist.
pub fn public_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public")
}

/// Starts the server with a fresh SQLite database (extra flags may be given).
pub async fn spawn_app_with(extra: &[&str]) -> TestApp {
    server::telemetry::init(server::config::LogFormat::Text);
    let dir = TempDir::new();
    let mut args = vec![
        "stillpoint".to_string(),
        "--addr".into(),
        "127.0.0.1:0".into(),
        "--data-dir".into(),
        dir.0.display().to_string(),
        "--site-root".into(),
        public_dir().display().to_string(),
        "--database-url".into(),
        format!("sqlite://{}", dir.0.join("test.db").display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let config = Config::try_parse_from(args).expect("valid test config");
    config.validate().expect("config validates");
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let (state, assets) = server::build_state(&config).await.expect("state");
    let db = state.db.clone();
    let settings = server::ServerSettings {
        body_limit: config.body_limit,
        request_timeout: std::time::Duration::from_secs(config.request_timeout_secs),
        https: false,
    };
    let router = server::router(state, assets, settings);
    tokio::spawn(server::run(listener, router, std::future::pending()));
    let client = reqwest::Client::builder().build().expect("client");
    TestApp {
        address,
        client,
        db,
        _dir: dir,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

impl TestApp {
    pub async fn post_sync(&self, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/sync", self.address))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_sync_raw(
        &self,
        body: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/sync", self.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request")
    }
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    app::db::now_ms()
}

/// A valid check-in entry with a fresh UUID v7.
pub fn check_in_entry(anxiety: i64) -> serde_json::Value {
    serde_json::json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "kind": "check_in",
        "schema_version": 1,
        "recorded_at": now_ms() - 1000,
        "payload": { "anxiety": anxiety, "mood": 3, "sleep_hours": 7.5, "note": "A calm morning." }
    })
}

static PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static HOOK: std::sync::Once = std::sync::Once::new();

/// Installs (once) a panic hook that counts panics on tokio worker threads, where a
/// multi-threaded test runtime runs the server, so a test can show that bad input never
/// panicked the server. Test-thread panics (failed asserts) are not counted.
pub fn count_server_panics() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with("tokio-runtime-worker"))
            {
                PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

/// Panics seen on server threads so far.
pub fn server_panics() -> usize {
    PANICS.load(std::sync::atomic::Ordering::SeqCst)
}
