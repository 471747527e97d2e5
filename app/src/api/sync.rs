//! The sync endpoint, `POST /api/sync`: the outbox sends a batch of entries, the server
//! validates each on its own and answers per entry: accepted, duplicate or rejected.

use serde::{Deserialize, Serialize};

/// Where the outbox posts.
pub const SYNC_PATH: &str = "/api/sync";

/// A batch from the outbox. Entries are raw JSON so that one malformed entry is rejected on
/// its own instead of failing the whole batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    pub entries: Vec<serde_json::Value>,
}

/// The outcome for one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Stored now.
    Accepted,
    /// Already stored earlier with the same content; also a success.
    Duplicate,
    /// Not stored; `reason` says why.
    Rejected,
}

/// The answer for one entry, in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryResult {
    /// The entry's id, when it had a readable one.
    pub id: Option<String>,
    pub status: EntryStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<EntryResult>,
    /// The server clock, unix milliseconds.
    pub server_time: i64,
}

#[cfg(feature = "ssr")]
pub use handler::submit_entries;

#[cfg(feature = "ssr")]
mod handler {
    use axum::Json;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::extract::rejection::BytesRejection;
    use http::header::CONTENT_TYPE;
    use http::request::Parts;

    use super::*;
    use crate::auth::{audit, require_role};
    use crate::db::{Db, InsertOutcome, NewEntry, UserRow, now_ms};
    use crate::domain::account::Role;
    use crate::domain::entry::{
        EntryEnvelope, EntryKind, EntryRejection, MAX_BATCH, is_late, validate_entry,
    };
    use crate::error::AppError;
    use crate::state::AppState;

