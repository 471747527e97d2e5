//! Commands besides serving: `create-admin` for scripted installs, and the first-start setup
//! link.

use std::io::BufRead;

use anyhow::anyhow;
use app::auth::{new_token, password::check_new_password};
use app::db::{DbError, NewUser, TokenRow, now_ms};
use app::domain::account::{Role, normalize_display_name, normalize_username};
use app::state::AppState;

use crate::config::Config;

/// Creates an admin account. The password comes from `STILLPOINT_ADMIN_PASSWORD` or the
/// first line of standard input.
pub async fn create_admin(
    config: &Config,
    username: &str,
    display_name: &str,
) -> anyhow::Result<()> {
    let username = normalize_username(username)
        .map_err(|e| anyhow!("{}", e.message.trim_end_matches('.').to_lowercase()))?;
    let display_name = normalize_display_name(display_name)
        .map_err(|e| anyhow!("{}", e.message.trim_end_matches('.').to_lowercase()))?;
    let password = match std::env::var("STILLPOINT_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| anyhow!("the password could not be read from standard input ({e})"))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    check_new_password(&password, &username).map_err(|e| {
        anyhow!(
            "the password was refused: {}",
            e.to_string()
                .trim_start_matches("password: ")
                .trim_end_matches('.')
        )
    })?;
    let (state, _) = crate::build_state(config).await?;
    let hash = state
        .auth
        .hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let user = NewUser {
        id: uuid::Uuid::now_v7().to_string(),
        role: Role::Admin.as_str().into(),
        username: username.clone(),
        display_name,
        password_hash: Some(hash),
        created_at: now_ms(),
    };
    match state.db.insert_user(&user).await {
        Ok(_) => {}
        Err(DbError::Conflict) => {
            return Err(anyhow!("the sign-in name \"{username}\" is taken already"));
        }
        Err(e) => return Err(anyhow!("the admin could not be saved ({e})")),
    }
    state
        .db
        .append_audit(&app::db::NewAudit {
            at: now_ms(),
            actor_id: None,
            actor_role: "cli".into(),
            action: "account.create".into(),
            allowed: true,
            detail: format!("admin {}", user.id),
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow!("the audit row could not be written ({e})"))?;
    state.db.close().await;
    println!("Admin \"{username}\" created. Sign in at /sign-in.");
    Ok(())
}

/// Creates a fresh setup link (replacing any unused one) and returns its URL.
pub async fn create_setup_link(state: &AppState, origin: &str) -> anyhow::Result<String> {
    let now = now_ms();
    state.db.expire_unused_tokens("setup", now).await?;
    let (token, id) = new_token().map_err(|e| anyhow!("{e}"))?;
    state
        .db
        .insert_token(&TokenRow {
            id,
            purpose: "setup".into(),
            created_by: None,
            user_id: None,
            display_name: "Clinic admin".into(),
            created_at: now,
            expires_at: now + state.auth.setup_ttl_ms,
            used_at: None,
        })
        .await?;
    Ok(format!("{}/link/{token}", origin.trim_end_matches('/')))
}
