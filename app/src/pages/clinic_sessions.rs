//! The therapist's view of a patient's dosing sessions: schedule, reschedule, cancel, and
//! each upcoming session's readiness.

use leptos::prelude::*;

use crate::api::sessions::{
    NOTE_MAX, SessionWithReadiness, cancel_session, reschedule_session, schedule_session,
};
use crate::components::preparation::readiness_line;
use crate::components::{FormStatus, error_text};
use crate::domain::preparation::{ItemState, Readiness, Route};
use crate::error::AppError;
use crate::sync_state::use_sync_state;

/// The browser's own time zone, e.g. "Europe/London" (empty while rendering on the server).
fn browser_time_zone() -> String {
    #[cfg(feature = "hydrate")]
    {
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        if let Some(zone) = js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string())
        {
            return zone;
        }
    }
    String::new()
}

#[component]
pub fn PatientSessions(
    patient_id: String,
    sessions: Result<Vec<SessionWithReadiness>, AppError>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let list = match sessions {
        Ok(list) => {
            let (upcoming, rest): (Vec<_>, Vec<_>) = list
                .into_iter()
                .partition(|s| !s.past && !s.session.cancelled);
            let upcoming_view = if upcoming.is_empty() {
                view! { <p>"No upcoming session."</p> }.into_any()
            } else {
                view! {
                    <ul class="session-list">
                        {upcoming.into_iter().map(|s| view! { <UpcomingSession item=s refresh notice /> }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            let rest_view = (!rest.is_empty()).then(|| {
                view! {
                    <details class="past-sessions">
                        <summary>"Past and cancelled sessions"</summary>
                        <ul>
                            {rest.into_iter().rev().map(|s| view! {
                                <li>
                                    {s.session.when.clone()} " · " {s.session.route.label()}
                                    {s.session.cancelled.then_some(" · cancelled")}
                                </li>
                            }).collect_view()}
                        </ul>
                    </details>
                }
                .into_any()
            });
            view! { {upcoming_view} {rest_view} }.into_any()
        }
        Err(err) => view! { <p role="alert">{error_text(&err)}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="sessions-title" data-testid="sessions">
            <h2 id="sessions-title">"Dosing sessions"</h2>
            <FormStatus message=notice />
            {list}
            <ScheduleForm patient_id refresh notice />
        </section>
    }
}

/// Fields shared by the schedule and reschedule forms.
#[derive(Clone, Copy)]
struct WhenFields {
    starts_at: RwSignal<String>,
    time_zone: RwSignal<String>,
    route: RwSignal<String>,
    location: RwSignal<String>,
}

impl WhenFields {
    fn new(starts_at: String, time_zone: String, route: String, location: String) -> Self {
        Self {
            starts_at: RwSignal::new(starts_at),
            time_zone: RwSignal::new(time_zone),
            route: RwSignal::new(route),
            location: RwSignal::new(location),
        }
    }
}

#[component]
fn WhenInputs(fields: WhenFields, prefix: String) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        <div class="field">
            <label for=id("start")>"Date and time"</label>
            <input id=id("start") type="datetime-local" required
                prop:value=move || fields.starts_at.get() on:input=move |ev| fields.starts_at.set(event_target_value(&ev)) />
        </div>
        <div class="field">
            <label for=id("zone")>"Time zone"</label>
            <input id=id("zone") type="text" autocomplete="off" spellcheck="false" aria-describedby=id("zone-hint")
                prop:value=move || fields.time_zone.get() on:input=move |ev| fields.time_zone.set(event_target_value(&ev)) />
            <p class="hint" id=id("zone-hint")>"A name like America/New_York. Your browser's zone is filled in."</p>
        </div>
        <div class="field">
            <label for=id("route")>"How the medicine is given"</label>
            <select id=id("route") on:change=move |ev| fields.route.set(event_target_value(&ev))
                prop:value=move || fields.route.get()>
                <option value="">"Choose"</option>
                {Route::ALL.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || fields.route.get() == r.as_str()>{r.label()}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=id("place")>"Where (optional)"</label>
            <input id=id("place") type="text" maxlength=NOTE_MAX.to_string()
                prop:value=move || fields.location.get() on:input=move |ev| fields.location.set(event_target_value(&ev)) />
        </div>
    }
    .into_any()
}

#[component]
fn ScheduleForm(
    patient_id: String,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let sync = use_sync_state();
    let fields = WhenFields::new(String::new(), String::new(), String::new(), String::new());
    Effect::new(move |_| {
        if fields.time_zone.get_untracked().is_empty() {
            fields.time_zone.set(browser_time_zone());
        }
    });
    let message = RwSignal::new(None::<(bool, String)>);
    let patient_id = StoredValue::new(patient_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match schedule_session(
                patient_id.get_value(),
                fields.starts_at.get_untracked(),
                fields.time_zone.get_untracked(),
                fields.route.get_untracked(),
                fields.location.get_untracked(),
            )
            .await
            {
                Ok(session) => {
                    message.set(None);
                    notice.set(Some((true, format!("Scheduled for {}.", session.when))));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    view! {
        <form class="stack-form schedule-form" on:submit=on_submit novalidate>
            <h3>"Schedule a session"</h3>
            <WhenInputs fields prefix="schedule".to_string() />
            <button type="submit" class="button" disabled=move || !sync.ready.get()>"Schedule session"</button>
            <FormStatus message />
        </form>
    }
}

#[component]
fn UpcomingSession(
    item: SessionWithReadiness,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let session = item.session.clone();
    let session_id = StoredValue::new(session.id.clone());
    let fields = WhenFields::new(
        session.local_input.clone(),
        session.time_zone.clone(),
        session.route.as_str().to_string(),
        session.location_note.clone(),
    );
    let message = RwSignal::new(None::<(bool, String)>);
    let reason = RwSignal::new(String::new());
    let reschedule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match reschedule_session(
                session_id.get_value(),
                fields.starts_at.get_untracked(),
                fields.time_zone.get_untracked(),
                fields.route.get_untracked(),
                fields.location.get_untracked(),
            )
            .await
            {
                Ok(moved) => {
                    notice.set(Some((true, format!("Moved to {}.", moved.when))));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    let when_text = StoredValue::new(session.when.clone());
    let cancel = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match cancel_session(session_id.get_value(), reason.get_untracked()).await {
                Ok(()) => {
                    notice.set(Some((
                        true,
                        format!("The session on {} was cancelled.", when_text.get_value()),
                    )));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    let prefix = format!("s-{}", session.id);
    // Each part is type-erased so the page's view type stays shallow enough to compile.
    let reschedule_form = view! {
        <details>
            <summary>"Reschedule"</summary>
            <form class="stack-form" on:submit=reschedule novalidate>
                <WhenInputs fields prefix=prefix.clone() />
                <button type="submit" class="button secondary">"Save new time"</button>
            </form>
        </details>
    }
    .into_any();
    let reason_id = format!("{prefix}-reason");
    let cancel_form = view! {
        <details>
            <summary>"Cancel this session"</summary>
            <form class="stack-form" on:submit=cancel novalidate>
                <div class="field">
                    <label for=reason_id.clone()>"Reason the patient will see (optional)"</label>
                    <input id=reason_id type="text" maxlength=NOTE_MAX.to_string()
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button danger">"Cancel session"</button>
            </form>
        </details>
    }
    .into_any();
    let readiness = item
        .readiness
        .map(|r| view! { <ReadinessView readiness=r /> }.into_any());
    view! {
        <li class="session-item" data-testid="upcoming-session">
            <p class="session-when"><strong>{session.when.clone()}</strong></p>
            <p class="hint">{session.route.label()} {(!session.location_note.is_empty()).then(|| format!(" · {}", session.location_note))}</p>
            {readiness}
            {reschedule_form}
            {cancel_form}
            <FormStatus message />
        </li>
    }
    .into_any()
}

#[component]
fn ReadinessView(readiness: Readiness) -> impl IntoView {
    let line = readiness_line(&readiness);
    let class = if readiness.ready {
        "readiness-box ready"
    } else {
        "readiness-box"
    };
    view! {
        <div class=class data-testid="therapist-readiness">
            <p><strong>"Readiness: "</strong>{line}</p>
            <ul class="readiness-items">
                {readiness.items.iter().map(|item| {
                    let state = match item.state {
                        ItemState::Done => "done",
                        ItemState::ToDo => "to do",
                        ItemState::OnTheDay => "on the day",
                    };
                    view! { <li>{item.key.label()} ": " {state}</li> }
                }).collect_view()}
            </ul>
            <p class="hint">{format!("Guides read: {} of {}", readiness.modules_read, readiness.modules_total)}
                {(!readiness.modules_updated.is_empty()).then(|| format!(" ({} updated since read)", readiness.modules_updated.len()))}</p>
            {readiness.intention.clone().map(|text| view! { <p>"Intention: " {text}</p> })}
            {(!readiness.questions.is_empty()).then(|| view! {
                <p>"Questions:"</p>
                <ul>{readiness.questions.iter().map(|q| view! { <li>{q.clone()}</li> }).collect_view()}</ul>
            })}
        </div>
    }
    .into_any()
}
