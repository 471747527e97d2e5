//! Today: what to do now, and whether everything is sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::{PatientArea, SyncStatus};

#[component]
pub fn TodayPage() -> impl IntoView {
    view! {
        <Title text="Today · Stillpoint" />
        <h1>"Today"</h1>
        <PatientArea>
        <section class="card">
            <h2>"Daily check-in"</h2>
            <p>"Take half a minute to note how you are doing. It helps you and your therapist see how things change."</p>
            <A href="/check-in" attr:class="button">"Check in now"</A>
        </section>
        <section class="card">
            <h2>"Your next session"</h2>
            <p>"When your therapist schedules a session, it will show here."</p>
        </section>
        <SyncStatus />
        </PatientArea>
    }
}
