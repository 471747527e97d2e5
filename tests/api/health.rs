use crate::support::spawn_app;

#[tokio::test]
async fn healthz_and_readyz_answer_ok_with_a_reachable_database() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert!(
        health.headers().contains_key("x-request-id"),
        "request id is propagated"
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.close().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_on_every_script() {
    let app = spawn_app().await;
    let response = app.get("/check-in").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("Daily check-in"));
    let tags: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect();
    assert!(!tags.is_empty(), "the page has hydration scripts");
    for tag in tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without the nonce: <script{tag}>"
        );
    }
    // A second request gets a different nonce.
    let again = app.get("/check-in").await;
    let csp2 = again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(csp, csp2);
}

#[tokio::test]
async fn the_manifest_and_service_worker_have_the_right_content_types() {
    let app = spawn_app().await;
    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status(), 200);
    assert_eq!(
        manifest.headers()["content-type"],
        "application/manifest+json"
    );
    let body: serde_json::Value = manifest.json().await.unwrap();
    assert_eq!(body["display"], "standalone");
    assert_eq!(body["start_url"], "/");
    let sizes: Vec<String> = body["icons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sizes"].as_str().unwrap().to_string())
        .collect();
    assert!(sizes.contains(&"192x192".to_string()) && sizes.contains(&"512x512".to_string()));
    assert!(
        body["icons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["purpose"] == "maskable")
    );

    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status(), 200);
    assert!(
        sw.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let script = sw.text().await.unwrap();
    assert!(
        !script.contains("__STILLPOINT_PRECACHE__"),
        "placeholders are filled"
    );
    assert!(script.contains("\"/crisis\"") && script.contains("\"/offline\""));

    let icon = app.get("/icons/icon-192.png").await;
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn the_crisis_page_lists_the_configured_resources_without_scripts() {
    let app = spawn_app().await;
    let html = app.get("/crisis").await.text().await.unwrap();
    assert!(
        html.contains("988 Suicide &amp; Crisis Lifeline")
            || html.contains("988 Suicide & Crisis Lifeline")
    );
    assert!(html.contains("href=\"tel:988\""));
}

#[tokio::test]
async fn a_deployment_can_replace_the_crisis_resources() {
    let dir = crate::support::TempDir::new();
    let file = dir.0.join("crisis.json");
    std::fs::write(
        &file,
        r#"{"region":"Testland","resources":[{"name":"Testline","description":"Call us.","actions":[{"label":"Call 123","href":"tel:123"}]}]}"#,
    )
    .unwrap();
    let app = crate::support::spawn_app_with(&["--crisis-resources", file.to_str().unwrap()]).await;
    let html = app.get("/crisis").await.text().await.unwrap();
    assert!(html.contains("Testline") && html.contains("tel:123"));
    assert!(!html.contains("tel:988"));
}

#[tokio::test]
async fn an_unknown_page_answers_404_with_a_readable_page() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("We could not find that page")
    );
}
