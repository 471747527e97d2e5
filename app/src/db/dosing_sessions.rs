//! Dosing sessions: scheduled by a therapist, rescheduled or cancelled; never deleted except
//! with the patient.

use super::{Db, DbError, with_pool};

/// A dosing session as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DosingSessionRow {
    pub id: String,
    pub patient_id: String,
    pub starts_at: i64,
    pub time_zone: String,
    pub route: String,
    pub location_note: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    pub cancel_reason: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl DosingSessionRow {
    pub fn is_scheduled(&self) -> bool {
        self.status == "scheduled"
    }
}

macro_rules! session_columns {
    () => {
        "id, patient_id, starts_at, time_zone, route, location_note, status, cancel_reason, created_by, created_at, updated_at"
    };
}

impl Db {
    pub async fn insert_dosing_session(&self, row: &DosingSessionRow) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(concat!(
                "insert into dosing_sessions (",
                session_columns!(),
                ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            ))
            .bind(&row.id)
            .bind(&row.patient_id)
            .bind(row.starts_at)
            .bind(&row.time_zone)
            .bind(&row.route)
            .bind(&row.location_note)
            .bind(&row.status)
            .bind(&row.cancel_reason)
            .bind(&row.created_by)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// One session; `DbError::NotFound` if absent.
    pub async fn get_dosing_session(&self, id: &str) -> Result<DosingSessionRow, DbError> {
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, DosingSessionRow>(concat!(
                "select ",
                session_columns!(),
                " from dosing_sessions where id = $1"
            ))
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        Ok(row)
    }

    /// A patient's sessions, earliest first.
    pub async fn list_dosing_sessions(
        &self,
        patient_id: &str,
    ) -> Result<Vec<DosingSessionRow>, DbError> {
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, DosingSessionRow>(concat!(
                "select ",
                session_columns!(),
                " from dosing_sessions where patient_id = $1 order by starts_at, id"
            ))
            .bind(patient_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Moves a scheduled session. Only a session still `scheduled` changes; `NotFound`
    /// otherwise (the caller checked it existed, so that means it was cancelled meanwhile).
    pub async fn reschedule_dosing_session(
        &self,
        id: &str,
        starts_at: i64,
        time_zone: &str,
        route: &str,
        location_note: &str,
        at: i64,
    ) -> Result<(), DbError> {
        let changed = with_pool!(self, writer, |pool| {
            sqlx::query(
                "update dosing_sessions set starts_at = $2, time_zone = $3, route = $4, \
                 location_note = $5, updated_at = $6 where id = $1 and status = 'scheduled'",
            )
            .bind(id)
            .bind(starts_at)
            .bind(time_zone)
            .bind(route)
            .bind(location_note)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Cancels a scheduled session; `NotFound` if it is not scheduled.
    pub async fn cancel_dosing_session(
        &self,
        id: &str,
        reason: &str,
        at: i64,
    ) -> Result<(), DbError> {
        let changed = with_pool!(self, writer, |pool| {
            sqlx::query(
                "update dosing_sessions set status = 'cancelled', cancel_reason = $2, updated_at = $3 \
                 where id = $1 and status = 'scheduled'",
            )
            .bind(id)
            .bind(reason)
            .bind(at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// A patient's preparation and integration entries, oldest first.
    pub async fn list_prep_entries(
        &self,
        patient_id: &str,
    ) -> Result<Vec<super::EntryRow>, DbError> {
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, super::EntryRow>(
                "select id, patient_id, kind, schema_version, recorded_at, received_at, late, payload, created_at \
                 from entries where patient_id = $1 and kind in ('module_read', 'intention', 'readiness_tick', \
                 'session_question', 'integration_reflection') order by recorded_at, id",
            )
            .bind(patient_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
