//! The `Db` contract: every method behaves the same on SQLite (always) and PostgreSQL (when
//! `TEST_POSTGRES_URL` is set; CI sets it). Each test gets a fresh database or schema.

#[path = "../support/mod.rs"]
mod support;

use app::db::{Db, DbError, InsertOutcome, NewEntry, NewUser};
use support::TempDir;

/// A database for one test, and what must live as long as it.
struct TestDb {
    db: Db,
    _dir: Option<TempDir>,
}

async fn sqlite() -> TestDb {
    let dir = TempDir::new();
    let url = format!("sqlite://{}", dir.0.join("contract.db").display());
    let db = Db::connect(&url).await.expect("connect sqlite");
    db.migrate().await.expect("migrate sqlite");
    TestDb {
        db,
        _dir: Some(dir),
    }
}

/// A fresh schema in the test PostgreSQL database, or `None` when none is configured.
async fn postgres() -> Option<TestDb> {
    let base = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())?;
    let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
    let admin = Db::connect(&base)
        .await
        .expect("TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
    if let Db::Postgres(pool) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}")))
            .execute(pool)
            .await
            .expect("create schema");
    }
    admin.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let db = Db::connect(&url).await.expect("connect postgres");
    db.migrate().await.expect("migrate postgres");
    Some(TestDb { db, _dir: None })
}

/// Generates one test per backend from an `async fn(&Db)` story.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test]
            async fn $name() {
                let t = super::sqlite().await;
                super::$name(&t.db).await;
            })*
        }
        mod on_postgres {
            $(#[tokio::test]
            async fn $name() {
                match super::postgres().await {
                    Some(t) => super::$name(&t.db).await,
                    None => eprintln!("TEST_POSTGRES_URL is not set: PostgreSQL contract skipped"),
                }
            })*
        }
    };
}

contract!(
    connects_migrates_and_answers_ping,
    migrating_twice_is_harmless,
    users_are_inserted_and_read_back,
    a_duplicate_user_id_is_a_conflict,
    a_missing_user_is_not_found,
    an_entry_is_inserted_once_and_conflicts_return_the_original,
    entries_are_listed_newest_first_and_counted_per_patient,
    an_entry_for_an_unknown_patient_is_refused_by_the_foreign_key,
    the_demo_patient_is_created_once,
    a_closed_database_reports_an_error_not_a_panic,
);

fn user(id: &str) -> NewUser {
    NewUser {
        id: id.into(),
        role: "patient".into(),
        display_name: format!("Patient {id}"),
        created_at: 1_000,
    }
}

fn entry(id: &str, patient: &str, recorded_at: i64) -> NewEntry {
    NewEntry {
        id: id.into(),
        patient_id: patient.into(),
        kind: "check_in".into(),
        schema_version: 1,
        recorded_at,
        received_at: recorded_at + 5,
        late: false,
        payload: format!(
            r#"{{"anxiety":{},"mood":3,"sleep_hours":7.0}}"#,
            recorded_at % 10
        ),
    }
}

async fn connects_migrates_and_answers_ping(db: &Db) {
    db.ping().await.unwrap();
    let version = db.server_version().await.unwrap();
    assert!(!version.is_empty());
    if db.backend() == "sqlite" {
        // sqlx 0.8's bundled 3.46 has the WAL-reset bug; we need 3.51.3 or later.
        let parts: Vec<u32> = version.split('.').map(|p| p.parse().unwrap()).collect();
        assert!(
            parts >= vec![3, 51, 3],
            "bundled SQLite {version} is too old"
        );
        if let Db::Sqlite { writer, .. } = db {
            let journal: String = sqlx::query_scalar("pragma journal_mode")
                .fetch_one(writer)
                .await
                .unwrap();
            let synchronous: i64 = sqlx::query_scalar("pragma synchronous")
                .fetch_one(writer)
                .await
                .unwrap();
            let foreign_keys: i64 = sqlx::query_scalar("pragma foreign_keys")
                .fetch_one(writer)
                .await
                .unwrap();
            assert_eq!(journal, "wal");
            assert_eq!(synchronous, 2, "synchronous=FULL");
            assert_eq!(foreign_keys, 1);
        }
    }
}

