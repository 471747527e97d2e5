//! Care teams: which therapists look after which patient.

use super::{Db, DbError, UserRow, with_pool};

/// A patient on a therapist's list, with what the roster shows.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterRow {
    #[sqlx(flatten)]
    pub patient: UserRow,
    pub entry_count: i64,
    pub last_recorded_at: Option<i64>,
}

impl Db {
    /// Adds a therapist to a patient's care team; adding twice is not an error.
    pub async fn add_care_team_member(
        &self,
        patient_id: &str,
        therapist_id: &str,
        added_by: &str,
        at: i64,
    ) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into care_team_members (patient_id, therapist_id, added_by, created_at) \
                 values ($1, $2, $3, $4) on conflict (patient_id, therapist_id) do nothing",
            )
            .bind(patient_id)
            .bind(therapist_id)
            .bind(added_by)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn is_care_team_member(
        &self,
        patient_id: &str,
        therapist_id: &str,
    ) -> Result<bool, DbError> {
        let n: i64 = with_pool!(self, reader, |pool| {
            sqlx::query_scalar(
                "select count(*) from care_team_members where patient_id = $1 and therapist_id = $2",
            )
            .bind(patient_id)
            .bind(therapist_id)
            .fetch_one(pool)
            .await?
        });
        Ok(n > 0)
    }

    /// The therapists on a patient's care team.
    pub async fn list_care_team(&self, patient_id: &str) -> Result<Vec<UserRow>, DbError> {
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, UserRow>(
                "select u.id, u.role, u.username, u.display_name, u.created_at, u.deactivated_at \
                 from care_team_members c join users u on u.id = c.therapist_id \
                 where c.patient_id = $1 order by u.display_name",
            )
            .bind(patient_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// A therapist's patients with their entry count and latest entry, most recent first.
    pub async fn list_patients_for_therapist(
        &self,
        therapist_id: &str,
    ) -> Result<Vec<RosterRow>, DbError> {
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, RosterRow>(
                "select u.id, u.role, u.username, u.display_name, u.created_at, u.deactivated_at, \
                        (select count(*) from entries e where e.patient_id = u.id) as entry_count, \
                        (select max(e.recorded_at) from entries e where e.patient_id = u.id) as last_recorded_at \
                 from care_team_members c join users u on u.id = c.patient_id \
                 where c.therapist_id = $1 \
                 order by last_recorded_at desc nulls last, u.display_name",
            )
            .bind(therapist_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
