//! Order payments: create/edit/delete with their errors, the order's `prepaySum` and
//! `fullPaidAt` after each step, the exact history records, payments given with the
//! order, isolation between accounts, and the invoice flow of integration payments.

use serde_json::{json, Value};

use super::{assert_error, Crm};

/// 2024-01-01 12:00:00 Moscow time.
const START: &str = "2024-01-01T09:00:00Z";

/// An order of 1000 (two items of 500) with the external id `external`; its id.
pub async fn order(crm: &Crm, external: &str) -> i64 {
    let order = json!({
        "externalId": external,
        "firstName": "Анна",
        "items": [{ "productName": "Чайник", "initialPrice": 500, "quantity": 2 }],
    });
    let (status, body) = crm
        .post("/v5/orders/create", &[("order", order.to_string())])
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

pub async fn pay(crm: &Crm, payment: Value) -> (u16, Value) {
    crm.post(
        "/v5/orders/payments/create",
        &[("payment", payment.to_string())],
    )
    .await
}

/// `POST /api/v5/orders/payments/{reference}/edit` with `payment=<doc>` and `extra` fields.
async fn edit_payment(
    crm: &Crm,
    reference: &str,
    extra: &[(&str, &str)],
    doc: Value,
) -> (u16, Value) {
    let mut form: Vec<(&str, String)> = extra.iter().map(|(k, v)| (*k, v.to_string())).collect();
    form.push(("payment", doc.to_string()));
    let path = format!("/v5/orders/payments/{reference}/edit");
    crm.post(&path, &form).await
}

/// A fresh account whose clock stands at `START`.
pub async fn frozen() -> Crm {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    crm
}

pub async fn get_order(crm: &Crm, external: &str) -> Value {
    let (status, body) = crm.get(&format!("/v5/orders/{external}"), "").await;
    assert_eq!(status, 200, "{body}");
    body["order"].clone()
}

/// The order history after `since`, without the records' ids and times.
pub async fn history_after(crm: &Crm, since: i64) -> Vec<Value> {
    let (status, body) = crm
        .get("/v5/orders/history", &format!("filter[sinceId]={since}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("createdAt");
            r
        })
        .collect()
}

pub async fn last_history_id(crm: &Crm) -> i64 {
    let (_, body) = crm.get("/v5/orders/history", "limit=100").await;
    body["history"]
        .as_array()
        .unwrap()
        .last()
        .map_or(0, |r| r["id"].as_i64().unwrap())
}

/// The records without their ids (ids are checked to grow separately).
fn without_ids(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("id");
            r
        })
        .collect()
}

#[tokio::test]
async fn payment_statuses_are_a_reference() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/reference/payment-statuses", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["paymentStatuses"]["paid"]["paymentComplete"], true);
    assert_eq!(
        body["paymentStatuses"]["not-paid"]["paymentComplete"],
        false
    );
    assert_eq!(body["paymentStatuses"]["not-paid"]["defaultForApi"], true);
}

