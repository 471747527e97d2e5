//! The one wire-safe error type. Every server function and handler returns `AppError`; it
//! carries an HTTP status and a sentence a person can read, and never database text.

use serde::{Deserialize, Serialize};

/// An error as a browser or another system sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The request itself could not be read (malformed JSON, wrong shape).
    #[error("{message}")]
    BadRequest { message: String },
    /// A value is out of range or missing; `field` names it.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("Please sign in again.")]
    Unauthorized,
    #[error("You do not have access to this.")]
    Forbidden,
    /// Absent, or not yours: the two are indistinguishable on purpose.
    #[error("Not found.")]
    NotFound,
    #[error("{message}")]
    Conflict { message: String },
    #[error("That request is too large.")]
    PayloadTooLarge,
    #[error("This endpoint only accepts JSON (Content-Type: application/json).")]
    UnsupportedMediaType,
    /// Too many attempts; `message` says what to do.
    #[error("{message}")]
    TooManyRequests { message: String },
    /// Sign-in failed. The same answer for an unknown name and a wrong password.
    #[error("That sign-in name and password do not match. Check both and try again.")]
    SignInFailed,
    /// A one-time link that was used already or has expired.
    #[error("{message}")]
    Gone { message: String },
    #[error("The service is busy. Please try again in a moment.")]
    Unavailable,
    /// Something went wrong on our side; the details are in the server log only.
    #[error("Something went wrong on our side. Your data is safe; please try again.")]
    Internal,
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest {
            message: message.into(),
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field this error is about, if any (forms show the message beside it).
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest { .. } => 400,
            Self::Validation { .. } => 422,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict { .. } => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::TooManyRequests { .. } => 429,
            Self::SignInFailed => 401,
            Self::Gone { .. } => 410,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        let err = match value {
            // Argument text can echo what the client sent; answer a fixed sentence.
            E::Args(_) | E::Deserialization(_) => {
                AppError::bad_request("The request could not be read.")
            }
            E::MissingArg(arg) => AppError::validation(arg, "This value is missing."),
            E::Request(_) | E::Response(_) => AppError::Unavailable,
            _ => AppError::Internal,
        };
        #[cfg(feature = "ssr")]
        set_response_status(&err);
        err
    }
}

/// Sets the HTTP status of the current server-function response to match `err`.
#[cfg(feature = "ssr")]
pub fn set_response_status(err: &AppError) {
    // Only for a server function's own request: a page that calls one while rendering keeps
    // its own status (and would otherwise depend on streaming timing).
    let is_api = leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.uri.path().starts_with("/api/"));
    if !is_api {
        return;
    }
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(err.status())
    {
        options.set_status(status);
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": self, "message": self.to_string() });
        (status, axum::Json(body)).into_response()
    }
}

#[cfg(feature = "ssr")]
impl From<crate::db::DbError> for AppError {
    fn from(err: crate::db::DbError) -> Self {
        use crate::db::DbError;
        match err {
            DbError::NotFound => AppError::NotFound,
            DbError::Conflict => AppError::Conflict {
                message: "This was already saved with different content.".into(),
            },
            DbError::Busy => AppError::Unavailable,
            DbError::Other(source) => {
                tracing::error!(error = %source, "database error");
                AppError::Internal
            }
        }
    }
}
