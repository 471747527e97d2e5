//! Security headers for every response, the per-request CSP nonce, cache rules, and the
//! answer given when a handler panics.

use std::any::Any;

use app::app::CspNonce;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, header};
use axum::middleware::Next;

/// What the header middleware needs to know about this deployment.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Served over HTTPS: send HSTS.
    pub https: bool,
    /// `/pkg` file names carry content hashes, so they may be cached forever.
    pub hashed_assets: bool,
}

/// The Content-Security-Policy for a response whose scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'"
    )
}

/// Mints a nonce for the renderer, then sets security and cache headers on the response.
pub async fn headers(
    State(policy): State<Policy>,
    mut request: Request,
    next: Next,
) -> Response<Body> {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();

    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    if policy.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let rule =
            if path.starts_with("/api/") || is_html || path == "/readyz" || path == "/healthz" {
                "no-store"
            } else if path.starts_with("/pkg/") && policy.hashed_assets {
                "public, max-age=31536000, immutable"
            } else if path == "/sw.js" || path.starts_with("/pkg/") {
                "no-cache"
            } else {
                "public, max-age=3600"
            };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    }
    response
}

/// A panic becomes a plain 500 with no details; the panic is logged.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "handler panicked");
    let body = r#"{"error":{"error":"internal"},"message":"Something went wrong on our side. Your data is safe; please try again."}"#;
    Response::builder()
        .status(500)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap_or_default()
}
