//! The signed-in person's own page: profile, care team, a download of all their data, and
//! signing out here or everywhere.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::{Me, sign_out, sign_out_everywhere};
use crate::api::export::EXPORT_PATH;
use crate::components::{FormStatus, SignInPrompt, error_text, go_to, use_me};
use crate::domain::account::Role;
use crate::sync_state::use_sync_state;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = use_me();
    view! {
        <Title text="Your account · Stillpoint" />
        <h1>"Your account"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || me.0.get().map(|result| match result {
                Ok(Some(me)) => view! { <Profile me /> }.into_any(),
                Ok(None) => view! { <SignInPrompt /> }.into_any(),
                Err(err) => view! { <p class="card">{error_text(&err)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Profile(me: Me) -> impl IntoView {
    let sync = use_sync_state();
    let message = RwSignal::new(None::<(bool, String)>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let is_patient = me.role == Role::Patient;

    let run = move |everywhere: bool| {
        let waiting = sync.pending.get_untracked().unwrap_or(0);
        if is_patient && waiting > 0 && !confirming.get_untracked() {
            confirming.set(true);
            message.set(Some((false, format!(
                "{waiting} of your entries have not reached your clinic yet. Signing out deletes them from this phone. Press the button again to sign out anyway, or wait until you are online."
            ))));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = if everywhere {
                sign_out_everywhere().await
            } else {
                sign_out().await
            };
            match result {
                Ok(()) => go_to("/sign-in"),
                Err(err) => {
                    message.set(Some((false, error_text(&err))));
                    busy.set(false);
                }
            }
        });
    };

    let care_team = me.care_team.clone();
    view! {
        <section class="card">
            <h2>"Profile"</h2>
            <dl class="facts">
                <dt>"Name"</dt><dd data-testid="profile-name">{me.display_name.clone()}</dd>
                <dt>"Sign-in name"</dt><dd>{me.username.clone()}</dd>
                <dt>"Role"</dt><dd>{me.role.label()}</dd>
                <dt>"Member since"</dt><dd>{crate::components::format_date(me.created_at)}</dd>
            </dl>
            {is_patient.then(|| view! {
                <h3>"Your care team"</h3>
                {if care_team.is_empty() {
                    view! { <p>"No therapist yet."</p> }.into_any()
                } else {
                    view! { <ul>{care_team.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul> }.into_any()
                }}
            })}
        </section>
        <section class="card">
            <h2>"Your data"</h2>
            <p>"Download everything Stillpoint holds about you, as a file you can keep."</p>
            <a class="button secondary" href=EXPORT_PATH download="stillpoint-my-data.json" rel="external">"Download my data"</a>
        </section>
        <section class="card">
            <h2>"Sign out"</h2>
            <p>"Signing out removes your saved pages and anything not yet sent from this device."</p>
            <div class="button-row">
                <button type="button" class="button" data-testid="sign-out" disabled=move || busy.get() || !sync.ready.get()
                    on:click=move |_| run(false)>"Sign out"</button>
                <button type="button" class="button secondary" data-testid="sign-out-everywhere" disabled=move || busy.get() || !sync.ready.get()
                    on:click=move |_| run(true)>"Sign out on all devices"</button>
            </div>
            <FormStatus message />
        </section>
    }
}
