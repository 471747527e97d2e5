//! `stillpoint`: start the server. All logic lives in the library; this only reports errors.

use clap::Parser;
use server::config::Config;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    server::telemetry::init(config.log_format);
    match start(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Stillpoint could not start: {err:#}.");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn start(config: Config) -> anyhow::Result<()> {
    config.validate().map_err(anyhow::Error::msg)?;
    if let Some(server::config::Command::CreateAdmin {
        username,
        display_name,
    }) = &config.command
    {
        return server::cli::create_admin(&config, username, display_name).await;
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "the address {} is already in use; stop the other program or choose another with --addr",
                config.addr
            )
        } else {
            anyhow::anyhow!("could not listen on {} ({e})", config.addr)
        }
    })?;
    let (state, assets) = server::build_state(&config).await?;
    let db = state.db.clone();
    let addr = listener.local_addr()?;
    let origin = config
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    server::announce_setup_link(&state, &origin).await?;
    server::spawn_housekeeping(db.clone());
    let settings = server::ServerSettings {
        body_limit: config.body_limit,
        request_timeout: std::time::Duration::from_secs(config.request_timeout_secs),
        https: config.is_https(),
    };
    let app = server::router(state, assets, settings);
    tracing::info!(%addr, "listening");
    println!("Stillpoint is running at http://{addr}/");
    server::run(listener, app, server::shutdown_signal()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}
