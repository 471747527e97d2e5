//! Dosing sessions, therapist side: schedule, reschedule, cancel, and each session with the
//! patient's readiness. Only a therapist on the patient's care team may do any of it; every
//! read and action is audited.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::prepare::SessionView;
use crate::domain::preparation::Readiness;
use crate::error::AppError;

/// Longest location note or cancellation reason, in characters.
pub const NOTE_MAX: usize = 200;
/// How far ahead a session may be scheduled.
pub const MAX_AHEAD_MS: i64 = 2 * 365 * 24 * 60 * 60 * 1000;

/// A session with the patient's readiness (for sessions still scheduled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionWithReadiness {
    pub session: SessionView,
    pub readiness: Option<Readiness>,
    /// The session has started or is over.
    pub past: bool,
}

/// Schedules a dosing session. `starts_at` is a `datetime-local` value read in `time_zone`.
#[server(prefix = "/api", endpoint = "clinic/schedule-session")]
pub async fn schedule_session(
    patient_id: String,
    starts_at: String,
    time_zone: String,
    route: String,
    location_note: String,
) -> Result<SessionView, AppError> {
    crate::api::respond(imp::schedule(
        patient_id,
        starts_at,
        time_zone,
        route,
        location_note,
    ))
    .await
}

/// Moves a scheduled session to a new time (and route or place).
#[server(prefix = "/api", endpoint = "clinic/reschedule-session")]
pub async fn reschedule_session(
    session_id: String,
    starts_at: String,
    time_zone: String,
    route: String,
    location_note: String,
) -> Result<SessionView, AppError> {
    crate::api::respond(imp::reschedule(
        session_id,
        starts_at,
        time_zone,
        route,
        location_note,
    ))
    .await
}

/// Cancels a scheduled session; it stays on the record as cancelled.
#[server(prefix = "/api", endpoint = "clinic/cancel-session")]
pub async fn cancel_session(session_id: String, reason: String) -> Result<(), AppError> {
    crate::api::respond(imp::cancel(session_id, reason)).await
}

