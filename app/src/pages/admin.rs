//! The admin's page: invite therapists, manage accounts, read the audit log.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{
    AuditView, UserSummary, deactivate_user, delete_patient, invite_therapist, list_audit,
    list_users,
};
use crate::api::clinic::issue_reset_link;
use crate::components::{
    FormStatus, OneTimeLinkCard, SignInPrompt, error_text, format_date, me_role, use_me,
};
use crate::domain::account::Role;
use crate::sync_state::use_sync_state;

#[component]
pub fn AdminPage() -> impl IntoView {
    let me = use_me();
    view! {
        <Title text="Admin · Stillpoint" />
        <h1>"Clinic admin"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || match me_role(me) {
                Some(Some(Role::Admin)) => view! { <InviteTherapist /> <People /> <AuditLog /> }.into_any(),
                Some(None) => view! { <SignInPrompt /> }.into_any(),
                Some(Some(_)) => view! { <p class="card">"This page is for clinic admins."</p> }.into_any(),
                None => view! { <p class="card">"Could not reach the server. Check your connection."</p> }.into_any(),
            }}
        </Suspense>
    }
}

#[component]
fn InviteTherapist() -> impl IntoView {
    let sync = use_sync_state();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let link = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match invite_therapist(name.get_untracked()).await {
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
            <h2>"Invite a therapist"</h2>
            <form class="stack-form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="therapist-name">"Therapist's name"</label>
                    <input id="therapist-name" name="display_name" type="text" autocomplete="off"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button" disabled=move || !sync.ready.get()>"Create invitation link"</button>
                <FormStatus message />
            </form>
            {move || link.get().map(|link| view! { <OneTimeLinkCard link heading="Invitation link" /> })}
        </section>
    }
}

#[component]
fn People() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let users = Resource::new(move || refresh.get(), |_| list_users());
    let message = RwSignal::new(None::<(bool, String)>);
    let link = RwSignal::new(None);
    view! {
        <section class="card">
            <h2>"People"</h2>
            <FormStatus message />
            {move || link.get().map(|link| view! { <OneTimeLinkCard link heading="Password reset link" /> })}
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || users.get().map(|result| match result {
                    Ok(list) => view! {
                        <ul class="people" data-testid="people">
                            {list.into_iter().map(|user| view! { <Person user refresh message link /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <p>{error_text(&err)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Person(
    user: UserSummary,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<(bool, String)>>,
    link: RwSignal<Option<crate::api::OneTimeLink>>,
) -> impl IntoView {
    let deleting = RwSignal::new(false);
    let confirm = RwSignal::new(String::new());
    let id = StoredValue::new(user.id.clone());
    let name = user.display_name.clone();
    let deactivate = move |_| {
        leptos::task::spawn_local(async move {
            match deactivate_user(id.get_value()).await {
                Ok(()) => {
                    message.set(Some((
                        true,
                        "Account deactivated. Its sessions have ended.".into(),
                    )));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    let reset = move |_| {
        leptos::task::spawn_local(async move {
            match issue_reset_link(id.get_value()).await {
                Ok(created) => {
                    message.set(None);
                    link.set(Some(created));
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            match delete_patient(id.get_value(), confirm.get_untracked()).await {
                Ok(()) => {
                    message.set(Some((
                        true,
                        "The patient and their data were deleted.".into(),
                    )));
                    refresh.update(|n| *n += 1);
                }
                Err(err) => message.set(Some((false, error_text(&err)))),
            }
        });
    };
    let is_patient = user.role == Role::Patient;
    let active = user.active;
    let field_id = format!("confirm-{}", user.id);
    view! {
        <li class="person" data-username=user.username.clone()>
            <p class="person-name"><strong>{name.clone()}</strong> " · " {user.username.clone()}</p>
            <p class="hint">{user.role.label()} " · " {if active { "active" } else { "deactivated" }} " · since " {format_date(user.created_at)}</p>
            {active.then(|| view! {
                <div class="button-row">
                    <button type="button" class="button secondary small" on:click=deactivate aria-label=format!("Deactivate {name}")>"Deactivate"</button>
                    <button type="button" class="button secondary small" on:click=reset aria-label=format!("Reset link for {name}")>"Reset link"</button>
                </div>
            })}
            {is_patient.then(|| view! {
                <button type="button" class="button danger small" on:click=move |_| deleting.update(|d| *d = !*d)>"Delete patient…"</button>
                <Show when=move || deleting.get()>
                    <form class="stack-form" on:submit=delete novalidate>
                        <label for=field_id.clone()>"This deletes the patient and all their entries for good. Type their sign-in name to confirm."</label>
                        <input id=field_id.clone() type="text" autocomplete="off" autocapitalize="none"
                            prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev)) />
                        <button type="submit" class="button danger">"Delete for good"</button>
                    </form>
                </Show>
            })}
        </li>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let actor = RwSignal::new(String::new());
    let patient = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let query = RwSignal::new((String::new(), String::new(), String::new(), String::new()));
    let rows = Resource::new(move || query.get(), |(a, p, f, u)| list_audit(a, p, f, u));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set((
            actor.get_untracked(),
            patient.get_untracked(),
            from.get_untracked(),
            until.get_untracked(),
        ));
    };
    view! {
        <section class="card">
            <h2>"Audit log"</h2>
            <form class="filter-form" on:submit=on_submit novalidate>
                <div class="field"><label for="audit-actor">"Who (sign-in name)"</label>
                    <input id="audit-actor" type="text" autocapitalize="none" prop:value=move || actor.get() on:input=move |ev| actor.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="audit-patient">"Patient (sign-in name)"</label>
                    <input id="audit-patient" type="text" autocapitalize="none" prop:value=move || patient.get() on:input=move |ev| patient.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="audit-from">"From"</label>
                    <input id="audit-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="audit-until">"Until"</label>
                    <input id="audit-until" type="date" prop:value=move || until.get() on:input=move |ev| until.set(event_target_value(&ev)) /></div>
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || rows.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! { <p>"No audit rows match."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="audit" data-testid="audit">{list.into_iter().map(|row| view! { <AuditItem row /> }).collect_view()}</ul>
                    }.into_any(),
                    Err(err) => view! { <p role="alert">{error_text(&err)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditItem(row: AuditView) -> impl IntoView {
    let who = if row.actor.is_empty() {
        "anonymous".to_string()
    } else {
        row.actor.clone()
    };
    view! {
        <li class=if row.outcome == "denied" { "audit-row denied" } else { "audit-row" }>
            <p><strong>{row.action.clone()}</strong> " · " {row.outcome.clone()}</p>
            <p class="hint">
                {format_date(row.at)} " · " {who}
                {(!row.patient.is_empty()).then(|| format!(" · patient {}", row.patient))}
                {(!row.detail.is_empty()).then(|| format!(" · {}", row.detail))}
            </p>
        </li>
    }
}
