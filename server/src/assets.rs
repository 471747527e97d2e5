//! The built front end: hashed bundle names (from cargo-leptos's `hash.txt`), the web app
//! manifest, and the service worker, whose precache list and version are filled in at start.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

/// Pages the service worker stores at install, so they open offline on first need.
const PRECACHED_PAGES: [&str; 4] = ["/", "/check-in", "/crisis", "/offline"];
/// Static files the service worker stores at install.
const PRECACHED_FILES: [&str; 4] = [
    "/manifest.webmanifest",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/maskable-512.png",
];

/// What the server knows about the built front end.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Bundle file names carry content hashes (release builds by cargo-leptos).
    pub hashed: bool,
    /// `/pkg/...` paths of the JS, wasm and CSS bundles.
    pub bundle: Vec<String>,
    /// The service worker script with its placeholders filled, if `sw.js` was found.
    pub service_worker: Option<String>,
    /// The manifest, if found.
    pub manifest: Option<String>,
    /// A short fingerprint of this build, shown in the service worker's cache name.
    pub version: String,
}

impl Assets {
    /// Reads the hash file next to the executable (where cargo-leptos writes it, and where
    /// Leptos itself reads it) and the service worker template from the site root.
    pub fn load(site_root: &Path) -> Assets {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
            .unwrap_or_else(|| PathBuf::from("hash.txt"));
        let hashes = std::fs::read_to_string(&hash_file).ok();
        let lookup = |kind: &str| -> Option<String> {
            hashes.as_deref()?.lines().find_map(|line| {
                let (key, value) = line.split_once(':')?;
                (key.trim() == kind).then(|| value.trim().to_string())
            })
        };
        let (hashed, bundle) = match (lookup("js"), lookup("wasm"), lookup("css")) {
            (Some(js), Some(wasm), Some(css)) => (
                true,
                vec![
                    format!("/pkg/stillpoint.{js}.js"),
                    format!("/pkg/stillpoint.{wasm}.wasm"),
                    format!("/pkg/stillpoint.{css}.css"),
                ],
            ),
            _ => (
                false,
                vec![
                    "/pkg/stillpoint.js".into(),
                    "/pkg/stillpoint_bg.wasm".into(),
                    "/pkg/stillpoint.css".into(),
                ],
            ),
        };
        let template = std::fs::read_to_string(site_root.join("sw.js")).ok();
        let manifest = std::fs::read_to_string(site_root.join("manifest.webmanifest")).ok();
        let version = fingerprint(&[
            hashes.as_deref().unwrap_or(""),
            template.as_deref().unwrap_or(""),
            manifest.as_deref().unwrap_or(""),
            env!("CARGO_PKG_VERSION"),
        ]);
        let precache: Vec<String> = PRECACHED_PAGES
            .iter()
            .chain(PRECACHED_FILES.iter())
            .map(|s| s.to_string())
            .chain(bundle.iter().cloned())
            .collect();
        let service_worker = template.map(|t| {
            t.replace("__STILLPOINT_VERSION__", &version).replace(
                "__STILLPOINT_PRECACHE__",
                &serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into()),
            )
        });
        Assets {
            hashed,
            bundle,
            service_worker,
            manifest,
            version,
        }
    }
}

/// FNV-1a over the parts: stable across builds and platforms, unlike `DefaultHasher`.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// `/sw.js` and `/manifest.webmanifest`, with their proper content types.
pub fn routes<S: Clone + Send + Sync + 'static>(assets: Arc<Assets>) -> Router<S> {
    let sw = assets.clone();
    Router::new()
        .route(
            "/sw.js",
            get(move || async move {
                match &sw.service_worker {
                    Some(body) => (
                        StatusCode::OK,
                        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                        body.clone(),
                    )
                        .into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }),
        )
        .route(
            "/manifest.webmanifest",
            get(move || async move {
                match &assets.manifest {
                    Some(body) => (
                        StatusCode::OK,
                        [(header::CONTENT_TYPE, "application/manifest+json")],
                        body.clone(),
                    )
                        .into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }),
        )
}
