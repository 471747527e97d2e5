//! Signing in and out, one-time links (first-admin setup, invitations, password resets), and
//! the signed-in person's own profile.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::Role;
use crate::error::AppError;

/// Where to go after signing in or joining.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub role: Role,
    pub home: String,
}

/// The signed-in person as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub role: Role,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
    /// For a patient: the names of the therapists on their care team.
    pub care_team: Vec<String>,
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    Setup,
    TherapistInvite,
    PatientInvite,
    Reset,
}

/// A one-time link as its page describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkInfo {
    Valid {
        purpose: LinkPurpose,
        /// The name the inviter gave, to prefill the form.
        display_name: String,
        /// For a reset: the account's sign-in name.
        username: String,
        expires_at: i64,
    },
    Expired,
    Used,
    Unknown,
}

/// Signs in with a sign-in name and password. The same answer for an unknown name and a
/// wrong password; limited per account and per address.
#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(username: String, password: String) -> Result<SignedIn, AppError> {
    crate::api::respond(imp::sign_in(username, password)).await
}

/// Ends this device's session.
#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::api::respond(imp::sign_out(false)).await
}

/// Ends every session of the signed-in person, on every device.
#[server(prefix = "/api", endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    crate::api::respond(imp::sign_out(true)).await
}

/// The signed-in person, or `None` when signed out.
#[server(prefix = "/api", endpoint = "account/me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    crate::api::respond(imp::get_me()).await
}

/// What a one-time link is, and whether it can still be used. Public: the token is the key.
#[server(prefix = "/api", endpoint = "account/link")]
pub async fn describe_link(token: String) -> Result<LinkInfo, AppError> {
    crate::api::respond(imp::describe_link(token)).await
}

