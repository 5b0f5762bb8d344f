//! The payment filters of `GET /api/v5/orders`: statuses, types, payment days and the
//! day of full payment, with exact rows.

use serde_json::{json, Value};

use super::orders::create;
use super::payments::pay;
use super::{assert_error, external_ids_of, Crm};

/// An order of one item at `price` with `payments`.
async fn paid_order(crm: &Crm, external_id: &str, price: i64, payments: Value) -> Value {
    create(
        crm,
        json!({ "externalId": external_id, "firstName": "Анна",
                "items": [{ "productName": "A", "initialPrice": price }],
                "payments": payments }),
    )
    .await["id"]
        .clone()
}

#[tokio::test]
async fn orders_filter_by_their_payments() {
    let crm = Crm::new().await;
    let paid = |kind: &str, amount: i64, at: &str| json!({ "type": kind, "status": "paid", "amount": amount, "paidAt": at });
    paid_order(
        &crm,
        "p-1",
        300,
        json!([paid("cash", 300, "2024-02-01 10:00:00")]),
    )
    .await;
    let second = paid_order(
        &crm,
        "p-2",
        500,
        json!([{ "type": "bank-card", "status": "not-paid" }]),
    )
    .await;
    paid_order(
        &crm,
        "p-3",
        400,
        json!([paid("cash", 100, "2024-03-05 23:59:00"),
               { "type": "bank-transfer", "status": "invoice", "amount": 300 }]),
    )
    .await;
    paid_order(&crm, "p-4", 100, json!([])).await;
    paid_order(
        &crm,
        "p-5",
        200,
        json!([paid("credit", 200, "2024-01-15 08:00:00")]),
    )
    .await;
    // A payment added later through its own method counts as well.
    let (status, body) = pay(
        &crm,
        json!({ "order": { "id": second }, "type": "cash", "status": "paid",
                "amount": 500, "paidAt": "2024-02-10 12:00:00" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // Another account's paid order is never listed.
    let other = Crm::new().await;
    paid_order(
        &other,
        "p-x",
        300,
        json!([paid("cash", 300, "2024-02-01 10:00:00")]),
    )
    .await;

    let cases: [(&str, &[&str]); 14] = [
        (
            "filter[paymentStatuses][]=paid",
            &["p-1", "p-2", "p-3", "p-5"],
        ),
        ("filter[paymentStatuses][]=not-paid", &["p-2"]),
        (
            "filter[paymentStatuses][]=invoice&filter[paymentStatuses][]=not-paid",
            &["p-2", "p-3"],
        ),
        ("filter[paymentStatuses][]=returned", &[]),
        ("filter[paymentTypes][]=bank-transfer", &["p-3"]),
        ("filter[paymentTypes][]=cash", &["p-1", "p-2", "p-3"]),
        ("filter[paidAtFrom]=2024-02-01", &["p-1", "p-2", "p-3"]),
        (
            "filter[paidAtFrom]=2024-02-02&filter[paidAtTo]=2024-03-05",
            &["p-2", "p-3"],
        ),
        ("filter[paidAtTo]=2024-01-31", &["p-5"]),
        ("filter[paidAtFrom]=2024-03-06", &[]),
        (
            "filter[paymentTypes][]=cash&filter[paidAtTo]=2024-02-05",
            &["p-1"],
        ),
        (
            "filter[fullPaidAtFrom]=2024-02-01&filter[fullPaidAtTo]=2024-02-10",
            &["p-1", "p-2"],
        ),
        ("filter[fullPaidAtTo]=2024-01-31", &["p-5"]),
        (
            "filter[paymentStatuses][]=paid&filter[fullPaidAtFrom]=2024-03-01",
            &[],
        ),
    ];
    for (query, rows) in cases {
        let (status, body) = crm.get("/v5/orders", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(external_ids_of(&body, "orders"), rows, "{query}");
        assert_eq!(body["pagination"]["totalCount"], rows.len(), "{query}");
    }
    let bad = crm
        .get(
            "/v5/orders",
            "filter[paidAtFrom]=01.02.2024&filter[fullPaidAtTo]=x",
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[fullPaidAtTo]", "filter[paidAtFrom]"],
    );
    // The payments' filters need the read permission of orders like the list.
    let reader = Crm::with_key(&["customer_read"], &[]).await;
    let (status, _) = reader
        .get("/v5/orders", "filter[paymentStatuses][]=paid")
        .await;
    assert_eq!(status, 403);
}
