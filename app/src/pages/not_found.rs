//! The page for an address that does not exist.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Stillpoint" />
        <h1>"We could not find that page"</h1>
        <section class="card">
            <p>"The address may be mistyped, or the page may have moved."</p>
            <a class="button" href="/" rel="external">"Go to Today"</a>
        </section>
    }
}
