//! What the outbox and the sync loop show the patient: how many entries wait on this phone,
//! when the last sync succeeded, and what went wrong. Signals start empty on the server and
//! are filled in the browser once the outbox has been read.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An entry the server refused, kept on the phone with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedEntry {
    pub id: String,
    pub recorded_at: i64,
    pub reason: String,
}

/// An entry saved on this phone this page load: waiting in the outbox, or already sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalEntry {
    pub id: String,
    pub kind: String,
    pub recorded_at: i64,
    pub payload: serde_json::Value,
}

/// Reactive sync status, provided as context by `App`.
#[derive(Debug, Clone, Copy)]
pub struct SyncState {
    /// Entries saved on this phone and not yet accepted by the server; `None` until read.
    pub pending: RwSignal<Option<usize>>,
    /// Entries the server refused, with reasons.
    pub rejected: RwSignal<Vec<RejectedEntry>>,
    /// When a sync last finished without error (unix ms).
    pub last_sync: RwSignal<Option<i64>>,
    /// The last problem, in words for the patient; cleared by a successful sync.
    pub failure: RwSignal<Option<String>>,
    /// The server answered that the session ended: entries wait until the patient signs in.
    pub needs_sign_in: RwSignal<bool>,
    /// A sync is under way.
    pub syncing: RwSignal<bool>,
    /// The browser reports no network.
    pub offline: RwSignal<bool>,
    /// A new app version is installed and waiting.
    pub update_ready: RwSignal<bool>,
    /// The app has hydrated, so buttons that need code work.
    pub ready: RwSignal<bool>,
    /// Entries waiting in the outbox (not rejected), so pages can show them at once.
    pub waiting: RwSignal<Vec<LocalEntry>>,
    /// Entries the server accepted during this page load (until the page reloads its data).
    pub sent: RwSignal<Vec<LocalEntry>>,
}

impl SyncState {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(None),
            rejected: RwSignal::new(Vec::new()),
            last_sync: RwSignal::new(None),
            failure: RwSignal::new(None),
            needs_sign_in: RwSignal::new(false),
            syncing: RwSignal::new(false),
            offline: RwSignal::new(false),
            update_ready: RwSignal::new(false),
            ready: RwSignal::new(false),
            waiting: RwSignal::new(Vec::new()),
            sent: RwSignal::new(Vec::new()),
        }
    }
}

impl SyncState {
    /// Preparation facts from entries on this phone (waiting or sent this page load).
    pub fn local_facts(&self) -> Vec<crate::domain::preparation::PrepFact> {
        let mut facts = Vec::new();
        for list in [self.sent.get(), self.waiting.get()] {
            for e in list {
                if let Some(f) = crate::domain::preparation::PrepFact::from_entry(
                    &e.id,
                    &e.kind,
                    e.recorded_at,
                    &e.payload,
                ) {
                    facts.push(f);
                }
            }
        }
        facts
    }
}

impl Default for SyncState {
    fn default() -> Self {
        Self::new()
    }
}

/// The sync state from context (a fresh, empty one if absent).
pub fn use_sync_state() -> SyncState {
    use_context::<SyncState>().unwrap_or_default()
}
