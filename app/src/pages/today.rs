//! Today: the next session with its countdown, integration prompts that are due, the daily
//! check-in, and whether everything is sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::preparation::{DuePrompts, NextSessionCard, plan_resource};
use crate::components::{PatientArea, SyncStatus};

#[component]
pub fn TodayPage() -> impl IntoView {
    view! {
        <Title text="Today · Stillpoint" />
        <h1>"Today"</h1>
        <PatientArea>
            <TodayCards />
        </PatientArea>
    }
}

#[component]
fn TodayCards() -> impl IntoView {
    let plan = plan_resource();
    view! {
        <DuePrompts plan />
        <NextSessionCard plan />
        <section class="card">
            <h2>"Daily check-in"</h2>
            <p>"Take half a minute to note how you are doing. It helps you and your therapist see how things change."</p>
            <A href="/check-in" attr:class="button">"Check in now"</A>
        </section>
        <SyncStatus />
    }
}
