//! `/stats`: requests per minute and latency from the request log, deliveries from the
//! outbox; and the deliveries' `event` filter.

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::WebhookSink;

use super::{get, problem_status};
use crate::moysklad::Ms;
use crate::webhooks::{send_test, wait_status};

/// Requests counted per status class in `perMinute`, for `dialect`.
fn by_class(stats: &Value, dialect: &str, class: &str) -> u64 {
    stats["perMinute"]
        .as_array()
        .expect("perMinute")
        .iter()
        .filter(|m| m["dialect"] == dialect && m["statusClass"] == class)
        .map(|m| m["count"].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn stats_count_requests_by_class_with_ordered_percentiles() {
    let ms = Ms::new().await;
    let app = ms.app;
    for _ in 0..3 {
        let (status, _) = ms.get("/entity/product").await;
        assert_eq!(status, 200);
    }
    let (status, _) = ms
        .get("/entity/product/6c19abdd-520b-47d2-967e-502c21aa7894")
        .await;
    assert_eq!(status, 404);

    let path = format!("/stats?minutes=5&account={}", ms.account);
    let (status, stats) = get(app, &path).await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(by_class(&stats, "moysklad", "2xx"), 3, "{stats}");
    assert_eq!(by_class(&stats, "moysklad", "4xx"), 1, "{stats}");
    assert_eq!(stats["truncated"], false);
    let minute = stats["perMinute"][0]["minute"].as_str().unwrap();
    assert!(minute.ends_with(":00Z"), "the start of a minute: {minute}");
    let latency = stats["latency"].as_array().unwrap();
    assert_eq!(latency.len(), 1, "only the account's dialect: {stats}");
    let ms_latency = &latency[0];
    assert_eq!(
        (&ms_latency["dialect"], &ms_latency["count"]),
        (&json!("moysklad"), &json!(4))
    );
    let figures: Vec<u64> = ["p50", "p90", "p99", "max"]
        .iter()
        .map(|p| ms_latency[p].as_u64().unwrap())
        .collect();
    assert!(
        figures.windows(2).all(|w| w[0] <= w[1]),
        "ordered: {figures:?}"
    );
    assert_eq!(
        stats["deliveries"],
        json!({ "delivered": 0, "failed": 0, "pending": 0, "successRate": null })
    );
    let from = chrono::DateTime::parse_from_rfc3339(stats["from"].as_str().unwrap()).unwrap();
    let to = chrono::DateTime::parse_from_rfc3339(stats["to"].as_str().unwrap()).unwrap();
    assert_eq!((to - from).num_minutes(), 5);

    let (_, everyone) = get(app, "/stats").await;
    assert!(
        by_class(&everyone, "moysklad", "2xx") >= 3,
        "all accounts: {everyone}"
    );
    for query in ["minutes=0", "minutes=1441", "minutes=x", "hours=1"] {
        let path = format!("/stats?{query}");
        assert_eq!(
            problem_status(app, Method::GET, &path, None).await,
            400,
            "{path}"
        );
    }
}

#[tokio::test]
async fn stats_show_the_delivery_success_rate_and_deliveries_filter_by_event() {
    let app = twin_testkit::sqlite_app();
    let account = app.unique_account().await;
    let sink = WebhookSink::start().await;
    let id = send_test(app, &account, &sink.url("/hook")).await;
    wait_status(app, id, "delivered").await;

    let (status, stats) = get(app, &format!("/stats?account={account}")).await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(
        stats["deliveries"],
        json!({ "delivered": 1, "failed": 0, "pending": 0, "successRate": 1.0 })
    );
    let listed = |event: &str| format!("/webhooks/deliveries?account={account}&event={event}");
    let (_, sent) = get(app, &listed("order.created")).await;
    assert_eq!(sent["total"], 1, "{sent}");
    assert_eq!(sent["items"][0]["id"], id);
    let (_, other) = get(app, &listed("order.deleted")).await;
    assert_eq!(other["total"], 0, "{other}");
}
