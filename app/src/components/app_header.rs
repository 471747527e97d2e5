//! The top bar: the app's name and the always-visible way to crisis help.

use leptos::prelude::*;

/// Header with the "Need help now?" link. The link is a full page load (`rel="external"`) so
/// the service worker can answer it from its cache when the phone is offline.
#[component]
pub fn AppHeader() -> impl IntoView {
    view! {
        <header class="app-header">
            <a class="brand" href="/" rel="external">
                <span class="brand-mark" aria-hidden="true"></span>
                "Stillpoint"
            </a>
            <a class="help-link" href="/crisis" rel="external">
                "Need help now?"
            </a>
        </header>
    }
}
