//! Configuration from flags and environment variables, checked before anything starts.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Stillpoint's server: the patient and therapist app, its API and its database.
#[derive(Debug, Clone, Parser)]
#[command(name = "stillpoint", version, about)]
pub struct Config {
    /// What to do; without a command the server starts.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address and port to listen on.
    #[arg(long, env = "STILLPOINT_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Folder for the SQLite database and other local data; created if missing.
    #[arg(
        long,
        env = "STILLPOINT_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database to use: sqlite://path or postgres://user:pass@host/db.
    /// Default: a SQLite file `stillpoint.db` in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder with the built site (pkg/, icons, manifest, service worker).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// The public origin (scheme://host[:port]) people use to reach this server, when it is
    /// behind a proxy or on HTTPS. Enables HSTS for https origins.
    #[arg(long, env = "STILLPOINT_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// A JSON file with this deployment's crisis resources (default: US services).
    #[arg(long, env = "STILLPOINT_CRISIS_RESOURCES")]
    pub crisis_resources: Option<PathBuf>,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "STILLPOINT_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,

    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "STILLPOINT_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Addresses of reverse proxies whose X-Forwarded-For header is believed (comma
    /// separated). From anyone else the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "STILLPOINT_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// A patient's phone stays signed in while used at least this often (seconds).
    #[arg(long, env = "STILLPOINT_PATIENT_SESSION_IDLE_SECS", default_value_t = 90 * 24 * 3600)]
    pub patient_session_idle_secs: i64,

    /// Therapists and admins are signed out after this much inactivity (seconds).
    #[arg(long, env = "STILLPOINT_STAFF_SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    pub staff_session_idle_secs: i64,

    /// Therapists and admins are signed out after this long in any case (seconds).
    #[arg(long, env = "STILLPOINT_STAFF_SESSION_MAX_SECS", default_value_t = 12 * 3600)]
    pub staff_session_max_secs: i64,

    /// Log format.
    #[arg(long, env = "STILLPOINT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Commands besides serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Create an admin account (for scripted installs). The password is read from the
    /// environment variable STILLPOINT_ADMIN_PASSWORD, or else from the first line of
    /// standard input.
    CreateAdmin {
        /// Sign-in name: 3 to 32 of a-z, 0-9, dot, dash, underscore.
        #[arg(long)]
        username: String,
        /// The name shown in the app.
        #[arg(long, default_value = "Clinic admin")]
        display_name: String,
    },
}

impl Config {
    /// The database URL in use, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("stillpoint.db").display()),
        }
    }

    /// Checks what can be checked before connecting: the URL scheme, the data folder and the
    /// public origin. Each error is one sentence for the operator.
    pub fn validate(&self) -> Result<(), String> {
        let url = self.database_url();
        let scheme = url.split(':').next().unwrap_or_default();
        if !matches!(scheme, "sqlite" | "postgres" | "postgresql") || !url.contains(':') {
            return Err(format!(
                "DATABASE_URL must start with sqlite:// or postgres://, but it starts with \"{}\"",
                scheme.chars().take(20).collect::<String>()
            ));
        }
        if let Some(origin) = &self.public_origin
            && !(origin.starts_with("http://") || origin.starts_with("https://"))
        {
            return Err("the public origin must start with http:// or https://".into());
        }
        if self.patient_session_idle_secs < 1
            || self.staff_session_idle_secs < 1
            || self.staff_session_max_secs < 1
        {
            return Err("session limits must be at least one second".into());
        }
        if self.body_limit < 1024 {
            return Err("the body limit must be at least 1024 bytes".into());
        }
        Ok(())
    }

    /// Creates the data folder if needed and proves it is writable.
    pub fn prepare_data_dir(&self) -> Result<(), String> {
        let dir = &self.data_dir;
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "the data folder {} could not be created ({})",
                dir.display(),
                plain(&e)
            )
        })?;
        let probe = dir.join(".write-test");
        std::fs::write(&probe, b"ok").map_err(|e| {
            format!(
                "the data folder {} is not writable ({})",
                dir.display(),
                plain(&e)
            )
        })?;
        let _ = std::fs::remove_file(probe);
        Ok(())
    }

    /// Whether the public origin is HTTPS (then cookies are Secure and HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }
}

/// An I/O error without the "(os error 13)" tail.
fn plain(err: &std::io::Error) -> String {
    let text = err.to_string();
    text.split(" (os error")
        .next()
        .unwrap_or(&text)
        .to_lowercase()
}
