//! `/link/:token`: one page for every one-time link: creating the first admin, accepting an
//! invitation (therapist or patient), choosing a new password. Expired, used and unknown
//! links get a clear explanation.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::account::{LinkInfo, LinkPurpose, describe_link, redeem_link};
use crate::components::{FormStatus, error_text, go_to};
use crate::domain::account::{
    MIN_PASSWORD_CHARS, check_password_shape, normalize_display_name, normalize_username,
};
use crate::sync_state::use_sync_state;

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, describe_link);
    view! {
        <Title text="Your link · Stillpoint" />
        <Suspense fallback=|| view! { <p>"Checking your link…"</p> }>
            {move || {
                info.get().map(|result| match result {
                    Ok(LinkInfo::Valid { purpose, display_name, username, .. }) => {
                        view! { <LinkForm token=token() purpose display_name username /> }.into_any()
                    }
                    Ok(LinkInfo::Expired) => view! {
                        <LinkProblem heading="This link has expired" text="Links work for a limited time. Ask the person who sent it for a new one." />
                    }.into_any(),
                    Ok(LinkInfo::Used) => view! {
                        <LinkProblem heading="This link was used already" text="Each link works once. If you already made your account, sign in. Otherwise ask for a new link." />
                    }.into_any(),
                    Ok(LinkInfo::Unknown) => view! {
                        <LinkProblem heading="This link does not work" text="Check that you copied the whole link, or ask for a new one." />
                    }.into_any(),
                    Err(err) => view! { <LinkProblem heading="We could not check your link" text=error_text(&err) /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn LinkProblem(#[prop(into)] heading: String, #[prop(into)] text: String) -> impl IntoView {
    view! {
        <h1>{heading}</h1>
        <section class="card" data-testid="link-problem">
            <p>{text}</p>
            <a class="button" href="/sign-in" rel="external">"Go to sign in"</a>
        </section>
    }
}

#[component]
fn LinkForm(
    token: String,
    purpose: LinkPurpose,
    display_name: String,
    username: String,
) -> impl IntoView {
    let sync = use_sync_state();
    let is_reset = purpose == LinkPurpose::Reset;
    let (heading, intro) = match purpose {
        LinkPurpose::Setup => (
            "Create the first admin account",
            "This account runs Stillpoint for your clinic. Keep its password safe.",
        ),
        LinkPurpose::TherapistInvite => (
            "Join your clinic on Stillpoint",
            "Choose how you sign in. You will see the patients whose care team you are on.",
        ),
        LinkPurpose::PatientInvite => (
            "Welcome to Stillpoint",
            "Choose how you sign in. Only you and your care team can see what you share here.",
        ),
        LinkPurpose::Reset => (
            "Choose a new password",
            "After this, you will be signed out on your other devices.",
        ),
    };
    let name = RwSignal::new(display_name);
    let login = RwSignal::new(username.clone());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (|| {
            if !is_reset {
                normalize_display_name(&name.get_untracked()).map_err(|e| e.message)?;
                normalize_username(&login.get_untracked()).map_err(|e| e.message)?;
            }
            check_password_shape(&password.get_untracked(), &login.get_untracked())
                .map_err(|e| e.message)?;
            if password.get_untracked() != confirm.get_untracked() {
                return Err(
                    "The two passwords are not the same. Please type them again.".to_string(),
                );
            }
            Ok(())
        })();
        if let Err(text) = checked {
            message.set(Some((false, text)));
            return;
        }
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let result = redeem_link(
                token.get_value(),
                login.get_untracked(),
                name.get_untracked(),
                password.get_untracked(),
            )
            .await;
            match result {
                Ok(signed_in) => {
                    message.set(Some((true, "Done. Opening Stillpoint…".into())));
                    go_to(&signed_in.home);
                }
                Err(err) => {
                    message.set(Some((false, error_text(&err))));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <h1>{heading}</h1>
        <p class="lead">{intro}</p>
        <form class="stack-form" on:submit=on_submit novalidate data-testid="link-form">
            {(!is_reset).then(|| view! {
                <div class="field">
                    <label for="display-name">"Your name"</label>
                    <p class="hint" id="display-name-hint">"How your care team sees you."</p>
                    <input id="display-name" name="display_name" type="text" autocomplete="name" aria-describedby="display-name-hint"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="new-username">"Sign-in name"</label>
                    <p class="hint" id="username-hint">"3 to 32 letters, digits, dots or dashes. You will type it to sign in."</p>
                    <input id="new-username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
                        aria-describedby="username-hint"
                        prop:value=move || login.get() on:input=move |ev| login.set(event_target_value(&ev)) />
                </div>
            })}
            {is_reset.then(|| view! { <p>"Account: " <strong>{username.clone()}</strong></p> })}
            <div class="field">
                <label for="new-password">"Password"</label>
                <p class="hint" id="password-hint">{format!("At least {MIN_PASSWORD_CHARS} characters. A few words you will remember work well.")}</p>
                <input id="new-password" name="password" type="password" autocomplete="new-password" aria-describedby="password-hint"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="confirm-password">"Type the password again"</label>
                <input id="confirm-password" name="confirm" type="password" autocomplete="new-password"
                    prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button" disabled=move || busy.get() || !sync.ready.get()>
                {move || if !sync.ready.get() { "Loading…" } else if is_reset { "Save new password" } else { "Create my account" }}
            </button>
            <FormStatus message />
        </form>
    }
}
