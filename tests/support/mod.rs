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
    pub auth: std::sync::Arc<app::auth::AuthSettings>,
    /// The running server's state (same database and settings).
    pub state: app::state::AppState,
    /// A signed-in patient created on first use by `post_sync` and friends.
    pub default_patient: tokio::sync::OnceCell<TestUser>,
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

/// Which database a test server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database URL for a fresh test database: a SQLite file in `dir`, or a fresh schema
/// in `TEST_POSTGRES_URL` (`None` when that is not set).
pub async fn fresh_database_url(backend: Backend, dir: &Path) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!("sqlite://{}", dir.join("test.db").display())),
        Backend::Postgres => {
            let base = std::env::var("TEST_POSTGRES_URL")
                .ok()
                .filter(|s| !s.is_empty())?;
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin = app::db::Db::connect(&base)
                .await
                .expect("TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
            if let app::db::Db::Postgres(pool) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}")))
                    .execute(pool)
                    .await
                    .expect("create schema");
            }
            admin.close().await;
            let separator = if base.contains('?') { '&' } else { '?' };
            Some(format!("{base}{separator}options[search_path]={schema}"))
        }
    }
}

/// Starts the server on `backend`, or returns `None` for PostgreSQL when it is not configured.
pub async fn spawn_app_on(backend: Backend, extra: &[&str]) -> Option<TestApp> {
    let dir = TempDir::new();
    let url = fresh_database_url(backend, &dir.0).await?;
    let mut args: Vec<String> = vec!["--database-url".into(), url];
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    Some(spawn_app_in(dir, &refs).await)
}

/// Starts the server with a fresh SQLite database (extra flags may be given).
pub async fn spawn_app_with(extra: &[&str]) -> TestApp {
    spawn_app_in(TempDir::new(), extra).await
}

async fn spawn_app_in(dir: TempDir, extra: &[&str]) -> TestApp {
    server::telemetry::init(server::config::LogFormat::Text);
    let mut args = vec![
        "stillpoint".to_string(),
        "--addr".into(),
        "127.0.0.1:0".into(),
        "--data-dir".into(),
        dir.0.display().to_string(),
        "--site-root".into(),
        public_dir().display().to_string(),
    ];
    if !extra.contains(&"--database-url") {
        args.push("--database-url".into());
        args.push(format!("sqlite://{}", dir.0.join("test.db").display()));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let config = Config::try_parse_from(args).expect("valid test config");
    config.validate().expect("config validates");
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let (state, assets) = server::build_state(&config).await.expect("state");
    let db = state.db.clone();
    let auth = state.auth.clone();
    let app_state = state.clone();
    let settings = server::ServerSettings {
        body_limit: config.body_limit,
        request_timeout: std::time::Duration::from_secs(config.request_timeout_secs),
        https: false,
    };
    let router = server::router(state, assets, settings);
    tokio::spawn(server::run(listener, router, std::future::pending()));
    // A generous limit: a response (or a streamed page) that never finishes fails the test
    // instead of hanging the suite.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        db,
        auth,
        state: app_state,
        default_patient: tokio::sync::OnceCell::new(),
        _dir: dir,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// A person with a live session, as a test uses them.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub username: String,
    /// `Cookie` header value, e.g. `stillpoint_session=...`.
    pub cookie: String,
}

impl TestApp {
    /// The server's state as the running server has it (same database and settings).
    pub fn auth_settings(&self) -> app::auth::AuthSettings {
        (*self.auth).clone()
    }

    /// Creates a user directly in the database (no password) and opens a real session for
    /// them through the same code sign-in uses.
    pub async fn create_user(&self, role: &str, username: &str) -> TestUser {
        let user = self
            .db
            .insert_user(&app::db::NewUser {
                id: uuid::Uuid::now_v7().to_string(),
                role: role.into(),
                username: username.into(),
                display_name: format!("{username} (test)"),
                password_hash: None,
                created_at: now_ms() - 60_000,
            })
            .await
            .expect("insert user");
        let role = app::domain::account::Role::parse(role).expect("role");
        let set_cookie = app::auth::start_session(&self.db, &self.auth_settings(), &user, role)
            .await
            .expect("session");
        TestUser {
            id: user.id,
            username: username.into(),
            cookie: set_cookie.split(';').next().expect("cookie").to_string(),
        }
    }

    /// Creates a user with a password (hashed like the server does).
    pub async fn create_user_with_password(
        &self,
        role: &str,
        username: &str,
        password: &str,
    ) -> String {
        let hash = app::auth::PasswordHasherPool::new(1)
            .hash(password)
            .await
            .expect("hash");
        let id = uuid::Uuid::now_v7().to_string();
        self.db
            .insert_user(&app::db::NewUser {
                id: id.clone(),
                role: role.into(),
                username: username.into(),
                display_name: format!("{username} (test)"),
                password_hash: Some(hash),
                created_at: now_ms() - 60_000,
            })
            .await
            .expect("insert user");
        id
    }

    /// Calls a server function (form-encoded, as the browser does) as `cookie` (or nobody).
    pub async fn call(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/{endpoint}", self.address))
            .form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request")
    }

    /// `GET path` as `cookie` (or nobody).
    pub async fn get_as(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{}", self.address, path));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request")
    }

    /// Posts a sync batch as `cookie` (or nobody).
    pub async fn sync_as(
        &self,
        cookie: Option<&str>,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/api/sync", self.address))
            .json(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request")
    }

    /// The default patient (created and signed in on first use).
    pub async fn patient(&self) -> &TestUser {
        self.default_patient
            .get_or_init(|| self.create_user("patient", "default-patient"))
            .await
    }

    /// Posts a sync batch as the default patient.
    pub async fn post_sync(&self, body: &serde_json::Value) -> reqwest::Response {
        let cookie = self.patient().await.cookie.clone();
        self.sync_as(Some(&cookie), body).await
    }

    pub async fn post_sync_raw(
        &self,
        body: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> reqwest::Response {
        let cookie = self.patient().await.cookie.clone();
        self.client
            .post(format!("{}/api/sync", self.address))
            .header("cookie", cookie)
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
