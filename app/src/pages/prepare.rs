//! Prepare: getting ready for a session (built in a later issue).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PreparePage() -> impl IntoView {
    view! {
        <Title text="Prepare · Stillpoint" />
        <h1>"Prepare"</h1>
        <section class="card">
            <p>"Soon you will find what to expect before each session here, and a short checklist to help you get ready."</p>
            <p>"If you have questions now, write them down and bring them to your therapist."</p>
        </section>
    }
}
