//! The business flow of issue 12 end to end, through the API only: references and stock
//! in (a purchase), an order, its delivery, a partial return, a payment linked to the
//! order, then the order cancelled. After every step getStock equals the documents'
//! stock and getBalance equals the sum of getPayment's transactions signed by their type
//! — and the number the documents' totals give.

use serde_json::{json, Value};

use super::orders::{cells, documented_order, order_world};
use super::payments::balances;
use super::stock_documents::stock;
use super::Sd;

/// getPayment's transactions as `(transactionType, amount)`, all of them.
async fn transactions(sd: &Sd) -> Vec<(i64, f64)> {
    let (status, page) = sd.get("getPayment", json!({ "limit": 1000 })).await;
    assert_eq!(status, 200, "{page}");
    page["result"]["payment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["transactionType"].as_i64().unwrap(),
                row["amount"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// What a transaction does to the balance (the client owes: negative).
fn signed((kind, amount): (i64, f64)) -> f64 {
    match kind {
        1 | 2 | 7 => -amount,
        3 | 8 | 9 => amount,
        _ => amount,
    }
}

/// Asserts the client's balance (payment type `d0_1`) from getBalance equals `expected`
/// and the signed sum of getPayment's transactions; no other client holds anything.
async fn balance_is(sd: &Sd, expected: f64) {
    let listed = transactions(sd).await;
    let summed: f64 = listed.iter().copied().map(signed).sum();
    assert!(
        (summed - expected).abs() < 1e-6,
        "getPayment sums to {summed}, not {expected}: {listed:?}"
    );
    let balances = balances(sd).await;
    if expected == 0.0 {
        assert!(balances.is_empty(), "{balances:?}");
        return;
    }
    assert_eq!(balances.len(), 1, "{balances:?}");
    let (client, balance, by_currency) = &balances[0];
    assert_eq!(client, "d0_1");
    assert!((balance - expected).abs() < 1e-6, "{balances:?}");
    assert_eq!(
        by_currency,
        &json!([{ "currency_id": "d0_1", "amount": expected }])
    );
}

async fn set(sd: &Sd, method: &str, group: &str, records: Value) {
    let (status, body) = sd.set(method, group, records).await;
    assert_eq!(status, 200, "{method}: {body}");
}

#[tokio::test]
async fn stock_and_balance_follow_order_delivery_return_payment_and_cancellation() {
    let sd = Sd::new().await;
    // References and the documented purchase: 100 × 015 and 50 × 016 into WH001.
    order_world(&sd).await;
    let returns = json!([{ "code_1C": "WHD001", "name": "Returns" }]);
    assert_eq!(sd.seed("defectWarehouse", None, returns).await.0, 200);
    let bought = cells(&[("WH001", "000000015", 100.0), ("WH001", "000000016", 50.0)]);
    assert_eq!(stock(&sd).await, bought);
    balance_is(&sd, 0.0).await;

    // The order: 10 × 015 at 15000 less 5 % (142500) and 4 × 016 at the listed 9000
    // (36000), one 016 as a bonus. Stock is taken at once; nothing is owed while New.
    set(&sd, "setOrder", "order", json!([documented_order()])).await;
    let ordered = cells(&[("WH001", "000000015", 90.0), ("WH001", "000000016", 45.0)]);
    assert_eq!(stock(&sd).await, ordered);
    balance_is(&sd, 0.0).await;

    // Delivered: the client owes the order's total after discount.
    let delivered = json!([{ "code_1C": "ORD000001", "status": 3 }]);
    set(&sd, "setStatus", "order", delivered).await;
    assert_eq!(stock(&sd).await, ordered);
    balance_is(&sd, -178_500.0).await;
    let (_, page) = sd
        .get("getPayment", json!({ "filter": { "transactionType": 1 } }))
        .await;
    let debit = &page["result"]["payment"][0];
    assert_eq!(debit["orders"][0]["SD_id"], "d0_1", "{page}");
    assert_eq!(debit["orders"][0]["amount"], json!(178_500), "{page}");

    // A partial return: 2 × 015 at 15000 back into the return warehouse, credited.
    let returned = json!([{ "code_1C": "DEF000001", "status": 3,
        "dateCreate": "2025-06-16 12:00:00", "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WHD001" },
        "defectProducts": [{ "product": { "code_1C": "000000015" }, "quantity": 2, "price": 15000 }] }]);
    set(&sd, "setOrderDefect", "orderDefect", returned).await;
    let after_return = cells(&[
        ("WH001", "000000015", 90.0),
        ("WH001", "000000016", 45.0),
        ("WHD001", "000000015", 2.0),
    ]);
    assert_eq!(stock(&sd).await, after_return);
    balance_is(&sd, -148_500.0).await;

    // A payment that closes part of the order's debt, linked to it.
    let paid = json!([{ "code_1C": "PAY000001", "amount": 100000,
        "paymentDate": "2025-06-17 09:00:00", "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "paymentType": { "code_1C": "CASH" },
        "order": { "code_1C": "ORD000001" } }]);
    set(&sd, "setPayment", "payment", paid).await;
    balance_is(&sd, -48_500.0).await;
    let (_, page) = sd
        .get("getPayment", json!({ "filter": { "transactionType": 3 } }))
        .await;
    let payment = &page["result"]["payment"][0];
    assert_eq!(
        payment["orders"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "amount": 100000 }]),
        "{page}"
    );

    // Cancelled: the order's stock comes back and its debit goes; the return and the
    // payment stand, so the client is owed what it paid and returned.
    let cancelled = json!([{ "code_1C": "ORD000001" }]);
    set(&sd, "setDeletedOrder", "deletedOrder", cancelled).await;
    let restored = cells(&[
        ("WH001", "000000015", 100.0),
        ("WH001", "000000016", 50.0),
        ("WHD001", "000000015", 2.0),
    ]);
    assert_eq!(stock(&sd).await, restored);
    balance_is(&sd, 130_000.0).await;
    let kinds: Vec<i64> = transactions(&sd).await.iter().map(|t| t.0).collect();
    assert!(!kinds.contains(&1), "the debit is gone: {kinds:?}");
}
