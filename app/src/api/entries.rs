//! Server functions over a patient's own entries.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::CheckIn;
use crate::error::AppError;

/// How many recent entries History shows.
pub const RECENT_LIMIT: i64 = 50;

/// One stored entry as History and the therapist's record show it.
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
    /// One line for other kinds (preparation and integration entries).
    #[serde(default)]
    pub summary: Option<String>,
}

/// The signed-in patient's most recent entries, newest first.
#[server(prefix = "/api", endpoint = "entries/list")]
pub async fn list_my_entries() -> Result<Vec<EntryView>, AppError> {
    crate::api::respond(async {
        let c = crate::api::ctx()?;
        let patient =
            crate::auth::require_role(&c.state, &c.parts, &[crate::domain::account::Role::Patient])
                .await?;
        let rows = c
            .state
            .db
            .list_entries_for_patient(patient.id(), RECENT_LIMIT)
            .await?;
        Ok(rows.into_iter().map(entry_view).collect())
    })
    .await
}

/// The wire view of a stored entry.
#[cfg(feature = "ssr")]
pub(crate) fn entry_view(row: crate::db::EntryRow) -> EntryView {
    let summary = summarize(&row);
    EntryView {
        summary,
        check_in: (row.kind == "check_in")
            .then(|| serde_json::from_str(&row.payload).ok())
            .flatten(),
        id: row.id,
        kind: row.kind,
        recorded_at: row.recorded_at,
        received_at: row.received_at,
        late: row.late,
    }
}

/// One line describing a preparation or integration entry.
#[cfg(feature = "ssr")]
fn summarize(row: &crate::db::EntryRow) -> Option<String> {
    use crate::domain::preparation::{PrepFact, TickItem};
    let payload = serde_json::from_str(&row.payload).ok()?;
    Some(
        match PrepFact::from_entry(&row.id, &row.kind, row.recorded_at, &payload)? {
            PrepFact::ModuleRead { slug, version, .. } => {
                let title = crate::content::module(&slug)
                    .map(|m| m.meta.title.clone())
                    .unwrap_or(slug);
                format!("Read \u{201c}{title}\u{201d} (version {version})")
            }
            PrepFact::Intention { text, .. } => format!("Intention: {text}"),
            PrepFact::Tick { item, done, .. } => {
                let what = match item {
                    TickItem::RideArranged => "Ride home arranged",
                    TickItem::FastingAcknowledged => "Fasting reminder read on the day",
                    TickItem::QuestionsReady => "Questions ready",
                };
                if done {
                    what.to_string()
                } else {
                    format!("{what}: unticked")
                }
            }
            PrepFact::Question { text, .. } => format!("Question for the therapist: {text}"),
            PrepFact::Reflection { prompt, text, .. } => format!("{}: {text}", prompt.title()),
        },
    )
}
