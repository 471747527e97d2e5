//! Pieces the account pages share: who is signed in (from context), the message under a
//! form, a one-time link with its QR code, and the prompt shown to signed-out visitors.

use leptos::prelude::*;

use crate::api::OneTimeLink;
use crate::api::account::{Me, get_me};
use crate::domain::account::Role;
use crate::error::AppError;

/// The signed-in person, loaded once per page load and shared.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<Option<Me>, AppError>>);

/// Creates and provides the `Me` resource (called by `App`).
pub fn provide_me() -> MeResource {
    let me = MeResource(Resource::new(|| (), |_| get_me()));
    provide_context(me);
    me
}

pub fn use_me() -> MeResource {
    use_context::<MeResource>().unwrap_or_else(provide_me)
}

/// The role of the signed-in person: `Some(Some(role))` when known, `Some(None)` when signed
/// out, `None` while loading or when the server cannot be reached (offline).
pub fn me_role(me: MeResource) -> Option<Option<Role>> {
    match me.0.get() {
        Some(Ok(Some(me))) => Some(Some(me.role)),
        Some(Ok(None)) => Some(None),
        _ => None,
    }
}

/// Sends the browser to `path` with a full page load (the app restarts with the new session).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A form's outcome: `(ok, text)`.
pub type FormMessage = RwSignal<Option<(bool, String)>>;

/// The message under a form, announced to screen readers.
#[component]
pub fn FormStatus(message: FormMessage) -> impl IntoView {
    move || {
        message.get().map(|(ok, text)| {
            view! {
                <p
                    class=if ok { "form-message ok" } else { "form-message problem" }
                    role=if ok { "status" } else { "alert" }
                    data-testid="form-message"
                >
                    {text}
                </p>
            }
        })
    }
}

/// A readable sentence for an error from a server function.
pub fn error_text(err: &AppError) -> String {
    match err {
        AppError::Validation { message, .. } => message.clone(),
        AppError::Unavailable => {
            "Could not reach the server. Check your connection and try again.".into()
        }
        other => other.to_string(),
    }
}

/// A link just created, shown with its QR code and expiry.
#[component]
pub fn OneTimeLinkCard(link: OneTimeLink, #[prop(into)] heading: String) -> impl IntoView {
    let expires = crate::components::format_date(link.expires_at);
    let url = link.url.clone();
    view! {
        <section class="card one-time-link" aria-live="polite">
            <h3>{heading}</h3>
            <p>"Share this link in person or by a private message. It works once and expires " {expires} "."</p>
            <div class="qr" role="img" aria-label="QR code of the link" inner_html=link.qr_svg></div>
            <label class="field-label" for="one-time-link">"Link"</label>
            <input id="one-time-link" class="link-text" type="text" readonly value=url.clone() data-testid="one-time-link" />
            <p><a href=url rel="external">"Open the link"</a></p>
        </section>
    }
}

/// Shown where a page needs a signed-in person and there is none.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    view! {
        <section class="card" data-testid="sign-in-prompt">
            <h2>"Please sign in"</h2>
            <p>"Sign in to use Stillpoint. If you are new, open the invitation link your therapist gave you."</p>
            <a class="button" href="/sign-in" rel="external">"Sign in"</a>
        </section>
    }
}
