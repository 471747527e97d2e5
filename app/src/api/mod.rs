//! The server's public surface: the sync endpoint's wire types (and, on the server, its
//! handler), the data export route, and the server functions, one file per feature. No SQL
//! here: every function gets its context, authorizes, validates, calls `Db`, returns a DTO.

pub mod account;
pub mod admin;
pub mod clinic;
pub mod crisis;
pub mod entries;
pub mod export;
pub mod prepare;
pub mod sessions;
pub mod sync;

use serde::{Deserialize, Serialize};

/// A one-time link just created: shown once, since only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeLink {
    pub url: String,
    pub expires_at: i64,
    /// The link as a QR code, an SVG document rendered by the server.
    pub qr_svg: String,
}

#[cfg(feature = "ssr")]
pub(crate) use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use http::request::Parts;
    use leptos::prelude::*;

    use crate::error::AppError;
    use crate::state::AppState;

    /// What every server function starts from.
    pub(crate) struct Ctx {
        pub state: AppState,
        pub parts: Parts,
    }

    pub(crate) fn ctx() -> Result<Ctx, AppError> {
        let state = crate::state::app_state()?;
        let parts = use_context::<Parts>().ok_or_else(|| {
            tracing::error!("request parts missing from server function context");
            AppError::Internal
        })?;
        Ok(Ctx { state, parts })
    }

    /// Runs a server function body and sets the HTTP status from its error, if any.
    pub(crate) async fn respond<T>(
        body: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = body.await;
        if let Err(err) = &result {
            crate::error::set_response_status(err);
        }
        result
    }

    /// Adds a response header to the current server function's answer.
    pub(crate) fn add_header(name: http::HeaderName, value: &str) {
        if let (Some(options), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(value),
        ) {
            options.append_header(name, value);
        }
    }

    /// Mints a one-time link for `purpose`, stores its hash, and returns the link with its QR
    /// code (shown once: only the hash is kept).
    pub(crate) async fn issue_link(
        c: &Ctx,
        created_by: &str,
        purpose: &str,
        user_id: Option<String>,
        display_name: String,
        ttl_ms: i64,
    ) -> Result<super::OneTimeLink, AppError> {
        let (token, id) = crate::auth::new_token()?;
        let now = crate::db::now_ms();
        let expires_at = now + ttl_ms;
        c.state
            .db
            .insert_token(&crate::db::TokenRow {
                id,
                purpose: purpose.into(),
                created_by: Some(created_by.into()),
                user_id,
                display_name,
                created_at: now,
                expires_at,
                used_at: None,
            })
            .await?;
        one_time_link(&c.state.auth.origin_for(&c.parts), &token, expires_at)
    }

    /// The link and its QR code.
    fn one_time_link(
        origin: &str,
        token: &str,
        expires_at: i64,
    ) -> Result<super::OneTimeLink, AppError> {
        let url = format!("{origin}/link/{token}");
        let code = qrcode::QrCode::new(url.as_bytes()).map_err(|_| AppError::Internal)?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build();
        // Inline in HTML: drop the XML prolog.
        let qr_svg = match svg.find("<svg") {
            Some(start) => svg[start..].to_string(),
            None => svg,
        };
        Ok(super::OneTimeLink {
            url,
            expires_at,
            qr_svg,
        })
    }
}
