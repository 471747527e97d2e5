//! Prepare: the next session with its readiness checklist, the intention, questions for the
//! therapist, and the preparation guides. Works offline once visited: the plan and the guides
//! are kept on the phone, every guide page is kept by the service worker, and every tick goes
//! through the outbox.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::prepare::{MyPlan, SessionView};
use crate::components::preparation::{
    ContentResource, PlanResource, SessionSummary, all_facts, clock, content_resource,
    next_session, plan_resource, readiness_for, readiness_line, save,
};
use crate::components::{CrisisNote, FormStatus, PatientArea, SyncStatus, me_role, use_me};
use crate::content::ModuleContent;
use crate::domain::EntryKind;
use crate::domain::account::Role;
use crate::domain::preparation::{
    Intention, ItemKey, ItemState, ModuleRead, PrepFact, ReadinessTick, SHORT_TEXT_MAX,
    SessionQuestion, TickItem,
};
use crate::sync_state::use_sync_state;

#[component]
pub fn PreparePage() -> impl IntoView {
    let plan = plan_resource();
    let content = content_resource();
    // Once the guides are known, ask the service worker to keep this page and every guide
    // (also on a first visit, before the worker controlled the page).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(modules)) = content.get() {
            let mut pages = vec!["/prepare".to_string()];
            pages.extend(modules.iter().map(|m| format!("/prepare/{}", m.meta.slug)));
            crate::client::cache_pages(pages);
        }
    });
    view! {
        <Title text="Prepare · Stillpoint" />
        <h1>"Prepare"</h1>
        <PatientArea>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || plan.get().map(|result| match result {
                    Ok(plan) => view! { <PlanView plan content /> }.into_any(),
                    Err(_) => view! {
                        <p class="card">"Your plan could not be loaded. If you are offline, open Prepare once while online and it will work offline after that."</p>
                    }.into_any(),
                })}
            </Transition>
            <SyncStatus />
        </PatientArea>
    }
}

#[component]
fn PlanView(plan: MyPlan, content: ContentResource) -> impl IntoView {
    let clock = clock();
    let server_now = plan.now;
    let now = Signal::derive(move || clock.get().unwrap_or(server_now));
    let next = next_session(&plan, server_now);
    let cancelled: Vec<SessionView> = plan
        .sessions
        .iter()
        .filter(|s| s.cancelled && s.starts_at > server_now)
        .cloned()
        .collect();
    let route = next.as_ref().map(|s| s.route);
    let plan = StoredValue::new(plan);
    view! {
        {match next {
            Some(session) => view! {
                <section class="card next-session" data-testid="next-session">
                    <h2>"Your next session"</h2>
                    <SessionSummary session=session.clone() now />
                </section>
                <Checklist plan session now />
            }.into_any(),
            None => view! {
                <section class="card">
                    <h2>"No session scheduled yet"</h2>
                    <p>"When your therapist schedules a session, your checklist will show here. You can read the guides below at any time."</p>
                </section>
            }.into_any(),
        }}
        {cancelled.into_iter().map(|s| view! {
            <p class="card notice" data-testid="cancelled-session">
                "Your session on " {s.when} " was cancelled. "
                {(!s.cancel_reason.is_empty()).then(|| s.cancel_reason.clone())}
            </p>
        }).collect_view()}
        <Guides plan content route />
    }
}

