//! Preparation for the patient: the content modules (anyone may read them; they hold no
//! personal data) and the patient's own plan: sessions, integration prompts and what they
//! have done so far. The phone keeps a copy of both for offline use.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::ModuleContent;
use crate::domain::preparation::{ModuleVersion, PrepFact, PromptKey, Route, SessionTimes};
use crate::error::AppError;

/// An integration prompt and when it falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptDue {
    pub key: PromptKey,
    pub due_at: i64,
}

/// A dosing session as both patient and therapist see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub starts_at: i64,
    /// "Tuesday 1 December 2026 at 9:30 AM (EST)", in the session's time zone.
    pub when: String,
    pub time_zone: String,
    /// The start as a `datetime-local` value in the session's zone (for the reschedule form).
    pub local_input: String,
    pub route: Route,
    pub location_note: String,
    pub cancelled: bool,
    pub cancel_reason: String,
    pub times: SessionTimes,
    pub prompts: Vec<PromptDue>,
}

/// What the patient's phone needs for Today and Prepare, online or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPlan {
    /// The server clock when this was made (unix ms).
    pub now: i64,
    /// Upcoming sessions and those of the last two weeks (for integration), earliest first.
    pub sessions: Vec<SessionView>,
    /// What the patient did for preparation and integration, as the server has it.
    pub facts: Vec<PrepFact>,
    pub modules: Vec<ModuleVersion>,
}

/// How far back the plan reaches for integration prompts.
pub const PLAN_PAST_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// Every preparation module with its text. Public: it holds nothing personal.
#[server(prefix = "/api", endpoint = "prepare/content")]
pub async fn get_prepare_content() -> Result<Vec<ModuleContent>, AppError> {
    crate::api::respond(async { Ok(crate::content::catalog().to_vec()) }).await
}

/// The signed-in patient's sessions, prompts and preparation so far.
#[server(prefix = "/api", endpoint = "prepare/plan")]
pub async fn get_my_plan() -> Result<MyPlan, AppError> {
    crate::api::respond(imp::get_my_plan()).await
}

#[cfg(feature = "ssr")]
pub(crate) use imp::{facts_of, session_view};

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::api::ctx;
    use crate::auth::require_role;
    use crate::db::{DosingSessionRow, EntryRow, now_ms};
    use crate::domain::account::Role;
    use crate::domain::timing;

    /// The wire view of a stored session, times worked out in its zone.
    pub fn session_view(row: DosingSessionRow) -> SessionView {
        let tz = timing::parse_zone(&row.time_zone).unwrap_or(chrono_tz::Tz::UTC);
        let route = Route::parse(&row.route).unwrap_or(Route::Lozenge);
        SessionView {
            when: timing::describe(row.starts_at, tz),
            local_input: timing::input_value(row.starts_at, tz),
            times: timing::session_times(&row.id, route, row.starts_at, tz),
            prompts: PromptKey::ALL
                .into_iter()
                .map(|key| PromptDue {
                    key,
                    due_at: timing::prompt_due(row.starts_at, tz, key),
                })
                .collect(),
            cancelled: !row.is_scheduled(),
            id: row.id,
            starts_at: row.starts_at,
            time_zone: row.time_zone,
            route,
            location_note: row.location_note,
            cancel_reason: row.cancel_reason,
        }
    }

    /// Preparation facts from stored entries.
    pub fn facts_of(rows: &[EntryRow]) -> Vec<PrepFact> {
        rows.iter()
            .filter_map(|row| {
                let payload = serde_json::from_str(&row.payload).ok()?;
                PrepFact::from_entry(&row.id, &row.kind, row.recorded_at, &payload)
            })
            .collect()
    }

    pub async fn get_my_plan() -> Result<MyPlan, AppError> {
        let c = ctx()?;
        let patient = require_role(&c.state, &c.parts, &[Role::Patient]).await?;
        let now = now_ms();
        let sessions = c
            .state
            .db
            .list_dosing_sessions(patient.id())
            .await?
            .into_iter()
            .filter(|s| s.starts_at >= now - PLAN_PAST_MS)
            .map(session_view)
            .collect();
        let entries = c.state.db.list_prep_entries(patient.id()).await?;
        Ok(MyPlan {
            now,
            sessions,
            facts: facts_of(&entries),
            modules: crate::content::versions(),
        })
    }
}
