//! "A new version is ready" banner, shown when a new service worker is waiting.

use leptos::prelude::*;

use crate::sync_state::use_sync_state;

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let state = use_sync_state();
    let apply = move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::apply_update();
    };
    view! {
        <Show when=move || state.update_ready.get()>
            <div class="update-banner" role="status">
                <p>"A new version of Stillpoint is ready."</p>
                <button type="button" class="button button-small" on:click=apply>
                    "Update now"
                </button>
            </div>
        </Show>
    }
}
