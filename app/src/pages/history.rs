//! History: the check-ins the clinic has received.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::entries::{EntryView, list_my_entries};
use crate::components::{PatientArea, SyncStatus, format_date};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| list_my_entries());
    view! {
        <Title text="History · Stillpoint" />
        <h1>"History"</h1>
        <PatientArea>
        <SyncStatus />
        <h2>"Received by your clinic"</h2>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                entries
                    .get()
                    .map(|result| match result {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="card">"Nothing yet. Your check-ins will show here once they are sent."</p> }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="entry-list" data-testid="history-list">
                                    {list.into_iter().map(|entry| view! { <EntryItem entry /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => {
                            view! {
                                <p class="card">
                                    "Your history could not be loaded right now. If you are offline, it will show when you are back online."
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
        </PatientArea>
    }
}

#[component]
fn EntryItem(entry: EntryView) -> impl IntoView {
    let when = format_date(entry.recorded_at);
    match entry.check_in {
        Some(check_in) => {
            let mood = check_in.mood_label();
            view! {
                <li class="card entry">
                    <p class="entry-when">{when}</p>
                    <p>{format!("Anxiety {} of 10 · Mood: {} · Slept {} hours", check_in.anxiety, mood, check_in.sleep_hours)}</p>
                    {check_in.note.map(|note| view! { <p class="entry-note">{note}</p> })}
                </li>
            }
                .into_any()
        }
        None => view! {
            <li class="card entry">
                <p class="entry-when">{when}</p>
                {entry.summary.map(|text| view! { <p>{text}</p> })}
            </li>
        }
        .into_any(),
    }
}
