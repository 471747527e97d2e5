//! Service worker registration and the "update available" flow: when a new worker is
//! installed and waiting, the banner offers to switch; switching reloads the page once.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

use leptos::prelude::*;

use crate::sync_state::SyncState;

const SW_PATH: &str = "/sw.js";

/// Registers `/sw.js` and watches for a waiting update.
pub fn register(state: SyncState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Reload once when the new worker takes control after "Update now".
    let reloading = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_controller = Closure::<dyn Fn()>::new(move || {
        if !reloading.replace(true)
            && let Some(window) = web_sys::window()
            && UPDATE_REQUESTED.with(|r| r.get())
        {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_controller.as_ref().unchecked_ref()));
    on_controller.forget();
    leptos::task::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register(SW_PATH)).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        watch(&registration, state);
    });
}

thread_local! {
    static UPDATE_REQUESTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static REGISTRATION: std::cell::RefCell<Option<ServiceWorkerRegistration>> = const { std::cell::RefCell::new(None) };
}

fn has_controller() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

fn watch(registration: &ServiceWorkerRegistration, state: SyncState) {
    REGISTRATION.with_borrow_mut(|r| *r = Some(registration.clone()));
    if registration.waiting().is_some() && has_controller() {
        state.update_ready.set(true);
    }
    let found = registration.clone();
    let on_update = Closure::<dyn Fn()>::new(move || {
        if let Some(worker) = found.installing() {
            let watched: ServiceWorker = worker.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if watched.state() == ServiceWorkerState::Installed && has_controller() {
                    state.update_ready.set(true);
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        }
    });
    registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
    on_update.forget();
}

/// Tells the waiting worker to take over; the page reloads when it has.
pub fn apply_update() {
    UPDATE_REQUESTED.with(|r| r.set(true));
    REGISTRATION.with_borrow(|registration| {
        if let Some(waiting) = registration.as_ref().and_then(|r| r.waiting()) {
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}

/// Asks the service worker to fetch and keep `urls` (pages the patient will want offline,
/// such as every preparation module once the Prepare area was opened).
pub fn cache_pages(urls: Vec<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    leptos::task::spawn_local(async move {
        let Ok(promise) = container.ready() else {
            return;
        };
        let Ok(registration) = JsFuture::from(promise).await else {
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        let Some(worker) = registration.active() else {
            return;
        };
        let list = js_sys::Array::new();
        for url in urls {
            list.push(&JsValue::from_str(&url));
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"cache-pages".into());
        let _ = js_sys::Reflect::set(&message, &"urls".into(), &list);
        let _ = worker.post_message(&message);
    });
}
