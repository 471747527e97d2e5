//! One-time links: first-admin setup, therapist and patient invitations, password resets.

use super::{Db, DbError, with_pool};

/// A link as stored. `id` is the SHA-256 (hex) of the token in the link.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    /// `setup`, `therapist_invite`, `patient_invite` or `reset`.
    pub purpose: String,
    pub created_by: Option<String>,
    /// For a reset: whose password it resets.
    pub user_id: Option<String>,
    /// For an invitation: the name the inviter gave.
    pub display_name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

impl Db {
    pub async fn insert_token(&self, token: &TokenRow) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into tokens (id, purpose, created_by, user_id, display_name, created_at, expires_at, used_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&token.id)
            .bind(&token.purpose)
            .bind(&token.created_by)
            .bind(&token.user_id)
            .bind(&token.display_name)
            .bind(token.created_at)
            .bind(token.expires_at)
            .bind(token.used_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The link with this id, used or not; `None` if there is none.
    pub async fn get_token(&self, id: &str) -> Result<Option<TokenRow>, DbError> {
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, TokenRow>(
                "select id, purpose, created_by, user_id, display_name, created_at, expires_at, used_at \
                 from tokens where id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Makes every unused link of `purpose` expire at `now` (a new setup link replaces the
    /// old one). Returns how many were cut short.
    pub async fn expire_unused_tokens(&self, purpose: &str, now: i64) -> Result<u64, DbError> {
        let n = with_pool!(self, writer, |pool| {
            sqlx::query(
                "update tokens set expires_at = $1 where purpose = $2 and used_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(purpose)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n)
    }
}