/// The readiness checklist for one session.
#[component]
fn Checklist(plan: StoredValue<MyPlan>, session: SessionView, now: Signal<i64>) -> impl IntoView {
    let sync = use_sync_state();
    let session = StoredValue::new(session);
    let readiness = Memo::new(move |_| {
        plan.with_value(|p| session.with_value(|s| readiness_for(p, s, sync, now.get())))
    });
    let state = move |key: ItemKey| readiness.with(|r| r.state_of(key));
    let mark = move |key: ItemKey| match state(key) {
        ItemState::Done => "item-state done",
        ItemState::ToDo => "item-state todo",
        ItemState::OnTheDay => "item-state later",
    };
    let mark_text = move |key: ItemKey| match state(key) {
        ItemState::Done => "Done",
        ItemState::ToDo => "To do",
        ItemState::OnTheDay => "On the day",
    };
    let session_id = move || session.with_value(|s| s.id.clone());

    // Ticks: each change is an entry in the outbox.
    let tick_message = RwSignal::new(None::<(bool, String)>);
    let set_tick = move |item: TickItem, done: bool| {
        let tick = ReadinessTick {
            session_id: session_id(),
            item,
            done,
        };
        save(
            EntryKind::ReadinessTick,
            &tick,
            tick_message,
            "Saved on this phone.",
        );
    };
    let ticked = move |item: TickItem| {
        plan.with_value(|p| {
            all_facts(p, sync).iter().rev().find_map(|f| match f {
                PrepFact::Tick {
                    session_id: s,
                    item: i,
                    done,
                    ..
                } if *i == item && session.with_value(|x| x.id == *s) => Some(*done),
                _ => None,
            })
        })
        .unwrap_or(false)
    };

    // Intention.
    let intention = RwSignal::new(String::new());
    let intention_message = RwSignal::new(None::<(bool, String)>);
    let save_intention = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = Intention {
            session_id: session_id(),
            text: intention.get_untracked(),
        };
        match entry.validate() {
            Ok(valid) => {
                save(
                    EntryKind::Intention,
                    &valid,
                    intention_message,
                    "Your intention is saved on this phone.",
                );
                intention.set(String::new());
            }
            Err(rejection) => intention_message.set(Some((false, rejection.reason))),
        }
    };

    // Questions.
    let question = RwSignal::new(String::new());
    let question_message = RwSignal::new(None::<(bool, String)>);
    let add_question = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = SessionQuestion {
            session_id: session_id(),
            text: question.get_untracked(),
        };
        match entry.validate() {
            Ok(valid) => {
                save(
                    EntryKind::SessionQuestion,
                    &valid,
                    question_message,
                    "Your question is saved. Your therapist will see it.",
                );
                question.set(String::new());
            }
            Err(rejection) => question_message.set(Some((false, rejection.reason))),
        }
    };
    let on_the_day = move || state(ItemKey::Fasting) != ItemState::OnTheDay;

    view! {
        <section class="card checklist" aria-labelledby="checklist-title" data-testid="checklist">
            <h2 id="checklist-title">"Your checklist"</h2>
            <p class="readiness" aria-live="polite" data-testid="readiness-line">{move || readiness.with(readiness_line)}</p>
            <ol class="check-items">
                <li>
                    <div class="item-head">
                        <span class=move || mark(ItemKey::Modules) data-testid="item-modules">{move || mark_text(ItemKey::Modules)}</span>
                        <h3>{ItemKey::Modules.label()}</h3>
                    </div>
                    <p>{move || readiness.with(|r| format!("{} of {} read.", r.modules_read, r.modules_total))} " " <a href="#guides">"Go to the guides"</a></p>
                </li>
                <li>
                    <div class="item-head">
                        <span class=move || mark(ItemKey::Intention) data-testid="item-intention">{move || mark_text(ItemKey::Intention)}</span>
                        <h3>{ItemKey::Intention.label()}</h3>
                    </div>
                    <p class="hint">"An intention is a simple wish you bring to the session, like “I want to be kinder to myself.”"</p>
                    {move || readiness.with(|r| r.intention.clone()).map(|text| view! {
                        <p class="intention" data-testid="intention">"Your intention: " <strong>{text}</strong></p>
                    })}
                    <form class="stack-form" on:submit=save_intention novalidate>
                        <div class="field">
                            <label for="intention">{move || if readiness.with(|r| r.intention.is_some()) { "Change your intention" } else { "Your intention for this session" }}</label>
                            <textarea id="intention" rows="2" maxlength=SHORT_TEXT_MAX.to_string()
                                prop:value=move || intention.get() on:input=move |ev| intention.set(event_target_value(&ev))></textarea>
                        </div>
                        <button type="submit" class="button secondary" disabled=move || !sync.ready.get()>"Save intention"</button>
                        <FormStatus message=intention_message />
                    </form>
                </li>
                <li>
                    <div class="item-head">
                        <span class=move || mark(ItemKey::Ride) data-testid="item-ride">{move || mark_text(ItemKey::Ride)}</span>
                        <h3>{ItemKey::Ride.label()}</h3>
                    </div>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || ticked(TickItem::RideArranged)
                            disabled=move || !sync.ready.get()
                            on:change=move |ev| set_tick(TickItem::RideArranged, event_target_checked(&ev)) />
                        <span>"Someone will take me home, and I will not drive until the next day."</span>
                    </label>
                </li>
                <li>
                    <div class="item-head">
                        <span class=move || mark(ItemKey::Fasting) data-testid="item-fasting">{move || mark_text(ItemKey::Fasting)}</span>
                        <h3>{ItemKey::Fasting.label()}</h3>
                    </div>
                    <p>"Your clinic tells you how many hours to go without food before the session, and what you may drink. Follow what they say."</p>
                    <Show when=on_the_day fallback=|| view! { <p class="hint">"On the day of your session, come back here and tick this."</p> }>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || state(ItemKey::Fasting) == ItemState::Done
                                disabled=move || !sync.ready.get()
                                on:change=move |ev| set_tick(TickItem::FastingAcknowledged, event_target_checked(&ev)) />
                            <span>"I have read my clinic's advice about food and drink for today, and I am following it."</span>
                        </label>
                    </Show>
                </li>
                <li>
                    <div class="item-head">
                        <span class=move || mark(ItemKey::Questions) data-testid="item-questions">{move || mark_text(ItemKey::Questions)}</span>
                        <h3>{ItemKey::Questions.label()}</h3>
                    </div>
                    {move || {
                        let questions = readiness.with(|r| r.questions.clone());
                        (!questions.is_empty()).then(|| view! {
                            <ul class="questions">{questions.into_iter().map(|q| view! { <li>{q}</li> }).collect_view()}</ul>
                        })
                    }}
                    <form class="stack-form" on:submit=add_question novalidate>
                        <div class="field">
                            <label for="question">"A question for your therapist"</label>
                            <textarea id="question" rows="2" maxlength=SHORT_TEXT_MAX.to_string()
                                prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev))></textarea>
                            <CrisisNote />
                        </div>
                        <button type="submit" class="button secondary" disabled=move || !sync.ready.get()>"Add question"</button>
                        <FormStatus message=question_message />
                    </form>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || ticked(TickItem::QuestionsReady)
                            disabled=move || !sync.ready.get()
                            on:change=move |ev| set_tick(TickItem::QuestionsReady, event_target_checked(&ev)) />
                        <span>"I have no more questions for now."</span>
                    </label>
                </li>
            </ol>
            <FormStatus message=tick_message />
        </section>
    }
}

