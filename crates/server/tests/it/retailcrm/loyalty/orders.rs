//! The calculation of an order, and bonuses charged on a stored order and given back.

use serde_json::{json, Value};

use super::super::orders::{create, history};
use super::super::{assert_error, Crm};
use super::{amount, credit_now, join, operations};

/// An order of the customer: 2 × 500 and 1 × 1000, delivery 300.
async fn order(crm: &Crm, customer: i64, external_id: &str) -> Value {
    create(
        crm,
        json!({ "externalId": external_id, "customer": { "id": customer },
                "delivery": { "code": "courier", "cost": 300 },
                "items": [{ "productName": "A", "initialPrice": 500, "quantity": 2 },
                          { "productName": "B", "initialPrice": 1000 }] }),
    )
    .await["order"]
        .clone()
}

async fn apply(crm: &Crm, order: Value, bonuses: &str) -> (u16, Value) {
    crm.post(
        "/v5/orders/loyalty/apply",
        &[
            ("order", order.to_string()),
            ("bonuses", bonuses.to_owned()),
        ],
    )
    .await
}

#[tokio::test]
async fn calculate_follows_the_level() {
    let crm = Crm::new().await;
    let (customer, account) = join(&crm, "k-1").await;
    credit_now(&crm, account, 2000.0).await;
    let doc = json!({
        "customer": { "id": customer },
        "delivery": { "cost": 100 },
        "items": [{ "initialPrice": 600, "quantity": 2, "offer": { "externalId": "x" } },
                  { "initialPrice": 800, "discountManualAmount": 100 }],
    });
    let calc = |bonuses: &'static str, doc: Value| {
        let crm = &crm;
        async move {
            crm.post(
                "/v5/loyalty/calculate",
                &[("order", doc.to_string()), ("bonuses", bonuses.to_owned())],
            )
            .await
        }
    };
    let (status, body) = calc("100", doc.clone()).await;
    assert_eq!(status, 200, "{body}");
    let order = &body["order"];
    // Goods 1200 + 700 = 1900; 100 bonuses spread 63.16 / 36.84.
    assert_eq!(order["bonusesChargeTotal"], 100.0);
    assert_eq!(order["totalSumm"], 1900.0 - 100.0 + 100.0);
    assert_eq!(order["privilegeType"], "loyalty_level");
    assert_eq!(
        order["loyaltyAccount"],
        json!({ "id": account, "amount": 2000.0 })
    );
    assert_eq!(order["loyaltyLevel"]["id"], 1);
    assert_eq!(order["items"][0]["bonusesChargeTotal"], 63.16);
    assert_eq!(order["items"][0]["discounts"][0]["type"], "bonus_charge");
    assert_eq!(order["items"][0]["offer"]["externalId"], "x");
    // 5 % of what is left to pay: 1800.
    assert_eq!(order["bonusesCreditTotal"], 90.0);
    let calculations = body["calculations"].as_array().unwrap();
    assert_eq!(calculations[0]["privilegeType"], "loyalty_level");
    assert_eq!(calculations[0]["maxChargeBonuses"], 950.0);
    assert_eq!(calculations[0]["maximum"], true);
    assert_eq!(calculations[1]["privilegeType"], "none");
    assert_eq!(body["loyalty"]["chargeRate"], 1.0);
    // Over the program's half of the goods.
    let over = calc("951", doc.clone()).await;
    assert_eq!(over.0, 400, "{}", over.1);
    // A customer who does not take part: no bonuses.
    let outsider = crm.create(json!({ "externalId": "k-2" })).await;
    let mut other = doc.clone();
    other["customer"] = json!({ "id": outsider });
    let (status, body) = calc("0", other.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["calculations"],
        json!([{ "privilegeType": "none", "discount": 0.0,
        "creditBonuses": 0.0, "maxChargeBonuses": 0.0, "maximum": true }])
    );
    assert_eq!(calc("5", other).await.0, 400);
    let mut nobody = doc.clone();
    nobody["customer"] = json!({ "id": 999_999 });
    let missing = calc("0", nobody).await;
    assert_error(&missing, 400, "Errors in the entity format", &["customer"]);
    let bad = calc("x", doc).await;
    assert_error(&bad, 400, "Errors in the input parameters", &["bonuses"]);
}

