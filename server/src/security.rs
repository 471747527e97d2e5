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

/// The cross-site request guard's configuration.
#[derive(Clone, Debug)]
pub struct CrossSiteGuard {
    /// `scheme://host[:port]`; when unset, the request's own Host is the origin.
    pub public_origin: Option<String>,
}

/// Refuses state-changing requests from other sites (Leptos server functions have no CSRF
/// protection of their own), and bodies of a type no API endpoint reads.
///
/// For POST, PUT, PATCH and DELETE: `Sec-Fetch-Site: same-origin` or `none` passes; any other
/// `Sec-Fetch-Site` is refused. Without it, an `Origin` must equal the public origin. A
/// request with neither header comes from a program, not a browser page, and passes: every
/// current browser sends at least `Origin` on a cross-origin POST.
pub async fn cross_site_guard(
    State(guard): State<CrossSiteGuard>,
    request: Request,
    next: Next,
) -> Response<Body> {
    use axum::http::Method;
    let method = request.method();
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some("same-origin" | "none"), _) => true,
        (Some(_), _) => false,
        (None, Some(origin)) => match &guard.public_origin {
            Some(public) => origin.eq_ignore_ascii_case(public.trim_end_matches('/')),
            None => headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|host| {
                    origin.eq_ignore_ascii_case(&format!("http://{host}"))
                        || origin.eq_ignore_ascii_case(&format!("https://{host}"))
                }),
        },
        (None, None) => true,
    };
    if !allowed {
        tracing::warn!(fetch_site, "cross-site request refused");
        return json_error(
            403,
            "forbidden",
            "This request came from another site and was refused.",
        );
    }
    if request.uri().path().starts_with("/api/") {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase());
        let readable = matches!(
            content_type.as_deref(),
            Some("application/x-www-form-urlencoded" | "application/json")
        );
        if !readable {
            return json_error(
                415,
                "unsupported_media_type",
                "This endpoint accepts form data or JSON only.",
            );
        }
    }
    next.run(request).await
}

fn json_error(status: u16, kind: &str, message: &str) -> Response<Body> {
    let body = serde_json::json!({ "error": { "error": kind }, "message": message });
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}
