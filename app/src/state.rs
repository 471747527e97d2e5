//! What every request handler and server function can reach: configuration and the database.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::auth::AuthSettings;
use crate::db::Db;
use crate::domain::crisis::CrisisResources;

/// Shared, cheap-to-clone server state. Holds nothing a second instance would need.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub crisis: Arc<CrisisResources>,
    pub auth: Arc<AuthSettings>,
}

/// The state inside a server function, where it is provided as context.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from server function context");
        crate::error::AppError::Internal
    })
}
