//! Storage: one `Db` API over SQLite (the embedded default) and PostgreSQL (scale-out),
//! chosen by the `DATABASE_URL` scheme. Methods live in one file per aggregate; each query is
//! written once where both dialects agree (`$1` placeholders work in both).

mod audit;
mod care_teams;
mod dosing_sessions;
mod entries;
mod sessions;
mod throttle;
mod tokens;
mod users;

pub use audit::{AuditFilter, AuditRow, NewAudit};
pub use care_teams::RosterRow;
pub use dosing_sessions::DosingSessionRow;
pub use entries::{EntryRow, InsertOutcome, NewEntry};
pub use sessions::SessionRow;
pub use tokens::TokenRow;
pub use users::{LoginRow, NewUser, UserRow};

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// How long a request waits for a free connection before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// PostgreSQL connections per server instance (about two per core on our machines).
const PG_MAX_CONNECTIONS: u32 = 5;
/// SQLite read connections beside the single writer.
const SQLITE_READERS: u32 = 4;

/// Storage errors. `Other` carries driver text for the log; it never reaches a browser.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict,
    #[error("the database is busy")]
    Busy,
    #[error("{0}")]
    Other(String),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::PoolTimedOut => DbError::Busy,
            sqlx::Error::Database(db) if db.is_unique_violation() => DbError::Conflict,
            _ => DbError::Other(err.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        DbError::Other(format!("migration failed: {err}"))
    }
}

/// The database, whichever backend it is. Cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub enum Db {
    /// One writer connection (SQLite allows one writer at a time) and a few readers.
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the right pool of either backend. `$role` is `writer`
/// or `reader`; PostgreSQL has one pool for both.
macro_rules! with_pool {
    ($db:expr, $role:ident, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { $role: $pool, .. } => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://...`). A SQLite file is created if
    /// missing, in WAL mode with full synchronous commits and foreign keys on.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| DbError::Other(format!("invalid SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // Health data: FULL survives power loss; NORMAL can lose acknowledged commits.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("mmap_size", "0");
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options.clone())
                .await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(SQLITE_READERS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options.read_only(true))
                .await?;
            Ok(Db::Sqlite { writer, reader })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| DbError::Other(format!("invalid PostgreSQL URL: {e}")))?
                .options([("statement_timeout", "10s")]);
            let pool = PgPoolOptions::new()
                .max_connections(PG_MAX_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(DbError::Other(
                "the database URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    /// Applies every pending migration for this backend.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite { writer, .. } => sqlx::migrate!("../migrations/sqlite").run(writer).await?,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// The database engine's own version string.
    pub async fn server_version(&self) -> Result<String, DbError> {
        let version: String = match self {
            Db::Sqlite { reader, .. } => {
                sqlx::query_scalar("select sqlite_version()")
                    .fetch_one(reader)
                    .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_scalar("show server_version")
                    .fetch_one(pool)
                    .await?
            }
        };
        Ok(version)
    }

    /// Succeeds when the database answers a trivial query (used by `/readyz`).
    pub async fn ping(&self) -> Result<(), DbError> {
        with_pool!(self, reader, |pool| {
            sqlx::query("select 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection, letting in-flight queries finish.
    pub async fn close(&self) {
        match self {
            Db::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// Milliseconds since the unix epoch, by the server clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
