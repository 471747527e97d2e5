use serde_json::{Value, json};

use crate::support::{check_in_entry, count_server_panics, now_ms, server_panics, spawn_app};

fn statuses(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_valid_entries_is_stored() {
    count_server_panics();
    let app = spawn_app().await;
    let batch = json!({ "entries": [check_in_entry(2), check_in_entry(5), check_in_entry(9)] });
    let response = app.post_sync(&batch).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(statuses(&body), ["accepted", "accepted", "accepted"]);
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        3
    );
    let stored = app
        .db
        .get_entry(batch["entries"][1]["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.kind, "check_in");
    assert_eq!(stored.patient_id, app.patient().await.id);
    assert!(stored.payload.contains("\"anxiety\":5"));
    assert!(!stored.late);
    assert_eq!(server_panics(), 0);
}

#[tokio::test]
async fn submitting_the_same_batch_twice_stores_it_once_and_answers_duplicate() {
    let app = spawn_app().await;
    let batch = json!({ "entries": [check_in_entry(1), check_in_entry(2)] });
    let first: Value = app.post_sync(&batch).await.json().await.unwrap();
    assert_eq!(statuses(&first), ["accepted", "accepted"]);
    let second = app.post_sync(&batch).await;
    assert_eq!(second.status(), 200);
    let second: Value = second.json().await.unwrap();
    assert_eq!(statuses(&second), ["duplicate", "duplicate"]);
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_invalid_entry_is_rejected_with_its_reason_and_the_rest_are_stored() {
    count_server_panics();
    let app = spawn_app().await;
    let mut bad = check_in_entry(4);
    bad["payload"]["mood"] = json!(9);
    let batch = json!({ "entries": [check_in_entry(1), bad.clone(), check_in_entry(3)] });
    let body: Value = app.post_sync(&batch).await.json().await.unwrap();
    assert_eq!(statuses(&body), ["accepted", "rejected", "accepted"]);
    let rejected = &body["results"][1];
    assert_eq!(rejected["id"], bad["id"]);
    assert_eq!(rejected["field"], "mood");
    assert!(
        rejected["reason"].as_str().unwrap().contains("Mood"),
        "{rejected}"
    );
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        2
    );
    assert!(app.db.get_entry(bad["id"].as_str().unwrap()).await.is_err());
    assert_eq!(server_panics(), 0);
}

#[tokio::test]
async fn anxiety_of_eleven_or_minus_one_is_rejected() {
    let app = spawn_app().await;
    let body: Value = app
        .post_sync(
            &json!({ "entries": [check_in_entry(11), check_in_entry(-1), check_in_entry(10)] }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses(&body), ["rejected", "rejected", "accepted"]);
    for result in &body["results"].as_array().unwrap()[..2] {
        assert_eq!(result["field"], "anxiety");
        assert_eq!(
            result["reason"],
            "Anxiety must be a whole number from 0 to 10."
        );
    }
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_gets_400_with_a_message_and_stores_nothing() {
    count_server_panics();
    let app = spawn_app().await;
    let response = app
        .post_sync_raw(r#"{"entries": [ {"id": "#, "application/json")
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("not valid JSON"),
        "{body}"
    );
    let wrong_shape = app
        .post_sync_raw(r#"{"entries": "lots"}"#, "application/json")
        .await;
    assert_eq!(wrong_shape.status(), 400);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert_eq!(
        app.post_sync_raw(deep, "application/json").await.status(),
        400
    );
    let not_utf8 = app
        .post_sync_raw(vec![b'{', 0xff, 0xfe, b'}'], "application/json")
        .await;
    assert_eq!(not_utf8.status(), 400);
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(server_panics(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_body_gets_413_and_earlier_entries_stay() {
    count_server_panics();
    let app = spawn_app().await;
    app.post_sync(&json!({ "entries": [check_in_entry(3)] }))
        .await;
    let huge = format!(
        r#"{{"entries": [], "pad": "{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let response = app.post_sync_raw(huge, "application/json").await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        1
    );
    assert_eq!(server_panics(), 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_gets_415() {
    let app = spawn_app().await;
    let response = app.post_sync_raw("entries=1", "text/plain").await;
    assert_eq!(response.status(), 415);
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn more_than_a_hundred_entries_in_one_batch_is_refused_naming_the_limit() {
    let app = spawn_app().await;
    let entries: Vec<Value> = (0..101).map(|_| check_in_entry(1)).collect();
    let response = app.post_sync(&json!({ "entries": entries })).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("100"));
    assert_eq!(
        app.db
            .count_entries_for_patient(&app.patient().await.id)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_same_id_with_different_content_is_rejected_and_the_original_kept() {
    let app = spawn_app().await;
    let original = check_in_entry(2);
    app.post_sync(&json!({ "entries": [original.clone()] }))
        .await;
    let mut changed = original.clone();
    changed["payload"]["anxiety"] = json!(8);
    let body: Value = app
        .post_sync(&json!({ "entries": [changed] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses(&body), ["rejected"]);
    assert_eq!(body["results"][0]["field"], "id");
    let stored = app
        .db
        .get_entry(original["id"].as_str().unwrap())
        .await
        .unwrap();
    assert!(stored.payload.contains("\"anxiety\":2"));
}

#[tokio::test]
async fn owner_and_derived_fields_from_the_client_are_refused() {
    let app = spawn_app().await;
    let mut with_owner = check_in_entry(2);
    with_owner["patient_id"] = json!("someone-else");
    let mut with_score = check_in_entry(2);
    with_score["payload"]["score_total"] = json!(21);
    let body: Value = app
        .post_sync(&json!({ "entries": [with_owner, with_score] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses(&body), ["rejected", "rejected"]);
    assert!(
        body["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("patient_id")
    );
    assert!(
        body["results"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("score_total")
    );
}

#[tokio::test]
async fn timestamps_in_the_future_are_refused_and_offline_backfill_is_marked_late() {
    let app = spawn_app().await;
    let mut future = check_in_entry(2);
    future["recorded_at"] = json!(now_ms() + 60 * 60 * 1000);
    let body: Value = app
        .post_sync(&json!({ "entries": [future] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(statuses(&body), ["rejected"]);
    assert_eq!(body["results"][0]["field"], "recorded_at");
}

#[tokio::test]
async fn free_text_with_html_is_stored_as_written_and_rendered_escaped() {
    let app = spawn_app().await;
    let mut entry = check_in_entry(2);
    entry["payload"]["note"] = json!("<script>alert('x')</script> & more");
    app.post_sync(&json!({ "entries": [entry.clone()] })).await;
    let stored = app
        .db
        .get_entry(entry["id"].as_str().unwrap())
        .await
        .unwrap();
    assert!(
        stored
            .payload
            .contains("<script>alert('x')</script> & more")
    );
    let cookie = app.patient().await.cookie.clone();
    let html = app
        .get_as("/history", Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("<script>alert('x')</script>"),
        "note must be escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert"),
        "escaped note is shown"
    );
}

#[tokio::test]
async fn the_history_server_function_lists_the_patients_entries() {
    let app = spawn_app().await;
    app.post_sync(&json!({ "entries": [check_in_entry(6), check_in_entry(7)] }))
        .await;
    let cookie = app.patient().await.cookie.clone();
    let response = app.call("entries/list", Some(&cookie), &[]).await;
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["check_in"]["anxiety"], 7, "newest first");
}
