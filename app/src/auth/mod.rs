//! Who is making a request, and what they may do.
//!
//! - [`current_user`] turns the session cookie into an [`Actor`] (or 401), sliding the idle
//!   limit forward.
//! - [`authorize_patient`] is the one function that decides whether an actor may read or act
//!   on a patient's data; every server function and route that touches a patient calls it.
//! - [`audit`] appends the audit row for reads and actions, allowed or denied.

pub mod password;

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::request::Parts;
use sha2::{Digest, Sha256};

use crate::db::{Db, NewAudit, SessionRow, UserRow, now_ms};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::state::AppState;
pub use password::PasswordHasherPool;

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Session, link and sign-in limits. Defaults are the product's; tests shorten them.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Cookies are `Secure` and `__Host-` prefixed when the public origin is HTTPS.
    pub https: bool,
    /// `scheme://host[:port]` people use to reach the server; links are built from it.
    pub public_origin: Option<String>,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies).
    pub trusted_proxies: Vec<IpAddr>,
    /// A patient's phone stays signed in while used at least this often.
    pub patient_idle_ms: i64,
    pub patient_absolute_ms: i64,
    /// Therapists and admins are signed out after this much inactivity...
    pub staff_idle_ms: i64,
    /// ...and after this long in any case.
    pub staff_absolute_ms: i64,
    pub invitation_ttl_ms: i64,
    pub reset_ttl_ms: i64,
    pub setup_ttl_ms: i64,
    /// Failed sign-ins allowed per account, and per address, within the window.
    pub max_failures_per_account: i64,
    pub max_failures_per_address: i64,
    pub failure_window_ms: i64,
    pub hasher: PasswordHasherPool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            https: false,
            public_origin: None,
            trusted_proxies: Vec::new(),
            patient_idle_ms: 90 * DAY_MS,
            patient_absolute_ms: 365 * DAY_MS,
            staff_idle_ms: 30 * MINUTE_MS,
            staff_absolute_ms: 12 * HOUR_MS,
            invitation_ttl_ms: 7 * DAY_MS,
            reset_ttl_ms: DAY_MS,
            setup_ttl_ms: HOUR_MS,
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            failure_window_ms: 15 * MINUTE_MS,
            hasher: PasswordHasherPool::new(2),
        }
    }
}

impl AuthSettings {
    /// The session cookie's name: `__Host-` prefixed on HTTPS (browsers then refuse it from
    /// subdomains and over plain HTTP).
    pub fn cookie_name(&self) -> &'static str {
        if self.https {
            "__Host-stillpoint_session"
        } else {
            "stillpoint_session"
        }
    }

    fn limits(&self, role: Role) -> (i64, i64) {
        match role {
            Role::Patient => (self.patient_idle_ms, self.patient_absolute_ms),
            Role::Therapist | Role::Admin => (self.staff_idle_ms, self.staff_absolute_ms),
        }
    }

    /// The `Set-Cookie` value for a new session. Patients' phones keep it (Max-Age); staff
    /// cookies last until the browser closes, and the server limits them anyway.
    pub fn session_cookie(&self, token: &str, role: Role) -> String {
        let mut cookie = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax",
            self.cookie_name()
        );
        if role == Role::Patient {
            cookie.push_str(&format!("; Max-Age={}", self.patient_absolute_ms / 1000));
        }
        if self.https {
            cookie.push_str("; Secure");
        }
        cookie
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clearing_cookie(&self) -> String {
        let mut cookie = format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            self.cookie_name()
        );
        if self.https {
            cookie.push_str("; Secure");
        }
        cookie
    }

    /// The origin links are built on: the configured public origin, else the request's host.
    pub fn origin_for(&self, parts: &Parts) -> String {
        if let Some(origin) = &self.public_origin {
            return origin.trim_end_matches('/').to_string();
        }
        let host = parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
            })
            .unwrap_or("127.0.0.1:3000");
        format!("http://{host}")
    }
}

