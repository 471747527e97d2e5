//! The Stillpoint server: builds state from configuration, assembles the router with its
//! middleware, and serves until told to stop. `main.rs` and the tests share this seam.

pub mod assets;
pub mod cli;
pub mod config;
pub mod security;
pub mod telemetry;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::auth::AuthSettings;
use app::db::Db;
use app::domain::crisis::CrisisResources;
use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::assets::Assets;
use crate::config::Config;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Everything the router needs besides `AppState`.
#[derive(Clone)]
pub struct ServerSettings {
    pub body_limit: usize,
    pub request_timeout: Duration,
    pub https: bool,
}

/// Connects to the database, applies migrations and loads configuration files.
pub async fn build_state(config: &Config) -> anyhow::Result<(AppState, Assets)> {
    let modules = app::content::check()
        .map_err(|e| anyhow::anyhow!("the preparation content is broken ({e})"))?;
    tracing::debug!(modules, "preparation content loaded");
    let url = config.database_url();
    if url.starts_with("sqlite") {
        config.prepare_data_dir().map_err(anyhow::Error::msg)?;
    }
    let db = Db::connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("the database could not be opened ({e})"))?;
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("the database could not be prepared ({e})"))?;
    let version = db.server_version().await.unwrap_or_default();
    tracing::info!(backend = db.backend(), version = %version, "database ready");

    let crisis = match &config.crisis_resources {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "the crisis resources file {} could not be read",
                    path.display()
                )
            })?;
            let parsed: CrisisResources = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "the crisis resources file {} is not valid ({e})",
                    path.display()
                )
            })?;
            parsed.validate().map_err(|e| {
                anyhow::anyhow!(
                    "the crisis resources file {} is not valid: {e}",
                    path.display()
                )
            })?;
            parsed
        }
        None => CrisisResources::default(),
    };

    let assets = Assets::load(&config.site_root);
    let leptos_options = LeptosOptions::builder()
        .output_name("stillpoint")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(assets.hashed)
        .build();
    let auth = AuthSettings {
        https: config.is_https(),
        public_origin: config.public_origin.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        patient_idle_ms: config.patient_session_idle_secs.saturating_mul(1000),
        staff_idle_ms: config.staff_session_idle_secs.saturating_mul(1000),
        staff_absolute_ms: config.staff_session_max_secs.saturating_mul(1000),
        ..AuthSettings::default()
    };
    Ok((
        AppState {
            leptos_options,
            db,
            crisis: Arc::new(crisis),
            auth: Arc::new(auth),
        },
        assets,
    ))
}

/// The full application router with every middleware.
pub fn router(state: AppState, assets: Assets, settings: ServerSettings) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let assets = Arc::new(assets);
    let guard = security::CrossSiteGuard {
        public_origin: state.auth.public_origin.clone(),
    };

    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(app::api::sync::SYNC_PATH, post(app::api::sync::submit_entries))
        .route(app::api::export::EXPORT_PATH, get(app::api::export::export_my_data))
        .merge(assets::routes(assets.clone()))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        // Layers run bottom-up for requests: the last added sees the request first.
        .layer(axum::middleware::from_fn_with_state(guard, security::cross_site_guard))
        .layer(axum::middleware::from_fn_with_state(
            security::Policy { https: settings.https, hashed_assets: assets.hashed },
            security::headers,
        ))
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .layer(RequestBodyLimitLayer::new(settings.body_limit))
        .layer(RequestBodyTimeoutLayer::new(settings.request_timeout))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, settings.request_timeout))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    // The path only: query strings may one day carry tokens.
                    tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new([
            axum::http::header::AUTHORIZATION,
            axum::http::header::COOKIE,
            axum::http::header::SET_COOKIE,
        ]))
}

/// `/readyz`: 200 when the database answers, 503 when it does not.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ready" })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "unavailable" })),
            )
        }
    }
}

/// Serves on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn run(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// At first start (no active admin yet) prints a one-time link that creates the first admin.
/// Each start replaces the previous unused link. Printed, never logged: it is a secret.
pub async fn announce_setup_link(state: &AppState, origin: &str) -> anyhow::Result<()> {
    if state.db.count_active_admins().await? > 0 {
        return Ok(());
    }
    let url = cli::create_setup_link(state, origin).await?;
    let minutes = state.auth.setup_ttl_ms / 60_000;
    println!(
        "No admin account exists yet. Open this link within {minutes} minutes to create the first one:\n  {url}\n(Or run `stillpoint create-admin --username NAME` instead.)"
    );
    Ok(())
}

/// Removes expired sessions and old sign-in failures every hour.
pub fn spawn_housekeeping(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = app::db::now_ms();
            if let Err(e) = db.delete_expired_sessions(now).await {
                tracing::warn!(error = %e, "expired sessions could not be removed");
            }
            if let Err(e) = db.prune_sign_in_failures(now - 24 * 3600 * 1000).await {
                tracing::warn!(error = %e, "old sign-in failures could not be removed");
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