async fn migrating_twice_is_harmless(db: &Db) {
    db.migrate().await.unwrap();
    db.insert_user(&user("u1")).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(db.get_user("u1").await.unwrap().id, "u1");
}

async fn users_are_inserted_and_read_back(db: &Db) {
    let created = db.insert_user(&user("u1")).await.unwrap();
    let read = db.get_user("u1").await.unwrap();
    assert_eq!(created, read);
    assert_eq!(read.role, "patient");
    assert_eq!(read.created_at, 1_000);
}

async fn a_duplicate_user_id_is_a_conflict(db: &Db) {
    db.insert_user(&user("u1")).await.unwrap();
    assert!(matches!(
        db.insert_user(&user("u1")).await,
        Err(DbError::Conflict)
    ));
}

async fn a_missing_user_is_not_found(db: &Db) {
    assert!(matches!(
        db.get_user("nobody").await,
        Err(DbError::NotFound)
    ));
}

async fn an_entry_is_inserted_once_and_conflicts_return_the_original(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    let first = entry("e1", "p1", 10_000);
    assert_eq!(
        db.insert_entry(&first).await.unwrap(),
        InsertOutcome::Inserted
    );
    let mut changed = first.clone();
    changed.payload = r#"{"anxiety":9,"mood":1,"sleep_hours":2.0}"#.into();
    match db.insert_entry(&changed).await.unwrap() {
        InsertOutcome::Existing(row) => {
            assert_eq!(row.payload, first.payload, "the stored row is unchanged");
            assert_eq!(row.patient_id, "p1");
        }
        other => panic!("expected Existing, got {other:?}"),
    }
    let stored = db.get_entry("e1").await.unwrap();
    assert_eq!(stored.payload, first.payload);
    assert_eq!(stored.received_at, 10_005);
    assert!(!stored.late);
    assert_eq!(db.count_entries_for_patient("p1").await.unwrap(), 1);
    assert!(matches!(
        db.get_entry("missing").await,
        Err(DbError::NotFound)
    ));
}

async fn entries_are_listed_newest_first_and_counted_per_patient(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_user(&user("p2")).await.unwrap();
    for (id, at) in [("a", 100), ("b", 300), ("c", 200)] {
        db.insert_entry(&entry(id, "p1", at)).await.unwrap();
    }
    let mut late = entry("d", "p2", 50);
    late.late = true;
    db.insert_entry(&late).await.unwrap();
    let list = db.list_entries_for_patient("p1", 10).await.unwrap();
    assert_eq!(
        list.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["b", "c", "a"]
    );
    assert_eq!(db.list_entries_for_patient("p1", 2).await.unwrap().len(), 2);
    assert_eq!(db.count_entries_for_patient("p1").await.unwrap(), 3);
    assert_eq!(db.count_entries_for_patient("p2").await.unwrap(), 1);
    assert!(db.get_entry("d").await.unwrap().late);
    assert!(
        db.list_entries_for_patient("nobody", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn an_entry_for_an_unknown_patient_is_refused_by_the_foreign_key(db: &Db) {
    assert!(db.insert_entry(&entry("e1", "ghost", 1)).await.is_err());
    assert!(matches!(db.get_entry("e1").await, Err(DbError::NotFound)));
}

async fn the_demo_patient_is_created_once(db: &Db) {
    app::auth::ensure_demo_patient(db).await.unwrap();
    app::auth::ensure_demo_patient(db).await.unwrap();
    let demo = db.get_user(app::auth::DEMO_PATIENT_ID).await.unwrap();
    assert_eq!(demo.role, "patient");
}

async fn a_closed_database_reports_an_error_not_a_panic(db: &Db) {
    db.close().await;
    assert!(db.ping().await.is_err());
    assert!(db.get_user("u1").await.is_err());
}
