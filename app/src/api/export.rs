//! `GET /api/me/export`: everything Stillpoint holds about the signed-in person, as a JSON
//! download (their right of access).

/// Where the download is served.
pub const EXPORT_PATH: &str = "/api/me/export";

#[cfg(feature = "ssr")]
pub use handler::export_my_data;

#[cfg(feature = "ssr")]
mod handler {
    use axum::extract::State;
    use axum::response::{IntoResponse, Response};
    use http::request::Parts;

    use crate::auth::{audit_required, current_user};
    use crate::db::now_ms;
    use crate::domain::account::Role;
    use crate::error::AppError;
    use crate::state::AppState;

    pub async fn export_my_data(
        State(state): State<AppState>,
        parts: Parts,
    ) -> Result<Response, AppError> {
        let actor = current_user(&state, &parts).await?;
        let entries = if actor.role == Role::Patient {
            state
                .db
                .list_entries_for_patient(actor.id(), i64::MAX)
                .await?
        } else {
            Vec::new()
        };
        let care_team = if actor.role == Role::Patient {
            state.db.list_care_team(actor.id()).await?
        } else {
            Vec::new()
        };
        let patient = (actor.role == Role::Patient).then_some(actor.id());
        audit_required(
            &state,
            &parts,
            Some(&actor),
            "export",
            patient,
            true,
            &format!("{} entries", entries.len()),
        )
        .await?;
        let body = serde_json::json!({
            "exported_at": now_ms(),
            "profile": {
                "id": actor.user.id,
                "role": actor.role,
                "username": actor.user.username,
                "display_name": actor.user.display_name,
                "created_at": actor.user.created_at,
            },
            "care_team": care_team.iter().map(|t| serde_json::json!({
                "display_name": t.display_name,
                "username": t.username,
            })).collect::<Vec<_>>(),
            "entries": entries.iter().map(|e| serde_json::json!({
                "id": e.id,
                "kind": e.kind,
                "schema_version": e.schema_version,
                "recorded_at": e.recorded_at,
                "received_at": e.received_at,
                "late": e.late,
                "payload": serde_json::from_str::<serde_json::Value>(&e.payload).unwrap_or(serde_json::Value::Null),
            })).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&body).map_err(|_| AppError::Internal)?;
        Ok((
            [
                (
                    http::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"stillpoint-my-data.json\"",
                ),
            ],
            text,
        )
            .into_response())
    }
}
