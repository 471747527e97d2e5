//! The crisis resources this deployment shows.

use leptos::prelude::*;

use crate::domain::crisis::CrisisResources;
use crate::error::AppError;

/// Crisis resources from deployment configuration. Public: anyone may need them.
#[server(prefix = "/api", endpoint = "crisis/resources")]
pub async fn get_crisis_resources() -> Result<CrisisResources, AppError> {
    let state = crate::state::app_state()?;
    Ok((*state.crisis).clone())
}
