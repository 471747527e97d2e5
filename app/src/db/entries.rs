//! Entries: the append-only log of what patients record. Rows are never updated or deleted
//! here; a correction is a new entry.

use super::{Db, DbError, with_pool};

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub id: String,
    pub patient_id: String,
    pub kind: String,
    pub schema_version: i64,
    pub recorded_at: i64,
    pub received_at: i64,
    pub late: bool,
    pub payload: String,
    pub created_at: i64,
}

/// A validated entry ready to store.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: String,
    pub patient_id: String,
    pub kind: String,
    pub schema_version: i64,
    pub recorded_at: i64,
    pub received_at: i64,
    pub late: bool,
    pub payload: String,
}

/// What happened to an insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// A new row was stored.
    Inserted,
    /// A row with this id already existed; here it is, unchanged.
    Existing(EntryRow),
}

/// The column list every entry query selects, as a literal so queries stay `&'static str`.
macro_rules! entry_columns {
    () => {
        "id, patient_id, kind, schema_version, recorded_at, received_at, late, payload, created_at"
    };
}

impl Db {
    /// Stores an entry unless its id is already present ("on conflict do nothing"), in which
    /// case the stored row is returned for the caller to compare.
    pub async fn insert_entry(&self, entry: &NewEntry) -> Result<InsertOutcome, DbError> {
        let inserted = with_pool!(self, writer, |pool| {
            sqlx::query(
                "insert into entries (id, patient_id, kind, schema_version, recorded_at, received_at, late, payload, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing",
            )
            .bind(&entry.id)
            .bind(&entry.patient_id)
            .bind(&entry.kind)
            .bind(entry.schema_version)
            .bind(entry.recorded_at)
            .bind(entry.received_at)
            .bind(entry.late)
            .bind(&entry.payload)
            .bind(entry.received_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if inserted == 1 {
            return Ok(InsertOutcome::Inserted);
        }
        // Read through the writer so the row that won the conflict is certainly visible.
        let existing = with_pool!(self, writer, |pool| {
            sqlx::query_as::<_, EntryRow>(concat!(
                "select ",
                entry_columns!(),
                " from entries where id = $1"
            ))
            .bind(&entry.id)
            .fetch_one(pool)
            .await?
        });
        Ok(InsertOutcome::Existing(existing))
    }

    /// One entry by id; `DbError::NotFound` if absent.
    pub async fn get_entry(&self, id: &str) -> Result<EntryRow, DbError> {
        let row = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, EntryRow>(concat!(
                "select ",
                entry_columns!(),
                " from entries where id = $1"
            ))
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        Ok(row)
    }

    /// A patient's most recent entries, newest first.
    pub async fn list_entries_for_patient(
        &self,
        patient_id: &str,
        limit: i64,
    ) -> Result<Vec<EntryRow>, DbError> {
        let rows = with_pool!(self, reader, |pool| {
            sqlx::query_as::<_, EntryRow>(concat!(
                "select ",
                entry_columns!(),
                " from entries where patient_id = $1 order by recorded_at desc, id desc limit $2"
            ))
            .bind(patient_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// How many entries a patient has.
    pub async fn count_entries_for_patient(&self, patient_id: &str) -> Result<i64, DbError> {
        let count: i64 = with_pool!(self, reader, |pool| {
            sqlx::query_scalar("select count(*) from entries where patient_id = $1")
                .bind(patient_id)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }
}
