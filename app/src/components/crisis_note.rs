//! The honest note shown next to free text and risk answers.

use leptos::prelude::*;

/// Tells the patient the clinic may not read this right away, and where help is.
#[component]
pub fn CrisisNote() -> impl IntoView {
    view! {
        <p class="crisis-note">
            "Your care team may not see this right away. If you are in danger now, "
            <a href="/crisis" rel="external">"get help now"</a>
            "."
        </p>
    }
}
