//! Webhook delivery through the outbox: success, retries with recorded attempts, giving
//! up, and redelivery; and [`safety`] against hostile receivers.

mod safety;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{sqlite_app, TestApp, WebhookSink};

pub(crate) async fn send_test(app: &TestApp, account: &str, url: &str) -> i64 {
    let queued = app
        .admin(Method::POST, &format!("/accounts/{account}/webhooks/test"))
        .json(&json!({ "url": url, "event": "order.created", "payload": { "n": 1 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status(), 202);
    queued.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn wait_status(app: &TestApp, id: i64, status: &str) -> Value {
    wait_delivery(app, id, |delivery| delivery["status"] == status).await
}

/// Delivery `id` once `done` holds for it (within a generous bound).
async fn wait_delivery(app: &TestApp, id: i64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let delivery: Value = app
            .admin(Method::GET, &format!("/webhooks/deliveries/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if done(&delivery) {
            return delivery;
        }
        assert!(
            Instant::now() < deadline,
            "delivery {id} stuck at {delivery}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn webhooks_are_delivered_retried_and_redelivered() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let sink = WebhookSink::start().await;
    sink.respond_with(&[500, 503]);
    let id = send_test(app, &account, &sink.url("/hook")).await;
    let delivered = wait_status(app, id, "delivered").await;
    let attempts = delivered["attempts"].as_array().unwrap();
    let statuses: Vec<_> = attempts
        .iter()
        .map(|a| a["http_status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![500, 503, 200]);
    assert_eq!(attempts[0]["succeeded"], false);
    assert!(attempts[0]["retry_at"].is_string());
    assert_eq!(attempts[2]["succeeded"], true);
    let received = sink.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[2].body, r#"{"n":1}"#);
    assert_eq!(received[2].headers["content-type"], "application/json");

    let redelivered = app
        .admin(
            Method::POST,
            &format!("/webhooks/deliveries/{id}/redeliver"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(redelivered.status(), 200);
    sink.wait_for(4, Duration::from_secs(10)).await;
    let again = wait_status(app, id, "delivered").await;
    assert_eq!(again["attempts"].as_array().unwrap().len(), 4);

    let listed: Value = app
        .admin(
            Method::GET,
            &format!("/webhooks/deliveries?account={account}&status=delivered"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id);
}

#[tokio::test]
async fn unreachable_receivers_are_given_up_after_the_last_attempt() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    // A port nothing listens on: bind, learn the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let id = send_test(app, &account, &format!("http://127.0.0.1:{port}/hook")).await;
    let failed = wait_status(app, id, "failed").await;
    let attempts = failed["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 5);
    assert!(attempts
        .iter()
        .all(|a| a["error"].is_string() && a["http_status"].is_null()));
    assert!(attempts[4]["retry_at"].is_null());
}
