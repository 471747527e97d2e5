//! The authorization matrix: every server function and route, against every kind of actor.
//! No cell may leak. Runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use std::collections::BTreeSet;

use serde_json::json;

use crate::support::{Backend, TestApp, TestUser, check_in_entry, spawn_app_on};

/// The people in the matrix.
struct Cast {
    patient_a: TestUser,
    patient_b: TestUser,
    therapist_a: TestUser,
    therapist_other: TestUser,
    admin: TestUser,
    deactivated: TestUser,
    /// A therapist who can be added to A's care team without changing anyone's access.
    spare_therapist: TestUser,
}

const A_NOTE: &str = "Patient A's private note";

async fn cast(app: &TestApp) -> Cast {
    let patient_a = app.create_user("patient", "patient-a").await;
    let patient_b = app.create_user("patient", "patient-b").await;
    let therapist_a = app.create_user("therapist", "therapist-a").await;
    let therapist_other = app.create_user("therapist", "therapist-other").await;
    let admin = app.create_user("admin", "admin").await;
    let deactivated = app.create_user("therapist", "gone-therapist").await;
    let spare_therapist = app.create_user("therapist", "spare-therapist").await;
    for therapist in [&therapist_a, &deactivated] {
        app.db
            .add_care_team_member(&patient_a.id, &therapist.id, &therapist.id, 1)
            .await
            .unwrap();
    }
    app.db
        .add_care_team_member(&patient_b.id, &therapist_other.id, &therapist_other.id, 1)
        .await
        .unwrap();
    app.db.deactivate_user(&deactivated.id, 2).await.unwrap();
    let mut entry = check_in_entry(4);
    entry["payload"]["note"] = json!(A_NOTE);
    let stored = app
        .sync_as(Some(&patient_a.cookie), &json!({ "entries": [entry] }))
        .await;
    assert_eq!(stored.status(), 200);
    Cast {
        patient_a,
        patient_b,
        therapist_a,
        therapist_other,
        admin,
        deactivated,
        spare_therapist,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    PatientA,
    PatientB,
    TherapistA,
    OtherTherapist,
    Admin,
    Deactivated,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::PatientA,
    Who::PatientB,
    Who::TherapistA,
    Who::OtherTherapist,
    Who::Admin,
    Who::Deactivated,
];

impl Cast {
    fn cookie(&self, who: Who) -> Option<&str> {
        Some(match who {
            Who::Anonymous => return None,
            Who::PatientA => &self.patient_a.cookie,
            Who::PatientB => &self.patient_b.cookie,
            Who::TherapistA => &self.therapist_a.cookie,
            Who::OtherTherapist => &self.therapist_other.cookie,
            Who::Admin => &self.admin.cookie,
            Who::Deactivated => &self.deactivated.cookie,
        })
    }
}

/// The expected status for each actor, in `EVERYONE` order.
type Row = [u16; 7];

/// One server function's row: endpoint, form fields, expected statuses.
type Cell = (&'static str, Vec<(&'static str, String)>, Row);

/// Only signed-in, active people with one of the roles: 401 for anonymous and deactivated,
/// 403 for the other roles.
fn only(allowed: &[Who], ok: u16) -> Row {
    let mut row = [0; 7];
    for (i, who) in EVERYONE.iter().enumerate() {
        row[i] = match who {
            Who::Anonymous | Who::Deactivated => 401,
            w if allowed.contains(w) => ok,
            Who::PatientA | Who::PatientB => 403,
            Who::TherapistA | Who::OtherTherapist | Who::Admin => 403,
        };
    }
    row
}

/// Every server function the server registers (the matrix must name each one).
fn registered_server_functions() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            assert_ne!(
                method,
                http::Method::GET,
                "{path} is registered as GET; state-changing server functions must not be"
            );
            path.to_string()
        })
        .collect()
}

/// A dosing session for patient `a`, two days ahead, stored directly.
async fn a_session_for(app: &TestApp, a: &str) -> String {
    let now = crate::support::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    app.db
        .insert_dosing_session(&app::db::DosingSessionRow {
            id: id.clone(),
            patient_id: a.into(),
            starts_at: now + 2 * 24 * 3_600_000,
            time_zone: "UTC".into(),
            route: "lozenge".into(),
            location_note: String::new(),
            status: "scheduled".into(),
            cancel_reason: String::new(),
            created_by: None,
            created_at: now,
            updated_at: now,
        })
        .await
        .unwrap();
    id
}

