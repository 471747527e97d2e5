//! A small IndexedDB layer: the `outbox` store (entries not yet accepted by the server) and
//! the `meta` store (last successful sync). Records cross the boundary as JSON.

use js_sys::{JSON, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

const DB_NAME: &str = "stillpoint";
const DB_VERSION: u32 = 1;
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const LAST_SYNC_KEY: &str = "last_sync_at";

/// An entry waiting on this phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRecord {
    pub id: String,
    pub kind: String,
    pub schema_version: i64,
    pub recorded_at: i64,
    pub payload: serde_json::Value,
    /// Set when the server refused it; the entry then stays here, visible, with the reason.
    #[serde(default)]
    pub rejected: Option<String>,
}

/// A readable problem with on-device storage.
pub fn describe(err: &JsValue) -> String {
    let detail = err
        .dyn_ref::<web_sys::DomException>()
        .map(|e| e.message())
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".into());
    format!("This phone could not save it ({detail}). Please try again.")
}

async fn wait(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = failed
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or_else(|| "IndexedDB error".into());
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Resolves when the transaction has committed, so data is on disk before we say "saved".
async fn committed(tx: &IdbTransaction) -> Result<(), JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let reject_too = reject.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = failed
                .error()
                .map(JsValue::from)
                .unwrap_or_else(|| "IndexedDB transaction failed".into());
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject_too.call1(&JsValue::NULL, &"IndexedDB transaction aborted".into());
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(on_error.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()?
        .ok_or("IndexedDB is not available in this browser")?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(result) = upgrading.result() {
            let db: IdbDatabase = result.unchecked_into();
            let names = db.object_store_names();
            if !names.contains(OUTBOX) {
                let params = IdbObjectStoreParameters::new();
                params.set_key_path(&JsValue::from_str("id"));
                let _ = db.create_object_store_with_optional_parameters(OUTBOX, &params);
            }
            if !names.contains(META) {
                let _ = db.create_object_store(META);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = wait(&request).await?;
    Ok(db.unchecked_into())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))?;
    JSON::parse(&text)
}

fn from_js<T: for<'de> Deserialize<'de>>(value: &JsValue) -> Result<T, JsValue> {
    let text: String = JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Adds or replaces outbox records, resolving once they are committed.
pub async fn put_all(records: &[OutboxRecord]) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(OUTBOX, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(OUTBOX)?;
    for record in records {
        store.put(&to_js(record)?)?;
    }
    let done = committed(&tx).await;
    db.close();
    done
}

/// Every record in the outbox, oldest id first (UUID v7 ids sort by time).
pub async fn all() -> Result<Vec<OutboxRecord>, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str(OUTBOX)?;
    let values = wait(&tx.object_store(OUTBOX)?.get_all()?).await?;
    db.close();
    let array: js_sys::Array = values.unchecked_into();
    // A record this version cannot read is skipped, never deleted.
    Ok(array.iter().filter_map(|v| from_js(&v).ok()).collect())
}

/// Removes records the server has accepted.
pub async fn remove(ids: &[String]) -> Result<(), JsValue> {
    if ids.is_empty() {
        return Ok(());
    }
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(OUTBOX, IdbTransactionMode::Readwrite)?;
    let store = tx.object_store(OUTBOX)?;
    for id in ids {
        store.delete(&JsValue::from_str(id))?;
    }
    let done = committed(&tx).await;
    db.close();
    done
}

/// When the last sync succeeded (unix ms), if ever on this phone.
pub async fn last_sync() -> Result<Option<i64>, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str(META)?;
    let value = wait(
        &tx.object_store(META)?
            .get(&JsValue::from_str(LAST_SYNC_KEY))?,
    )
    .await?;
    db.close();
    Ok(value.as_f64().map(|v| v as i64))
}

pub async fn set_last_sync(at: i64) -> Result<(), JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(META, IdbTransactionMode::Readwrite)?;
    tx.object_store(META)?.put_with_key(
        &JsValue::from_f64(at as f64),
        &JsValue::from_str(LAST_SYNC_KEY),
    )?;
    let done = committed(&tx).await;
    db.close();
    done
}

/// Keeps a copy of `value` under `key` for offline use. Failing to keep it is harmless (the
/// page then needs the network next time), so errors are ignored.
pub async fn keep_copy<T: Serialize>(key: &str, value: &T) {
    let Ok(text) = serde_json::to_string(value) else {
        return;
    };
    let result: Result<(), JsValue> = async {
        let db = open().await?;
        let tx = db.transaction_with_str_and_mode(META, IdbTransactionMode::Readwrite)?;
        tx.object_store(META)?.put_with_key(
            &JsValue::from_str(&text),
            &JsValue::from_str(&format!("copy:{key}")),
        )?;
        let done = committed(&tx).await;
        db.close();
        done
    }
    .await;
    let _ = result;
}

/// The copy kept under `key`, if there is one this version can read.
pub async fn read_copy<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    let db = open().await.ok()?;
    let tx = db.transaction_with_str(META).ok()?;
    let request = tx
        .object_store(META)
        .ok()?
        .get(&JsValue::from_str(&format!("copy:{key}")))
        .ok()?;
    let value = wait(&request).await.ok();
    db.close();
    serde_json::from_str(&value?.as_string()?).ok()
}
