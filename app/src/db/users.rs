//! Users: every person who signs in, with one role.

use super::{Db, DbError, with_pool};

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub role: String,
    pub display_name: String,
    pub created_at: i64,
}

/// What it takes to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub role: String,
    pub display_name: String,
    pub created_at: i64,
}

impl Db {
    /// Inserts a user; `DbError::Conflict` if the id is taken.
    pub async fn insert_user(&self, user: &NewUser) -> Result<UserRow, DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into users (id, role, display_name, created_at) values ($1, $2, $3, $4)",
            )
            .bind(&user.id)
            .bind(&user.role)
            .bind(&user.display_name)
            .bind(user.created_at)
            .execute(pool)
            .await?;
        });
        Ok(UserRow {
            id: user.id.clone(),
            role: user.role.clone(),
            display_name: user.display_name.clone(),
            created_at: user.created_at,
        })
    }

    /// The user with this id; `DbError::NotFound` if there is none.
    pub async fn get_user(&self, id: &str) -> Result<UserRow, DbError> {
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, UserRow>(
                "select id, role, display_name, created_at from users where id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        Ok(row)
    }
}
