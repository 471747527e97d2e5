//! Sign in with a sign-in name and password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{FormStatus, error_text, go_to};
use crate::sync_state::use_sync_state;

/// Only same-site paths may follow a sign-in (no open redirects).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let sync = use_sync_state();
    let query = use_query_map();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if username.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            message.set(Some((
                false,
                "Please enter your sign-in name and your password.".into(),
            )));
            return;
        }
        busy.set(true);
        message.set(None);
        let next = safe_next(query.get_untracked().get("next"));
        leptos::task::spawn_local(async move {
            match crate::api::account::sign_in(username.get_untracked(), password.get_untracked())
                .await
            {
                Ok(signed_in) => {
                    message.set(Some((true, "Signed in.".into())));
                    let target = match next {
                        Some(next) if signed_in.role == crate::domain::account::Role::Patient => {
                            next
                        }
                        _ => signed_in.home,
                    };
                    go_to(&target);
                }
                Err(err) => {
                    password.set(String::new());
                    message.set(Some((false, error_text(&err))));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <Title text="Sign in · Stillpoint" />
        <h1>"Sign in"</h1>
        <form class="stack-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="username">"Sign-in name"</label>
                <input
                    id="username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button" disabled=move || busy.get() || !sync.ready.get()>
                {move || if sync.ready.get() { "Sign in" } else { "Loading…" }}
            </button>
            <FormStatus message />
        </form>
        <p class="hint">"Forgot your password? Ask your therapist or your clinic for a reset link."</p>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_may_follow_sign_in() {
        assert_eq!(
            super::safe_next(Some("/history".into())),
            Some("/history".into())
        );
        assert_eq!(super::safe_next(Some("//evil.example".into())), None);
        assert_eq!(super::safe_next(Some("https://evil.example".into())), None);
        assert_eq!(super::safe_next(Some("/\\evil.example".into())), None);
    }
}
