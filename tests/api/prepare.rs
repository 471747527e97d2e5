//! Dosing sessions and preparation through the real server: scheduling rules, who may see
//! readiness, and preparation entries that must name the patient's own session.

use serde_json::{Value, json};

use crate::support::{TestApp, TestUser, now_ms, spawn_app};

const DAY: i64 = 24 * 3_600_000;

/// A `datetime-local` value `ms` from now, in UTC.
fn in_utc(offset_ms: i64) -> String {
    let utc = app::domain::timing::parse_zone("UTC").unwrap();
    app::domain::timing::input_value(now_ms() + offset_ms, utc)
}

struct Clinic {
    patient: TestUser,
    other_patient: TestUser,
    therapist: TestUser,
    other_therapist: TestUser,
    admin: TestUser,
}

async fn clinic(app: &TestApp) -> Clinic {
    let patient = app.create_user("patient", "pat").await;
    let other_patient = app.create_user("patient", "other-pat").await;
    let therapist = app.create_user("therapist", "ther").await;
    let other_therapist = app.create_user("therapist", "other-ther").await;
    let admin = app.create_user("admin", "adm").await;
    app.db
        .add_care_team_member(&patient.id, &therapist.id, &therapist.id, 1)
        .await
        .unwrap();
    app.db
        .add_care_team_member(
            &other_patient.id,
            &other_therapist.id,
            &other_therapist.id,
            1,
        )
        .await
        .unwrap();
    Clinic {
        patient,
        other_patient,
        therapist,
        other_therapist,
        admin,
    }
}

async fn schedule(
    app: &TestApp,
    cookie: &str,
    patient_id: &str,
    starts_at: &str,
    zone: &str,
    route: &str,
    note: &str,
) -> (u16, Value) {
    let response = app
        .call(
            "clinic/schedule-session",
            Some(cookie),
            &[
                ("patient_id", patient_id),
                ("starts_at", starts_at),
                ("time_zone", zone),
                ("route", route),
                ("location_note", note),
            ],
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn entry(kind: &str, payload: Value) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(),
        "kind": kind,
        "schema_version": 1,
        "recorded_at": now_ms() - 1000,
        "payload": payload,
    })
}