/// Uses a one-time link: creates the account (setup, invitations) or sets a new password
/// (reset), then signs in. `username` and `display_name` are ignored for a reset.
#[server(prefix = "/api", endpoint = "account/redeem")]
pub async fn redeem_link(
    token: String,
    username: String,
    display_name: String,
    password: String,
) -> Result<SignedIn, AppError> {
    crate::api::respond(imp::redeem_link(token, username, display_name, password)).await
}

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::api::{add_header, ctx};
    use crate::auth::{
        self, audit, audit_required, hash_token, is_token_shaped, optional_user, start_session,
    };
    use crate::db::{DbError, NewUser, TokenRow, UserRow, now_ms};
    use crate::domain::account::{MAX_PASSWORD_CHARS, normalize_display_name, normalize_username};
    use http::header::SET_COOKIE;

    pub async fn sign_in(username: String, password: String) -> Result<SignedIn, AppError> {
        let c = ctx()?;
        let (state, parts) = (&c.state, &c.parts);
        let settings = &state.auth;
        let name: String = username.trim().to_lowercase().chars().take(64).collect();
        let account_key = format!("user:{name}");
        let address_key = auth::client_ip(settings, parts).map(|ip| format!("addr:{ip}"));
        let now = now_ms();
        let since = now - settings.failure_window_ms;
        let minutes = settings.failure_window_ms / 60_000;
        if state.db.count_sign_in_failures(&account_key, since).await?
            >= settings.max_failures_per_account
        {
            audit(
                state,
                parts,
                None,
                "sign_in",
                None,
                false,
                "account throttled",
            )
            .await;
            return Err(AppError::TooManyRequests {
                message: format!(
                    "Too many attempts to sign in to this account. Please wait {minutes} minutes and try again, or ask your therapist or clinic for a reset link."
                ),
            });
        }
        if let Some(key) = &address_key
            && state.db.count_sign_in_failures(key, since).await?
                >= settings.max_failures_per_address
        {
            audit(
                state,
                parts,
                None,
                "sign_in",
                None,
                false,
                "address throttled",
            )
            .await;
            return Err(AppError::TooManyRequests {
                message: format!(
                    "Too many sign-in attempts from this network. Please wait {minutes} minutes and try again."
                ),
            });
        }
        let login = if name.is_empty() {
            None
        } else {
            state.db.get_login(&name).await?
        };
        let matches = if password.chars().count() > MAX_PASSWORD_CHARS {
            false
        } else {
            let stored = login.as_ref().and_then(|l| l.password_hash.as_deref());
            settings.hasher.verify(&password, stored).await?
        };
        let user = match login {
            Some(login) if matches && login.user.is_active() => login.user,
            other => {
                state.db.record_sign_in_failure(&account_key, now).await?;
                if let Some(key) = &address_key {
                    state.db.record_sign_in_failure(key, now).await?;
                }
                let detail = if other.is_some() {
                    "wrong password or inactive"
                } else {
                    "unknown name"
                };
                audit(state, parts, None, "sign_in", None, false, detail).await;
                return Err(AppError::SignInFailed);
            }
        };
        state.db.clear_sign_in_failures(&account_key).await?;
        let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
        finish_sign_in(&c, &user, role, "sign_in").await
    }

    /// Rotates the session: the old one (if any) ends, a new one starts and is set as cookie.
    async fn finish_sign_in(
        c: &crate::api::Ctx,
        user: &UserRow,
        role: Role,
        action: &str,
    ) -> Result<SignedIn, AppError> {
        if let Some(old) = auth::session_token(&c.state.auth, &c.parts) {
            c.state.db.delete_session(&hash_token(&old)).await?;
        }
        let cookie = start_session(&c.state.db, &c.state.auth, user, role).await?;
        add_header(SET_COOKIE, &cookie);
        let actor = auth::Actor {
            user: user.clone(),
            role,
            session_id: String::new(),
        };
        let patient = (role == Role::Patient).then_some(user.id.as_str());
        audit(&c.state, &c.parts, Some(&actor), action, patient, true, "").await;
        Ok(SignedIn {
            role,
            home: role.home().to_string(),
        })
    }

    pub async fn sign_out(everywhere: bool) -> Result<(), AppError> {
        let c = ctx()?;
        let (state, parts) = (&c.state, &c.parts);
        if let Some(actor) = optional_user(state, parts).await? {
            if everywhere {
                state.db.delete_sessions_for_user(actor.id()).await?;
            } else {
                state.db.delete_session(&actor.session_id).await?;
            }
            let action = if everywhere {
                "sign_out_everywhere"
            } else {
                "sign_out"
            };
            let patient = (actor.role == Role::Patient).then_some(actor.id());
            audit(state, parts, Some(&actor), action, patient, true, "").await;
        }
        add_header(SET_COOKIE, &state.auth.clearing_cookie());
        // Removes cached pages and the offline outbox from this browser.
        add_header(
            http::HeaderName::from_static("clear-site-data"),
            "\"cache\", \"storage\"",
        );
        Ok(())
    }

    pub async fn get_me() -> Result<Option<Me>, AppError> {
        let c = ctx()?;
        let Some(actor) = optional_user(&c.state, &c.parts).await? else {
            return Ok(None);
        };
        let care_team = if actor.role == Role::Patient {
            c.state
                .db
                .list_care_team(actor.id())
                .await?
                .into_iter()
                .map(|t| t.display_name)
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(Me {
            id: actor.user.id.clone(),
            role: actor.role,
            username: actor.user.username.clone(),
            display_name: actor.user.display_name.clone(),
            created_at: actor.user.created_at,
            care_team,
        }))
    }

    fn purpose_of(row: &TokenRow) -> Option<LinkPurpose> {
        match row.purpose.as_str() {
            "setup" => Some(LinkPurpose::Setup),
            "therapist_invite" => Some(LinkPurpose::TherapistInvite),
            "patient_invite" => Some(LinkPurpose::PatientInvite),
            "reset" => Some(LinkPurpose::Reset),
            _ => None,
        }
    }

    /// The stored link for `token`, and what state it is in.
    async fn lookup(
        state: &crate::state::AppState,
        token: &str,
    ) -> Result<(Option<TokenRow>, LinkInfo), AppError> {
        if !is_token_shaped(token) {
            return Ok((None, LinkInfo::Unknown));
        }
        let Some(row) = state.db.get_token(&hash_token(token)).await? else {
            return Ok((None, LinkInfo::Unknown));
        };
        let info = if row.used_at.is_some() {
            LinkInfo::Used
        } else if row.expires_at <= now_ms() {
            LinkInfo::Expired
        } else {
            let Some(purpose) = purpose_of(&row) else {
                return Ok((None, LinkInfo::Unknown));
            };
            let username = match (&row.user_id, purpose) {
                (Some(id), LinkPurpose::Reset) => match state.db.get_user(id).await {
                    Ok(user) => user.username,
                    Err(DbError::NotFound) => return Ok((None, LinkInfo::Unknown)),
                    Err(e) => return Err(e.into()),
                },
                _ => String::new(),
            };
            LinkInfo::Valid {
                purpose,
                display_name: row.display_name.clone(),
                username,
                expires_at: row.expires_at,
            }
        };
        Ok((Some(row), info))
    }

    pub async fn describe_link(token: String) -> Result<LinkInfo, AppError> {
        let c = ctx()?;
        Ok(lookup(&c.state, token.trim()).await?.1)
    }

    fn unusable(info: &LinkInfo) -> AppError {
        match info {
            LinkInfo::Used => AppError::Gone {
                message: "This link has been used already. Each link works once. Ask for a new one if you need it.".into(),
            },
            LinkInfo::Expired => AppError::Gone {
                message: "This link has expired. Ask the person who sent it for a new one.".into(),
            },
            _ => AppError::NotFound,
        }
    }

    pub async fn redeem_link(
        token: String,
        username: String,
        display_name: String,
        password: String,
    ) -> Result<SignedIn, AppError> {
        let c = ctx()?;
        let state = &c.state;
        let token = token.trim();
        let (row, info) = lookup(state, token).await?;
        let (Some(row), LinkInfo::Valid { purpose, .. }) = (row, &info) else {
            return Err(unusable(&info));
        };
        let now = now_ms();
        if *purpose == LinkPurpose::Reset {
            let target_name = match &row.user_id {
                Some(id) => state.db.get_user(id).await?.username,
                None => return Err(AppError::NotFound),
            };
            crate::auth::password::check_new_password(&password, &target_name)?;
            let hash = state.auth.hasher.hash(&password).await?;
            let user = match state.db.redeem_reset_token(&row.id, &hash, now).await {
                Ok(user) => user,
                Err(DbError::NotFound) => return Err(unusable(&LinkInfo::Used)),
                Err(e) => return Err(e.into()),
            };
            if !user.is_active() {
                return Err(AppError::Forbidden);
            }
            let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
            return finish_sign_in(&c, &user, role, "password.reset").await;
        }

        let username =
            normalize_username(&username).map_err(|e| AppError::validation(e.field, e.message))?;
        let display_name = normalize_display_name(&display_name)
            .map_err(|e| AppError::validation(e.field, e.message))?;
        crate::auth::password::check_new_password(&password, &username)?;
        let (role, team) = match purpose {
            LinkPurpose::Setup => {
                if state.db.count_active_admins().await? > 0 {
                    return Err(AppError::Gone {
                        message: "An admin account exists already. Please sign in instead.".into(),
                    });
                }
                (Role::Admin, None)
            }
            LinkPurpose::TherapistInvite => (Role::Therapist, None),
            LinkPurpose::PatientInvite => (Role::Patient, row.created_by.clone()),
            LinkPurpose::Reset => return Err(AppError::Internal),
        };
        let hash = state.auth.hasher.hash(&password).await?;
        let new = NewUser {
            id: uuid::Uuid::now_v7().to_string(),
            role: role.as_str().into(),
            username,
            display_name,
            password_hash: Some(hash),
            created_at: now,
        };
        let user = match state
            .db
            .redeem_token_for_new_user(&row.id, &new, team.as_deref())
            .await
        {
            Ok(user) => user,
            Err(DbError::Conflict) => {
                return Err(AppError::validation(
                    "username",
                    "That sign-in name is taken. Please choose another.",
                ));
            }
            Err(DbError::NotFound) => return Err(unusable(&LinkInfo::Used)),
            Err(e) => return Err(e.into()),
        };
        let actor = auth::Actor {
            user: user.clone(),
            role,
            session_id: String::new(),
        };
        let patient = (role == Role::Patient).then_some(user.id.as_str());
        audit_required(
            state,
            &c.parts,
            Some(&actor),
            "account.create",
            patient,
            true,
            role.as_str(),
        )
        .await?;
        finish_sign_in(&c, &user, role, "sign_in").await
    }
}
