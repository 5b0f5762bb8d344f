//! `notifications/send`: the notification checked, kept and listed in Twin's admin API,
//! the seed's per-user and per-key limits on Twin's clock, permissions and isolation.

use reqwest::Method;
use serde_json::{json, Value};

use super::other;
use crate::retailcrm::{assert_error, Crm};

const ENTITY: &str = "Errors in the entity format";

/// Sends with `key`: the status, the two limit headers and the body.
async fn send_as(crm: &Crm, key: &str, doc: Value) -> (u16, Option<String>, Option<String>, Value) {
    let response = crm
        .app
        .client
        .post(crm.app.url("/api/v5/notifications/send"))
        .header("X-API-KEY", key)
        .form(&[("notification", doc.to_string())])
        .send()
        .await
        .expect("send");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (left, again) = (
        header("X-RateLimit-Remaining"),
        header("X-RateLimit-Retry-After"),
    );
    let status = response.status().as_u16();
    (status, left, again, response.json().await.expect("json"))
}

async fn send(crm: &Crm, doc: Value) -> (u16, Value) {
    let (status, _, _, body) = send_as(crm, &crm.key, doc).await;
    (status, body)
}

async fn listed(crm: &Crm) -> Vec<Value> {
    let (status, body) = crm.admin_call(Method::GET, "/notifications", None).await;
    assert_eq!(status, 200, "{body}");
    body["notifications"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_notification_is_sent_to_users_or_the_superadmins() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }))
        .await;
    let message = "<b>Заказ 12A</b> оплачен. <a href=\"https://shop.example/12A\">Открыть</a>";
    let (status, left, again, body) = send_as(
        &crm,
        &crm.key,
        json!({ "type": "api.info", "message": message, "userIds": [3, 2] }),
    )
    .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    assert_eq!(left.as_deref(), Some("9"));
    assert_eq!(again.as_deref(), Some("2024-05-01 12:30:00"));
    let (status, body) = send(
        &crm,
        json!({ "type": "api.error", "message": "Сбой выгрузки", "userGroups": ["superadmins"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        listed(&crm).await,
        [
            json!({ "id": 1, "type": "api.info", "message": message, "userIds": [2, 3],
                    "createdAt": "2024-05-01 12:00:00" }),
            json!({ "id": 2, "type": "api.error", "message": "Сбой выгрузки", "userIds": [1],
                    "userGroups": ["superadmins"], "createdAt": "2024-05-01 12:00:00" }),
        ]
    );
    assert_eq!(listed(&other().await).await, Vec::<Value>::new());
}

#[tokio::test]
async fn notification_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let missing = crm.post("/v5/notifications/send", &[]).await;
    assert_error(&missing, 400, "Parameter 'notification' is missing", &[]);
    for (doc, fields) in [
        (json!({}), vec!["message", "type", "userIds"]),
        (
            json!({ "type": "api.warning", "message": "x", "userIds": [1] }),
            vec!["type"],
        ),
        (
            json!({ "type": "api.info", "message": "<script>x</script>", "userIds": [1] }),
            vec!["message"],
        ),
        (
            json!({ "type": "api.info", "message": "x".repeat(161), "userIds": [1] }),
            vec!["message"],
        ),
        (
            json!({ "type": "api.info", "message": "x", "userIds": [1], "userGroups": ["superadmins"] }),
            vec!["userGroups"],
        ),
        (
            json!({ "type": "api.info", "message": "x", "userIds": [99, "two"] }),
            vec!["userIds[0]", "userIds[1]"],
        ),
        (
            json!({ "type": "api.info", "message": "x", "userIds": [] }),
            vec!["userIds"],
        ),
        (
            json!({ "type": "api.info", "message": "x", "userGroups": ["manager"] }),
            vec!["userGroups[0]"],
        ),
    ] {
        assert_error(&send(&crm, doc).await, 400, ENTITY, &fields);
    }
    // 160 characters of text; the tags do not count.
    let long = format!("<p><strong>{}</strong></p>", "я".repeat(160));
    let (status, body) = send(
        &crm,
        json!({ "type": "api.info", "message": long, "userIds": [1] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(listed(&crm).await.len(), 1, "only the valid one is kept");
}

#[tokio::test]
async fn each_user_gets_a_limited_number_from_one_key() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }))
        .await;
    let error = |users: Value| json!({ "type": "api.error", "message": "Сбой", "userIds": users });
    for left in ["2", "1", "0"] {
        let (status, remaining, _, body) = send_as(&crm, &crm.key, error(json!([2]))).await;
        assert_eq!((status, remaining.as_deref()), (200, Some(left)), "{body}");
        crm.clock(json!({ "action": "advance", "seconds": 60 }))
            .await;
    }
    // With user 2 at its limit, nothing goes to 2 and 3 together.
    let (status, remaining, again, body) = send_as(&crm, &crm.key, error(json!([3, 2]))).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(
        body,
        json!({ "success": false,
                "errorMsg": "Request execution error. Request limit has been exceeded over the last time." })
    );
    assert_eq!(remaining.as_deref(), Some("0"));
    assert_eq!(again.as_deref(), Some("2024-05-01 13:00:00"));
    let (status, _, _, _) = send_as(&crm, &crm.key, error(json!([3]))).await;
    assert_eq!(status, 200, "another user has its own limit");
    let (status, _, _, _) = send_as(
        &crm,
        &crm.key,
        json!({ "type": "api.info", "message": "i", "userIds": [2] }),
    )
    .await;
    assert_eq!(status, 200, "api.info has its own limit");
    let second = crm.add_key(&[], &[]).await;
    let (status, _, _, _) = send_as(&crm, &second, error(json!([2]))).await;
    assert_eq!(status, 200, "another key has its own limit");
    crm.clock(json!({ "action": "advance", "seconds": 3600 - 180 }))
        .await;
    let (status, remaining, _, _) = send_as(&crm, &crm.key, error(json!([2]))).await;
    assert_eq!(
        (status, remaining.as_deref()),
        (200, Some("0")),
        "the first one left the hour"
    );
}

#[tokio::test]
async fn sending_needs_the_permission() {
    let crm = Crm::new().await;
    let key = crm.add_key(&["user_read"], &[]).await;
    let doc = json!({ "type": "api.info", "message": "x", "userIds": [1] });
    let (status, _, _, body) = send_as(&crm, &key, doc).await;
    assert_eq!(
        (status, body["errorMsg"].as_str()),
        (403, Some("Access denied."))
    );
    assert_eq!(listed(&crm).await, Vec::<Value>::new());
}
