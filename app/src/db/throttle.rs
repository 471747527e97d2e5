//! Failed sign-ins, counted per key in a time window. Stored in the database so that every
//! server instance sees the same counts.

use super::{Db, DbError, with_pool};

impl Db {
    pub async fn record_sign_in_failure(&self, key: &str, at: i64) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query("insert into sign_in_failures (key, at, created_at) values ($1, $2, $2)")
                .bind(key)
                .bind(at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Failures for `key` at or after `since`.
    pub async fn count_sign_in_failures(&self, key: &str, since: i64) -> Result<i64, DbError> {
        let n: i64 = with_pool!(self, reader, |pool| {
            sqlx::query_scalar("select count(*) from sign_in_failures where key = $1 and at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Forgets the failures for `key` (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, key: &str) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query("delete from sign_in_failures where key = $1")
                .bind(key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Drops failures older than `before`; returns how many.
    pub async fn prune_sign_in_failures(&self, before: i64) -> Result<u64, DbError> {
        let n = with_pool!(self, writer, |pool| {
            sqlx::query("delete from sign_in_failures where at < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n)
    }
}
