//! Today: the next session with its countdown, integration prompts that are due, the daily
//! check-in, and whether everything is sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::preparation::{DuePrompts, NextSessionCard, PlanResource, plan_resource};
use crate::components::{PatientArea, SyncStatus};

#[component]
pub fn TodayPage() -> impl IntoView {
    // Made here, outside the gate's reactive scope, so a sync that reloads the plan never
    // rebuilds the cards (and never loses what the patient is typing).
    let plan = plan_resource();
    let thanks = RwSignal::new(None::<(bool, String)>);
    view! {
        <Title text="Today · Stillpoint" />
        <h1>"Today"</h1>
        <PatientArea>
            <TodayCards plan thanks />
        </PatientArea>
    }
}

#[component]
fn TodayCards(plan: PlanResource, thanks: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    view! {
        <DuePrompts plan thanks />
        <NextSessionCard plan />
        <section class="card">
            <h2>"Daily check-in"</h2>
            <p>"Take half a minute to note how you are doing. It helps you and your therapist see how things change."</p>
            <A href="/check-in" attr:class="button">"Check in now"</A>
        </section>
        <SyncStatus />
    }
}
