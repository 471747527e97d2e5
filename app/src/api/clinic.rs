//! The therapist's side: their patients, a patient's record, invitations, care teams and
//! reset links. Every read of patient data is audited.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::OneTimeLink;
use crate::api::entries::EntryView;
use crate::error::AppError;

/// A patient on the therapist's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterItem {
    pub id: String,
    pub display_name: String,
    pub username: String,
    pub active: bool,
    pub entry_count: i64,
    pub last_recorded_at: Option<i64>,
}

/// A colleague who can join a care team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub username: String,
    pub display_name: String,
}

/// What a therapist sees about one patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientRecord {
    pub id: String,
    pub display_name: String,
    pub username: String,
    pub active: bool,
    pub care_team: Vec<Colleague>,
    pub entries: Vec<EntryView>,
}

/// How many entries a patient record shows.
pub const RECORD_LIMIT: i64 = 100;

/// Creates an invitation for a new patient, who joins the inviting therapist's care team.
#[server(prefix = "/api", endpoint = "clinic/invite-patient")]
pub async fn invite_patient(display_name: String) -> Result<OneTimeLink, AppError> {
    crate::api::respond(imp::invite_patient(display_name)).await
}

/// The signed-in therapist's patients, most recently active first.
#[server(prefix = "/api", endpoint = "clinic/patients")]
pub async fn list_my_patients() -> Result<Vec<RosterItem>, AppError> {
    crate::api::respond(imp::list_my_patients()).await
}

/// One patient's record, if they are on the therapist's care team (else 404).
#[server(prefix = "/api", endpoint = "clinic/patient")]
pub async fn get_patient_record(patient_id: String) -> Result<PatientRecord, AppError> {
    crate::api::respond(imp::get_patient_record(patient_id)).await
}

/// Adds another therapist to a patient's care team.
#[server(prefix = "/api", endpoint = "clinic/add-colleague")]
pub async fn add_colleague(patient_id: String, colleague_username: String) -> Result<(), AppError> {
    crate::api::respond(imp::add_colleague(patient_id, colleague_username)).await
}

/// The clinic's active therapists, for choosing a colleague.
#[server(prefix = "/api", endpoint = "clinic/therapists")]
pub async fn list_therapists() -> Result<Vec<Colleague>, AppError> {
    crate::api::respond(imp::list_therapists()).await
}

/// A password reset link for a user: a therapist for patients on their care team, an admin
/// for anyone.
#[server(prefix = "/api", endpoint = "clinic/reset-link")]
pub async fn issue_reset_link(user_id: String) -> Result<OneTimeLink, AppError> {
    crate::api::respond(imp::issue_reset_link(user_id)).await
}

#[cfg(feature = "ssr")]
mod imp {
    use super::*;
    use crate::api::entries::entry_view;
    use crate::api::{ctx, issue_link};
    use crate::auth::{Access, audit_required, authorize_patient, require_role};
    use crate::db::{DbError, now_ms};
    use crate::domain::account::{Role, normalize_display_name};

    pub async fn invite_patient(display_name: String) -> Result<OneTimeLink, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let display_name = normalize_display_name(&display_name)
            .map_err(|e| AppError::validation(e.field, e.message))?;
        let link = issue_link(
            &c,
            actor.id(),
            "patient_invite",
            None,
            display_name,
            c.state.auth.invitation_ttl_ms,
        )
        .await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "patient.invite",
            None,
            true,
            "",
        )
        .await?;
        Ok(link)
    }

    pub async fn list_my_patients() -> Result<Vec<RosterItem>, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let rows = c.state.db.list_patients_for_therapist(actor.id()).await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "patients.list",
            None,
            true,
            &format!("{} patients", rows.len()),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| RosterItem {
                active: r.patient.is_active(),
                id: r.patient.id,
                display_name: r.patient.display_name,
                username: r.patient.username,
                entry_count: r.entry_count,
                last_recorded_at: r.last_recorded_at,
            })
            .collect())
    }

    pub async fn get_patient_record(patient_id: String) -> Result<PatientRecord, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let patient =
            authorize_patient(&c.state, &c.parts, &actor, &patient_id, Access::Read).await?;
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "patient.read",
            Some(&patient.id),
            true,
            "record",
        )
        .await?;
        let entries = c
            .state
            .db
            .list_entries_for_patient(&patient.id, RECORD_LIMIT)
            .await?;
        let care_team = c.state.db.list_care_team(&patient.id).await?;
        Ok(PatientRecord {
            active: patient.is_active(),
            id: patient.id,
            display_name: patient.display_name,
            username: patient.username,
            care_team: care_team
                .into_iter()
                .map(|t| Colleague {
                    username: t.username,
                    display_name: t.display_name,
                })
                .collect(),
            entries: entries.into_iter().map(entry_view).collect(),
        })
    }

    pub async fn add_colleague(
        patient_id: String,
        colleague_username: String,
    ) -> Result<(), AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        let patient =
            authorize_patient(&c.state, &c.parts, &actor, &patient_id, Access::Care).await?;
        let name = colleague_username.trim().to_lowercase();
        let colleague = match c.state.db.get_login(&name).await? {
            Some(login)
                if login.user.role == Role::Therapist.as_str() && login.user.is_active() =>
            {
                login.user
            }
            _ => {
                return Err(AppError::validation(
                    "colleague_username",
                    "No active therapist has that sign-in name.",
                ));
            }
        };
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "care_team.add",
            Some(&patient.id),
            true,
            &format!("therapist {}", colleague.id),
        )
        .await?;
        c.state
            .db
            .add_care_team_member(&patient.id, &colleague.id, actor.id(), now_ms())
            .await?;
        Ok(())
    }

    pub async fn list_therapists() -> Result<Vec<Colleague>, AppError> {
        let c = ctx()?;
        require_role(&c.state, &c.parts, &[Role::Therapist]).await?;
        Ok(c.state
            .db
            .list_users()
            .await?
            .into_iter()
            .filter(|u| u.role == Role::Therapist.as_str() && u.is_active())
            .map(|u| Colleague {
                username: u.username,
                display_name: u.display_name,
            })
            .collect())
    }

    pub async fn issue_reset_link(user_id: String) -> Result<OneTimeLink, AppError> {
        let c = ctx()?;
        let actor = require_role(&c.state, &c.parts, &[Role::Therapist, Role::Admin]).await?;
        let target = match actor.role {
            Role::Admin => match c.state.db.get_user(&user_id).await {
                Ok(user) => user,
                Err(DbError::NotFound) => return Err(AppError::NotFound),
                Err(e) => return Err(e.into()),
            },
            _ => authorize_patient(&c.state, &c.parts, &actor, &user_id, Access::Care).await?,
        };
        if !target.is_active() {
            return Err(AppError::Conflict {
                message: "This account is deactivated. It cannot get a reset link.".into(),
            });
        }
        let link = issue_link(
            &c,
            actor.id(),
            "reset",
            Some(target.id.clone()),
            String::new(),
            c.state.auth.reset_ttl_ms,
        )
        .await?;
        let patient = (target.role == Role::Patient.as_str()).then_some(target.id.as_str());
        audit_required(
            &c.state,
            &c.parts,
            Some(&actor),
            "password.reset_link",
            patient,
            true,
            &format!("user {}", target.id),
        )
        .await?;
        Ok(link)
    }
}