/// A signed-in person making this request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserRow,
    pub role: Role,
    /// The hashed id of the session in use.
    pub session_id: String,
}

impl Actor {
    pub fn id(&self) -> &str {
        &self.user.id
    }
}

/// A fresh random token for a cookie or a link (256 bits, hex) and its stored hash.
pub fn new_token() -> Result<(String, String), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| AppError::Internal)?;
    let token = hex(&bytes);
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// How a token is stored: SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Whether `token` looks like one we issue (64 hex digits); anything else is not looked up.
pub fn is_token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The session cookie's value in this request, if any.
pub fn session_token(settings: &AuthSettings, parts: &Parts) -> Option<String> {
    let name = settings.cookie_name();
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| is_token_shaped(v))
}

/// Creates a session for `user` and returns the cookie value to set.
pub async fn start_session(
    db: &Db,
    settings: &AuthSettings,
    user: &UserRow,
    role: Role,
) -> Result<String, AppError> {
    let (token, id) = new_token()?;
    let now = now_ms();
    let (idle, absolute) = settings.limits(role);
    db.insert_session(&SessionRow {
        id,
        user_id: user.id.clone(),
        created_at: now,
        last_seen_at: now,
        idle_expires_at: now + idle,
        absolute_expires_at: now + absolute,
    })
    .await?;
    Ok(settings.session_cookie(&token, role))
}

