//! The sync loop: sends what waits in the outbox to `POST /api/sync` in batches and removes
//! an entry only after the server has answered accepted or duplicate for it.
//!
//! Triggers: app start, the `online` event, after each save, the page becoming visible, and a
//! retry timer with exponential backoff and jitter after a failure.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::idb::{self, OutboxRecord};
use crate::api::sync::{EntryStatus, SYNC_PATH, SyncResponse};
use crate::domain::CheckIn;
use crate::domain::entry::{EntryKind, MAX_BATCH};
use crate::sync_state::{LocalEntry, RejectedEntry, SyncState};

const BACKOFF_BASE_MS: f64 = 2_000.0;
const BACKOFF_MAX_MS: f64 = 5.0 * 60.0 * 1_000.0;

#[derive(Default)]
struct Engine {
    state: Option<SyncState>,
    running: bool,
    again: bool,
    failures: u32,
    timer: Option<i32>,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::default());
}

/// Why a sync round did not finish.
enum Problem {
    /// No network: not an error the patient needs to act on.
    Offline,
    /// The session ended: the outbox stays, and the patient is asked to sign in.
    SignIn,
    /// Anything else, in words for the patient.
    Message(String),
}

/// Starts the loop once per page load: reads the outbox, listens for the network and
/// visibility, registers the service worker, and syncs.
pub fn start(state: SyncState) {
    let first = ENGINE.with_borrow_mut(|engine| {
        let first = engine.state.is_none();
        engine.state = Some(state);
        first
    });
    state.ready.set(true);
    if !first {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    state.offline.set(!window.navigator().on_line());
    let on_online = Closure::<dyn Fn()>::new(move || {
        state.offline.set(false);
        sync_now();
    });
    let on_offline = Closure::<dyn Fn()>::new(move || state.offline.set(true));
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("offline", on_offline.as_ref().unchecked_ref());
    on_online.forget();
    on_offline.forget();
    if let Some(document) = window.document() {
        let visible = document.clone();
        let on_visibility = Closure::<dyn Fn()>::new(move || {
            if visible.visibility_state() == web_sys::VisibilityState::Visible {
                sync_now();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        on_visibility.forget();
    }
    super::sw::register(state);
    sync_now();
}

/// Saves a validated check-in in the outbox (committed to disk before this returns), then
/// asks the loop to send it.
pub async fn save_check_in(check_in: &CheckIn) -> Result<(), String> {
    let payload = serde_json::to_value(check_in).map_err(|e| e.to_string())?;
    save_entry(EntryKind::CheckIn, payload).await
}

/// Saves an entry of `kind` (already validated by the caller) in the outbox, committed to
/// disk before this returns, then asks the loop to send it.
pub async fn save_entry(kind: EntryKind, payload: serde_json::Value) -> Result<(), String> {
    let record = OutboxRecord {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.as_str().into(),
        schema_version: kind.schema_version(),
        recorded_at: js_sys::Date::now() as i64,
        payload,
        rejected: None,
    };
    idb::put_all(&[record])
        .await
        .map_err(|e| idb::describe(&e))?;
    refresh().await;
    sync_now();
    Ok(())
}

/// Runs a sync round now, or right after the one under way.
pub fn sync_now() {
    let start = ENGINE.with_borrow_mut(|engine| {
        if engine.running {
            engine.again = true;
            return false;
        }
        engine.running = true;
        if let Some(timer) = engine.timer.take()
            && let Some(window) = web_sys::window()
        {
            window.clear_timeout_with_handle(timer);
        }
        true
    });
    if start {
        leptos::task::spawn_local(run());
    }
}

fn state() -> Option<SyncState> {
    ENGINE.with_borrow(|engine| engine.state)
}

async fn run() {
    loop {
        let outcome = sync_once().await;
        if let Some(state) = state() {
            state.syncing.set(false);
            state
                .needs_sign_in
                .set(matches!(outcome, Err(Problem::SignIn)));
            match &outcome {
                Ok(()) => state.failure.set(None),
                Err(Problem::Offline) => state.failure.set(None),
                Err(Problem::SignIn) => state.failure.set(Some(
                    "Please sign in again to send what is waiting. It is safe on this phone."
                        .into(),
                )),
                Err(Problem::Message(text)) => state.failure.set(Some(text.clone())),
            }
        }
        ENGINE.with_borrow_mut(|engine| {
            if outcome.is_ok() {
                engine.failures = 0;
            } else {
                engine.failures = engine.failures.saturating_add(1);
            }
        });
        refresh().await;
        let again = ENGINE.with_borrow_mut(|engine| std::mem::take(&mut engine.again));
        if !again {
            break;
        }
    }
    let failures = ENGINE.with_borrow_mut(|engine| {
        engine.running = false;
        engine.failures
    });
    let waiting = state().and_then(|s| s.pending.get_untracked()).unwrap_or(0);
    let signed_out = state().is_some_and(|s| s.needs_sign_in.get_untracked());
    // Signed out: retrying cannot help until the patient signs in (which reloads the app).
    if failures > 0 && waiting > 0 && !signed_out {
        schedule_retry(failures);
    }
}

/// Retries after `2 s × 2^(failures−1)`, capped at 5 minutes, times a jitter of 0.5–1.5.
fn schedule_retry(failures: u32) {
    let exponent = failures.saturating_sub(1).min(16) as i32;
    let delay = (BACKOFF_BASE_MS * 2f64.powi(exponent)).min(BACKOFF_MAX_MS)
        * (0.5 + js_sys::Math::random());
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(sync_now);
    if let Ok(handle) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        callback.unchecked_ref(),
        delay as i32,
    ) {
        ENGINE.with_borrow_mut(|engine| engine.timer = Some(handle));
    }
}

/// Reads the outbox and updates what the page shows.
async fn refresh() {
    let Some(state) = state() else { return };
    match idb::all().await {
        Ok(records) => {
            let pending = records.iter().filter(|r| r.rejected.is_none()).count();
            let rejected = records
                .iter()
                .filter_map(|r| {
                    r.rejected.as_ref().map(|reason| RejectedEntry {
                        id: r.id.clone(),
                        recorded_at: r.recorded_at,
                        reason: reason.clone(),
                    })
                })
                .collect();
            state.pending.set(Some(pending));
            state.rejected.set(rejected);
            state.waiting.set(
                records
                    .iter()
                    .filter(|r| r.rejected.is_none())
                    .map(local_entry)
                    .collect(),
            );
        }
        Err(err) => state.failure.set(Some(idb::describe(&err))),
    }
    if let Ok(Some(at)) = idb::last_sync().await {
        state.last_sync.set(Some(at));
    }
}

async fn sync_once() -> Result<(), Problem> {
    let records = idb::all()
        .await
        .map_err(|e| Problem::Message(idb::describe(&e)))?;
    let pending: Vec<OutboxRecord> = records
        .into_iter()
        .filter(|r| r.rejected.is_none())
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let window = web_sys::window().ok_or(Problem::Offline)?;
    if !window.navigator().on_line() {
        return Err(Problem::Offline);
    }
    if let Some(state) = state() {
        state.syncing.set(true);
    }
    for batch in pending.chunks(MAX_BATCH) {
        let response = post_batch(&window, batch).await?;
        apply_answer(batch, &response).await?;
    }
    let now = js_sys::Date::now() as i64;
    // Losing only the "last synced" time is harmless; the entries are already settled.
    let _ = idb::set_last_sync(now).await;
    if let Some(state) = state() {
        state.last_sync.set(Some(now));
    }
    Ok(())
}

async fn post_batch(
    window: &web_sys::Window,
    batch: &[OutboxRecord],
) -> Result<SyncResponse, Problem> {
    let entries: Vec<serde_json::Value> = batch
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "kind": r.kind,
                "schema_version": r.schema_version,
                "recorded_at": r.recorded_at,
                "payload": r.payload,
            })
        })
        .collect();
    let body = serde_json::json!({ "entries": entries }).to_string();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_body(&JsValue::from_str(&body));
    let headers = web_sys::Headers::new().map_err(|_| Problem::Offline)?;
    let _ = headers.set("Content-Type", "application/json");
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(SYNC_PATH, &init)
        .map_err(|_| Problem::Message("The app could not prepare the request.".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| {
            Problem::Message("Could not reach your clinic's server. We will try again soon.".into())
        })?
        .unchecked_into();
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    match status {
        200 => serde_json::from_str(&text)
            .map_err(|_| Problem::Message("The server's answer could not be read. We will try again soon.".into())),
        401 => Err(Problem::SignIn),
        _ => Err(Problem::Message(server_message(&text).unwrap_or_else(|| {
            format!("The server could not take your entries right now (error {status}). We will try again soon.")
        }))),
    }
}