/// The guides, with what the patient has read.
#[component]
fn Guides(
    plan: StoredValue<MyPlan>,
    content: ContentResource,
    route: Option<crate::domain::preparation::Route>,
) -> impl IntoView {
    let sync = use_sync_state();
    view! {
        <section id="guides" class="guides" aria-labelledby="guides-title">
            <h2 id="guides-title">"Guides"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || content.get().map(|result| match result {
                    Ok(modules) => {
                        let facts = plan.with_value(|p| all_facts(p, sync));
                        view! {
                            <ul class="module-list" data-testid="module-list">
                                {modules
                                    .into_iter()
                                    .filter(|m| route.is_none_or(|r| m.meta.routes.contains(&r)))
                                    .map(|m| {
                                        let status = read_status(&facts, &m);
                                        view! { <ModuleItem module=m status /> }
                                    })
                                    .collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(_) => view! { <p class="card">"The guides could not be loaded. Check your connection."</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Whether the patient read a module: not yet, an older version, or the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadStatus {
    NotRead,
    Updated,
    Read,
}

fn read_status(facts: &[PrepFact], module: &ModuleContent) -> ReadStatus {
    let best = facts
        .iter()
        .filter_map(|f| match f {
            PrepFact::ModuleRead { slug, version, .. } if *slug == module.meta.slug => {
                Some(*version)
            }
            _ => None,
        })
        .max();
    match best {
        None => ReadStatus::NotRead,
        Some(v) if v < module.meta.version => ReadStatus::Updated,
        Some(_) => ReadStatus::Read,
    }
}

fn status_text(status: ReadStatus) -> &'static str {
    match status {
        ReadStatus::NotRead => "Not read yet",
        ReadStatus::Updated => "Updated since you read it",
        ReadStatus::Read => "Read",
    }
}

#[component]
fn ModuleItem(module: ModuleContent, status: ReadStatus) -> impl IntoView {
    let href = format!("/prepare/{}", module.meta.slug);
    let class = match status {
        ReadStatus::Read => "badge done",
        ReadStatus::Updated => "badge updated",
        ReadStatus::NotRead => "badge",
    };
    view! {
        <li class="card module-item" data-slug=module.meta.slug.clone()>
            <a href=href class="module-link">
                <strong>{module.meta.title.clone()}</strong>
            </a>
            <p>{module.meta.summary.clone()}</p>
            <p class="hint">
                <span class=class data-testid="module-status">{status_text(status)}</span>
                " · about " {module.meta.reading_minutes} " min"
            </p>
        </li>
    }
}

/// One guide, with "Mark as read" for patients.
#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let content = content_resource();
    let plan = plan_resource();
    view! {
        <Title text="Guide · Stillpoint" />
        <p><A href="/prepare">"← Prepare"</A></p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || content.get().map(|result| match result {
                Ok(modules) => match modules.into_iter().find(|m| m.meta.slug == slug()) {
                    Some(module) => view! { <ModuleBody module plan /> }.into_any(),
                    None => view! {
                        <h1>"Guide not found"</h1>
                        <p class="card">"This guide does not exist. " <A href="/prepare">"See all guides"</A></p>
                    }.into_any(),
                },
                Err(_) => view! {
                    <h1>"Guide"</h1>
                    <p class="card">"This guide could not be loaded. If you are offline, open Prepare once while online and every guide will work offline."</p>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ModuleBody(module: ModuleContent, plan: PlanResource) -> impl IntoView {
    let me = use_me();
    let title = module.meta.title.clone();
    view! {
        <Title text=format!("{title} · Stillpoint") />
        <article class="module" data-testid="module">
            <h1>{title}</h1>
            <p class="hint">"About " {module.meta.reading_minutes} " minutes to read"</p>
            <div class="module-text" inner_html=module.html.clone()></div>
        </article>
        <Transition>
            {move || {
                let role = me_role(me);
                // Offline (role unknown) this is a patient's phone: staff pages are never kept.
                matches!(role, Some(Some(Role::Patient)) | None)
                    .then(|| view! { <MarkRead module=module.clone() plan /> })
            }}
        </Transition>
    }
}

#[component]
fn MarkRead(module: ModuleContent, plan: PlanResource) -> impl IntoView {
    let sync = use_sync_state();
    let message = RwSignal::new(None::<(bool, String)>);
    let slug = module.meta.slug.clone();
    let version = module.meta.version;
    let status = {
        let module = module.clone();
        move || {
            let facts = match plan.get() {
                Some(Ok(plan)) => all_facts(&plan, sync),
                _ => crate::domain::preparation::merge_facts(&[&sync.local_facts()]),
            };
            read_status(&facts, &module)
        }
    };
    let on_click = move |_| {
        let entry = ModuleRead {
            slug: slug.clone(),
            version,
        };
        save(
            EntryKind::ModuleRead,
            &entry,
            message,
            "Marked as read. Well done.",
        );
    };
    view! {
        <section class="card mark-read">
            <Transition>
                {move || match status() {
                    ReadStatus::Read => view! { <p class="form-message ok" data-testid="read-state">"You have read this guide."</p> }.into_any(),
                    ReadStatus::Updated => view! { <p class="notice" data-testid="read-state">"This guide was updated since you read it. Please read it again."</p> }.into_any(),
                    ReadStatus::NotRead => view! { <p data-testid="read-state">"When you have read this guide, mark it as read."</p> }.into_any(),
                }}
            </Transition>
            <button type="button" class="button" on:click=on_click disabled=move || !sync.ready.get()>"Mark as read"</button>
            <FormStatus message />
            <p><A href="/prepare">"Back to your checklist"</A></p>
        </section>
    }
}