#[tokio::test]
async fn apply_charges_the_order_and_cancel_gives_back() {
    let crm = Crm::new().await;
    let (customer, account) = join(&crm, "a-1").await;
    credit_now(&crm, account, 1000.0).await;
    let placed = order(&crm, customer, "ord-1").await;
    let id = placed["id"].clone();
    assert_eq!(placed["totalSumm"], 2300.0);
    let since = history(&crm, "").await.last().unwrap()["id"]
        .as_i64()
        .unwrap();

    let (status, body) = apply(&crm, json!({ "externalId": "ord-1" }), "300").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["bonusesChargeTotal"], 300.0);
    assert_eq!(body["order"]["totalSumm"], 2000.0);
    assert_eq!(body["order"]["loyaltyAccount"]["amount"], 700.0);
    assert_eq!(amount(&crm, account).await, 700.0);
    let (_, stored) = crm.get("/v5/orders/ord-1", "").await;
    let stored = &stored["order"];
    assert_eq!(stored["totalSumm"], 2000.0);
    assert_eq!(stored["items"][0]["bonusesChargeTotal"], 150.0);
    assert_eq!(stored["items"][0]["discountTotal"], 75.0);
    assert_eq!(stored["items"][1]["bonusesChargeTotal"], 150.0);
    let records = history(&crm, &format!("filter[sinceId]={since}")).await;
    let fields: Vec<(&str, &Value)> = records
        .iter()
        .map(|r| (r["field"].as_str().unwrap(), &r["newValue"]))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("bonuses_charge_total", &json!(300.0)),
            ("bonuses_credit_total", &json!(85.0)),
            ("privilege_type", &json!("loyalty_level")),
            ("order_product.bonuses_charge_total", &json!(150.0)),
            ("order_product.bonuses_credit_total", &json!(42.5)),
            ("order_product.bonuses_charge_total", &json!(150.0)),
            ("order_product.bonuses_credit_total", &json!(42.5)),
        ]
    );
    assert!(records
        .iter()
        .all(|r| r["order"]["id"] == id && r["source"] == "api"));
    let ops = operations(&crm, account).await;
    assert_eq!(ops["bonusOperations"][0]["type"], "charge_for_order");
    assert_eq!(ops["bonusOperations"][0]["amount"], -300.0);
    assert_eq!(
        ops["bonusOperations"][0]["order"],
        json!({ "id": id, "externalId": "ord-1" })
    );
    let twice = apply(&crm, json!({ "id": id }), "10").await;
    assert_eq!(twice.0, 400, "{}", twice.1);

    let since = records.last().unwrap()["id"].as_i64().unwrap();
    let cancel = |order: Value| {
        let crm = &crm;
        async move {
            crm.post(
                "/v5/orders/loyalty/cancel-bonus-operations",
                &[("order", order.to_string())],
            )
            .await
        }
    };
    let (status, body) = cancel(json!({ "id": id })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["bonusesChargeTotal"], 0.0);
    assert_eq!(body["order"]["totalSumm"], 2300.0);
    assert_eq!(amount(&crm, account).await, 1000.0);
    let records = history(&crm, &format!("filter[sinceId]={since}")).await;
    assert_eq!(records[0]["field"], "bonuses_charge_total");
    assert_eq!(records[0]["oldValue"], 300.0);
    assert_eq!(records[0]["newValue"], 0.0);
    let ops = operations(&crm, account).await;
    assert_eq!(ops["bonusOperations"][0]["type"], "cancel_of_charge");
    assert_eq!(ops["bonusOperations"][0]["amount"], 300.0);
    let again = cancel(json!({ "id": id })).await;
    assert_error(
        &again,
        400,
        "The order has no bonus operations to cancel",
        &[],
    );

    // More than the program's half of the goods (1000), or than the active bonuses.
    assert_eq!(apply(&crm, json!({ "id": id }), "1000.01").await.0, 400);
    // The documented errors and permissions.
    let nothing = apply(&crm, json!({ "id": id }), "0").await;
    assert_error(
        &nothing,
        400,
        "Errors in the input parameters",
        &["bonuses"],
    );
    let unknown = apply(&crm, json!({ "externalId": "nope" }), "1").await;
    assert_error(&unknown, 404, "Not found", &[]);
    let outsider = crm.create(json!({ "externalId": "a-2" })).await;
    order(&crm, outsider, "ord-2").await;
    let refused = apply(&crm, json!({ "externalId": "ord-2" }), "1").await;
    assert_eq!(refused.0, 400, "{}", refused.1);
    let reader = crm.add_key(&["order_read", "loyalty_read"], &[]).await;
    let form = [
        ("order", json!({ "id": id }).to_string()),
        ("bonuses", "1".to_owned()),
    ];
    let denied = crm
        .post_as(&reader, "/v5/orders/loyalty/apply", &form)
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let path = "/v5/orders/loyalty/cancel-bonus-operations";
    let denied = crm.post_as(&reader, path, &form).await;
    assert_error(&denied, 403, "Access denied.", &[]);
    // Another account cannot reach the order.
    let other = Crm::new().await;
    let theirs = apply(&other, json!({ "externalId": "ord-1" }), "1").await;
    assert_error(&theirs, 404, "Not found", &[]);
    assert_eq!(amount(&crm, account).await, 1000.0);
}
