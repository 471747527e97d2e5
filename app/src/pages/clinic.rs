//! The therapist's pages: their patients with the latest activity, inviting a patient, and
//! one patient's record with care-team and reset actions.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::clinic::{
    Colleague, PatientRecord, RosterItem, add_colleague, get_patient_record, invite_patient,
    issue_reset_link, list_my_patients, list_therapists,
};
use crate::api::entries::EntryView;
use crate::api::sessions::{SessionWithReadiness, list_patient_sessions};
use crate::components::{
    FormStatus, OneTimeLinkCard, SignInPrompt, error_text, format_date, me_role, use_me,
};
use crate::domain::account::Role;
use crate::pages::clinic_sessions::PatientSessions;
use crate::sync_state::use_sync_state;

/// Renders `inner` for a signed-in therapist, and an explanation for anyone else.
fn for_therapist<V: IntoView + 'static>(
    inner: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let me = use_me();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || match me_role(me) {
                Some(Some(Role::Therapist)) => inner().into_any(),
                Some(None) => view! { <SignInPrompt /> }.into_any(),
                Some(Some(_)) => view! { <p class="card">"This page is for therapists."</p> }.into_any(),
                None => view! { <p class="card">"Could not reach the server. Check your connection."</p> }.into_any(),
            }}
        </Suspense>
    }
}

#[component]
pub fn ClinicPage() -> impl IntoView {
    view! {
        <Title text="Your patients · Stillpoint" />
        <h1>"Your patients"</h1>
        {for_therapist(|| view! { <Roster /> <InvitePatient /> })}
    }
}

