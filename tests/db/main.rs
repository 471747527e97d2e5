//! The `Db` contract: every method behaves the same on SQLite (always) and PostgreSQL (when
//! `TEST_POSTGRES_URL` is set; CI sets it). Each test gets a fresh database or schema.

#[path = "../support/mod.rs"]
mod support;

use app::db::{
    AuditFilter, Db, DbError, InsertOutcome, NewAudit, NewEntry, NewUser, SessionRow, TokenRow,
};
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
    usernames_are_unique_and_logins_carry_the_hash,
    deactivating_a_user_ends_their_sessions,
    sessions_are_stored_touched_and_expired,
    a_token_is_redeemed_for_a_new_user_exactly_once,
    a_taken_username_leaves_the_token_unused,
    a_reset_token_sets_the_password_and_ends_sessions,
    setup_tokens_are_replaced,
    care_teams_decide_the_roster,
    deleting_a_patient_removes_their_data_but_not_the_audit_log,
    audit_rows_are_filtered_and_cannot_be_changed_or_deleted,
    sign_in_failures_are_counted_in_a_window,
    a_closed_database_reports_an_error_not_a_panic,
    dosing_sessions_are_scheduled_moved_and_cancelled,
    preparation_entries_are_listed_oldest_first_without_check_ins,
);

fn user(id: &str) -> NewUser {
    user_as(id, "patient")
}

fn user_as(id: &str, role: &str) -> NewUser {
    NewUser {
        id: id.into(),
        role: role.into(),
        username: format!("name-{id}"),
        display_name: format!("Person {id}"),
        password_hash: Some(format!("hash-{id}")),
        created_at: 1_000,
    }
}

fn session(id: &str, user_id: &str, now: i64) -> SessionRow {
    SessionRow {
        id: id.into(),
        user_id: user_id.into(),
        created_at: now,
        last_seen_at: now,
        idle_expires_at: now + 100,
        absolute_expires_at: now + 1_000,
    }
}

