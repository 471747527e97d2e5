//! Accounts, sign-in, sessions, one-time links, CSRF and audit, through the real server.

use serde_json::{Value, json};

use crate::support::{check_in_entry, spawn_app, spawn_app_with};

const GOOD_PASSWORD: &str = "quiet river morning";

fn token_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("stillpoint_session=") && !v.contains("Max-Age=0"))
        .map(str::to_string)
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = spawn_app().await;
    let url = server::cli::create_setup_link(&app.state, &app.address)
        .await
        .unwrap();
    let token = token_of(&url);
    let info: Value = app
        .call("account/link", None, &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["state"], "valid");
    assert_eq!(info["purpose"], "setup");

    let response = app
        .call(
            "account/redeem",
            None,
            &[
                ("token", &token),
                ("username", "Boss"),
                ("display_name", "The boss"),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).expect("signed in after setup");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");
    let me: Value = app
        .call("account/me", Some(&cookie_pair(&cookie)), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    assert_eq!(me["username"], "boss");

    let again = app
        .call(
            "account/redeem",
            None,
            &[
                ("token", &token),
                ("username", "boss2"),
                ("display_name", "x"),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status(), 410);
    let body: Value = again.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("used already"));
    let forged = app
        .call("account/link", None, &[("token", &"a".repeat(64))])
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(forged["state"], "unknown");
    let nonsense = app
        .call("account/link", None, &[("token", "../../etc/passwd")])
        .await;
    assert_eq!(nonsense.status(), 200);
    // The link page itself answers with a clear page, not an error.
    let page = app.get(&format!("/link/{}", "b".repeat(64))).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("This link does not work")
    );
}

