//! Shown by the service worker when a page is not cached and the phone is offline.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OfflinePage() -> impl IntoView {
    view! {
        <Title text="Offline · Stillpoint" />
        <h1>"You are offline"</h1>
        <section class="card">
            <p>"This page needs the internet the first time you open it."</p>
            <p>"Pages you have opened before still work. Anything you save is kept on this phone and sent when you are back online."</p>
            <a class="button" href="/check-in" rel="external">"Go to your check-in"</a>
        </section>
    }
}