    /// `POST /api/sync`.
    pub async fn submit_entries(
        State(state): State<AppState>,
        parts: Parts,
        body: Result<Bytes, BytesRejection>,
    ) -> Result<Json<SyncResponse>, AppError> {
        // Who first: a signed-out phone learns to sign in before anything else.
        let actor = require_role(&state, &parts, &[Role::Patient]).await?;
        let is_json = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let body = body.map_err(|rejection| {
            if rejection.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::bad_request("The request body could not be read.")
            }
        })?;
        let request: SyncRequest = serde_json::from_slice(&body).map_err(|e| read_error(&e))?;
        if request.entries.len() > MAX_BATCH {
            return Err(AppError::validation(
                "entries",
                format!("Send at most {MAX_BATCH} entries at a time."),
            ));
        }
        let patient = &actor.user;
        let mut results = Vec::with_capacity(request.entries.len());
        for raw in request.entries {
            results.push(store_one(&state.db, patient, raw).await?);
        }
        let count = |s: EntryStatus| results.iter().filter(|r| r.status == s).count();
        let detail = format!(
            "accepted {}, duplicate {}, rejected {}",
            count(EntryStatus::Accepted),
            count(EntryStatus::Duplicate),
            count(EntryStatus::Rejected)
        );
        audit(
            &state,
            &parts,
            Some(&actor),
            "entries.sync",
            Some(&patient.id),
            true,
            &detail,
        )
        .await;
        Ok(Json(SyncResponse {
            results,
            server_time: now_ms(),
        }))
    }

    /// Validates and stores one entry. Only a storage failure is an error for the batch; a
    /// bad entry is a `Rejected` result.
    async fn store_one(
        db: &Db,
        patient: &UserRow,
        raw: serde_json::Value,
    ) -> Result<EntryResult, AppError> {
        let id = raw
            .get("id")
            .and_then(|v| v.as_str())
            .map(|s| s.chars().take(64).collect::<String>());
        let rejected = |field: Option<String>, reason: String| EntryResult {
            id: id.clone(),
            status: EntryStatus::Rejected,
            field,
            reason: Some(reason),
        };
        let envelope: EntryEnvelope = match serde_json::from_value(raw) {
            Ok(envelope) => envelope,
            Err(e) => return Ok(rejected(None, envelope_error(&e))),
        };
        let now = now_ms();
        let entry = match validate_entry(&envelope, now, patient.created_at) {
            Ok(entry) => entry,
            Err(rejection) => return Ok(rejected(rejection.field, rejection.reason)),
        };
        if let Some(rejection) = check_links(db, patient, &entry).await? {
            return Ok(rejected(rejection.field, rejection.reason));
        }
        let new = NewEntry {
            id: entry.id.to_string(),
            patient_id: patient.id.clone(),
            kind: entry.kind.as_str().to_string(),
            schema_version: entry.schema_version,
            recorded_at: entry.recorded_at,
            received_at: now,
            late: is_late(entry.recorded_at, now),
            payload: entry.payload,
        };
        let status = match db.insert_entry(&new).await? {
            InsertOutcome::Inserted => EntryStatus::Accepted,
            InsertOutcome::Existing(row) => {
                let same = row.patient_id == new.patient_id
                    && row.kind == new.kind
                    && row.recorded_at == new.recorded_at
                    && row.payload == new.payload;
                if !same {
                    // Another patient's id gets the same answer as a changed payload, so ids
                    // reveal nothing about other people's entries.
                    return Ok(rejected(
                        Some("id".into()),
                        "This entry id was already used for different content.".into(),
                    ));
                }
                EntryStatus::Duplicate
            }
        };
        Ok(EntryResult {
            id: Some(new.id),
            status,
            field: None,
            reason: None,
        })
    }

    /// Checks what an entry points at: its session must be one of this patient's (cancelled
    /// ones too: what the patient wrote is kept), and a module must exist in a version no
    /// newer than the current one.
    async fn check_links(
        db: &Db,
        patient: &UserRow,
        entry: &crate::domain::ValidatedEntry,
    ) -> Result<Option<EntryRejection>, AppError> {
        let payload: serde_json::Value =
            serde_json::from_str(&entry.payload).unwrap_or(serde_json::Value::Null);
        if let Some(session_id) = entry.kind.session_id(&payload) {
            let mine = match db.get_dosing_session(&session_id).await {
                Ok(session) => session.patient_id == patient.id,
                Err(crate::db::DbError::NotFound) => false,
                Err(e) => return Err(e.into()),
            };
            if !mine {
                return Ok(Some(EntryRejection::field(
                    "session_id",
                    "This session is not in your plan. Your therapist may have removed it.",
                )));
            }
        }
        if entry.kind == EntryKind::ModuleRead {
            let slug = payload.get("slug").and_then(|v| v.as_str()).unwrap_or("");
            let version = payload.get("version").and_then(|v| v.as_i64()).unwrap_or(0);
            let known = crate::content::module(slug).is_some_and(|m| version <= m.meta.version);
            if !known {
                return Ok(Some(EntryRejection::field(
                    "slug",
                    "This guide is not one the clinic knows. Please reload the app.",
                )));
            }
        }
        Ok(None)
    }

    /// A readable sentence for a body that is not a valid batch. Syntax errors give a
    /// position; shape errors give a fixed sentence (serde would echo values).
    fn read_error(err: &serde_json::Error) -> AppError {
        use serde_json::error::Category;
        match err.classify() {
            Category::Syntax | Category::Eof | Category::Io => AppError::bad_request(format!(
                "The request body is not valid JSON (line {}, column {}).",
                err.line(),
                err.column()
            )),
            Category::Data => AppError::bad_request(
                "The request body must be a JSON object with an \"entries\" list.",
            ),
        }
    }

    fn envelope_error(err: &serde_json::Error) -> String {
        let text = err.to_string();
        let head = text.split(" at line").next().unwrap_or(&text);
        if head.starts_with("unknown field") || head.starts_with("missing field") {
            format!(
                "The entry could not be read: {}.",
                head.chars().take(120).collect::<String>()
            )
        } else {
            "The entry could not be read: a value has the wrong type.".to_string()
        }
    }
}