/// The signed-in person, or 401. Expired sessions are removed; deactivated users are
/// refused. The idle limit slides forward (written at most once a minute).
pub async fn current_user(state: &AppState, parts: &Parts) -> Result<Actor, AppError> {
    let token = session_token(&state.auth, parts).ok_or(AppError::Unauthorized)?;
    let id = hash_token(&token);
    let (session, user) = state
        .db
        .get_session_with_user(&id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let now = now_ms();
    if !session.is_live(now) {
        state.db.delete_session(&id).await?;
        return Err(AppError::Unauthorized);
    }
    let role = Role::parse(&user.role).ok_or(AppError::Unauthorized)?;
    if !user.is_active() {
        state.db.delete_sessions_for_user(&user.id).await?;
        return Err(AppError::Unauthorized);
    }
    if now - session.last_seen_at >= MINUTE_MS {
        let (idle, _) = state.auth.limits(role);
        state.db.touch_session(&id, now, now + idle).await?;
    }
    Ok(Actor {
        user,
        role,
        session_id: id,
    })
}

/// The signed-in person if there is one; `None` when signed out or the session ended.
pub async fn optional_user(state: &AppState, parts: &Parts) -> Result<Option<Actor>, AppError> {
    match current_user(state, parts).await {
        Ok(actor) => Ok(Some(actor)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The signed-in person, who must have one of `roles` (else 403).
pub async fn require_role(
    state: &AppState,
    parts: &Parts,
    roles: &[Role],
) -> Result<Actor, AppError> {
    let actor = current_user(state, parts).await?;
    if !roles.contains(&actor.role) {
        audit(state, parts, Some(&actor), "access.role", None, false, "").await;
        return Err(AppError::Forbidden);
    }
    Ok(actor)
}

/// What an actor wants to do with a patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read health data (entries, check-ins).
    Read,
    /// Act in care: add a colleague, issue a reset link.
    Care,
    /// Administer the account: delete it.
    Administer,
}

/// The one rule for patient data.
/// - A patient may read and act on their own data only.
/// - A therapist may read and act in care for patients on their care teams.
/// - An admin administers accounts (and may issue reset links) but does not read health data.
///
/// Anything else is answered 404, exactly like a patient who does not exist, and audited as
/// denied. Returns the patient.
pub async fn authorize_patient(
    state: &AppState,
    parts: &Parts,
    actor: &Actor,
    patient_id: &str,
    access: Access,
) -> Result<UserRow, AppError> {
    let patient = match state.db.get_user(patient_id).await {
        Ok(user) if user.role == Role::Patient.as_str() => Some(user),
        Ok(_) | Err(crate::db::DbError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let allowed = match (&patient, actor.role, access) {
        (None, _, _) => false,
        (Some(p), Role::Patient, Access::Read | Access::Care) => p.id == actor.user.id,
        (Some(p), Role::Therapist, Access::Read | Access::Care) => {
            state.db.is_care_team_member(&p.id, &actor.user.id).await?
        }
        (Some(_), Role::Admin, Access::Administer | Access::Care) => true,
        _ => false,
    };
    match patient {
        Some(patient) if allowed => Ok(patient),
        _ => {
            let id: String = patient_id.chars().take(64).collect();
            audit(
                state,
                parts,
                Some(actor),
                "patient.access",
                Some(&id),
                false,
                access_word(access),
            )
            .await;
            Err(AppError::NotFound)
        }
    }
}

fn access_word(access: Access) -> &'static str {
    match access {
        Access::Read => "read",
        Access::Care => "care",
        Access::Administer => "administer",
    }
}

/// This request's id (set by the server's request-id layer).
pub fn request_id(parts: &Parts) -> String {
    parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(64)
        .collect()
}

/// Appends an audit row. A failure to write it is logged loudly; the caller's answer does
/// not change (the row is best effort only for denials; see [`audit_required`]).
pub async fn audit(
    state: &AppState,
    parts: &Parts,
    actor: Option<&Actor>,
    action: &str,
    patient_id: Option<&str>,
    allowed: bool,
    detail: &str,
) {
    if let Err(e) = audit_required(state, parts, actor, action, patient_id, allowed, detail).await {
        tracing::error!(error = %e, action, "audit row could not be written");
    }
}

/// Appends an audit row, failing the request if it cannot be written: reads of patient data
/// and actions must never happen unrecorded.
pub async fn audit_required(
    state: &AppState,
    parts: &Parts,
    actor: Option<&Actor>,
    action: &str,
    patient_id: Option<&str>,
    allowed: bool,
    detail: &str,
) -> Result<(), AppError> {
    state
        .db
        .append_audit(&NewAudit {
            at: now_ms(),
            actor_id: actor.map(|a| a.user.id.clone()),
            actor_role: actor
                .map(|a| a.role.as_str().to_string())
                .unwrap_or_default(),
            action: action.to_string(),
            patient_id: patient_id.map(str::to_string),
            request_id: request_id(parts),
            allowed,
            detail: detail.to_string(),
        })
        .await
        .map_err(AppError::from)
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most
/// `X-Forwarded-For` address that is not itself a trusted proxy. A client cannot spoof its
/// key by sending its own `X-Forwarded-For`.
pub fn client_ip(settings: &AuthSettings, parts: &Parts) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if !settings.trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !settings.trusted_proxies.contains(ip))
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts_from(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut builder = http::Request::builder().uri("/");
        if let Some(f) = forwarded {
            builder = builder.header("x-forwarded-for", f);
        }
        let (mut parts, ()) = builder.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        parts
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let settings = AuthSettings::default();
        let parts = parts_from("203.0.113.9:5000", Some("198.51.100.1"));
        assert_eq!(
            client_ip(&settings, &parts),
            Some("203.0.113.9".parse().unwrap())
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_counts() {
        let settings = AuthSettings {
            trusted_proxies: vec!["10.0.0.2".parse().unwrap()],
            ..AuthSettings::default()
        };
        // The client forged the first address; the proxy appended the real one.
        let parts = parts_from("10.0.0.2:443", Some("1.2.3.4, 203.0.113.9"));
        assert_eq!(
            client_ip(&settings, &parts),
            Some("203.0.113.9".parse().unwrap())
        );
    }

    #[test]
    fn tokens_are_256_bit_hex_and_stored_hashed() {
        let (token, hash) = new_token().unwrap();
        assert!(is_token_shaped(&token));
        assert_ne!(token, hash);
        assert_eq!(hash, hash_token(&token));
        assert!(!is_token_shaped("../etc/passwd"));
    }
}