fn token(id: &str, purpose: &str, expires_at: i64) -> TokenRow {
    TokenRow {
        id: id.into(),
        purpose: purpose.into(),
        created_by: None,
        user_id: None,
        display_name: "Invited".into(),
        created_at: 1_000,
        expires_at,
        used_at: None,
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

async fn usernames_are_unique_and_logins_carry_the_hash(db: &Db) {
    db.insert_user(&user("u1")).await.unwrap();
    let mut twin = user("u2");
    twin.username = "name-u1".into();
    assert!(matches!(
        db.insert_user(&twin).await,
        Err(DbError::Conflict)
    ));
    let login = db.get_login("name-u1").await.unwrap().unwrap();
    assert_eq!(login.user.id, "u1");
    assert_eq!(login.password_hash.as_deref(), Some("hash-u1"));
    assert!(db.get_login("nobody").await.unwrap().is_none());
    db.insert_user(&user_as("a1", "admin")).await.unwrap();
    db.insert_user(&user_as("t1", "therapist")).await.unwrap();
    let roles: Vec<String> = db
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.role)
        .collect();
    assert_eq!(roles, ["admin", "therapist", "patient"]);
    assert_eq!(db.count_active_admins().await.unwrap(), 1);
}

async fn deactivating_a_user_ends_their_sessions(db: &Db) {
    db.insert_user(&user_as("a1", "admin")).await.unwrap();
    db.insert_session(&session("s1", "a1", 10)).await.unwrap();
    db.deactivate_user("a1", 50).await.unwrap();
    db.deactivate_user("a1", 60).await.unwrap();
    let read = db.get_user("a1").await.unwrap();
    assert_eq!(read.deactivated_at, Some(50));
    assert!(!read.is_active());
    assert!(db.get_session("s1").await.unwrap().is_none());
    assert_eq!(db.count_active_admins().await.unwrap(), 0);
    assert!(matches!(
        db.deactivate_user("ghost", 1).await,
        Err(DbError::NotFound)
    ));
}

async fn sessions_are_stored_touched_and_expired(db: &Db) {
    db.insert_user(&user("u1")).await.unwrap();
    db.insert_session(&session("s1", "u1", 10)).await.unwrap();
    db.insert_session(&session("s2", "u1", 10)).await.unwrap();
    let read = db.get_session("s1").await.unwrap().unwrap();
    assert!(read.is_live(50));
    let (joined, owner) = db.get_session_with_user("s1").await.unwrap().unwrap();
    assert_eq!(joined, read);
    assert_eq!(owner, db.get_user("u1").await.unwrap());
    assert!(db.get_session_with_user("nope").await.unwrap().is_none());
    assert!(!read.is_live(110));
    db.touch_session("s1", 100, 200).await.unwrap();
    let touched = db.get_session("s1").await.unwrap().unwrap();
    assert_eq!((touched.last_seen_at, touched.idle_expires_at), (100, 200));
    assert!(touched.is_live(150));
    assert_eq!(db.delete_expired_sessions(150).await.unwrap(), 1);
    assert!(db.get_session("s2").await.unwrap().is_none());
    db.delete_session("s1").await.unwrap();
    assert!(db.get_session("s1").await.unwrap().is_none());
    db.insert_session(&session("s3", "u1", 10)).await.unwrap();
    db.insert_session(&session("s4", "u1", 10)).await.unwrap();
    assert_eq!(db.delete_sessions_for_user("u1").await.unwrap(), 2);
    db.set_password("u1", "new-hash").await.unwrap();
    assert_eq!(
        db.get_login("name-u1")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("new-hash")
    );
}

async fn a_token_is_redeemed_for_a_new_user_exactly_once(db: &Db) {
    db.insert_user(&user_as("t1", "therapist")).await.unwrap();
    let mut invite = token("k1", "patient_invite", 5_000);
    invite.created_by = Some("t1".into());
    db.insert_token(&invite).await.unwrap();
    let read = db.get_token("k1").await.unwrap().unwrap();
    assert_eq!(read, invite);
    let created = db
        .redeem_token_for_new_user("k1", &user("p1"), Some("t1"))
        .await
        .unwrap();
    assert_eq!(created.username, "name-p1");
    assert!(db.get_token("k1").await.unwrap().unwrap().used_at.is_some());
    assert!(db.is_care_team_member("p1", "t1").await.unwrap());
    assert!(matches!(
        db.redeem_token_for_new_user("k1", &user("p2"), Some("t1"))
            .await,
        Err(DbError::NotFound)
    ));
    // Expired at the moment of use.
    db.insert_token(&token("k2", "therapist_invite", 1_000))
        .await
        .unwrap();
    assert!(matches!(
        db.redeem_token_for_new_user("k2", &user_as("t2", "therapist"), None)
            .await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(db.get_user("t2").await, Err(DbError::NotFound)));
}

async fn a_taken_username_leaves_the_token_unused(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_token(&token("k1", "patient_invite", 5_000))
        .await
        .unwrap();
    let mut twin = user("p2");
    twin.username = "name-p1".into();
    assert!(matches!(
        db.redeem_token_for_new_user("k1", &twin, None).await,
        Err(DbError::Conflict)
    ));
    assert!(db.get_token("k1").await.unwrap().unwrap().used_at.is_none());
    assert!(matches!(db.get_user("p2").await, Err(DbError::NotFound)));
}

async fn a_reset_token_sets_the_password_and_ends_sessions(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_session(&session("s1", "p1", 10)).await.unwrap();
    let mut reset = token("k1", "reset", 5_000);
    reset.user_id = Some("p1".into());
    db.insert_token(&reset).await.unwrap();
    let user = db
        .redeem_reset_token("k1", "fresh-hash", 2_000)
        .await
        .unwrap();
    assert_eq!(user.id, "p1");
    assert_eq!(
        db.get_login("name-p1")
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("fresh-hash")
    );
    assert!(db.get_session("s1").await.unwrap().is_none());
    assert!(matches!(
        db.redeem_reset_token("k1", "again", 2_001).await,
        Err(DbError::NotFound)
    ));
    // An invitation is not a reset link.
    db.insert_token(&token("k2", "patient_invite", 5_000))
        .await
        .unwrap();
    assert!(matches!(
        db.redeem_reset_token("k2", "x", 2_000).await,
        Err(DbError::NotFound)
    ));
}

async fn setup_tokens_are_replaced(db: &Db) {
    db.insert_token(&token("k1", "setup", 5_000)).await.unwrap();
    db.insert_token(&token("k2", "reset", 5_000)).await.unwrap();
    assert_eq!(db.expire_unused_tokens("setup", 2_000).await.unwrap(), 1);
    assert_eq!(db.get_token("k1").await.unwrap().unwrap().expires_at, 2_000);
    assert_eq!(db.get_token("k2").await.unwrap().unwrap().expires_at, 5_000);
}

async fn care_teams_decide_the_roster(db: &Db) {
    db.insert_user(&user_as("t1", "therapist")).await.unwrap();
    db.insert_user(&user_as("t2", "therapist")).await.unwrap();
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_user(&user("p2")).await.unwrap();
    db.add_care_team_member("p1", "t1", "t1", 1).await.unwrap();
    db.add_care_team_member("p1", "t1", "t1", 2).await.unwrap();
    db.add_care_team_member("p2", "t1", "t1", 1).await.unwrap();
    db.add_care_team_member("p2", "t2", "t1", 1).await.unwrap();
    db.insert_entry(&entry("e1", "p2", 500)).await.unwrap();
    let roster = db.list_patients_for_therapist("t1").await.unwrap();
    let ids: Vec<&str> = roster.iter().map(|r| r.patient.id.as_str()).collect();
    assert_eq!(ids, ["p2", "p1"], "most recently active first");
    assert_eq!(
        (roster[0].entry_count, roster[0].last_recorded_at),
        (1, Some(500))
    );
    assert_eq!(
        (roster[1].entry_count, roster[1].last_recorded_at),
        (0, None)
    );
    let other: Vec<String> = db
        .list_patients_for_therapist("t2")
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.patient.id)
        .collect();
    assert_eq!(other, ["p2"]);
    assert!(!db.is_care_team_member("p1", "t2").await.unwrap());
    let team: Vec<String> = db
        .list_care_team("p2")
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(team.len(), 2);
}

async fn deleting_a_patient_removes_their_data_but_not_the_audit_log(db: &Db) {
    db.insert_user(&user_as("t1", "therapist")).await.unwrap();
    db.insert_user(&user("p1")).await.unwrap();
    db.add_care_team_member("p1", "t1", "t1", 1).await.unwrap();
    db.insert_entry(&entry("e1", "p1", 500)).await.unwrap();
    db.insert_session(&session("s1", "p1", 10)).await.unwrap();
    db.append_audit(&NewAudit {
        at: 1,
        action: "patient.read".into(),
        patient_id: Some("p1".into()),
        allowed: true,
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(
        matches!(db.delete_patient("t1").await, Err(DbError::NotFound)),
        "only patients"
    );
    db.delete_patient("p1").await.unwrap();
    assert!(matches!(db.get_user("p1").await, Err(DbError::NotFound)));
    assert!(matches!(db.get_entry("e1").await, Err(DbError::NotFound)));
    assert!(db.get_session("s1").await.unwrap().is_none());
    assert!(
        db.list_patients_for_therapist("t1")
            .await
            .unwrap()
            .is_empty()
    );
    let kept = db
        .list_audit(&AuditFilter {
            patient_id: Some("p1".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
}

async fn audit_rows_are_filtered_and_cannot_be_changed_or_deleted(db: &Db) {
    for (at, actor, patient) in [(10, "t1", "p1"), (20, "t1", "p2"), (30, "t2", "p1")] {
        db.append_audit(&NewAudit {
            at,
            actor_id: Some(actor.into()),
            actor_role: "therapist".into(),
            action: "patient.read".into(),
            patient_id: Some(patient.into()),
            request_id: format!("r{at}"),
            allowed: at != 30,
            detail: String::new(),
        })
        .await
        .unwrap();
    }
    let all = db
        .list_audit(&AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.at).collect::<Vec<_>>(), [30, 20, 10]);
    assert_eq!(all[0].outcome, "denied");
    assert_eq!(all[1].request_id, "r20");
    let by_actor = db
        .list_audit(&AuditFilter {
            actor_id: Some("t1".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_actor.len(), 2);
    let by_patient_and_time = db
        .list_audit(&AuditFilter {
            patient_id: Some("p1".into()),
            from: Some(15),
            until: Some(40),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        by_patient_and_time.iter().map(|r| r.at).collect::<Vec<_>>(),
        [30]
    );
    let limited = db
        .list_audit(&AuditFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
    // The database itself refuses changes, whatever code asks.
    let (update, delete) = match db {
        Db::Sqlite { writer, .. } => (
            sqlx::query("update audit_log set action = 'x'")
                .execute(writer)
                .await
                .is_err(),
            sqlx::query("delete from audit_log")
                .execute(writer)
                .await
                .is_err(),
        ),
        Db::Postgres(pool) => (
            sqlx::query("update audit_log set action = 'x'")
                .execute(pool)
                .await
                .is_err(),
            sqlx::query("delete from audit_log")
                .execute(pool)
                .await
                .is_err(),
        ),
    };
    assert!(update && delete, "audit rows must be immutable");
    assert_eq!(
        db.list_audit(&AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        3
    );
}

async fn sign_in_failures_are_counted_in_a_window(db: &Db) {
    for at in [10, 20, 30] {
        db.record_sign_in_failure("user:ada", at).await.unwrap();
    }
    db.record_sign_in_failure("addr:127.0.0.1", 30)
        .await
        .unwrap();
    assert_eq!(db.count_sign_in_failures("user:ada", 0).await.unwrap(), 3);
    assert_eq!(db.count_sign_in_failures("user:ada", 15).await.unwrap(), 2);
    assert_eq!(db.prune_sign_in_failures(15).await.unwrap(), 1);
    db.clear_sign_in_failures("user:ada").await.unwrap();
    assert_eq!(db.count_sign_in_failures("user:ada", 0).await.unwrap(), 0);
    assert_eq!(
        db.count_sign_in_failures("addr:127.0.0.1", 0)
            .await
            .unwrap(),
        1
    );
}

async fn a_closed_database_reports_an_error_not_a_panic(db: &Db) {
    db.close().await;
    assert!(db.ping().await.is_err());
    assert!(db.get_user("u1").await.is_err());
}

fn dosing(id: &str, patient: &str, starts_at: i64) -> app::db::DosingSessionRow {
    app::db::DosingSessionRow {
        id: id.into(),
        patient_id: patient.into(),
        starts_at,
        time_zone: "Europe/Berlin".into(),
        route: "intravenous".into(),
        location_note: "Room 2".into(),
        status: "scheduled".into(),
        cancel_reason: String::new(),
        created_by: None,
        created_at: 1_000,
        updated_at: 1_000,
    }
}

async fn dosing_sessions_are_scheduled_moved_and_cancelled(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_user(&user("p2")).await.unwrap();
    db.insert_dosing_session(&dosing("s2", "p1", 9_000))
        .await
        .unwrap();
    db.insert_dosing_session(&dosing("s1", "p1", 5_000))
        .await
        .unwrap();
    db.insert_dosing_session(&dosing("s3", "p2", 1_000))
        .await
        .unwrap();
    assert!(matches!(
        db.insert_dosing_session(&dosing("s1", "p1", 1)).await,
        Err(DbError::Conflict)
    ));
    let mut bad_route = dosing("s4", "p1", 1);
    bad_route.route = "nasal".into();
    assert!(
        db.insert_dosing_session(&bad_route).await.is_err(),
        "route is checked"
    );
    let listed: Vec<String> = db
        .list_dosing_sessions("p1")
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, ["s1", "s2"], "earliest first, own sessions only");

    db.reschedule_dosing_session("s1", 7_000, "UTC", "lozenge", "", 2_000)
        .await
        .unwrap();
    let moved = db.get_dosing_session("s1").await.unwrap();
    assert_eq!(
        (
            moved.starts_at,
            moved.time_zone.as_str(),
            moved.route.as_str(),
            moved.updated_at
        ),
        (7_000, "UTC", "lozenge", 2_000)
    );
    assert!(moved.is_scheduled());

    db.cancel_dosing_session("s1", "Clinic closed", 3_000)
        .await
        .unwrap();
    let cancelled = db.get_dosing_session("s1").await.unwrap();
    assert_eq!(cancelled.status, "cancelled");
    assert_eq!(cancelled.cancel_reason, "Clinic closed");
    assert!(matches!(
        db.cancel_dosing_session("s1", "", 4_000).await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        db.reschedule_dosing_session("s1", 8_000, "UTC", "lozenge", "", 4_000)
            .await,
        Err(DbError::NotFound)
    ));
    assert!(matches!(
        db.get_dosing_session("nope").await,
        Err(DbError::NotFound)
    ));

    // Sessions go with the patient.
    db.delete_patient("p2").await.unwrap();
    assert!(matches!(
        db.get_dosing_session("s3").await,
        Err(DbError::NotFound)
    ));
}

async fn preparation_entries_are_listed_oldest_first_without_check_ins(db: &Db) {
    db.insert_user(&user("p1")).await.unwrap();
    db.insert_entry(&entry("c1", "p1", 1_000)).await.unwrap();
    for (id, kind, at) in [
        ("e3", "intention", 3_000),
        ("e1", "module_read", 1_500),
        ("e2", "readiness_tick", 2_000),
    ] {
        let mut e = entry(id, "p1", at);
        e.kind = kind.into();
        e.payload = "{}".into();
        db.insert_entry(&e).await.unwrap();
    }
    let listed: Vec<String> = db
        .list_prep_entries("p1")
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, ["e1", "e2", "e3"]);
}
