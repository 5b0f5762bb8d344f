//! The cancellation of an order's integrated delivery
//! (`orders/{externalId}/delivery/cancel`), recorded in the order's history.

use serde_json::{json, Value};

use super::delivery::{delivery_module, fields, history_since, last_record, order, track};
use super::{assert_error, Crm};

/// The vendor's message of bad parameters.
const PARAMS: &str = "Errors in the input parameters";

async fn cancel(crm: &Crm, path: &str, form: &[(&str, String)]) -> (u16, Value) {
    crm.post(&format!("/v5/orders/{path}/delivery/cancel"), form)
        .await
}

#[tokio::test]
async fn cancel_marks_the_integrated_delivery_cancelled() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-02-01T09:00:00Z" }))
        .await;
    delivery_module(&crm, "twin-post").await;
    let delivery = json!({ "code": "twin-post", "data": { "externalId": "D-1" } });
    let id = order(&crm, json!({ "externalId": "c-1", "delivery": delivery })).await;
    let since = last_record(&crm).await;
    let done = cancel(&crm, &id.to_string(), &[("by", "id".into())]).await;
    assert_eq!(done, (200, json!({ "success": true })));
    let (_, got) = crm.get("/v5/orders/c-1", "").await;
    assert_eq!(
        got["order"]["delivery"]["data"],
        json!({ "externalId": "D-1", "status": "cancelled", "statusText": "Отменён",
                "statusDate": "2024-02-01 12:00:00" })
    );
    let prefix = "integration_delivery_data";
    assert_eq!(
        fields(&history_since(&crm, since).await),
        vec![
            (format!("{prefix}.status"), Value::Null, json!("cancelled")),
            (
                format!("{prefix}.status_date"),
                Value::Null,
                json!("2024-02-01 12:00:00")
            ),
            (
                format!("{prefix}.status_text"),
                Value::Null,
                json!("Отменён")
            ),
        ]
    );
    let again = cancel(&crm, "c-1", &[]).await;
    assert_error(
        &again,
        400,
        "The integrated delivery of the order is already cancelled",
        &[],
    );
}

#[tokio::test]
async fn cancel_errors_force_permission_and_isolation() {
    let crm = Crm::new().await;
    delivery_module(&crm, "twin-post").await;
    order(
        &crm,
        json!({ "externalId": "plain", "delivery": { "code": "courier" } }),
    )
    .await;
    let plain = cancel(&crm, "plain", &[]).await;
    assert_error(&plain, 400, "The order has no integrated delivery", &[]);
    let no_id = json!({ "externalId": "no-id", "delivery": { "code": "twin-post" } });
    order(&crm, no_id).await;
    let unsent = cancel(&crm, "no-id", &[]).await;
    assert_error(&unsent, 400, "The order has no integrated delivery", &[]);
    assert_error(&cancel(&crm, "ghost", &[]).await, 404, "Not found", &[]);
    let delivery = json!({ "code": "twin-post", "data": { "externalId": "D-9" } });
    order(&crm, json!({ "externalId": "sent", "delivery": delivery })).await;
    let bad = cancel(&crm, "sent", &[("force", "maybe".into())]).await;
    assert_error(&bad, 400, PARAMS, &["force"]);
    // Delivered: the service refuses, unless forced.
    let updates = json!([{ "deliveryId": "D-9", "history": [
        { "code": "delivered", "updatedAt": "2024-01-04T09:30:00+03:00" }] }]);
    track(&crm, "twin-post", updates).await;
    let refused = cancel(&crm, "sent", &[("force", "false".into())]).await;
    let reason = "The delivery can no longer be cancelled in its current status";
    assert_error(&refused, 400, reason, &[]);
    let (_, got) = crm.get("/v5/orders/sent", "").await;
    assert_eq!(got["order"]["delivery"]["data"]["status"], "delivered");
    // Permission and isolation.
    let reader = crm.add_key(&["order_read"], &[]).await;
    let url = "/v5/orders/sent/delivery/cancel";
    assert_error(
        &crm.post_as(&reader, url, &[]).await,
        403,
        "Access denied.",
        &[],
    );
    let other = Crm::new().await;
    assert_error(&cancel(&other, "sent", &[]).await, 404, "Not found", &[]);
    let forced = cancel(&crm, "sent", &[("force", "true".into())]).await;
    assert_eq!(forced, (200, json!({ "success": true })));
    let (_, got) = crm.get("/v5/orders/sent", "").await;
    assert_eq!(got["order"]["delivery"]["data"]["status"], "cancelled");
}
