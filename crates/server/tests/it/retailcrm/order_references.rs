//! The account's reference data an order's codes must come from beyond statuses and
//! types: order methods (with the API's default), item statuses, and the custom fields
//! defined for orders (typed, checked, others ignored).

use serde_json::json;

use super::setup::define;
use super::{assert_error, Crm};

#[tokio::test]
async fn order_methods_and_item_statuses_are_the_accounts() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/reference/order-methods", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["orderMethods"]["shopping-cart"]["defaultForApi"], true);
    assert_eq!(body["orderMethods"]["phone"]["defaultForCrm"], true);
    let (status, body) = crm.get("/v5/reference/product-statuses", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["productStatuses"]["canceled"]["cancelStatus"], true);
    assert_eq!(body["productStatuses"]["in-reserve"]["cancelStatus"], false);

    // The API's default method, a given one, and codes the account lacks.
    let plain = crm
        .create_order(json!({ "externalId": "m-1", "firstName": "А" }))
        .await;
    assert_eq!(plain["order"]["orderMethod"], "shopping-cart");
    let phoned = crm
        .create_order(
            json!({ "externalId": "m-2", "firstName": "Б", "orderMethod": "phone",
                              "items": [{ "productName": "Чайник", "status": "in-reserve" }] }),
        )
        .await;
    assert_eq!(phoned["order"]["orderMethod"], "phone");
    assert_eq!(phoned["order"]["items"][0]["status"], "in-reserve");
    let form = |order: serde_json::Value| [("order", order.to_string())];
    let bad = crm
        .post(
            "/v5/orders/create",
            &form(json!({ "orderMethod": "pigeon",
                          "items": [{ "productName": "Чашка", "status": "lost" }] })),
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["items[0][status]", "orderMethod"],
    );
    let item = phoned["order"]["items"][0]["id"].clone();
    let bad = crm
        .post(
            "/v5/orders/m-2/edit",
            &form(json!({ "items": [{ "id": item, "status": "lost" }] })),
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["items[0][status]"],
    );
    let (status, body) = crm
        .post(
            "/v5/orders/m-2/edit",
            &form(json!({ "items": [{ "id": item, "status": "shipped" }] })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["items"][0]["status"], "shipped");
    let (_, history) = crm
        .get("/v5/orders/history", "filter[orderExternalId]=m-2")
        .await;
    let last = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["field"], "order_product.status");
    assert_eq!(last["oldValue"], json!({ "code": "in-reserve" }));
    assert_eq!(last["newValue"], json!({ "code": "shipped" }));

    // Another account's key reads its own reference data, never this one's changes.
    let other = Crm::new().await;
    let (_, body) = other.get("/v5/reference/order-methods", "").await;
    assert_eq!(body["orderMethods"]["phone"]["active"], true);
    let reader = crm.add_key(&["order_read"], &[]).await;
    let denied = crm
        .get_as(&reader, "/v5/reference/product-statuses", "")
        .await;
    assert_eq!(denied.0, 403, "{}", denied.1);
}

#[tokio::test]
async fn order_custom_fields_follow_their_definitions() {
    let crm = Crm::new().await;
    let size = json!({ "name": "Размер", "code": "size", "type": "integer" });
    assert_eq!(define(&crm, "order", size).await.0, 201);
    let created = crm
        .create_order(json!({ "externalId": "c-1", "firstName": "А",
                              "customFields": { "size": "42", "unknown": "x" } }))
        .await;
    assert_eq!(created["order"]["customFields"], json!({ "size": 42 }));
    let bad = crm
        .post(
            "/v5/orders/c-1/edit",
            &[(
                "order",
                json!({ "customFields": { "size": "big" } }).to_string(),
            )],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["customFields[size]"],
    );
    let (status, body) = crm
        .post(
            "/v5/orders/c-1/edit",
            &[(
                "order",
                json!({ "customFields": { "size": null } }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["customFields"], json!({}));
}
