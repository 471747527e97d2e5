//! Practice: integration exercises (built in a later issue).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PracticePage() -> impl IntoView {
    view! {
        <Title text="Practice · Stillpoint" />
        <h1>"Practice"</h1>
        <section class="card">
            <p>"Soon you will find guided breathing, muscle relaxation and grounding exercises here."</p>
            <p>"Until then, your daily check-in is a good way to notice how you feel."</p>
        </section>
    }
}
