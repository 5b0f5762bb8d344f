//! Bonuses credited when an order completes, waiting the program's 14 days, and taken
//! back when the order leaves the complete group.

use serde_json::{json, Value};

use super::super::loyalty::{amount, join, operations, START};
use super::super::orders::create;
use super::super::Crm;
use super::{edit, records};

const DAY: i64 = 86_400;

/// An order of the customer: 2 × 500 and 1 × 1000.
async fn order(crm: &Crm, customer: i64, external_id: &str) -> Value {
    create(
        crm,
        json!({ "externalId": external_id, "customer": { "id": customer },
                "items": [{ "productName": "A", "initialPrice": 500, "quantity": 2 },
                          { "productName": "B", "initialPrice": 1000 }] }),
    )
    .await["id"]
        .clone()
}

async fn set_status(crm: &Crm, id: &Value, status: &str) -> Value {
    let (code, body) = edit(crm, id, json!({ "status": status })).await;
    assert_eq!(code, 200, "{body}");
    body["order"].clone()
}

#[tokio::test]
async fn completing_an_order_credits_its_participant() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (customer, account) = join(&crm, "ac-1").await;
    let id = order(&crm, customer, "ac-order").await;
    let since = records(&crm, &id).await.len();
    // Moving within the groups before `complete` credits nothing.
    set_status(&crm, &id, "availability-confirmed").await;
    assert_eq!(
        operations(&crm, account).await["bonusOperations"],
        json!([])
    );

    let done = set_status(&crm, &id, "complete").await;
    // The base level's 5 % of 2000.
    assert_eq!(done["bonusesCreditTotal"], 100.0);
    assert_eq!(done["items"][0]["bonusesCreditTotal"], 50.0);
    assert_eq!(done["items"][1]["bonusesCreditTotal"], 50.0);
    let ops = operations(&crm, account).await["bonusOperations"].clone();
    assert_eq!(ops.as_array().unwrap().len(), 1, "{ops}");
    assert_eq!(ops[0]["type"], "credit_for_order");
    assert_eq!(ops[0]["amount"], 100.0);
    assert_eq!(ops[0]["createdAt"], "2024-01-01 12:00:00");
    assert_eq!(
        ops[0]["order"],
        json!({ "id": id, "externalId": "ac-order" })
    );
    assert_eq!(
        ops[0]["bonus"],
        json!({ "activationDate": "2024-01-15", "expireDate": "2025-01-14" })
    );
    let items: Vec<i64> = {
        let (_, got) = crm.get(&format!("/v5/orders/{id}"), "by=id").await;
        assert_eq!(got["order"]["bonusesCreditTotal"], 100.0);
        got["order"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    let recorded = records(&crm, &id).await;
    assert_eq!(
        recorded[since..].to_vec(),
        vec![
            (
                "status".into(),
                json!({ "code": "new" }),
                json!({ "code": "availability-confirmed" })
            ),
            ("bonuses_credit_total".into(), Value::Null, json!(100.0)),
            (
                "status".into(),
                json!({ "code": "availability-confirmed" }),
                json!({ "code": "complete" })
            ),
            (
                "order_product.bonuses_credit_total".into(),
                Value::Null,
                json!(50.0)
            ),
            (
                "order_product.bonuses_credit_total".into(),
                Value::Null,
                json!(50.0)
            ),
        ]
    );
    let (_, history) = crm.get("/v5/orders/history", "").await;
    let item_records: Vec<&Value> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "order_product.bonuses_credit_total")
        .collect();
    assert_eq!(item_records[0]["item"]["id"], items[0]);
    assert_eq!(item_records[1]["item"]["id"], items[1]);

    // The bonuses wait 14 days; the completed order counts in the orders' sum at once.
    let (_, got) = crm.get(&format!("/v5/loyalty/account/{account}"), "").await;
    assert_eq!(got["loyaltyAccount"]["amount"], 0.0);
    assert_eq!(got["loyaltyAccount"]["ordersSum"], 2000.0);
    crm.clock(json!({ "action": "advance", "seconds": 13 * DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 0.0);
    crm.clock(json!({ "action": "advance", "seconds": DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 100.0);
}

#[tokio::test]
async fn leaving_the_complete_group_takes_the_credit_back() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (customer, account) = join(&crm, "ac-2").await;
    super::super::loyalty::credit_now(&crm, account, 300.0).await;
    let id = order(&crm, customer, "ac-back").await;
    // 200 bonuses charged: 5 % of the 1800 paid.
    let (status, body) = crm
        .post(
            "/v5/orders/loyalty/apply",
            &[
                ("order", json!({ "id": id }).to_string()),
                ("bonuses", "200".to_owned()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let done = set_status(&crm, &id, "complete").await;
    assert_eq!(done["bonusesCreditTotal"], 90.0);
    let since = records(&crm, &id).await.len();

    // Still waiting when the order is cancelled: taken back all the same.
    let cancelled = set_status(&crm, &id, "cancel-other").await;
    assert_eq!(cancelled["bonusesCreditTotal"], 0.0);
    assert_eq!(cancelled["items"][0]["bonusesCreditTotal"], 0.0);
    let ops = operations(&crm, account).await["bonusOperations"].clone();
    assert_eq!(ops[0]["type"], "cancel_of_credit");
    assert_eq!(ops[0]["amount"], -90.0);
    assert_eq!(ops[0]["order"]["id"], id);
    assert_eq!(ops[1]["type"], "credit_for_order");
    assert_eq!(ops[1]["amount"], 90.0);
    assert_eq!(
        records(&crm, &id).await[since..].to_vec(),
        vec![
            ("bonuses_credit_total".into(), json!(90.0), json!(0.0)),
            (
                "status".into(),
                json!({ "code": "complete" }),
                json!({ "code": "cancel-other" })
            ),
            (
                "order_product.bonuses_credit_total".into(),
                json!(45.0),
                json!(0.0)
            ),
            (
                "order_product.bonuses_credit_total".into(),
                json!(45.0),
                json!(0.0)
            ),
        ]
    );
    crm.clock(json!({ "action": "advance", "seconds": 30 * DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 100.0);
    // Another cancel status: nothing more to take back.
    set_status(&crm, &id, "no-call").await;
    assert_eq!(
        operations(&crm, account).await["bonusOperations"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn a_customer_outside_the_program_gets_nothing() {
    let crm = Crm::new().await;
    let customer = crm
        .create(json!({ "externalId": "ac-out", "email": "out@example.com" }))
        .await;
    let id = order(&crm, customer, "ac-out-order").await;
    let done = set_status(&crm, &id, "complete").await;
    assert!(done.get("bonusesCreditTotal").is_none(), "{done}");
    let (_, all) = crm.get("/v5/loyalty/bonus/operations", "").await;
    assert_eq!(all["bonusOperations"], json!([]));
    // An inactive participation is outside as well.
    let other = crm.create(json!({ "externalId": "ac-no-mail" })).await;
    let (status, body) = crm
        .post(
            "/v5/loyalty/account/create",
            &[(
                "loyaltyAccount",
                json!({ "customer": { "id": other }, "phoneNumber": "+79990000001" }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["loyaltyAccount"]["active"], false);
    let id = order(&crm, other, "ac-inactive").await;
    set_status(&crm, &id, "complete").await;
    let (_, all) = crm.get("/v5/loyalty/bonus/operations", "").await;
    assert_eq!(all["bonusOperations"], json!([]));
}

#[tokio::test]
async fn an_order_created_complete_credits_at_once() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (customer, account) = join(&crm, "ac-3").await;
    let made = create(
        &crm,
        json!({ "externalId": "ac-done", "status": "complete", "customer": { "id": customer },
                "items": [{ "productName": "A", "initialPrice": 700 }] }),
    )
    .await;
    assert_eq!(made["order"]["bonusesCreditTotal"], 35.0);
    assert_eq!(made["order"]["items"][0]["bonusesCreditTotal"], 35.0);
    let ops = operations(&crm, account).await["bonusOperations"].clone();
    assert_eq!(ops.as_array().unwrap().len(), 1, "{ops}");
    assert_eq!(ops[0]["type"], "credit_for_order");
    assert_eq!(ops[0]["amount"], 35.0);
    assert_eq!(ops[0]["order"]["id"], made["id"]);
    let created = records(&crm, &made["id"]).await;
    assert_eq!(created.len(), 1);
    let history = super::super::orders::history(&crm, "").await;
    let last = history.last().unwrap();
    assert_eq!(last["created"], true);
    assert_eq!(last["order"]["bonusesCreditTotal"], 35.0);
}
