//! Invoices of order payments: a checkout link for a payment, the module's updates moving
//! the payment (and the order's `prepaySum`) with history, an invoice imported paid, and
//! the errors of each.

use serde_json::{json, Value};

use super::payments::{frozen, get_order, history_after, last_history_id, order, pay};
use super::{assert_error, Crm};

/// An order of 1000 with the external id `external` and one unpaid card payment of it;
/// the payment's id.
async fn payment(crm: &Crm, external: &str) -> i64 {
    order(crm, external).await;
    let (status, body) = pay(
        crm,
        json!({ "order": { "externalId": external }, "type": "bank-card" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

/// The payment as its order shows it, and the order's `prepaySum`.
async fn paid_state(crm: &Crm, external: &str, payment: i64) -> (Value, Value) {
    let order = get_order(crm, external).await;
    (
        order["payments"][payment.to_string()].clone(),
        order["prepaySum"].clone(),
    )
}

/// `POST /api/v5/payment/<method>` with its document in the field `field`.
async fn send(crm: &Crm, method: &str, field: &str, doc: Value) -> (u16, Value) {
    let path = format!("/v5/payment/{method}");
    crm.post(&path, &[(field, doc.to_string())]).await
}

async fn create_invoice(crm: &Crm, doc: Value) -> (u16, Value) {
    send(crm, "create-invoice", "createInvoice", doc).await
}

async fn update_invoice(crm: &Crm, doc: Value) -> (u16, Value) {
    send(crm, "update-invoice", "updateInvoice", doc).await
}

async fn import_invoice(crm: &Crm, doc: Value) -> (u16, Value) {
    send(crm, "invoice/import", "invoice", doc).await
}

/// A new invoice's link and its UUID (the link's last segment).
async fn invoiced(crm: &Crm, doc: Value) -> (String, String) {
    let (status, body) = create_invoice(crm, doc).await;
    assert_eq!(status, 200, "{body}");
    let link = body["result"]["link"].as_str().unwrap().to_owned();
    let uuid = link.rsplit('/').next().unwrap().to_owned();
    (link, uuid)
}

/// The history fields after `since`, with their values.
async fn fields_after(crm: &Crm, since: i64) -> Vec<(String, Value, Value)> {
    history_after(crm, since)
        .await
        .iter()
        .map(|r| {
            (
                r["field"].as_str().unwrap().to_owned(),
                r["oldValue"].clone(),
                r["newValue"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_invoice_is_paid_through_its_module() {
    let crm = frozen().await;
    let id = payment(&crm, "inv-1").await;
    let since = last_history_id(&crm).await;
    let invoice = json!({ "paymentId": id, "returnUrl": "https://shop.example/thanks" });
    let (link, uuid) = invoiced(&crm, invoice).await;
    assert!(link.starts_with("https://"), "{link}");
    // Asked again while it waits: the same link.
    let (_, again) = create_invoice(&crm, json!({ "paymentId": id })).await;
    assert_eq!(again["result"]["link"], link.as_str());
    let (payment, prepay) = paid_state(&crm, "inv-1", id).await;
    assert_eq!(payment["status"], "invoice");
    assert_eq!(prepay, 0.0);
    // The module: waiting for capture with a discount of 100, then paid.
    let (status, body) = update_invoice(
        &crm,
        json!({ "invoiceUuid": uuid, "paymentId": "module-77", "status": "waitingForCapture",
                "amount": 900, "discountAmount": 100 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "success": true }));
    let (status, body) = update_invoice(
        &crm,
        json!({ "invoiceUuid": uuid, "status": "succeeded",
                "paidAt": "2024-01-01 12:05:00" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = crm.get("/v5/orders/inv-1", "").await;
    let order = &body["order"];
    assert_eq!(order["totalSumm"], 900.0, "{order}");
    assert_eq!(order["prepaySum"], 900.0);
    assert_eq!(order["fullPaidAt"], "2024-01-01 12:05:00");
    assert_eq!(
        fields_after(&crm, since).await,
        vec![
            (
                "payments.status".into(),
                json!({ "code": "not-paid" }),
                json!({ "code": "invoice" })
            ),
            ("discount_manual_amount".into(), json!(0.0), json!(100.0)),
            ("payments.amount".into(), json!(1000.0), json!(900.0)),
            (
                "payments.status".into(),
                json!({ "code": "invoice" }),
                json!({ "code": "wait-approved" })
            ),
            (
                "payments.paid_at".into(),
                Value::Null,
                json!("2024-01-01 12:05:00")
            ),
            (
                "payments.status".into(),
                json!({ "code": "wait-approved" }),
                json!({ "code": "paid" })
            ),
        ]
    );
    // A paid payment takes no new invoice; a refund returns it.
    let again = create_invoice(&crm, json!({ "paymentId": id })).await;
    assert_error(&again, 400, "Errors in the entity format", &["paymentId"]);
    let (status, _) = update_invoice(
        &crm,
        json!({ "invoiceUuid": uuid, "refund": { "status": "succeeded", "amount": "900" } }),
    )
    .await;
    assert_eq!(status, 200);
    let (payment, prepay) = paid_state(&crm, "inv-1", id).await;
    assert_eq!(payment["status"], "returned");
    assert_eq!(prepay, 0.0);
}

#[tokio::test]
async fn invoice_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let id = payment(&crm, "inv-e").await;
    let missing = crm.post("/v5/payment/create-invoice", &[]).await;
    assert_error(&missing, 400, "Parameter 'createInvoice' is missing", &[]);
    let bad = create_invoice(&crm, json!({ "paymentId": "x", "returnUrl": "not a url" })).await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["paymentId", "returnUrl"],
    );
    let big = create_invoice(&crm, json!({ "paymentId": 3_000_000_000_i64 })).await;
    assert_error(&big, 400, "Errors in the entity format", &["paymentId"]);
    let unknown = create_invoice(&crm, json!({ "paymentId": 999_999 })).await;
    assert_error(&unknown, 404, "Not found", &[]);
    let no_uuid = update_invoice(&crm, json!({})).await;
    assert_error(
        &no_uuid,
        400,
        "Errors in the entity format",
        &["invoiceUuid"],
    );
    let unknown = update_invoice(
        &crm,
        json!({ "invoiceUuid": "00000000-0000-0000-0000-000000000000" }),
    )
    .await;
    assert_error(&unknown, 404, "Not found", &[]);
    let (_, uuid) = invoiced(&crm, json!({ "paymentId": id })).await;
    let bad = update_invoice(
        &crm,
        json!({ "invoiceUuid": uuid, "status": "lost", "discountAmount": 10,
                "invoiceUrl": "nope", "paidAt": "soon" }),
    )
    .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["discountAmount", "invoiceUrl", "paidAt", "status"],
    );
    // Another account does not know the invoice; a key without the permission is 403.
    let other = Crm::new().await;
    let foreign = update_invoice(
        &other,
        json!({ "invoiceUuid": uuid, "status": "succeeded" }),
    )
    .await;
    assert_error(&foreign, 404, "Not found", &[]);
    let foreign = create_invoice(&other, json!({ "paymentId": id })).await;
    assert_error(&foreign, 404, "Not found", &[]);
    let reader = crm.add_key(&["order_write"], &[]).await;
    let denied = crm
        .post_as(
            &reader,
            "/v5/payment/update-invoice",
            &[("updateInvoice", json!({ "invoiceUuid": uuid }).to_string())],
        )
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let (payment, _) = paid_state(&crm, "inv-e", id).await;
    assert_eq!(payment["status"], "invoice");
}

#[tokio::test]
async fn an_invoice_paid_elsewhere_is_imported() {
    let crm = Crm::new().await;
    let id = payment(&crm, "inv-i").await;
    let bad = import_invoice(
        &crm,
        json!({ "paymentId": id, "status": "pending",
                "refunds": [{ "status": "canceled", "comment": "—" }] }),
    )
    .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &[
            "refunds[0][amount]",
            "refunds[0][createdAt]",
            "refunds[0][externalId]",
            "refunds[0][status]",
            "status",
        ],
    );
    let unknown =
        import_invoice(&crm, json!({ "paymentId": 999_999, "status": "succeeded" })).await;
    assert_error(&unknown, 404, "Not found", &[]);
    let (status, body) = import_invoice(
        &crm,
        json!({ "paymentId": id, "status": "succeeded", "externalId": "ext-9",
                "amount": 1000, "paidAt": "2024-03-01 09:30:00" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let uuid = body["invoice"]["invoiceUuid"].as_str().unwrap().to_owned();
    assert_eq!(uuid.len(), 36, "{body}");
    let (payment, prepay) = paid_state(&crm, "inv-i", id).await;
    assert_eq!(payment["status"], "paid");
    assert_eq!(payment["paidAt"], "2024-03-01 09:30:00");
    assert_eq!(prepay, 1000.0);
    // The imported invoice takes the module's updates.
    let (status, _) = update_invoice(
        &crm,
        json!({ "invoiceUuid": uuid, "refund": { "status": "succeeded" } }),
    )
    .await;
    assert_eq!(status, 200);
    let (payment, prepay) = paid_state(&crm, "inv-i", id).await;
    assert_eq!(payment["status"], "returned");
    assert_eq!(prepay, 0.0);
}
