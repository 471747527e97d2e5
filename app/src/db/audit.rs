//! The audit log: append and read. There is deliberately no method to change or delete a
//! row, and the database refuses it too (triggers in the migration).

use super::{Db, DbError, with_pool};

/// One audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub patient_id: Option<String>,
    pub request_id: String,
    /// `allowed` or `denied`.
    pub outcome: String,
    /// Never health data: ids, counts and names of fields only.
    pub detail: String,
}

/// What to append.
#[derive(Debug, Clone, Default)]
pub struct NewAudit {
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub patient_id: Option<String>,
    pub request_id: String,
    pub allowed: bool,
    pub detail: String,
}

/// Which rows to read; every filter is optional. Newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub patient_id: Option<String>,
    /// Inclusive lower bound, unix ms.
    pub from: Option<i64>,
    /// Exclusive upper bound, unix ms.
    pub until: Option<i64>,
    pub limit: i64,
}

impl Db {
    pub async fn append_audit(&self, row: &NewAudit) -> Result<(), DbError> {
        with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into audit_log (at, actor_id, actor_role, action, patient_id, request_id, outcome, detail, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $1)",
            )
            .bind(row.at)
            .bind(&row.actor_id)
            .bind(&row.actor_role)
            .bind(&row.action)
            .bind(&row.patient_id)
            .bind(&row.request_id)
            .bind(if row.allowed { "allowed" } else { "denied" })
            .bind(&row.detail)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, DbError> {
        // Null parameters switch a filter off, so one statement serves every combination.
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, AuditRow>(
                "select id, at, actor_id, actor_role, action, patient_id, request_id, outcome, detail \
                 from audit_log \
                 where ($1 is null or actor_id = $1) and ($2 is null or patient_id = $2) \
                   and ($3 is null or at >= $3) and ($4 is null or at < $4) \
                 order by id desc limit $5",
            )
            .bind(&filter.actor_id)
            .bind(&filter.patient_id)
            .bind(filter.from)
            .bind(filter.until)
            .bind(filter.limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