async fn sync(app: &TestApp, user: &TestUser, entries: Vec<Value>) -> Vec<Value> {
    let response = app
        .sync_as(Some(&user.cookie), &json!({ "entries": entries }))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn sessions_are_scheduled_only_in_the_future_and_only_by_the_care_team() {
    let app = spawn_app().await;
    let c = clinic(&app).await;
    let t = &c.therapist.cookie;
    let p = &c.patient.id;
    let tomorrow = in_utc(DAY);

    // Bad input: each refused with a 422 naming the field, nothing stored.
    for (starts_at, zone, route, note, field) in [
        (in_utc(-3_600_000), "UTC", "intravenous", "", "starts_at"),
        (
            "next tuesday".to_string(),
            "UTC",
            "intravenous",
            "",
            "starts_at",
        ),
        (in_utc(3 * 365 * DAY), "UTC", "intravenous", "", "starts_at"),
        (
            tomorrow.clone(),
            "Mars/Olympus",
            "intravenous",
            "",
            "time_zone",
        ),
        (tomorrow.clone(), "", "intravenous", "", "time_zone"),
        (tomorrow.clone(), "UTC", "nasal", "", "route"),
        (
            tomorrow.clone(),
            "UTC",
            "lozenge",
            &"x".repeat(201),
            "location_note",
        ),
    ] {
        let (status, body) = schedule(&app, t, p, &starts_at, zone, route, note).await;
        assert_eq!(status, 422, "{starts_at} {zone} {route}: {body}");
        assert_eq!(body["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().len() > 10, "{body}");
    }
    assert!(app.db.list_dosing_sessions(p).await.unwrap().is_empty());

    // A time the clocks skip is refused with a sentence that says so.
    let (status, body) = schedule(
        &app,
        t,
        p,
        "2027-03-28T02:30",
        "Europe/Berlin",
        "lozenge",
        "",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("clocks change"),
        "{body}"
    );

    // Not on the care team: 404 like a patient who does not exist; other roles: 403.
    let (status, _) = schedule(
        &app,
        &c.other_therapist.cookie,
        p,
        &tomorrow,
        "UTC",
        "lozenge",
        "",
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = schedule(&app, &c.admin.cookie, p, &tomorrow, "UTC", "lozenge", "").await;
    assert_eq!(status, 403);
    let (status, _) = schedule(&app, &c.patient.cookie, p, &tomorrow, "UTC", "lozenge", "").await;
    assert_eq!(status, 403);
    assert!(app.db.list_dosing_sessions(p).await.unwrap().is_empty());

    // The care team's therapist schedules it, in New York time.
    let (status, body) = schedule(
        &app,
        t,
        p,
        "2027-01-05T09:30",
        "America/New_York",
        "intravenous",
        "Room 2",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["when"], "Tuesday 5 January 2027 at 9:30 AM (EST)");
    assert_eq!(body["location_note"], "Room 2");
    let id = body["id"].as_str().unwrap().to_string();
    let stored = app.db.get_dosing_session(&id).await.unwrap();
    assert_eq!(stored.time_zone, "America/New_York");
    assert_eq!(stored.created_by.as_deref(), Some(c.therapist.id.as_str()));

    // Reschedule: the same rules apply; only the care team may.
    let reschedule = |cookie: String, starts_at: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.call(
                "clinic/reschedule-session",
                Some(&cookie),
                &[
                    ("session_id", id.as_str()),
                    ("starts_at", starts_at.as_str()),
                    ("time_zone", "UTC"),
                    ("route", "lozenge"),
                    ("location_note", ""),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(reschedule(t.clone(), in_utc(-DAY)).await, 422);
    assert_eq!(
        reschedule(c.other_therapist.cookie.clone(), in_utc(2 * DAY)).await,
        404
    );
    assert_eq!(reschedule(t.clone(), in_utc(2 * DAY)).await, 200);
    let moved = app.db.get_dosing_session(&id).await.unwrap();
    assert_eq!(
        (moved.route.as_str(), moved.time_zone.as_str()),
        ("lozenge", "UTC")
    );
    assert!(moved.starts_at > now_ms() + DAY);

    // Cancel: kept as cancelled; a second cancel and a reschedule are 409.
    let cancel = |cookie: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.call(
                "clinic/cancel-session",
                Some(&cookie),
                &[("session_id", id.as_str()), ("reason", "Clinic closed")],
            )
            .await
            .status()
            .as_u16()
        }
    };
    assert_eq!(cancel(c.other_therapist.cookie.clone()).await, 404);
    assert_eq!(cancel(c.patient.cookie.clone()).await, 403);
    assert_eq!(cancel(t.clone()).await, 200);
    assert_eq!(cancel(t.clone()).await, 409);
    assert_eq!(reschedule(t.clone(), in_utc(3 * DAY)).await, 409);
    let cancelled = app.db.get_dosing_session(&id).await.unwrap();
    assert_eq!(
        (cancelled.status.as_str(), cancelled.cancel_reason.as_str()),
        ("cancelled", "Clinic closed")
    );

    // An unknown session id is a 404, never a 500.
    let response = app
        .call(
            "clinic/cancel-session",
            Some(t),
            &[("session_id", "not-a-session"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), 404);

    // Every action was audited.
    let audit = app
        .db
        .list_audit(&app::db::AuditFilter {
            patient_id: Some(p.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in ["session.schedule", "session.reschedule", "session.cancel"] {
        assert!(
            audit
                .iter()
                .any(|a| a.action == action && a.outcome == "allowed"),
            "{action} audited"
        );
    }
    let _ = c.other_patient;
}

#[tokio::test]
async fn readiness_is_visible_only_to_the_care_team_and_follows_what_the_patient_sent() {
    let app = spawn_app().await;
    let c = clinic(&app).await;
    let (status, session) = schedule(
        &app,
        &c.therapist.cookie,
        &c.patient.id,
        &in_utc(7 * DAY),
        "UTC",
        "intravenous",
        "",
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let session_id = session["id"].as_str().unwrap().to_string();

    let readiness = |cookie: String| {
        let app = &app;
        let patient_id = c.patient.id.clone();
        async move {
            let response = app
                .call(
                    "clinic/patient-sessions",
                    Some(&cookie),
                    &[("patient_id", patient_id.as_str())],
                )
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let (status, body) = readiness(c.therapist.cookie.clone()).await;
    assert_eq!(status, 200, "{body}");
    let list: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list[0]["readiness"]["ready"], false);
    assert_eq!(list[0]["readiness"]["modules_read"], 0);

    // The patient prepares: every guide, an intention, a ride, a question.
    let modules = app::content::catalog();
    let mut entries: Vec<Value> = modules
        .iter()
        .map(|m| {
            entry(
                "module_read",
                json!({"slug": m.meta.slug, "version": m.meta.version}),
            )
        })
        .collect();
    let intention = "I want to meet my fear with kindness";
    entries.push(entry(
        "intention",
        json!({"session_id": session_id, "text": intention}),
    ));
    entries.push(entry(
        "readiness_tick",
        json!({"session_id": session_id, "item": "ride_arranged", "done": true}),
    ));
    entries.push(entry(
        "session_question",
        json!({"session_id": session_id, "text": "Can I bring my own music?"}),
    ));
    let results = sync(&app, &c.patient, entries).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{results:?}"
    );

    let (status, body) = readiness(c.therapist.cookie.clone()).await;
    assert_eq!(status, 200);
    let list: Value = serde_json::from_str(&body).unwrap();
    let r = &list[0]["readiness"];
    assert_eq!(r["ready"], true, "{r}");
    assert_eq!(r["modules_read"], r["modules_total"]);
    assert_eq!(r["intention"], intention);
    assert_eq!(r["questions"][0], "Can I bring my own music?");
    let fasting = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "fasting")
        .unwrap();
    assert_eq!(fasting["state"], "on_the_day");

    // Nobody else sees it.
    for (who, cookie, expected) in [
        ("another therapist", c.other_therapist.cookie.clone(), 404),
        ("the admin", c.admin.cookie.clone(), 403),
        ("the patient", c.patient.cookie.clone(), 403),
        ("another patient", c.other_patient.cookie.clone(), 403),
    ] {
        let (status, body) = readiness(cookie).await;
        assert_eq!(status, expected, "{who}: {body}");
        assert!(!body.contains(intention), "{who} saw the intention");
    }
    let response = app
        .call("prepare/plan", Some(&c.other_patient.cookie), &[])
        .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(
        !body.contains(intention) && !body.contains(&session_id),
        "another patient's plan leaked"
    );

    // The patient's own plan carries the session, its prompts and the facts.
    let response = app.call("prepare/plan", Some(&c.patient.cookie), &[]).await;
    let plan: Value = response.json().await.unwrap();
    assert_eq!(plan["sessions"][0]["id"], session_id.as_str());
    assert_eq!(plan["sessions"][0]["prompts"].as_array().unwrap().len(), 3);
    let start = plan["sessions"][0]["starts_at"].as_i64().unwrap();
    assert_eq!(
        plan["sessions"][0]["prompts"][0]["due_at"]
            .as_i64()
            .unwrap(),
        start + DAY
    );
    assert!(plan["facts"].as_array().unwrap().len() >= modules.len() + 3);

    // The therapist's read was audited.
    let audit = app
        .db
        .list_audit(&app::db::AuditFilter {
            patient_id: Some(c.patient.id.clone()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "patient.read" && a.detail.contains("readiness"))
    );
}

#[tokio::test]
async fn preparation_entries_must_name_the_patients_own_session_and_a_known_guide() {
    let app = spawn_app().await;
    let c = clinic(&app).await;
    let (_, session) = schedule(
        &app,
        &c.therapist.cookie,
        &c.patient.id,
        &in_utc(2 * DAY),
        "UTC",
        "lozenge",
        "",
    )
    .await;
    let session_id = session["id"].as_str().unwrap().to_string();
    let module = &app::content::catalog()[0];

    let results = sync(
        &app,
        &c.other_patient,
        vec![
            entry("intention", json!({"session_id": session_id, "text": "not mine"})),
            entry("readiness_tick", json!({"session_id": uuid::Uuid::now_v7().to_string(), "item": "ride_arranged", "done": true})),
            entry("module_read", json!({"slug": "no-such-guide", "version": 1})),
            entry("module_read", json!({"slug": module.meta.slug, "version": module.meta.version + 1})),
            entry("intention", json!({"session_id": "nope", "text": "x"})),
            entry("integration_reflection", json!({"session_id": session_id, "prompt": "day9", "text": "x"})),
            entry("module_read", json!({"slug": module.meta.slug, "version": module.meta.version})),
        ],
    )
    .await;
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted"
        ],
        "{results:?}"
    );
    assert_eq!(results[0]["field"], "session_id");
    assert_eq!(results[2]["field"], "slug");
    for r in &results[..6] {
        assert!(r["reason"].as_str().unwrap().len() > 10, "{r}");
    }
    // The patient's own session: accepted even after it was cancelled (nothing is lost).
    let response = app
        .call(
            "clinic/cancel-session",
            Some(&c.therapist.cookie),
            &[("session_id", session_id.as_str()), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let results = sync(
        &app,
        &c.patient,
        vec![entry(
            "integration_reflection",
            json!({"session_id": session_id, "prompt": "day1", "text": "I slept well after."}),
        )],
    )
    .await;
    assert_eq!(results[0]["status"], "accepted", "{results:?}");
}
