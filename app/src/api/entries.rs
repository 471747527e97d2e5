//! Server functions over a patient's own entries.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::CheckIn;
use crate::error::AppError;

/// How many recent entries History shows.
pub const RECENT_LIMIT: i64 = 50;

/// One stored entry as the patient's History shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: String,
    pub kind: String,
    pub recorded_at: i64,
    pub received_at: i64,
    /// Arrived more than a day after it was recorded (sent from offline).
    pub late: bool,
    /// The check-in, when this entry is one.
    pub check_in: Option<CheckIn>,
}

/// The signed-in patient's most recent entries, newest first.
#[server(prefix = "/api", endpoint = "entries/list")]
pub async fn list_my_entries() -> Result<Vec<EntryView>, AppError> {
    with_status(async {
        let state = crate::state::app_state()?;
        let parts: http::request::Parts = use_context().ok_or(AppError::Internal)?;
        let patient = crate::auth::current_patient(&state.db, &parts).await?;
        let rows = state
            .db
            .list_entries_for_patient(&patient.id, RECENT_LIMIT)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| EntryView {
                check_in: (row.kind == "check_in")
                    .then(|| serde_json::from_str(&row.payload).ok())
                    .flatten(),
                id: row.id,
                kind: row.kind,
                recorded_at: row.recorded_at,
                received_at: row.received_at,
                late: row.late,
            })
            .collect())
    })
    .await
}

/// Runs a server function body and sets the HTTP status from its error, if any.
#[cfg(feature = "ssr")]
async fn with_status<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        crate::error::set_response_status(err);
    }
    result
}
