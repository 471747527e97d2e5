//! The gate around patient pages: signed-out visitors are asked to sign in, staff are sent to
//! their own pages, and patients (or a phone that cannot reach the server right now) see the
//! page, so it works offline.

use leptos::prelude::*;

use crate::components::{SignInPrompt, me_role, use_me};
use crate::domain::account::Role;

#[component]
pub fn PatientArea(children: ChildrenFn) -> impl IntoView {
    let me = use_me();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || match me_role(me) {
                Some(None) => view! { <SignInPrompt /> }.into_any(),
                Some(Some(role)) if role != Role::Patient => view! {
                    <section class="card">
                        <p>"This area is for patients."</p>
                        <a class="button" href=role.home() rel="external">"Go to your page"</a>
                    </section>
                }.into_any(),
                _ => children.read_value()().into_any(),
            }}
        </Suspense>
    }
}
