//! Pieces Today and Prepare share: the patient's plan and the modules (loaded from the server,
//! or from the copy kept on the phone when offline), a clock for countdowns, the next-session
//! card and the integration prompts that are due.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::prepare::{MyPlan, SessionView, get_my_plan, get_prepare_content};
use crate::components::{CrisisNote, FormStatus};
use crate::content::ModuleContent;
use crate::domain::EntryKind;
use crate::domain::preparation::{
    IntegrationReflection, PROMPT_SHOWN_FOR_MS, PrepFact, PromptKey, REFLECTION_MAX, Readiness,
    compute_readiness, countdown, merge_facts, prompt_answered,
};
use crate::error::AppError;
use crate::sync_state::{SyncState, use_sync_state};

pub type PlanResource = Resource<Result<MyPlan, AppError>>;
pub type ContentResource = Resource<Result<Vec<ModuleContent>, AppError>>;

/// Loads from the server; on the phone, falls back to the kept copy when offline.
async fn with_copy<T>(key: &'static str, result: Result<T, AppError>) -> Result<T, AppError>
where
    T: serde::Serialize + for<'de> serde::Deserialize<'de>,
{
    #[cfg(feature = "hydrate")]
    if matches!(result, Err(AppError::Unavailable))
        && let Some(copy) = send_wrapper::SendWrapper::new(crate::client::read_copy::<T>(key)).await
    {
        return Ok(copy);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
    result
}

/// Keeps a copy of whatever `resource` loaded (also when it came with the page's HTML).
fn keep_copies<T>(key: &'static str, resource: Resource<Result<T, AppError>>)
where
    T: serde::Serialize + for<'de> serde::Deserialize<'de> + Clone + Send + Sync + 'static,
{
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(value)) = resource.get() {
            leptos::task::spawn_local(async move { crate::client::keep_copy(key, &value).await });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, resource);
}

/// The patient's plan, loaded once per page. What the patient does on the page shows at once
/// from the outbox (and, once sent, from `SyncState::sent`), so the plan is not reloaded after
/// a sync: reloading would rebuild the page under the patient's fingers.
pub fn plan_resource() -> PlanResource {
    let plan = Resource::new(
        || (),
        |_| async { with_copy("plan", get_my_plan().await).await },
    );
    keep_copies("plan", plan);
    plan
}

/// Every module with its text.
pub fn content_resource() -> ContentResource {
    let content = Resource::new(
        || (),
        |_| async { with_copy("content", get_prepare_content().await).await },
    );
    keep_copies("content", content);
    content
}

/// The time now, for countdowns: the server's time while rendering, then the phone's clock,
/// refreshed every 30 seconds.
pub fn clock() -> RwSignal<Option<i64>> {
    let now = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        now.set(Some(js_sys::Date::now() as i64));
        if let Ok(handle) = set_interval_with_handle(
            move || now.set(Some(js_sys::Date::now() as i64)),
            std::time::Duration::from_secs(30),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    now
}

/// Everything the patient did, as the server has it plus what is on this phone.
pub fn all_facts(plan: &MyPlan, sync: SyncState) -> Vec<PrepFact> {
    merge_facts(&[&plan.facts, &sync.local_facts()])
}

/// The session to prepare for: the first one not cancelled that has not ended (a session is
/// still "next" for three hours after it starts).
pub fn next_session(plan: &MyPlan, now: i64) -> Option<SessionView> {
    plan.sessions
        .iter()
        .find(|s| !s.cancelled && s.starts_at + 3 * 3_600_000 > now)
        .cloned()
}

pub fn readiness_for(plan: &MyPlan, session: &SessionView, sync: SyncState, now: i64) -> Readiness {
    compute_readiness(&session.times, &plan.modules, &all_facts(plan, sync), now)
}

/// Date, time, route, place and countdown of a session.
#[component]
pub fn SessionSummary(session: SessionView, now: Signal<i64>) -> impl IntoView {
    let starts_at = session.starts_at;
    view! {
        <p class="session-when" data-testid="session-when">{session.when.clone()}</p>
        <p class="countdown" data-testid="countdown">
            {move || countdown(starts_at, now.get())}
        </p>
        <p class="hint">{session.route.label()}</p>
        {(!session.location_note.is_empty()).then(|| view! { <p class="hint">"Where: " {session.location_note.clone()}</p> })}
    }
}

/// "4 of 5 steps done", or that everything that can be done is done.
pub fn readiness_line(r: &Readiness) -> String {
    let total = r.items.len();
    if r.ready && r.done_count() == total {
        format!("All {total} steps done. You are ready.")
    } else if r.ready {
        format!(
            "{} of {total} steps done. The last step is on the day.",
            r.done_count()
        )
    } else {
        format!("{} of {total} steps done.", r.done_count())
    }
}

/// The next session on Today, with its countdown and how ready the patient is.
#[component]
pub fn NextSessionCard(plan: PlanResource) -> impl IntoView {
    let sync = use_sync_state();
    let clock = clock();
    view! {
        <Transition fallback=|| view! { <section class="card"><h2>"Your next session"</h2><p>"Loading…"</p></section> }>
            {move || plan.get().map(|result| match result {
                Ok(plan) => {
                    let now = Signal::derive({
                        let server_now = plan.now;
                        move || clock.get().unwrap_or(server_now)
                    });
                    match next_session(&plan, now.get_untracked()) {
                        Some(session) => {
                            let readiness = {
                                let plan = plan.clone();
                                let session = session.clone();
                                move || readiness_line(&readiness_for(&plan, &session, sync, now.get()))
                            };
                            view! {
                                <section class="card next-session" data-testid="next-session">
                                    <h2>"Your next session"</h2>
                                    <SessionSummary session now />
                                    <p aria-live="polite" data-testid="readiness-line">{readiness}</p>
                                    <A href="/prepare" attr:class="button">"Get ready"</A>
                                </section>
                            }.into_any()
                        }
                        None => view! {
                            <section class="card">
                                <h2>"Your next session"</h2>
                                <p>"When your therapist schedules a session, it will show here."</p>
                            </section>
                        }.into_any(),
                    }
                }
                Err(_) => view! {
                    <section class="card">
                        <h2>"Your next session"</h2>
                        <p>"Your sessions could not be loaded right now. If you are offline, they will show when you are back online."</p>
                    </section>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Integration prompts that are due and not yet answered.
#[component]
pub fn DuePrompts(
    plan: PlanResource,
    /// The thank-you, kept by the page so it stays after the answered prompt leaves.
    thanks: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let sync = use_sync_state();
    let clock = clock();
    // Prompts that are due now and not answered, keyed so that a clock tick or an answer
    // elsewhere never rebuilds a card someone is typing in.
    let due = move || -> Vec<(SessionView, PromptKey)> {
        let Some(Ok(plan)) = plan.get() else {
            return Vec::new();
        };
        let now = clock.get().unwrap_or(plan.now);
        let facts = all_facts(&plan, sync);
        plan.sessions
            .iter()
            .filter(|s| !s.cancelled)
            .flat_map(|s| s.prompts.iter().map(move |p| (s, p)))
            .filter(|(s, p)| {
                p.due_at <= now
                    && now < p.due_at + PROMPT_SHOWN_FOR_MS
                    && !prompt_answered(&facts, &s.id, p.key)
            })
            .map(|(s, p)| (s.clone(), p.key))
            .collect()
    };
    view! {
        <FormStatus message=thanks />
        <Transition>
            <For each=due key=|(s, k)| (s.id.clone(), k.days()) let:item>
                <PromptCard session=item.0 key=item.1 thanks />
            </For>
        </Transition>
    }
}

/// One integration prompt with its answer box.
#[component]
fn PromptCard(
    session: SessionView,
    key: PromptKey,
    thanks: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let sync = use_sync_state();
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let field_id = format!("reflection-{}-{}", session.id, key.days());
    let session_id = StoredValue::new(session.id.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = IntegrationReflection {
            session_id: session_id.get_value(),
            prompt: key,
            text: text.get_untracked(),
        };
        match entry.validate() {
            Ok(valid) => save(
                EntryKind::IntegrationReflection,
                &valid,
                thanks,
                "Thank you for taking the time. Your answer is saved on this phone.",
            ),
            Err(rejection) => message.set(Some((false, rejection.reason))),
        }
    };
    view! {
        <section class="card prompt" data-testid="integration-prompt">
            <h2>{key.title()}</h2>
            <form class="stack-form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for=field_id.clone()>{key.question()}</label>
                    <textarea id=field_id rows="4" maxlength=REFLECTION_MAX.to_string()
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <CrisisNote />
                </div>
                <button type="submit" class="button" disabled=move || !sync.ready.get()>"Save your answer"</button>
                <FormStatus message />
            </form>
        </section>
    }
}

/// Saves an entry in the outbox (on the phone), then shows `done` or the problem.
pub fn save<T: serde::Serialize>(
    kind: EntryKind,
    value: &T,
    message: RwSignal<Option<(bool, String)>>,
    done: &'static str,
) {
    let payload = match serde_json::to_value(value) {
        Ok(payload) => payload,
        Err(_) => {
            message.set(Some((
                false,
                "This could not be saved. Please try again.".into(),
            )));
            return;
        }
    };
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        match crate::client::save_entry(kind, payload).await {
            Ok(()) => message.set(Some((true, done.to_string()))),
            Err(problem) => message.set(Some((false, problem))),
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (kind, payload, done);
}
