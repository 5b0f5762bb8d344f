//! Shared plumbing through a dialect's eyes (the test-only probe dialect): request log,
//! masking, endpoint labels, metrics, isolation, reset, snapshots.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::local::Local;

#[tokio::test]
async fn request_log_records_masks_and_filters() {
    let twin = Local::start().await;
    let (account, key) = twin.account_with_key().await;
    let created = twin
        .client
        .post(twin.url("/probe/notes?apiKey=leak-me&x=1"))
        .header("x-api-key", &key)
        .json(&json!({ "text": "hello", "password": "hunter2" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(created.headers().contains_key("x-request-id"));
    let unauthorized = twin
        .client
        .get(twin.url("/probe/notes"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), StatusCode::UNAUTHORIZED);
    let unknown = twin
        .client
        .get(twin.url("/probe/nowhere"))
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let log: Value = twin
        .admin(Method::GET, &format!("/requests?account={account}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = log["items"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        1,
        "only the authenticated request names the account"
    );
    let entry = &entries[0];
    assert_eq!(entry["endpoint"], "notes.create");
    assert_eq!(entry["dialect"], "retailcrm");
    assert_eq!(entry["status"], 201);
    assert_eq!(entry["query"], "apiKey=***&x=1");
    assert_eq!(entry["request_headers"]["x-api-key"], "***");
    let logged: Value = serde_json::from_str(entry["request_body"].as_str().unwrap()).unwrap();
    assert_eq!(logged, json!({ "text": "hello", "password": "***" }));
    let raw = serde_json::to_string(&log).unwrap();
    assert!(!raw.contains(&key) && !raw.contains("hunter2") && !raw.contains("leak-me"));

    let by_status: Value = twin
        .admin(Method::GET, "/requests?status=4xx")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<u64> = by_status["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![404, 401], "newest first");
    let by_text: Value = twin
        .admin(Method::GET, "/requests?q=nowhere")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_text["items"][0]["endpoint"], "unmatched");
    let first: Value = twin
        .admin(Method::GET, "/requests?limit=2")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let next = first["next"].as_str().expect("a next page");
    let second: Value = twin
        .admin(Method::GET, &format!("/requests?limit=2&before={next}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"][0]["endpoint"], "notes.create");
    assert!(second.get("next").is_none());
    let id = entry["id"].as_i64().unwrap();
    let one: Value = twin
        .admin(Method::GET, &format!("/requests/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(&one, entry);

    let metrics = twin
        .client
        .get(twin.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains(
        r#"twin_http_requests_total{dialect="retailcrm",endpoint="notes.create",status="201"} 1"#
    ));
    assert!(metrics.contains("twin_outbox_pending 0"));
    let health = twin.client.get(twin.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn dialect_bodies_over_the_limit_get_the_dialects_413() {
    let twin = Local::start().await;
    let (_, key) = twin.account_with_key().await;
    let huge = "x".repeat(twin_http::BODY_LIMIT + 1);
    let response = twin
        .client
        .post(twin.url("/probe/notes"))
        .header("x-api-key", &key)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "success": false, "errorMsg": "PayloadTooLarge" })
    );
}

#[tokio::test]
async fn one_account_never_sees_anothers_data() {
    let twin = Local::start().await;
    let (_, key_a) = twin.account_with_key().await;
    let (_, key_b) = twin.account_with_key().await;
    let note: Value = twin
        .client
        .post(twin.url("/probe/notes"))
        .header("x-api-key", &key_a)
        .json(&json!({ "text": "a's" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = note["id"].as_str().unwrap();
    let mine: Value = twin
        .client
        .get(twin.url(&format!("/probe/notes/{id}")))
        .header("x-api-key", &key_a)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine["note"], json!({ "text": "a's" }));
    let theirs = twin
        .client
        .get(twin.url(&format!("/probe/notes/{id}")))
        .header("x-api-key", &key_b)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let listed: Value = twin
        .client
        .get(twin.url("/probe/notes"))
        .header("x-api-key", &key_b)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["notes"], json!([]));
}

#[tokio::test]
async fn reset_and_snapshots_round_trip() {
    let twin = Local::start().await;
    let (account, key) = twin.account_with_key().await;
    for text in ["one", "two", "three"] {
        let created = twin
            .client
            .post(twin.url("/probe/notes"))
            .header("x-api-key", &key)
            .json(&json!({ "text": text }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let export = |id: String| {
        let request = twin.admin(Method::GET, &format!("/accounts/{id}/snapshot"));
        async move { request.send().await.unwrap().bytes().await.unwrap() }
    };
    let first = export(account.clone()).await;
    let file: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(file["format"], "twin-snapshot/1");
    assert_eq!(file["snapshot"]["documents"].as_array().unwrap().len(), 3);
    assert_eq!(file["snapshot"]["history"].as_array().unwrap().len(), 3);

    // Into another account: byte-identical on export.
    let (copy, copy_key) = twin.account_with_key().await;
    let imported = twin
        .admin(Method::PUT, &format!("/accounts/{copy}/snapshot"))
        .header("content-type", "application/json")
        .body(first.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::NO_CONTENT);
    assert_eq!(export(copy.clone()).await, first);
    let listed: Value = twin
        .client
        .get(twin.url("/probe/notes"))
        .header("x-api-key", &copy_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["notes"],
        json!([{ "text": "one" }, { "text": "two" }, { "text": "three" }])
    );

    // Reset of another dialect keeps the data; a full reset empties it; import restores.
    let reset = |id: &str, body: Value| {
        twin.admin(Method::POST, &format!("/accounts/{id}/reset"))
            .json(&body)
            .send()
    };
    assert_eq!(
        reset(&account, json!({ "dialect": "moysklad" }))
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(export(account.clone()).await, first);
    assert_eq!(
        reset(&account, json!({ "dialect": "nope" }))
            .await
            .unwrap()
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        reset(&account, json!({})).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let emptied: Value = serde_json::from_slice(&export(account.clone()).await).unwrap();
    assert_eq!(
        emptied["snapshot"],
        json!({ "documents": [], "sequences": [], "history": [] })
    );
    let listed: Value = twin
        .client
        .get(twin.url("/probe/notes"))
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["notes"],
        json!([]),
        "credentials survive a reset, data does not"
    );
    twin.admin(Method::PUT, &format!("/accounts/{account}/snapshot"))
        .header("content-type", "application/json")
        .body(first.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(export(account).await, first);
}
