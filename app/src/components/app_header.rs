//! The top bar: the app's name, the always-visible way to crisis help, and the signed-in
//! person's links.

use leptos::prelude::*;

use crate::components::{me_role, use_me};
use crate::domain::account::Role;

/// Header with the "Need help now?" link. Links are full page loads (`rel="external"`) so the
/// service worker can answer them from its cache when the phone is offline.
#[component]
pub fn AppHeader() -> impl IntoView {
    let me = use_me();
    view! {
        <header class="app-header">
            <a class="brand" href="/" rel="external">
                <span class="brand-mark" aria-hidden="true"></span>
                "Stillpoint"
            </a>
            <nav class="header-links" aria-label="Account">
                // First after the brand, so a keyboard reaches crisis help before anything else.
                <a class="help-link" href="/crisis" rel="external">"Need help now?"</a>
                <Transition>
                    {move || match me_role(me) {
                        Some(Some(Role::Therapist)) => Some(view! { <a href="/clinic" rel="external">"Patients"</a> }.into_any()),
                        Some(Some(Role::Admin)) => Some(view! { <a href="/admin" rel="external">"Admin"</a> }.into_any()),
                        _ => None,
                    }}
                    {move || match me_role(me) {
                        Some(Some(_)) => Some(view! { <a href="/account" rel="external" data-testid="account-link">"Account"</a> }.into_any()),
                        Some(None) => Some(view! { <a href="/sign-in" rel="external">"Sign in"</a> }.into_any()),
                        None => None,
                    }}
                </Transition>
            </nav>
        </header>
    }
}
