//! The daily check-in form. Saving writes to the outbox on this phone first; the sync loop
//! sends it to the clinic when it can.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::{CrisisNote, PatientArea, SyncStatus};
use crate::domain::CheckIn;
use crate::domain::check_in::{MOOD_LABELS, NOTE_MAX_CHARS};
use crate::sync_state::use_sync_state;

#[component]
pub fn CheckInPage() -> impl IntoView {
    let sync = use_sync_state();
    let anxiety = RwSignal::new(None::<i64>);
    let mood = RwSignal::new(None::<i64>);
    let sleep = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let saving = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(anxiety_value) = anxiety.get_untracked() else {
            message.set(Some((
                false,
                "Please choose how anxious you feel, from 0 to 10.".into(),
            )));
            return;
        };
        let Some(mood_value) = mood.get_untracked() else {
            message.set(Some((false, "Please choose how your mood is.".into())));
            return;
        };
        let sleep_text = sleep.get_untracked();
        let Ok(sleep_hours) = sleep_text.trim().replace(',', ".").parse::<f64>() else {
            message.set(Some((
                false,
                "Please enter how many hours you slept, like 7 or 6.5.".into(),
            )));
            return;
        };
        let note_text = note.get_untracked();
        let check_in = CheckIn {
            anxiety: anxiety_value,
            mood: mood_value,
            sleep_hours,
            note: (!note_text.trim().is_empty()).then_some(note_text),
        };
        let check_in = match check_in.validate() {
            Ok(valid) => valid,
            Err(rejection) => {
                message.set(Some((false, rejection.reason)));
                return;
            }
        };
        saving.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::save_check_in(&check_in).await {
                Ok(()) => {
                    anxiety.set(None);
                    mood.set(None);
                    sleep.set(String::new());
                    note.set(String::new());
                    message.set(Some((
                        true,
                        "Saved on this phone. It will be sent to your clinic.".into(),
                    )));
                }
                Err(problem) => message.set(Some((false, problem))),
            }
            saving.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = check_in;
    };

    view! {
        <Title text="Check-in · Stillpoint" />
        <h1>"Daily check-in"</h1>
        <PatientArea>
        <p class="lead">"This takes about half a minute. There are no right or wrong answers."</p>
        <form class="check-in-form" on:submit=on_submit novalidate>
            <fieldset class="choice-group">
                <legend>"How anxious do you feel right now?"</legend>
                <p class="hint" id="anxiety-hint">"0 is calm. 10 is the most anxious you can imagine."</p>
                <div class="choices choices-scale">
                    {(0..=10)
                        .map(|value| {
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="anxiety"
                                        value=value.to_string()
                                        aria-describedby="anxiety-hint"
                                        prop:checked=move || anxiety.get() == Some(value)
                                        on:change=move |_| anxiety.set(Some(value))
                                    />
                                    <span>{value.to_string()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <fieldset class="choice-group">
                <legend>"How is your mood?"</legend>
                <div class="choices choices-words">
                    {MOOD_LABELS
                        .iter()
                        .enumerate()
                        .map(|(index, label)| {
                            let value = index as i64 + 1;
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="mood"
                                        value=value.to_string()
                                        prop:checked=move || mood.get() == Some(value)
                                        on:change=move |_| mood.set(Some(value))
                                    />
                                    <span>{*label}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label for="sleep-hours">"How many hours did you sleep last night?"</label>
                <input
                    id="sleep-hours"
                    name="sleep_hours"
                    type="number"
                    inputmode="decimal"
                    min="0"
                    max="24"
                    step="0.5"
                    prop:value=move || sleep.get()
                    on:input=move |ev| sleep.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="note">"Anything you want to note? (optional)"</label>
                <textarea
                    id="note"
                    name="note"
                    rows="3"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <CrisisNote />
            </div>
            <button type="submit" class="button" disabled=move || saving.get() || !sync.ready.get()>
                {move || if sync.ready.get() { "Save check-in" } else { "Loading…" }}
            </button>
            {move || {
                message
                    .get()
                    .map(|(ok, text)| {
                        view! {
                            <p class=if ok { "form-message ok" } else { "form-message problem" } role="status" data-testid="form-message">
                                {text}
                            </p>
                        }
                    })
            }}
        </form>
        <SyncStatus />
        </PatientArea>
    }
}