#[tokio::test]
async fn payments_move_the_orders_money_and_history() {
    let crm = frozen().await;
    let order_id = order(&crm, "p-1").await;
    let since = last_history_id(&crm).await;
    // No amount: the rest of the order; no status: the default, not paid.
    let (status, body) = pay(
        &crm,
        json!({ "order": { "externalId": "p-1" }, "type": "cash", "externalId": "pay-1" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], true);
    let first = body["id"].as_i64().unwrap();
    let got = get_order(&crm, "p-1").await;
    let payment = &got["payments"][first.to_string()];
    assert_eq!(
        *payment,
        json!({ "id": first, "externalId": "pay-1", "type": "cash", "status": "not-paid",
                "amount": 1000.0 }),
        "{got}"
    );
    assert_eq!(got["prepaySum"], 0.0);
    assert_eq!(got["totalSumm"], 1000.0);
    assert!(got.get("fullPaidAt").is_none(), "{got}");
    // A paid part by the order's number: prepaySum 400, paidAt now.
    let number = got["number"].as_str().unwrap().to_owned();
    let (status, body) = pay(
        &crm,
        json!({ "order": { "number": number }, "type": "bank-card", "status": "paid",
                "amount": 400, "comment": "часть" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let second = body["id"].as_i64().unwrap();
    let got = get_order(&crm, "p-1").await;
    assert_eq!(got["prepaySum"], 400.0);
    assert_eq!(got["totalSumm"], 1000.0);
    assert_eq!(got["purchaseSumm"], 0.0);
    assert_eq!(
        got["payments"][second.to_string()]["paidAt"],
        "2024-01-01 12:00:00"
    );
    assert!(got.get("fullPaidAt").is_none());
    // The first paid by its external id (the Python client's default `by`) for 600:
    // fully paid.
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let (status, body) = edit_payment(
        &crm,
        "pay-1",
        &[],
        json!({ "status": "paid", "amount": 600, "externalId": "ignored" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], first);
    let got = get_order(&crm, "p-1").await;
    assert_eq!(got["prepaySum"], 1000.0);
    assert_eq!(got["fullPaidAt"], "2024-01-01 12:01:00");
    assert_eq!(got["payments"][first.to_string()]["externalId"], "pay-1");
    // Deleting a paid payment: prepaySum falls back, no longer fully paid.
    let (status, body) = crm
        .post(&format!("/v5/orders/payments/{second}/delete"), &[])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "success": true }));
    let got = get_order(&crm, "p-1").await;
    assert_eq!(got["prepaySum"], 600.0);
    assert!(got.get("fullPaidAt").is_none());
    assert!(got["payments"].get(second.to_string()).is_none());
    // Each change once, with the vendor's field names.
    let records = history_after(&crm, since).await;
    let ids: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let order = json!({ "id": order_id, "externalId": "p-1", "site": "main-shop",
                        "status": "new" });
    let api = json!({ "id": 1, "current": true });
    let record = |field: &str, old: Value, new: Value, payment: Value| {
        json!({ "source": "api", "apiKey": api, "field": field, "oldValue": old,
                "newValue": new, "order": order, "payment": payment })
    };
    let pay1 = json!({ "id": first, "type": "cash", "externalId": "pay-1" });
    let pay2 = json!({ "id": second, "type": "bank-card" });
    assert_eq!(
        without_ids(&records),
        vec![
            record(
                "payments",
                Value::Null,
                json!({ "id": first }),
                pay1.clone()
            ),
            record(
                "payments",
                Value::Null,
                json!({ "id": second }),
                pay2.clone()
            ),
            record("payments.amount", json!(1000.0), json!(600.0), pay1.clone()),
            record(
                "payments.paid_at",
                Value::Null,
                json!("2024-01-01 12:01:00"),
                pay1.clone()
            ),
            record(
                "payments.status",
                json!({ "code": "not-paid" }),
                json!({ "code": "paid" }),
                pay1
            ),
            record("payments", json!({ "id": second }), Value::Null, pay2),
        ],
        "{records:#?}"
    );
}

#[tokio::test]
async fn payment_errors_are_the_vendors() {
    let crm = Crm::new().await;
    order(&crm, "e-1").await;
    let missing = crm.post("/v5/orders/payments/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'payment' is missing", &[]);
    let unknown = pay(&crm, json!({ "order": { "id": 999_999 }, "type": "cash" })).await;
    assert_error(&unknown, 400, "Errors in the entity format", &["order"]);
    assert_eq!(unknown.1["errors"]["order"], "Order not found");
    let unnamed = pay(&crm, json!({ "type": "cash" })).await;
    assert_error(&unnamed, 400, "Errors in the entity format", &["order"]);
    let bad = pay(
        &crm,
        json!({ "order": { "externalId": "e-1" }, "type": "barter", "status": "maybe",
                "amount": -5, "paidAt": "yesterday" }),
    )
    .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["amount", "paidAt", "status", "type"],
    );
    assert_eq!(
        bad.1["errors"]["amount"],
        "This value should be greater than or equal to 0."
    );
    let untyped = pay(
        &crm,
        json!({ "order": { "externalId": "e-1" }, "amount": "x" }),
    )
    .await;
    assert_error(
        &untyped,
        400,
        "Errors in the entity format",
        &["amount", "type"],
    );
    let (status, _) = pay(
        &crm,
        json!({ "order": { "externalId": "e-1" }, "type": "cash", "externalId": "x-1" }),
    )
    .await;
    assert_eq!(status, 201);
    let taken = pay(
        &crm,
        json!({ "order": { "externalId": "e-1" }, "type": "cash", "externalId": "x-1" }),
    )
    .await;
    assert_error(&taken, 400, "Errors in the entity format", &["externalId"]);
    // Unknown payments: 404 for edit and delete.
    let edit = edit_payment(&crm, "999999", &[("by", "id")], json!({})).await;
    assert_error(&edit, 404, "Not found", &[]);
    let edit = edit_payment(&crm, "nope", &[], json!({})).await;
    assert_error(&edit, 404, "Not found", &[]);
    let delete = crm.post("/v5/orders/payments/999999/delete", &[]).await;
    assert_error(&delete, 404, "Not found", &[]);
    let wrong_status = edit_payment(&crm, "x-1", &[], json!({ "status": "nope" })).await;
    assert_error(
        &wrong_status,
        400,
        "Errors in the entity format",
        &["status"],
    );
    // Without the permission.
    let reader = crm.add_key(&["order_read"], &[]).await;
    let denied = crm
        .post_as(
            &reader,
            "/v5/orders/payments/create",
            &[(
                "payment",
                json!({ "order": { "externalId": "e-1" }, "type": "cash" }).to_string(),
            )],
        )
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let denied = crm
        .post_as(&reader, "/v5/orders/payments/1/delete", &[])
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
}

#[tokio::test]
async fn another_account_never_sees_the_payments() {
    let crm = Crm::new().await;
    order(&crm, "i-1").await;
    let (_, body) = pay(
        &crm,
        json!({ "order": { "externalId": "i-1" }, "type": "cash", "externalId": "iso" }),
    )
    .await;
    let id = body["id"].as_i64().unwrap();
    let other = Crm::new().await;
    order(&other, "i-1").await;
    let edit = edit_payment(
        &other,
        &id.to_string(),
        &[("by", "id")],
        json!({ "amount": 1 }),
    )
    .await;
    assert_error(&edit, 404, "Not found", &[]);
    let delete = other
        .post(&format!("/v5/orders/payments/{id}/delete"), &[])
        .await;
    assert_error(&delete, 404, "Not found", &[]);
    // Its own order of the same external id has no payment; the first account's stays.
    assert!(get_order(&other, "i-1").await.get("payments").is_none());
    let got = get_order(&crm, "i-1").await;
    assert_eq!(got["payments"][id.to_string()]["amount"], 1000.0);
    // The same payment external id is free in the other account.
    let (status, body) = pay(
        &other,
        json!({ "order": { "externalId": "i-1" }, "type": "cash", "externalId": "iso" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn payments_come_with_the_order() {
    let crm = Crm::new().await;
    let order = json!({
        "externalId": "w-1",
        "items": [{ "productName": "Чайник", "initialPrice": 300, "quantity": 1 }],
        "payments": [{ "type": "cash", "status": "paid", "amount": 100,
                       "paidAt": "2024-02-01 10:00:00", "externalId": "w-pay" }],
    });
    let (status, body) = crm
        .post("/v5/orders/create", &[("order", order.to_string())])
        .await;
    assert_eq!(status, 201, "{body}");
    let got = &body["order"];
    assert_eq!(got["prepaySum"], 100.0, "{got}");
    let (id, payment) = got["payments"].as_object().unwrap().iter().next().unwrap();
    assert_eq!(payment["externalId"], "w-pay");
    // The payment is found by its external id.
    let (status, _) = edit_payment(&crm, "w-pay", &[], json!({ "amount": 300 })).await;
    assert_eq!(status, 200);
    let got = get_order(&crm, "w-1").await;
    assert_eq!(got["fullPaidAt"], "2024-02-01 10:00:00");
    // An edit's list: the known payment changes, a new one joins.
    let since = last_history_id(&crm).await;
    let changes = json!({ "payments": [
        { "id": id.parse::<i64>().unwrap(), "comment": "наличные" },
        { "type": "bank-card", "amount": 50 },
    ] });
    let (status, body) = crm
        .post("/v5/orders/w-1/edit", &[("order", changes.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    let payments = body["order"]["payments"].as_object().unwrap();
    assert_eq!(payments.len(), 2, "{body}");
    assert_eq!(body["order"]["prepaySum"], 300.0);
    let fields: Vec<String> = history_after(&crm, since)
        .await
        .iter()
        .map(|r| r["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["payments.comment", "payments"]);
    // Errors of the list are keyed by the payment's place.
    let bad = json!({ "payments": [{ "id": 999_999 }, { "type": "nope" }] });
    let answer = crm
        .post("/v5/orders/w-1/edit", &[("order", bad.to_string())])
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["payments[0][id]", "payments[1][type]"],
    );
    // An empty list removes them; the index follows.
    let (status, body) = crm
        .post(
            "/v5/orders/w-1/edit",
            &[("order", json!({ "payments": [] }).to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["prepaySum"], 0.0);
    let gone = edit_payment(&crm, "w-pay", &[], json!({ "amount": 1 })).await;
    assert_error(&gone, 404, "Not found", &[]);
    // An upload whose orders share a payment external id takes the first only.
    let orders = json!([
        { "externalId": "u-1", "payments": [{ "type": "cash", "externalId": "u-pay" }] },
        { "externalId": "u-2", "payments": [{ "type": "cash", "externalId": "u-pay" }] },
    ]);
    let (status, body) = crm
        .post("/v5/orders/upload", &[("orders", orders.to_string())])
        .await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(
        body["errors"],
        json!(["orders[1][payments]: Payment with the same externalId already exists."])
    );
    assert_eq!(body["uploadedOrders"][0]["externalId"], "u-1");
}
