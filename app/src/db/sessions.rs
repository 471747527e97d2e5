//! Server-side sessions, so any server instance can serve any request.

use super::{Db, DbError, UserRow, with_pool};

/// A session as stored. `id` is the SHA-256 (hex) of the cookie value.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub idle_expires_at: i64,
    pub absolute_expires_at: i64,
}

impl SessionRow {
    /// Whether the session may still be used at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        now < self.idle_expires_at && now < self.absolute_expires_at
    }
}

impl Db {
    pub async fn insert_session(&self, session: &SessionRow) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into sessions (id, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&session.id)
            .bind(&session.user_id)
            .bind(session.created_at)
            .bind(session.last_seen_at)
            .bind(session.idle_expires_at)
            .bind(session.absolute_expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The session with this id (expired or not); `None` if there is none.
    pub async fn get_session(&self, id: &str) -> Result<Option<SessionRow>, DbError> {
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, SessionRow>(
                "select id, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at \
                 from sessions where id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// The session with this id and its user, in one query (every signed-in request asks).
    pub async fn get_session_with_user(
        &self,
        id: &str,
    ) -> Result<Option<(SessionRow, UserRow)>, DbError> {
        // Both tables have `id` and `created_at`: distinct names keep the columns apart.
        #[derive(sqlx::FromRow)]
        struct Joined {
            id: String,
            user_id: String,
            created_at: i64,
            last_seen_at: i64,
            idle_expires_at: i64,
            absolute_expires_at: i64,
            role: String,
            username: String,
            display_name: String,
            user_created_at: i64,
            deactivated_at: Option<i64>,
        }
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, Joined>(
                "select s.id, s.user_id, s.created_at, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, \
                        u.role, u.username, u.display_name, u.created_at as user_created_at, u.deactivated_at \
                 from sessions s join users u on u.id = s.user_id where s.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|j| {
            let user = UserRow {
                id: j.user_id.clone(),
                role: j.role,
                username: j.username,
                display_name: j.display_name,
                created_at: j.user_created_at,
                deactivated_at: j.deactivated_at,
            };
            let session = SessionRow {
                id: j.id,
                user_id: j.user_id,
                created_at: j.created_at,
                last_seen_at: j.last_seen_at,
                idle_expires_at: j.idle_expires_at,
                absolute_expires_at: j.absolute_expires_at,
            };
            (session, user)
        }))
    }

    /// Slides the idle limit forward after activity at `now`.
    pub async fn touch_session(
        &self,
        id: &str,
        now: i64,
        idle_expires_at: i64,
    ) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "update sessions set last_seen_at = $1, idle_expires_at = $2 where id = $3",
            )
            .bind(now)
            .bind(idle_expires_at)
            .bind(id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn delete_session(&self, id: &str) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query("delete from sessions where id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Ends every session of a user; returns how many there were.
    pub async fn delete_sessions_for_user(&self, user_id: &str) -> Result<u64, DbError> {
        let n = with_pool!(self, writer, |pool| {
            sqlx::query("delete from sessions where user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n)
    }

    /// Removes sessions that can no longer be used at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, DbError> {
        let n = with_pool!(self, writer, |pool| {
            sqlx::query(
                "delete from sessions where idle_expires_at <= $1 or absolute_expires_at <= $1",
            )
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n)
    }
}
