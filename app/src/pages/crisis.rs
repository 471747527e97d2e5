//! Crisis help: who to contact right now. Rendered whole on the server (no script needed),
//! and cached by the service worker so it opens offline.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::crisis::get_crisis_resources;

#[component]
pub fn CrisisPage() -> impl IntoView {
    let resources = Resource::new(|| (), |_| get_crisis_resources());
    view! {
        <Title text="Need help now? · Stillpoint" />
        <h1>"Need help now?"</h1>
        <p class="lead">
            "If you are thinking about harming yourself, or you feel unsafe, please reach out now. You do not have to go through this alone."
        </p>
        <p class="crisis-note">
            "Stillpoint is not watched around the clock. Your care team may not see your messages or check-ins right away."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                resources
                    .get()
                    .map(|result| match result {
                        Ok(config) => {
                            view! {
                                <p>{format!("These services work in {}.", config.region)}</p>
                                <ul class="crisis-list">
                                    {config
                                        .resources
                                        .into_iter()
                                        .map(|resource| {
                                            view! {
                                                <li class="card">
                                                    <h2>{resource.name}</h2>
                                                    <p>{resource.description}</p>
                                                    <div class="button-row">
                                                        {resource
                                                            .actions
                                                            .into_iter()
                                                            .map(|action| {
                                                                view! {
                                                                    <a class="button" href=action.href>{action.label}</a>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p class="card">
                                    "If you are in danger, call your local emergency number now."
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
        <section class="card">
            <h2>"Other things that can help right now"</h2>
            <ul>
                <li>"Call or text someone you trust and tell them how you feel."</li>
                <li>"Go to a place where you are with other people."</li>
                <li>"Move away from anything you could use to hurt yourself."</li>
            </ul>
        </section>
    }
}