/// The `message` of an error body, if it has one.
fn server_message(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()?
        .get("message")?
        .as_str()
        .map(str::to_string)
}

fn local_entry(r: &OutboxRecord) -> LocalEntry {
    LocalEntry {
        id: r.id.clone(),
        kind: r.kind.clone(),
        recorded_at: r.recorded_at,
        payload: r.payload.clone(),
    }
}

/// Removes accepted and duplicate entries; keeps rejected ones with the reason.
async fn apply_answer(batch: &[OutboxRecord], response: &SyncResponse) -> Result<(), Problem> {
    let mut settled = Vec::new();
    let mut rejected = Vec::new();
    for (index, record) in batch.iter().enumerate() {
        let result = response
            .results
            .iter()
            .find(|r| r.id.as_deref() == Some(record.id.as_str()))
            .or_else(|| response.results.get(index).filter(|r| r.id.is_none()));
        match result.map(|r| (r.status, r.reason.clone())) {
            Some((EntryStatus::Accepted | EntryStatus::Duplicate, _)) => {
                settled.push(record.id.clone())
            }
            Some((EntryStatus::Rejected, reason)) => rejected.push(OutboxRecord {
                rejected: Some(
                    reason.unwrap_or_else(|| "The clinic could not accept this entry.".into()),
                ),
                ..record.clone()
            }),
            // No answer for this entry: leave it pending for the next round.
            None => {}
        }
    }
    idb::remove(&settled)
        .await
        .map_err(|e| Problem::Message(idb::describe(&e)))?;
    if let Some(state) = state() {
        let sent: Vec<LocalEntry> = batch
            .iter()
            .filter(|r| settled.contains(&r.id))
            .map(local_entry)
            .collect();
        state.sent.update(|list| list.extend(sent));
    }
    idb::put_all(&rejected)
        .await
        .map_err(|e| Problem::Message(idb::describe(&e)))?;
    Ok(())
}
