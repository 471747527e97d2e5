//! The clinic's administration: invite therapists, list and deactivate users, delete a
//! patient, read the audit log. Admin only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::OneTimeLink;
use crate::domain::account::Role;
use crate::error::AppError;

/// A user as the admin list shows them (no health data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub role: Role,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
    pub active: bool,
}

/// One audit row, with names resolved where the person still exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub patient: String,
    pub outcome: String,
    pub request_id: String,
    pub detail: String,
}

/// Most audit rows one request returns.
pub const AUDIT_PAGE: i64 = 500;

/// Creates a link a new therapist uses to join.
#[server(prefix = "/api", endpoint = "admin/invite-therapist")]
pub async fn invite_therapist(display_name: String) -> Result<OneTimeLink, AppError> {
    crate::api::respond(imp::invite_therapist(display_name)).await
}

/// Every account.
#[server(prefix = "/api", endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::api::respond(imp::list_users()).await
}

/// Deactivates an account; its sessions end at once.
#[server(prefix = "/api", endpoint = "admin/deactivate")]
pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
    crate::api::respond(imp::deactivate_user(user_id)).await
}

/// Deletes a patient and all their data, after the admin typed the patient's sign-in name.
/// The audit log keeps a row saying who deleted whom, without health data.
#[server(prefix = "/api", endpoint = "admin/delete-patient")]
pub async fn delete_patient(patient_id: String, confirm_username: String) -> Result<(), AppError> {
    crate::api::respond(imp::delete_patient(patient_id, confirm_username)).await
}

/// Audit rows, newest first, filtered by actor and patient (sign-in names) and by dates
/// (`YYYY-MM-DD`, UTC, both inclusive). Empty filters match everything.
#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn list_audit(
    actor: String,
    patient: String,
    from: String,
    until: String,
) -> Result<Vec<AuditView>, AppError> {
    crate::api::respond(imp::list_audit(actor, patient, from, until)).await
}

/// Parses `YYYY-MM-DD` into unix milliseconds at 00:00 UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000)
}

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::api::{ctx, issue_link};
    use crate::auth::{Access, audit, audit_required, authorize_patient, require_role};
    use crate::db::{AuditFilter, DbError, now_ms};
    use crate::domain::account::normalize_display_name;

    pub async fn invite_therapist(display_name: String) -> Result<OneTimeLink, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Admin]).await?;
        let display_name = normalize_display_name(&display_name)
            .map_err(|e| AppError::validation(e.field, e.message))?;
        let link = issue_link(
            &c,
            actor.id(),
            "therapist_invite",
            None,
            display_name,
            c.state.auth.invitation_ttl_ms,
        )
        .await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "therapist.invite",
            None,
            true,
            "",
        )
        .await?;
        Ok(link)
    }

    pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Admin]).await?;
        let users = c.state.db.list_users().await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "users.list",
            None,
            true,
            &format!("{} users", users.len()),
        )
        .await?;
        Ok(users
            .into_iter()
            .filter_map(|u| {
                Some(UserSummary {
                    role: Role::parse(&u.role)?,
                    active: u.is_active(),
                    id: u.id,
                    username: u.username,
                    display_name: u.display_name,
                    created_at: u.created_at,
                })
            })
            .collect())
    }

    pub async fn deactivate_user(user_id: String) -> Result<(), AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Admin]).await?;
        if user_id == actor.user.id {
            return Err(AppError::Conflict {
                message: "You cannot deactivate your own account. Ask another admin.".into(),
            });
        }
        let user = match c.state.db.get_user(&user_id).await {
            Ok(user) => user,
            Err(DbError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let patient = (user.role == Role::Patient.as_str()).then_some(user.id.as_str());
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "user.deactivate",
            patient,
            true,
            &format!("user {}", user.id),
        )
        .await?;
        c.state.db.deactivate_user(&user.id, now_ms()).await?;
        Ok(())
    }

    pub async fn delete_patient(
        patient_id: String,
        confirm_username: String,
    ) -> Result<(), AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Admin]).await?;
        let patient =
            authorize_patient(&c.state, &c.parts, &actor, &patient_id, Access::Administer).await?;
        if confirm_username.trim().to_lowercase() != patient.username {
            return Err(AppError::validation(
                "confirm_username",
                format!(
                    "To confirm, type the patient's sign-in name exactly: {}",
                    patient.username
                ),
            ));
        }
        // Recorded before the deletion, so it can never happen unrecorded.
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "patient.delete",
            Some(&patient.id),
            true,
            "",
        )
        .await?;
        if let Err(e) = c.state.db.delete_patient(&patient.id).await {
            audit(
                &c.state,
                &c.parts,
                Some(&actor),
                "patient.delete",
                Some(&patient.id),
                false,
                "failed",
            )
            .await;
            return Err(e.into());
        }
        Ok(())
    }

    pub async fn list_audit(
        actor_name: String,
        patient_name: String,
        from: String,
        until: String,
    ) -> Result<Vec<AuditView>, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Admin]).await?;
        let users = c.state.db.list_users().await?;
        let resolve = |field: &str, name: &str| -> Result<Option<String>, AppError> {
            let name = name.trim().to_lowercase();
            if name.is_empty() {
                return Ok(None);
            }
            users
                .iter()
                .find(|u| u.username == name || u.id == name)
                .map(|u| Some(u.id.clone()))
                .ok_or_else(|| AppError::validation(field, "No account has that sign-in name."))
        };
        let date = |field: &str, text: &str| -> Result<Option<i64>, AppError> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            parse_date(text)
                .map(Some)
                .ok_or_else(|| AppError::validation(field, "Enter the date as YYYY-MM-DD."))
        };
        let filter = AuditFilter {
            actor_id: resolve("actor", &actor_name)?,
            patient_id: resolve("patient", &patient_name)?,
            from: date("from", &from)?,
            until: date("until", &until)?.map(|d| d + 86_400_000),
            limit: AUDIT_PAGE,
        };
        let rows = c.state.db.list_audit(&filter).await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "audit.read",
            None,
            true,
            "",
        )
        .await?;
        let name_of = |id: &Option<String>| match id {
            None => String::new(),
            Some(id) => users
                .iter()
                .find(|u| &u.id == id)
                .map(|u| u.username.clone())
                .unwrap_or_else(|| format!("deleted ({})", id.chars().take(8).collect::<String>())),
        };
        Ok(rows
            .into_iter()
            .map(|r| AuditView {
                actor: name_of(&r.actor_id),
                patient: name_of(&r.patient_id),
                id: r.id,
                at: r.at,
                actor_role: r.actor_role,
                action: r.action,
                outcome: r.outcome,
                request_id: r.request_id,
                detail: r.detail,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_parse_to_utc_midnight() {
        assert_eq!(super::parse_date("1970-01-01"), Some(0));
        assert_eq!(super::parse_date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(super::parse_date("2024-13-01"), None);
        assert_eq!(super::parse_date("yesterday"), None);
    }
}
