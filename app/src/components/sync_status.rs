//! What is waiting on this phone, when it last synced, and what went wrong.

use leptos::prelude::*;

use crate::sync_state::use_sync_state;

/// Describes how long ago `then_ms` was, in plain words.
pub fn describe_age(then_ms: i64, now_ms: i64) -> String {
    let seconds = (now_ms - then_ms).max(0) / 1000;
    match seconds {
        0..=59 => "just now".into(),
        60..=119 => "a minute ago".into(),
        120..=3599 => format!("{} minutes ago", seconds / 60),
        3600..=7199 => "an hour ago".into(),
        7200..=86_399 => format!("{} hours ago", seconds / 3600),
        86_400..=172_799 => "yesterday".into(),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

/// The sync panel. A live region, so screen readers hear "Sent" or "2 waiting".
#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = use_sync_state();
    let headline = move || match (state.pending.get(), state.last_sync.get()) {
        (None, _) => "Checking this phone…".to_string(),
        (Some(0), None) => "Nothing is waiting to send.".to_string(),
        (Some(0), Some(_)) => "Everything is sent.".to_string(),
        (Some(1), _) => "1 waiting to send".to_string(),
        (Some(n), _) => format!("{n} waiting to send"),
    };
    let last = move || match state.last_sync.get() {
        Some(at) => format!("Last synced {}.", describe_age(at, now_ms())),
        None => "Not synced yet on this phone.".to_string(),
    };
    let waiting = move || state.pending.get().unwrap_or(0) > 0;
    view! {
        <section class="sync-status" aria-labelledby="sync-heading">
            <h2 id="sync-heading" class="visually-hidden">"Sync status"</h2>
            <p class="sync-headline" class:waiting=waiting role="status" aria-live="polite" data-testid="sync-pending">
                {headline}
            </p>
            <p class="sync-detail" data-testid="sync-last">{last}</p>
            <Show when=move || state.offline.get()>
                <p class="sync-detail">"You are offline. What you save stays on this phone and is sent when you are back online."</p>
            </Show>
            {move || {
                state
                    .failure
                    .get()
                    .map(|message| view! { <p class="sync-failure" role="alert" data-testid="sync-failure">{message}</p> })
            }}
            <Show when=move || state.needs_sign_in.get()>
                <p>
                    <a class="button" href="/sign-in?next=/" rel="external" data-testid="sync-sign-in">
                        "Sign in to send"
                    </a>
                </p>
            </Show>
            <Show when=move || !state.rejected.get().is_empty()>
                <div class="sync-rejected" data-testid="sync-rejected">
                    <p>"These could not be saved by the clinic:"</p>
                    <ul>
                        <For
                            each=move || state.rejected.get()
                            key=|entry| entry.id.clone()
                            children=move |entry| view! { <li>{entry.reason}</li> }
                        />
                    </ul>
                </div>
            </Show>
        </section>
    }
}
