//! Who is making a request.
//!
//! Accounts do not exist yet. Until they do, every request acts as one demo patient, created
//! at start-up by [`ensure_demo_patient`]. This module is the only place that knows it: the
//! accounts work replaces [`current_patient`] with a session lookup and deletes the demo
//! patient, and no other code path needs to change.

use http::request::Parts;

use crate::db::{Db, DbError, NewUser, UserRow, now_ms};
use crate::error::AppError;

/// The fixed id of the demo patient (a UUID v7 shape, never issued by a device).
pub const DEMO_PATIENT_ID: &str = "01900000-0000-7000-8000-000000000001";

/// Creates the demo patient if it is missing.
pub async fn ensure_demo_patient(db: &Db) -> Result<(), DbError> {
    match db.get_user(DEMO_PATIENT_ID).await {
        Ok(_) => Ok(()),
        Err(DbError::NotFound) => {
            let user = NewUser {
                id: DEMO_PATIENT_ID.into(),
                role: "patient".into(),
                display_name: "Demo patient".into(),
                created_at: now_ms(),
            };
            match db.insert_user(&user).await {
                // Another instance created it first.
                Ok(_) | Err(DbError::Conflict) => Ok(()),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// The patient this request acts for.
pub async fn current_patient(db: &Db, _request: &Parts) -> Result<UserRow, AppError> {
    let user = db.get_user(DEMO_PATIENT_ID).await.map_err(|e| match e {
        DbError::NotFound => AppError::Unauthorized,
        other => other.into(),
    })?;
    if user.role != "patient" {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}