async fn run_matrix(backend: Backend) {
    let Some(app) = spawn_app_on(backend, &[]).await else {
        eprintln!("TEST_POSTGRES_URL is not set: PostgreSQL matrix skipped");
        return;
    };
    let cast = cast(&app).await;
    let a = cast.patient_a.id.clone();
    let spare = cast.spare_therapist.username.clone();
    let mut covered = BTreeSet::new();
    let tomorrow = app::domain::timing::input_value(
        crate::support::now_ms() + 24 * 3_600_000,
        app::domain::timing::parse_zone("UTC").unwrap(),
    );
    let a_session = a_session_for(&app, &a).await;

    // (server function, form, expected per actor)
    let public = [200; 7];
    let cells: Vec<Cell> = vec![
        ("account/me", vec![], public),
        ("account/link", vec![("token", "0".repeat(64))], public),
        (
            "account/redeem",
            vec![
                ("token", "0".repeat(64)),
                ("username", "x".into()),
                ("display_name", "x".into()),
                ("password", "x".into()),
            ],
            [404; 7],
        ),
        // The same unknown account seven times: the sixth attempt on is throttled.
        (
            "account/sign-in",
            vec![
                ("username", "nobody".into()),
                ("password", "wrong password".into()),
            ],
            [401, 401, 401, 401, 401, 429, 429],
        ),
        ("crisis/resources", vec![], public),
        ("prepare/content", vec![], public),
        (
            "prepare/plan",
            vec![],
            only(&[Who::PatientA, Who::PatientB], 200),
        ),
        (
            "clinic/patient-sessions",
            vec![("patient_id", a.clone())],
            {
                let mut row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
                row[4] = 404;
                row
            },
        ),
        (
            "clinic/schedule-session",
            vec![
                ("patient_id", a.clone()),
                ("starts_at", tomorrow.clone()),
                ("time_zone", "UTC".into()),
                ("route", "lozenge".into()),
                ("location_note", String::new()),
            ],
            {
                let mut row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
                row[4] = 404;
                row
            },
        ),
        (
            "clinic/reschedule-session",
            vec![
                ("session_id", a_session.clone()),
                ("starts_at", tomorrow.clone()),
                ("time_zone", "UTC".into()),
                ("route", "intravenous".into()),
                ("location_note", String::new()),
            ],
            {
                let mut row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
                row[4] = 404;
                row
            },
        ),
        (
            "entries/list",
            vec![],
            only(&[Who::PatientA, Who::PatientB], 200),
        ),
        (
            "admin/invite-therapist",
            vec![("display_name", "New colleague".into())],
            only(&[Who::Admin], 200),
        ),
        ("admin/users", vec![], only(&[Who::Admin], 200)),
        (
            "admin/audit",
            vec![
                ("actor", String::new()),
                ("patient", String::new()),
                ("from", String::new()),
                ("until", String::new()),
            ],
            only(&[Who::Admin], 200),
        ),
        (
            "clinic/invite-patient",
            vec![("display_name", "New patient".into())],
            only(&[Who::TherapistA, Who::OtherTherapist], 200),
        ),
        (
            "clinic/patients",
            vec![],
            only(&[Who::TherapistA, Who::OtherTherapist], 200),
        ),
        (
            "clinic/therapists",
            vec![],
            only(&[Who::TherapistA, Who::OtherTherapist], 200),
        ),
        ("clinic/patient", vec![("patient_id", a.clone())], {
            let mut row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
            row[4] = 404; // another therapist: indistinguishable from absent
            row
        }),
        (
            "clinic/add-colleague",
            vec![
                ("patient_id", a.clone()),
                ("colleague_username", spare.clone()),
            ],
            {
                let mut row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
                row[4] = 404;
                row
            },
        ),
        ("clinic/reset-link", vec![("user_id", a.clone())], {
            let mut row = only(&[Who::TherapistA, Who::OtherTherapist, Who::Admin], 200);
            row[4] = 404;
            row
        }),
    ];
    for (endpoint, form, expected) in &cells {
        covered.insert(format!("/api/{endpoint}"));
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for (i, who) in EVERYONE.iter().enumerate() {
            let response = app.call(endpoint, cast.cookie(*who), &form).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(
                status, expected[i],
                "{endpoint} as {who:?} answered {status}: {body}"
            );
            if *who != Who::TherapistA && *who != Who::PatientA {
                assert!(
                    !body.contains(A_NOTE),
                    "{endpoint} as {who:?} leaked patient A's note"
                );
            }
        }
    }

    // Changing calls get a fresh target per actor, so one cell cannot change another.
    covered.insert("/api/admin/deactivate".into());
    covered.insert("/api/admin/delete-patient".into());
    let admin_only = only(&[Who::Admin], 200);
    for (i, who) in EVERYONE.iter().enumerate() {
        let target = app.create_user("patient", &format!("target-{i}")).await;
        let response = app
            .call(
                "admin/deactivate",
                cast.cookie(*who),
                &[("user_id", &target.id)],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            admin_only[i],
            "admin/deactivate as {who:?}"
        );
        let response = app
            .call(
                "admin/delete-patient",
                cast.cookie(*who),
                &[
                    ("patient_id", &target.id),
                    ("confirm_username", &target.username),
                ],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            admin_only[i],
            "admin/delete-patient as {who:?}"
        );
        let still_there = app.db.get_user(&target.id).await.is_ok();
        assert_eq!(still_there, *who != Who::Admin, "delete-patient as {who:?}");
    }

    // Cancelling: a fresh session of A's per actor.
    covered.insert("/api/clinic/cancel-session".into());
    let mut cancel_row = only(&[Who::TherapistA, Who::OtherTherapist], 200);
    cancel_row[4] = 404;
    for (i, who) in EVERYONE.iter().enumerate() {
        let session = a_session_for(&app, &a).await;
        let response = app
            .call(
                "clinic/cancel-session",
                cast.cookie(*who),
                &[("session_id", &session), ("reason", "")],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            cancel_row[i],
            "clinic/cancel-session as {who:?}"
        );
        let still = app
            .db
            .get_dosing_session(&session)
            .await
            .unwrap()
            .is_scheduled();
        assert_eq!(still, *who != Who::TherapistA, "cancel-session as {who:?}");
    }

    // Sign-out last: it ends sessions.
    covered.insert("/api/account/sign-out".into());
    covered.insert("/api/account/sign-out-everywhere".into());

    // Routes that are not server functions.
    let sync_row = only(&[Who::PatientA, Who::PatientB], 200);
    let export_row = {
        let mut row = [200; 7];
        row[0] = 401;
        row[6] = 401;
        row
    };
    for (i, who) in EVERYONE.iter().enumerate() {
        let response = app
            .sync_as(
                cast.cookie(*who),
                &json!({ "entries": [check_in_entry(1)] }),
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            sync_row[i],
            "POST /api/sync as {who:?}"
        );
        let response = app.get_as("/api/me/export", cast.cookie(*who)).await;
        assert_eq!(
            response.status().as_u16(),
            export_row[i],
            "GET /api/me/export as {who:?}"
        );
        let body = response.text().await.unwrap();
        assert_eq!(
            body.contains(A_NOTE),
            *who == Who::PatientA,
            "export as {who:?}"
        );
        // Server-rendered pages: only A and A's therapist ever see A's note.
        for page in [
            "/history",
            &format!("/clinic/patients/{a}"),
            "/clinic",
            "/admin",
            "/account",
            "/",
        ] {
            let response = app.get_as(page, cast.cookie(*who)).await;
            let status = response.status().as_u16();
            assert!(
                status == 200 || status == 404,
                "{page} as {who:?}: {status}"
            );
            let html = response.text().await.unwrap();
            let may_see = matches!((who, page), (Who::PatientA, "/history"))
                || (*who == Who::TherapistA && page.starts_with("/clinic/patients/"));
            assert!(
                may_see || !html.contains(A_NOTE),
                "{page} as {who:?} leaked patient A's note"
            );
            if may_see {
                assert!(
                    html.contains(A_NOTE),
                    "{page} as {who:?} should show A's note"
                );
            }
        }
    }
    for (i, who) in EVERYONE.iter().enumerate() {
        let response = app.call("account/sign-out", cast.cookie(*who), &[]).await;
        assert_eq!(
            response.status().as_u16(),
            200,
            "sign-out as {who:?} (index {i})"
        );
    }

    // Every registered server function is in the matrix.
    let registered = registered_server_functions();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the matrix: {missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cell_of_the_authorization_matrix_leaks_on_sqlite() {
    run_matrix(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cell_of_the_authorization_matrix_leaks_on_postgres() {
    run_matrix(Backend::Postgres).await;
}