#[component]
fn Roster() -> impl IntoView {
    let patients = Resource::new(|| (), |_| list_my_patients());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || patients.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! {
                    <p class="card">"No patients yet. Invite one below."</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="roster" data-testid="roster">{list.into_iter().map(|p| view! { <RosterEntry patient=p /> }).collect_view()}</ul>
                }.into_any(),
                Err(err) => view! { <p class="card" role="alert">{error_text(&err)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RosterEntry(patient: RosterItem) -> impl IntoView {
    let last = match patient.last_recorded_at {
        Some(at) => format!("Last check-in {}", format_date(at)),
        None => "No check-ins yet".to_string(),
    };
    let count = match patient.entry_count {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    view! {
        <li class="card roster-entry">
            <a href=format!("/clinic/patients/{}", patient.id) class="roster-link">
                <strong>{patient.display_name.clone()}</strong>
            </a>
            <p class="hint">{last} " · " {count} {(!patient.active).then_some(" · deactivated")}</p>
        </li>
    }
}

#[component]
fn InvitePatient() -> impl IntoView {
    let sync = use_sync_state();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let link = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match invite_patient(name.get_untracked()).await {
                Ok(created) => {
                    message.set(None);
                    name.set(String::new());
                    link.set(Some(created));
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    view! {
        <section class="card">
            <h2>"Invite a patient"</h2>
            <p>"The patient opens the link on their phone, or scans the code, and chooses a password. They join your care team."</p>
            <form class="stack-form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="patient-name">"Patient's name"</label>
                    <input id="patient-name" name="display_name" type="text" autocomplete="off"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button" disabled=move || !sync.ready.get()>"Create invitation"</button>
                <FormStatus message />
            </form>
            {move || link.get().map(|link| view! { <OneTimeLinkCard link heading="Invitation for your patient" /> })}
        </section>
    }
}

#[component]
pub fn ClinicPatientPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let refresh = RwSignal::new(0u32);
    // Outcome of the last session action; lives here so it survives the reload that follows.
    let notice = RwSignal::new(None::<(bool, String)>);
    // One resource for the record and the sessions: a second, nested one would stream as a
    // nested fragment, which hydration does not match.
    let record = Resource::new(
        move || (id(), refresh.get()),
        |(id, _)| async move {
            let record = get_patient_record(id.clone()).await?;
            let sessions = list_patient_sessions(id).await;
            let therapists = list_therapists().await.unwrap_or_default();
            Ok::<_, crate::error::AppError>((record, sessions, therapists))
        },
    );
    view! {
        <Title text="Patient · Stillpoint" />
        <p><a href="/clinic">"← Your patients"</a></p>
        {for_therapist(move || view! {
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || record.get().map(|result| match result {
                    Ok((record, sessions, therapists)) => view! { <Record record sessions therapists refresh notice /> }.into_any(),
                    Err(err) => view! {
                        <h1>"Patient not found"</h1>
                        <p class="card" data-testid="record-problem">{error_text(&err)} " This patient is not on your care team, or does not exist."</p>
                    }.into_any(),
                })}
            </Suspense>
        })}
    }
}

#[component]
fn Record(
    record: PatientRecord,
    sessions: Result<Vec<SessionWithReadiness>, crate::error::AppError>,
    therapists: Vec<Colleague>,
    refresh: RwSignal<u32>,
    notice: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let entries = record.entries.clone();
    let team = record.care_team.clone();
    view! {
        <h1>{record.display_name.clone()}</h1>
        <p class="hint">{record.username.clone()} {(!record.active).then_some(" · deactivated")}</p>
        <PatientSessions patient_id=record.id.clone() sessions refresh notice />
        <section class="card">
            <h2>"Check-ins and entries"</h2>
            {if entries.is_empty() {
                view! { <p>"No check-ins yet."</p> }.into_any()
            } else {
                view! { <ul class="entry-list" data-testid="record-entries">{entries.into_iter().map(|e| view! { <RecordEntry entry=e /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Care team"</h2>
            <ul>{team.into_iter().map(|t| view! { <li>{t.display_name} " (" {t.username} ")"</li> }).collect_view()}</ul>
            <AddColleague patient_id=record.id.clone() therapists refresh />
        </section>
        <ResetLink patient_id=record.id />
    }
}

#[component]
fn RecordEntry(entry: EntryView) -> impl IntoView {
    let when = format_date(entry.recorded_at);
    let late = entry.late.then_some(" · sent late from offline");
    match entry.check_in {
        Some(c) => {
            let mood = c.mood_label();
            view! {
                <li class="card entry">
                    <p class="entry-when">{when} {late}</p>
                    <p>{format!("Anxiety {} of 10 · Mood: {} · Slept {} hours", c.anxiety, mood, c.sleep_hours)}</p>
                    {c.note.map(|note| view! { <p class="entry-note">{note}</p> })}
                </li>
            }.into_any()
        }
        None => view! {
            <li class="card entry">
                <p class="entry-when">{when} {late}</p>
                <p>{entry.summary.unwrap_or(entry.kind)}</p>
            </li>
        }
        .into_any(),
    }
}

#[component]
fn AddColleague(
    patient_id: String,
    therapists: Vec<Colleague>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let patient_id = StoredValue::new(patient_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match add_colleague(patient_id.get_value(), choice.get_untracked()).await {
                Ok(()) => {
                    message.set(Some((true, "Added to the care team.".into())));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    view! {
        <form class="stack-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="colleague">"Add a colleague to this care team"</label>
                <select id="colleague" on:change=move |ev| choice.set(event_target_value(&ev))>
                    <option value="">"Choose a therapist"</option>
                    {therapists.into_iter().map(|t| view! {
                        <option value=t.username.clone()>{t.display_name} " (" {t.username.clone()} ")"</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">"Add to care team"</button>
            <FormStatus message />
        </form>
    }
}

#[component]
fn ResetLink(patient_id: String) -> impl IntoView {
    let message = RwSignal::new(None::<(bool, String)>);
    let link = RwSignal::new(None);
    let patient_id = StoredValue::new(patient_id);
    let create = move |_| {
        leptos::task::spawn_local(async move {
            match issue_reset_link(patient_id.get_value()).await {
                Ok(created) => link.set(Some(created)),
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    view! {
        <section class="card">
            <h2>"Forgotten password"</h2>
            <p>"Create a link the patient can use once, within a day, to choose a new password."</p>
            <button type="button" class="button secondary" on:click=create>"Create a reset link"</button>
            <FormStatus message />
            {move || link.get().map(|link| view! { <OneTimeLinkCard link heading="Reset link" /> })}
        </section>
    }
}
