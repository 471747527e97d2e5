//! Bottom navigation between the patient's areas.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{me_role, use_me};
use crate::domain::account::Role;

/// One tab per area. `A` marks the current one with `aria-current="page"`. Shown to patients,
/// and to a phone that cannot reach the server (offline); not to staff or signed-out visitors.
#[component]
pub fn BottomNav() -> impl IntoView {
    let me = use_me();
    view! {
        <Transition>
            {move || matches!(me_role(me), Some(Some(Role::Patient)) | None).then(tabs)}
        </Transition>
    }
}

fn tabs() -> impl IntoView {
    view! {
        <nav class="bottom-nav" aria-label="Main">
            <A href="/" exact=true>
                <svg aria-hidden="true" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4" /><path d="M12 2v3M12 19v3M2 12h3M19 12h3" /></svg>
                <span>"Today"</span>
            </A>
            <A href="/prepare">
                <svg aria-hidden="true" viewBox="0 0 24 24"><path d="M5 4h10l4 4v12H5z" /><path d="M9 12h6M9 16h6" /></svg>
                <span>"Prepare"</span>
            </A>
            <A href="/practice">
                <svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 12c3-6 5-6 8 0s5 6 8 0" /></svg>
                <span>"Practice"</span>
            </A>
            <A href="/check-in">
                <svg aria-hidden="true" viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" rx="3" /><path d="M8 12l3 3 5-6" /></svg>
                <span>"Check-in"</span>
            </A>
            <A href="/history">
                <svg aria-hidden="true" viewBox="0 0 24 24"><path d="M4 19h16M7 16V10M12 16V6M17 16v-4" /></svg>
                <span>"History"</span>
            </A>
        </nav>
    }
}
