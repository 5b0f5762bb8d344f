//! `application-webhooks`: endpoints of an integration (create, list, get, full update,
//! delete; each integration sees only its own) and the test webhook.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::WebhookSink;

use super::{assert_error, assert_invalid, assert_keys, ids, Kassa};

const PATH: &str = "/application-webhooks/endpoints";

fn endpoint(url: &str, events: &[&str]) -> Value {
    json!({ "status": "ACTIVE", "url": url, "authType": "NO", "events": events })
}

#[tokio::test]
async fn endpoints_crud() {
    let kassa = Kassa::new().await;
    let (status, created) = kassa
        .post(
            PATH,
            endpoint("https://example.com/hook", &["OPERATION_COMPLETED"]),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_keys(
        &created,
        &["id", "createdAt", "status", "authType", "events"],
    );
    assert_eq!(created["events"], json!(["OPERATION_COMPLETED"]));
    let id = created["id"].as_str().unwrap().to_owned();
    let item = format!("{PATH}/{id}");
    let (status, got) = kassa.get(&item).await;
    assert_eq!((status, &got), (200, &created));
    let mut update = endpoint(
        "http://example.com/other",
        &["OPERATION_FAILED", "CASHBOX_DATA_CHANGED"],
    );
    update["status"] = json!("INACTIVE");
    update["authType"] = json!("BASIC");
    update["secret"] = json!("dXNlcjpwYXNz");
    let answer = kassa.call(Method::PUT, &item, Some(update)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["status"], "INACTIVE");
    assert_eq!(answer.body["authType"], "BASIC");
    assert_eq!(answer.body["createdAt"], created["createdAt"]);
    assert_eq!(
        answer.body["events"],
        json!(["OPERATION_FAILED", "CASHBOX_DATA_CHANGED"])
    );
    let (_, second) = kassa
        .post(
            PATH,
            endpoint("https://example.com/2", &["OPERATION_FAILED"]),
        )
        .await;
    let (_, all) = kassa.get(PATH).await;
    assert_eq!(
        ids(&all),
        [id.clone(), second["id"].as_str().unwrap().to_owned()]
    );
    let (_, active) = kassa.get(&format!("{PATH}?status=ACTIVE")).await;
    assert_eq!(ids(&active), [second["id"].as_str().unwrap()]);
    let (_, page) = kassa.get(&format!("{PATH}?limit=1")).await;
    assert_eq!(page["nextCursor"], second["id"]);

    // Another integration of the same account sees none of them.
    let other = Kassa::new().await;
    let (_, none) = other.get(PATH).await;
    assert_eq!(ids(&none), Vec::<String>::new());
    let (status, _) = other.get(&item).await;
    assert_eq!(status, 404);

    let answer = kassa.call(Method::DELETE, &item, None).await;
    assert_eq!(answer.status, 204);
    let (status, body) = kassa.get(&item).await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let answer = kassa.call(Method::DELETE, &item, None).await;
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn endpoints_are_validated() {
    let kassa = Kassa::new().await;
    let (status, body) = kassa.post(PATH, json!({})).await;
    assert_invalid(
        (status, &body),
        &[
            "status: This value should not be blank.",
            "url: This value should not be blank.",
            "authType: This value should not be blank.",
            "events: This value should not be blank.",
        ],
    );
    let (status, body) = kassa
        .post(
            PATH,
            json!({ "status": "ON", "url": "ftp://example.com", "authType": "BEARER", "events": ["ORDER_CREATED"] }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "status: The value you selected is not a valid choice.",
            "url: This value is not a valid URL.",
            "secret: This value should not be blank.",
            "events: One or more of the given values is invalid.",
        ],
    );
    let long = format!("https://example.com/{}", "a".repeat(250));
    let (status, body) = kassa
        .post(
            PATH,
            json!({ "status": "ACTIVE", "url": long, "authType": "TOKEN", "events": [] }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "url: This value is too long. It should have 255 characters or less.",
            "authType: The value you selected is not a valid choice.",
            "events: This collection should contain 1 element or more.",
        ],
    );
    let answer = kassa
        .call(
            Method::PUT,
            &format!("{PATH}/6f1a3c1e-0000-4000-8000-000000000009"),
            Some(json!({})),
        )
        .await;
    assert_eq!(answer.status, 404);
}

#[tokio::test]
async fn test_webhook_goes_to_subscribed_endpoints() {
    let kassa = Kassa::new().await;
    let sink = WebhookSink::start().await;
    let (status, body) = kassa
        .post(
            "/application-webhooks/test",
            json!({ "event": "OPERATION_COMPLETED" }),
        )
        .await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let mut bearer = endpoint(&sink.url("/completed"), &["OPERATION_COMPLETED"]);
    bearer["authType"] = json!("BEARER");
    bearer["secret"] = json!("dG9rZW4=");
    kassa.post(PATH, bearer).await;
    kassa
        .post(
            PATH,
            endpoint(&sink.url("/cashbox"), &["CASHBOX_DATA_CHANGED"]),
        )
        .await;
    let answer = kassa
        .call(
            Method::POST,
            "/application-webhooks/test",
            Some(json!({ "event": "OPERATION_COMPLETED", "skipVerify": false })),
        )
        .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    let received = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(received[0].path, "/completed");
    assert_eq!(received[0].headers["authorization"], "Bearer dG9rZW4=");
    let hook: Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(hook["event"], "OPERATION_COMPLETED");
    assert_eq!(hook["content"]["status"], "COMPLETE");
    let (status, body) = kassa
        .post(
            "/application-webhooks/test",
            json!({ "event": "NOPE", "skipVerify": 1 }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "event: The value you selected is not a valid choice.",
            "skipVerify: This value should be of type bool.",
        ],
    );
    let (status, _) = kassa
        .post(
            "/application-webhooks/test",
            json!({ "event": "CASHBOX_DATA_CHANGED" }),
        )
        .await;
    assert_eq!(status, 204);
    let received = sink.wait_for(2, Duration::from_secs(10)).await;
    let hook: Value = serde_json::from_str(&received[1].body).unwrap();
    assert_eq!(received[1].path, "/cashbox");
    assert!(hook["content"]["cashBalance"].is_number());
}