/// A patient's sessions with readiness, earliest first.
#[server(prefix = "/api", endpoint = "clinic/patient-sessions")]
pub async fn list_patient_sessions(
    patient_id: String,
) -> Result<Vec<SessionWithReadiness>, AppError> {
    crate::api::respond(imp::list(patient_id)).await
}

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::api::prepare::{facts_of, session_view};
    use crate::api::{Ctx, ctx};
    use crate::auth::{Access, Actor, audit_required, authorize_patient, require_role};
    use crate::db::{DbError, DosingSessionRow, UserRow, now_ms};
    use crate::domain::account::Role;
    use crate::domain::preparation::{Route, compute_readiness};
    use crate::domain::timing;

    /// Checked values for a session's time and place.
    struct When {
        starts_at: i64,
        time_zone: String,
        route: Route,
        location_note: String,
    }

    fn check_note(field: &str, text: &str) -> Result<String, AppError> {
        let text = text.trim();
        if text.chars().count() > NOTE_MAX {
            return Err(AppError::validation(
                field,
                format!("Please keep this under {NOTE_MAX} characters."),
            ));
        }
        if text.contains('\0') {
            return Err(AppError::validation(
                field,
                "This contains a character we cannot store.",
            ));
        }
        Ok(text.to_string())
    }

    fn check_when(
        starts_at: &str,
        time_zone: &str,
        route: &str,
        location_note: &str,
    ) -> Result<When, AppError> {
        let tz =
            timing::parse_zone(time_zone).map_err(|e| AppError::validation(e.field, e.message))?;
        let at = timing::parse_local(starts_at, tz)
            .map_err(|e| AppError::validation(e.field, e.message))?;
        let now = now_ms();
        if at <= now {
            return Err(AppError::validation(
                "starts_at",
                "A session cannot be in the past. Please choose a later date and time.",
            ));
        }
        if at > now + MAX_AHEAD_MS {
            return Err(AppError::validation(
                "starts_at",
                "A session can be scheduled at most two years ahead.",
            ));
        }
        let route = Route::parse(route).ok_or_else(|| {
            AppError::validation("route", "Please choose how the medicine is given.")
        })?;
        Ok(When {
            starts_at: at,
            time_zone: tz.name().to_string(),
            route,
            location_note: check_note("location_note", location_note)?,
        })
    }

    /// The therapist and the patient, if the therapist is on the patient's care team.
    async fn therapist_for(
        c: &Ctx,
        patient_id: &str,
        access: Access,
    ) -> Result<(Actor, UserRow), AppError> {
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let patient = authorize_patient(&c.state, &c.parts, &actor, patient_id, access).await?;
        Ok((actor, patient))
    }

    /// The session and its patient, if the therapist may act on it; 404 otherwise, exactly
    /// as for a session that does not exist.
    async fn session_for(c: &Ctx, session_id: &str) -> Result<(Actor, DosingSessionRow), AppError> {
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let session = match c.state.db.get_dosing_session(session_id.trim()).await {
            Ok(s) => s,
            Err(DbError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        authorize_patient(
            &c.state,
            &c.parts,
            &actor,
            &session.patient_id,
            Access::Care,
        )
        .await?;
        Ok((actor, session))
    }

    fn still_open(session: &DosingSessionRow) -> Result<(), AppError> {
        if !session.is_scheduled() {
            return Err(AppError::Conflict {
                message: "This session was cancelled. Schedule a new one instead.".into(),
            });
        }
        if session.starts_at <= now_ms() {
            return Err(AppError::Conflict {
                message: "This session has already started, so it cannot be changed.".into(),
            });
        }
        Ok(())
    }

    pub async fn schedule(
        patient_id: String,
        starts_at: String,
        time_zone: String,
        route: String,
        location_note: String,
    ) -> Result<SessionView, AppError> {
        let c = ctx()?;
        let (actor, patient) = therapist_for(&c, &patient_id, Access::Care).await?;
        if !patient.is_active() {
            return Err(AppError::Conflict {
                message: "This patient's account is deactivated.".into(),
            });
        }
        let when = check_when(&starts_at, &time_zone, &route, &location_note)?;
        let now = now_ms();
        let row = DosingSessionRow {
            id: uuid::Uuid::now_v7().to_string(),
            patient_id: patient.id.clone(),
            starts_at: when.starts_at,
            time_zone: when.time_zone,
            route: when.route.as_str().into(),
            location_note: when.location_note,
            status: "scheduled".into(),
            cancel_reason: String::new(),
            created_by: Some(actor.id().to_string()),
            created_at: now,
            updated_at: now,
        };
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "session.schedule",
            Some(&patient.id),
            true,
            &format!("session {}", row.id),
        )
        .await?;
        c.state.db.insert_dosing_session(&row).await?;
        Ok(session_view(row))
    }

    pub async fn reschedule(
        session_id: String,
        starts_at: String,
        time_zone: String,
        route: String,
        location_note: String,
    ) -> Result<SessionView, AppError> {
        let c = ctx()?;
        let (actor, session) = session_for(&c, &session_id).await?;
        still_open(&session)?;
        let when = check_when(&starts_at, &time_zone, &route, &location_note)?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "session.reschedule",
            Some(&session.patient_id),
            true,
            &format!("session {}", session.id),
        )
        .await?;
        let now = now_ms();
        c.state
            .db
            .reschedule_dosing_session(
                &session.id,
                when.starts_at,
                &when.time_zone,
                when.route.as_str(),
                &when.location_note,
                now,
            )
            .await
            .map_err(|e| match e {
                DbError::NotFound => AppError::Conflict {
                    message: "This session was cancelled meanwhile.".into(),
                },
                other => other.into(),
            })?;
        Ok(session_view(
            c.state.db.get_dosing_session(&session.id).await?,
        ))
    }

    pub async fn cancel(session_id: String, reason: String) -> Result<(), AppError> {
        let c = ctx()?;
        let (actor, session) = session_for(&c, &session_id).await?;
        still_open(&session)?;
        let reason = check_note("reason", &reason)?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "session.cancel",
            Some(&session.patient_id),
            true,
            &format!("session {}", session.id),
        )
        .await?;
        c.state
            .db
            .cancel_dosing_session(&session.id, &reason, now_ms())
            .await
            .map_err(|e| match e {
                DbError::NotFound => AppError::Conflict {
                    message: "This session was already cancelled.".into(),
                },
                other => other.into(),
            })
    }

    pub async fn list(patient_id: String) -> Result<Vec<SessionWithReadiness>, AppError> {
        let c = ctx()?;
        let (actor, patient) = therapist_for(&c, &patient_id, Access::Read).await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "patient.read",
            Some(&patient.id),
            true,
            "sessions and readiness",
        )
        .await?;
        let sessions = c.state.db.list_dosing_sessions(&patient.id).await?;
        let facts = facts_of(&c.state.db.list_prep_entries(&patient.id).await?);
        let modules = crate::content::versions();
        let now = now_ms();
        Ok(sessions
            .into_iter()
            .map(|row| {
                let view = session_view(row);
                let readiness = (!view.cancelled)
                    .then(|| compute_readiness(&view.times, &modules, &facts, now));
                SessionWithReadiness {
                    past: view.starts_at <= now,
                    session: view,
                    readiness,
                }
            })
            .collect())
    }
}