#[tokio::test]
async fn the_create_admin_command_makes_an_admin_who_can_sign_in() {
    let dir = crate::support::TempDir::new();
    let run = |password: &str, username: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_stillpoint"))
            .args(["create-admin", "--username", username, "--data-dir"])
            .arg(&dir.0)
            .env("STILLPOINT_ADMIN_PASSWORD", password)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let weak = run("password1", "boss");
    assert!(!weak.status.success());
    let stderr = String::from_utf8_lossy(&weak.stderr);
    assert!(stderr.contains("too common"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
    let made = run(GOOD_PASSWORD, "boss");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let db = app::db::Db::connect(&format!(
        "sqlite://{}",
        dir.0.join("stillpoint.db").display()
    ))
    .await
    .unwrap();
    let login = db.get_login("boss").await.unwrap().unwrap();
    assert_eq!(login.user.role, "admin");
    assert!(login.password_hash.unwrap().starts_with("$argon2id$"));
    let taken = run(GOOD_PASSWORD, "boss");
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("taken"));
}

#[tokio::test]
async fn unknown_names_and_wrong_passwords_get_the_same_answer_and_sign_in_rotates_the_session() {
    let app = spawn_app().await;
    app.create_user_with_password("patient", "ada", GOOD_PASSWORD)
        .await;
    let unknown = app
        .call(
            "account/sign-in",
            None,
            &[("username", "nobody"), ("password", GOOD_PASSWORD)],
        )
        .await;
    let wrong = app
        .call(
            "account/sign-in",
            None,
            &[("username", "ada"), ("password", "not the password")],
        )
        .await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.text().await.unwrap(), wrong.text().await.unwrap());

    let first = app
        .call(
            "account/sign-in",
            None,
            &[("username", " ADA "), ("password", GOOD_PASSWORD)],
        )
        .await;
    assert_eq!(first.status(), 200);
    let first = cookie_pair(&session_cookie(&first).unwrap());
    let second = app
        .call(
            "account/sign-in",
            Some(&first),
            &[("username", "ada"), ("password", GOOD_PASSWORD)],
        )
        .await;
    let second = cookie_pair(&session_cookie(&second).unwrap());
    assert_ne!(first, second, "a new session id at sign-in");
    let me: Value = app
        .call("account/me", Some(&first), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "the old session ended");
    let me: Value = app
        .call("account/me", Some(&second), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "ada");
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while_with_a_readable_message() {
    let app = spawn_app().await;
    app.create_user_with_password("patient", "ada", GOOD_PASSWORD)
        .await;
    for _ in 0..5 {
        let r = app
            .call(
                "account/sign-in",
                None,
                &[("username", "ada"), ("password", "guess guess")],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let locked = app
        .call(
            "account/sign-in",
            None,
            &[("username", "ada"), ("password", GOOD_PASSWORD)],
        )
        .await;
    assert_eq!(locked.status(), 429);
    let body: Value = locked.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("wait 15 minutes")
    );
    // Another account from the same address is not locked by this one.
    app.create_user_with_password("patient", "bea", GOOD_PASSWORD)
        .await;
    let other = app
        .call(
            "account/sign-in",
            None,
            &[("username", "bea"), ("password", GOOD_PASSWORD)],
        )
        .await;
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn many_failures_from_one_address_are_throttled_and_forwarded_for_is_not_believed() {
    let app = spawn_app().await;
    for i in 0..30 {
        let name = format!("nobody{i}");
        let r = app
            .client
            .post(format!("{}/api/account/sign-in", app.address))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("username", name.as_str()), ("password", "guess guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = app
        .call(
            "account/sign-in",
            None,
            &[("username", "someone"), ("password", "guess guess")],
        )
        .await;
    assert_eq!(r.status(), 429);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("from this network")
    );
}

#[tokio::test]
async fn an_invited_patient_joins_the_therapists_care_team_and_bad_passwords_are_explained() {
    let app = spawn_app().await;
    let therapist = app.create_user("therapist", "tess").await;
    let link: Value = app
        .call(
            "clinic/invite-patient",
            Some(&therapist.cookie),
            &[("display_name", "Pat")],
        )
        .await
        .json()
        .await
        .unwrap();
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/link/", app.address)));
    assert!(link["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let token = token_of(url);
    let info: Value = app
        .call("account/link", None, &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["purpose"], "patient_invite");
    assert_eq!(info["display_name"], "Pat");

    let attempt = |username: &'static str, password: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.call(
                "account/redeem",
                None,
                &[
                    ("token", &token),
                    ("username", username),
                    ("display_name", "Pat"),
                    ("password", &password),
                ],
            )
            .await
        }
    };
    for (password, field_message) in [
        ("short".to_string(), "at least 8"),
        ("iloveyou1".to_string(), "too common"),
        ("x".repeat(300), "at most 256"),
    ] {
        let r = attempt("pat", password).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["field"], "password");
        assert!(
            body["message"].as_str().unwrap().contains(field_message),
            "{body}"
        );
    }
    let r = attempt("no spaces allowed", GOOD_PASSWORD.into()).await;
    assert_eq!(r.status(), 422);
    app.create_user("patient", "taken").await;
    let r = attempt("taken", GOOD_PASSWORD.into()).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("taken")
    );

    let passphrase =
        "my old dog likes long slow walks by the quiet river every single morning".to_string();
    assert!(passphrase.len() >= 64);
    let joined = attempt("pat", passphrase.clone()).await;
    assert_eq!(
        joined.status(),
        200,
        "the invitation still works after the failures"
    );
    let roster: Value = app
        .call("clinic/patients", Some(&therapist.cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(roster[0]["username"], "pat");
    let used = attempt("pat2", GOOD_PASSWORD.into()).await;
    assert_eq!(used.status(), 410);
    let signed_in = app
        .call(
            "account/sign-in",
            None,
            &[("username", "pat"), ("password", &passphrase)],
        )
        .await;
    assert_eq!(signed_in.status(), 200);
}

#[tokio::test]
async fn an_expired_invitation_gets_a_clear_answer() {
    let app = spawn_app().await;
    let (token, id) = app::auth::new_token().unwrap();
    app.db
        .insert_token(&app::db::TokenRow {
            id,
            purpose: "patient_invite".into(),
            created_by: None,
            user_id: None,
            display_name: "Late".into(),
            created_at: 1,
            expires_at: 2,
            used_at: None,
        })
        .await
        .unwrap();
    let info: Value = app
        .call("account/link", None, &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["state"], "expired");
    let r = app
        .call(
            "account/redeem",
            None,
            &[
                ("token", &token),
                ("username", "late"),
                ("display_name", "Late"),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 410);
    assert!(
        r.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let page = app
        .get(&format!("/link/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This link has expired"));
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_and_ends_old_sessions() {
    let app = spawn_app().await;
    let therapist = app.create_user("therapist", "tess").await;
    let patient_id = app
        .create_user_with_password("patient", "pat", "an old password")
        .await;
    app.db
        .add_care_team_member(&patient_id, &therapist.id, &therapist.id, 1)
        .await
        .unwrap();
    let old = app
        .call(
            "account/sign-in",
            None,
            &[("username", "pat"), ("password", "an old password")],
        )
        .await;
    let old = cookie_pair(&session_cookie(&old).unwrap());
    let link: Value = app
        .call(
            "clinic/reset-link",
            Some(&therapist.cookie),
            &[("user_id", &patient_id)],
        )
        .await
        .json()
        .await
        .unwrap();
    let token = token_of(link["url"].as_str().unwrap());
    let info: Value = app
        .call("account/link", None, &[("token", &token)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["purpose"], "reset");
    assert_eq!(info["username"], "pat");
    let r = app
        .call(
            "account/redeem",
            None,
            &[
                ("token", &token),
                ("username", ""),
                ("display_name", ""),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let me: Value = app
        .call("account/me", Some(&old), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "old sessions end at a reset");
    assert_eq!(
        app.call(
            "account/sign-in",
            None,
            &[("username", "pat"), ("password", "an old password")]
        )
        .await
        .status(),
        401
    );
    assert_eq!(
        app.call(
            "account/sign-in",
            None,
            &[("username", "pat"), ("password", GOOD_PASSWORD)]
        )
        .await
        .status(),
        200
    );
    let again = app
        .call(
            "account/redeem",
            None,
            &[
                ("token", &token),
                ("username", ""),
                ("display_name", ""),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status(), 410);
}

#[tokio::test]
async fn staff_sessions_end_after_idle_time_but_patient_sessions_last() {
    let app = spawn_app_with(&["--staff-session-idle-secs", "1"]).await;
    app.create_user_with_password("therapist", "tess", GOOD_PASSWORD)
        .await;
    app.create_user_with_password("patient", "pat", GOOD_PASSWORD)
        .await;
    let staff = app
        .call(
            "account/sign-in",
            None,
            &[("username", "tess"), ("password", GOOD_PASSWORD)],
        )
        .await;
    let staff_cookie = session_cookie(&staff).unwrap();
    assert!(
        !staff_cookie.contains("Max-Age"),
        "staff cookies end with the browser"
    );
    let patient = app
        .call(
            "account/sign-in",
            None,
            &[("username", "pat"), ("password", GOOD_PASSWORD)],
        )
        .await;
    let patient_cookie = session_cookie(&patient).unwrap();
    assert!(
        patient_cookie.contains("Max-Age="),
        "a patient's phone keeps its session"
    );
    // Tolerant: the idle limit is one second; three seconds later it has certainly passed.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let me: Value = app
        .call("account/me", Some(&cookie_pair(&staff_cookie)), &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "the idle staff session ended");
    let me: Value = app
        .call("account/me", Some(&cookie_pair(&patient_cookie)), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "pat");
}

#[tokio::test]
async fn deactivation_and_sign_out_everywhere_end_sessions_at_once() {
    let app = spawn_app().await;
    let admin = app.create_user("admin", "root").await;
    let therapist = app.create_user("therapist", "tess").await;
    let r = app
        .call(
            "admin/deactivate",
            Some(&admin.cookie),
            &[("user_id", &therapist.id)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.call("clinic/patients", Some(&therapist.cookie), &[])
            .await
            .status(),
        401
    );
    let own = app
        .call(
            "admin/deactivate",
            Some(&admin.cookie),
            &[("user_id", &admin.id)],
        )
        .await;
    assert_eq!(own.status(), 409);

    let patient = app.create_user("patient", "pat").await;
    let phone_two = app
        .auth
        .session_cookie("x", app::domain::account::Role::Patient);
    assert!(phone_two.starts_with("stillpoint_session="));
    let other_device = app::auth::start_session(
        &app.db,
        &app.auth,
        &app.db.get_user(&patient.id).await.unwrap(),
        app::domain::account::Role::Patient,
    )
    .await
    .unwrap();
    let other_device = cookie_pair(&other_device);
    let r = app
        .call("account/sign-out-everywhere", Some(&patient.cookie), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("clear-site-data").is_some());
    for cookie in [&patient.cookie, &other_device] {
        let me: Value = app
            .call("account/me", Some(cookie), &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(me.is_null());
    }
}

#[tokio::test]
async fn cross_site_requests_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let patient = app.create_user("patient", "pat").await;
    let url = format!("{}/api/account/sign-out-everywhere", app.address);
    let cross_site = app
        .client
        .post(&url)
        .header("cookie", &patient.cookie)
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let old_browser = app
        .client
        .post(&url)
        .header("cookie", &patient.cookie)
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(old_browser.status(), 403);
    // A cross-site form posting JSON as text/plain.
    let sync = app
        .client
        .post(format!("{}/api/sync", app.address))
        .header("cookie", &patient.cookie)
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "text/plain")
        .body(json!({ "entries": [check_in_entry(3)] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sync.status(), 403);
    assert_eq!(
        app.db.count_entries_for_patient(&patient.id).await.unwrap(),
        0
    );
    let me: Value = app
        .call("account/me", Some(&patient.cookie), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["username"], "pat",
        "the session survived the forged requests"
    );

    let host = app.address.trim_start_matches("http://").to_string();
    let same_origin = app
        .client
        .post(&url)
        .header("cookie", &patient.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("origin", format!("http://{host}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
    let plain = app
        .client
        .post(format!("{}/api/account/me", app.address))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 415);
}

#[tokio::test]
async fn therapist_reads_are_audited_with_actor_patient_and_request_id() {
    let app = spawn_app().await;
    let therapist = app.create_user("therapist", "tess").await;
    let stranger = app.create_user("therapist", "stan").await;
    let patient = app.create_user("patient", "pat").await;
    app.db
        .add_care_team_member(&patient.id, &therapist.id, &therapist.id, 1)
        .await
        .unwrap();
    let r = app
        .call(
            "clinic/patient",
            Some(&therapist.cookie),
            &[("patient_id", &patient.id)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let r = app
        .call(
            "clinic/patient",
            Some(&stranger.cookie),
            &[("patient_id", &patient.id)],
        )
        .await;
    assert_eq!(r.status(), 404);
    let rows = app
        .db
        .list_audit(&app::db::AuditFilter {
            patient_id: Some(patient.id.clone()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let read = rows
        .iter()
        .find(|r| r.action == "patient.read")
        .expect("read audited");
    assert_eq!(read.actor_id.as_deref(), Some(therapist.id.as_str()));
    assert_eq!(read.request_id, request_id);
    assert_eq!(read.outcome, "allowed");
    let denied = rows
        .iter()
        .find(|r| r.outcome == "denied")
        .expect("denial audited");
    assert_eq!(denied.actor_id.as_deref(), Some(stranger.id.as_str()));
}

#[tokio::test]
async fn a_patient_downloads_their_data_and_an_admin_deletes_them_after_confirming() {
    let app = spawn_app().await;
    let admin = app.create_user("admin", "root").await;
    let patient = app.create_user("patient", "pat").await;
    let mut entry = check_in_entry(5);
    entry["payload"]["note"] = json!("Something private");
    assert_eq!(
        app.sync_as(Some(&patient.cookie), &json!({ "entries": [entry] }))
            .await
            .status(),
        200
    );
    let export = app.get_as("/api/me/export", Some(&patient.cookie)).await;
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data: Value = export.json().await.unwrap();
    assert_eq!(data["profile"]["username"], "pat");
    assert_eq!(data["entries"][0]["payload"]["note"], "Something private");

    let wrong = app
        .call(
            "admin/delete-patient",
            Some(&admin.cookie),
            &[("patient_id", &patient.id), ("confirm_username", "someone")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(app.db.get_user(&patient.id).await.is_ok());
    let done = app
        .call(
            "admin/delete-patient",
            Some(&admin.cookie),
            &[("patient_id", &patient.id), ("confirm_username", "PAT")],
        )
        .await;
    assert_eq!(done.status(), 200);
    assert!(app.db.get_user(&patient.id).await.is_err());
    assert_eq!(
        app.db.count_entries_for_patient(&patient.id).await.unwrap(),
        0
    );
    let audit: Value = app
        .call(
            "admin/audit",
            Some(&admin.cookie),
            &[
                ("actor", "root"),
                ("patient", ""),
                ("from", ""),
                ("until", ""),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let text = audit.to_string();
    assert!(text.contains("patient.delete"));
    assert!(
        !text.contains("Something private"),
        "no health data in the audit log"
    );
}
