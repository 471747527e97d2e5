//! Users: every person who signs in, with one role, and the transactions that create them
//! from one-time links.

use super::{Db, DbError, with_pool};

/// A user as stored, without the password hash (so it can be logged and passed around).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub role: String,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
    pub deactivated_at: Option<i64>,
}

impl UserRow {
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// What it takes to create a user.
#[derive(Clone)]
pub struct NewUser {
    pub id: String,
    pub role: String,
    pub username: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: Option<String>,
    pub created_at: i64,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A user with the stored password hash, for sign-in only.
#[derive(Clone, sqlx::FromRow)]
pub struct LoginRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: Option<String>,
}

const USER_COLUMNS: &str = "id, role, username, display_name, created_at, deactivated_at";

impl Db {
    /// Inserts a user; `DbError::Conflict` if the id or the username is taken.
    pub async fn insert_user(&self, user: &NewUser) -> Result<UserRow, DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into users (id, role, username, display_name, password_hash, created_at) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&user.id)
            .bind(&user.role)
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(user.created_at)
            .execute(pool)
            .await?;
        });
        Ok(row_of(user))
    }

    /// The user with this id; `DbError::NotFound` if there is none.
    pub async fn get_user(&self, id: &str) -> Result<UserRow, DbError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1");
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        Ok(row)
    }

    /// The user signing in as `username` (already lower-cased), with the password hash.
    pub async fn get_login(&self, username: &str) -> Result<Option<LoginRow>, DbError> {
        let sql = format!("select {USER_COLUMNS}, password_hash from users where username = $1");
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, LoginRow>(sqlx::AssertSqlSafe(sql))
                .bind(username)
                .fetch_optional(pool)
                .await?
        });
        Ok(row)
    }

    /// Every user, staff first, then by name.
    pub async fn list_users(&self) -> Result<Vec<UserRow>, DbError> {
        let sql = format!(
            "select {USER_COLUMNS} from users order by \
             case role when 'admin' then 0 when 'therapist' then 1 else 2 end, display_name, username"
        );
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, UserRow>(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// How many active admins exist.
    pub async fn count_active_admins(&self) -> Result<i64, DbError> {
        let n: i64 = with_pool!(self, reader, |pool| {
            sqlx::query_scalar(
                "select count(*) from users where role = 'admin' and deactivated_at is null",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(n)
    }

    /// Replaces a user's password hash and ends all their sessions.
    pub async fn set_password(&self, user_id: &str, hash: &str) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("update users set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(DbError::NotFound);
            }
            sqlx::query("delete from sessions where user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Marks a user deactivated and ends all their sessions at once. Deactivating twice keeps
    /// the first time.
    pub async fn deactivate_user(&self, user_id: &str, at: i64) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update users set deactivated_at = coalesce(deactivated_at, $1) where id = $2",
            )
            .bind(at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(DbError::NotFound);
            }
            sqlx::query("delete from sessions where user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes a patient with everything that belongs to them (entries, sessions, links, care
    /// team rows). The audit log keeps its rows: it has no foreign keys.
    pub async fn delete_patient(&self, patient_id: &str) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            let done = sqlx::query("delete from users where id = $1 and role = 'patient'")
                .bind(patient_id)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 {
                return Err(DbError::NotFound);
            }
        });
        Ok(())
    }

    /// Creates a user from a one-time link in one transaction: the token is marked used (it
    /// must be unused and unexpired at `user.created_at`, else `NotFound`), the user is
    /// inserted (`Conflict` if the username is taken, and then the token stays unused), and
    /// for a patient invitation the inviting therapist joins the care team.
    pub async fn redeem_token_for_new_user(
        &self,
        token_id: &str,
        user: &NewUser,
        care_team_therapist: Option<&str>,
    ) -> Result<UserRow, DbError> {
        let now = user.created_at;
        with_pool!(self, writer, |pool| {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(
                "update tokens set used_at = $1 where id = $2 and used_at is null and expires_at > $1",
            )
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(DbError::NotFound);
            }
            sqlx::query(
                "insert into users (id, role, username, display_name, password_hash, created_at) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&user.id)
            .bind(&user.role)
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if let Some(therapist) = care_team_therapist {
                sqlx::query(
                    "insert into care_team_members (patient_id, therapist_id, added_by, created_at) \
                     values ($1, $2, $2, $3)",
                )
                .bind(&user.id)
                .bind(therapist)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(row_of(user))
    }

    /// Sets a new password from a reset link in one transaction: the token is marked used
    /// (unused and unexpired at `now`, else `NotFound`), the hash replaced, and every session
    /// of that user ended. Returns the user.
    pub async fn redeem_reset_token(
        &self,
        token_id: &str,
        hash: &str,
        now: i64,
    ) -> Result<UserRow, DbError> {
        let user_id: String = with_pool!(self, writer, |pool| {
            let mut tx = pool.begin().await?;
            let user_id: Option<String> = sqlx::query_scalar(
                "update tokens set used_at = $1 \
                 where id = $2 and purpose = 'reset' and used_at is null and expires_at > $1 \
                 returning user_id",
            )
            .bind(now)
            .bind(token_id)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            let Some(user_id) = user_id else {
                return Err(DbError::NotFound);
            };
            sqlx::query("update users set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(&user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from sessions where user_id = $1")
                .bind(&user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            user_id
        });
        self.get_user(&user_id).await
    }
}

fn row_of(user: &NewUser) -> UserRow {
    UserRow {
        id: user.id.clone(),
        role: user.role.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        created_at: user.created_at,
        deactivated_at: None,
    }
}
