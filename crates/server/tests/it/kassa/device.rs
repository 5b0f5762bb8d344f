//! The simulated cash register: a shift from open to close with cash, card and a return,
//! fiscal numbers and balances at each step and the webhooks of each; injected failures,
//! retry, and the device's own rules.

use std::time::Duration;

use serde_json::{json, Value};
use twin_testkit::{pg_app, Received, WebhookSink};

use super::operations::{position, sell, Shop};
use super::{assert_invalid, assert_keys, Kassa};

/// Registers an endpoint for the three device events, with a bearer secret.
pub async fn endpoint(shop: &Shop, sink: &WebhookSink) {
    let (status, body) = shop
        .kassa
        .post(
            "/application-webhooks/endpoints",
            json!({
                "status": "ACTIVE", "url": sink.url("/hook"), "authType": "BEARER", "secret": "s3cret",
                "events": ["OPERATION_COMPLETED", "OPERATION_FAILED", "CASHBOX_DATA_CHANGED"]
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

pub fn parsed(received: &Received) -> Value {
    serde_json::from_str(&received.body).expect("webhook JSON")
}

/// The webhook of `event` among `hooks` (one transaction's deliveries may arrive in
/// any order).
fn of<'a>(hooks: &'a [Value], event: &str) -> &'a Value {
    hooks
        .iter()
        .find(|hook| hook["event"] == event)
        .unwrap_or_else(|| panic!("no {event} in {hooks:?}"))
}

/// Waits for `count` more webhooks and returns the new ones.
async fn next(sink: &WebhookSink, seen: &mut usize, count: usize) -> Vec<Value> {
    let all = sink.wait_for(*seen + count, Duration::from_secs(10)).await;
    let new: Vec<Value> = all[*seen..].iter().map(parsed).collect();
    *seen = all.len();
    new
}

#[tokio::test]
async fn a_shift_with_cash_card_and_a_return() {
    shift_with_cash_card_and_a_return(Shop::new().await).await;
}

/// The same shift on PostgreSQL, whose transactions and version checks the device's
/// claims rely on.
#[tokio::test]
async fn a_shift_with_cash_card_and_a_return_on_postgres() {
    match pg_app() {
        Some(app) => shift_with_cash_card_and_a_return(Shop::of(Kassa::on(app).await).await).await,
        None => eprintln!("TWIN_TEST_PG_URL unset: the PostgreSQL shift did not run"),
    }
}

async fn shift_with_cash_card_and_a_return(shop: Shop) {
    let sink = WebhookSink::start().await;
    endpoint(&shop, &sink).await;
    let mut seen = 0;

    let opened = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(opened["status"], "COMPLETE", "{opened}");
    assert_eq!(opened["details"]["shiftNumber"], 1);
    assert_eq!(opened["details"]["fdNumber"], "1");
    assert_eq!(opened["details"]["cashBalance"], 0);
    let hooks = next(&sink, &mut seen, 2).await;
    assert_eq!(of(&hooks, "OPERATION_COMPLETED")["content"], opened);
    assert_eq!(
        of(&hooks, "CASHBOX_DATA_CHANGED")["content"]["id"],
        shop.cashbox.as_str()
    );
    let headers = &sink.received()[0].headers;
    assert_eq!(headers["authorization"], "Bearer s3cret");

    let cash_in = shop
        .run("CASH_IN", json!({ "amount": 1000, "comment": "Размен" }))
        .await;
    assert_eq!(cash_in["status"], "COMPLETE", "{cash_in}");
    assert_eq!(cash_in["details"]["cashBalance"], 1000);
    assert_eq!(shop.cash_balance().await, 1000);
    let hooks = next(&sink, &mut seen, 2).await;
    assert_eq!(
        of(&hooks, "CASHBOX_DATA_CHANGED")["content"]["cashBalance"],
        1000
    );

    let sale = shop
        .run(
            "SELL",
            sell(
                vec![position("Кружка", 2.0, 50.0), position("Чай", 0.5, 99.99)],
                &[(1, 60.0), (8, 90.0)],
            ),
        )
        .await;
    assert_eq!(sale["status"], "COMPLETE", "{sale}");
    let details = &sale["details"];
    assert_keys(
        details,
        &[
            "order",
            "paymentSolutions",
            "fiscalAmounts",
            "operationAmount",
            "actionType",
            "fdNumber",
            "fdSign",
            "fdCreatedAt",
            "slip",
            "fnNumber",
        ],
    );
    assert_eq!(details["operationAmount"], 150);
    assert_eq!(details["order"]["orderAmount"], 150);
    assert_eq!(details["fdNumber"], "2");
    assert_eq!(details["fdSign"].as_str().unwrap().len(), 10);
    assert_eq!(details["actionType"], "EXECUTE");
    assert_eq!(
        details["fiscalAmounts"],
        json!([{ "type": "CASH", "amount": 60 }, { "type": "CASHLESS", "amount": 90 }])
    );
    assert_eq!(
        details["paymentSolutions"][0],
        json!({ "id": 1, "amount": 60, "details": null })
    );
    let card = &details["paymentSolutions"][1];
    assert!(card["details"]["slip"].as_str().unwrap().contains("СЛИП"));
    assert!(card["details"]["referenceData"]
        .as_str()
        .unwrap()
        .starts_with("rrn="));
    assert_eq!(details["slip"], card["details"]["slip"]);
    let positions = &details["order"]["groups"][0]["positions"];
    assert_eq!(positions[1]["amount"], 50);
    assert_eq!(positions[1]["quantity"], 0.5);
    assert_eq!(shop.cash_balance().await, 1060);
    let hooks = next(&sink, &mut seen, 2).await;
    assert_eq!(of(&hooks, "OPERATION_COMPLETED")["content"], sale);
    assert_eq!(
        of(&hooks, "CASHBOX_DATA_CHANGED")["content"]["cashBalance"],
        1060
    );

    let mug = positions[0]["id"].as_str().unwrap();
    let back = shop
        .run(
            "SELL_RETURN",
            json!({ "returnOrderPositions": [{ "positionId": mug, "quantity": 1 }] }),
        )
        .await;
    assert_eq!(back["status"], "COMPLETE", "{back}");
    assert_eq!(back["details"]["operationAmount"], 50);
    assert_eq!(back["details"]["fdNumber"], "3");
    assert_eq!(
        back["details"]["fiscalAmounts"],
        json!([{ "type": "CASH", "amount": 20 }, { "type": "CASHLESS", "amount": 30 }])
    );
    assert_eq!(shop.cash_balance().await, 1040);
    next(&sink, &mut seen, 2).await;
    // One mug is left to return, not two.
    let (status, body) = shop
        .create(
            "SELL_RETURN",
            json!({ "returnOrderPositions": [{ "positionId": mug, "quantity": 2 }] }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &["details.returnOrderPositions[0].quantity: This value should be less than or equal to 1."],
    );

    let report = shop.run("X_REPORT", json!({})).await;
    assert_eq!(report["status"], "COMPLETE", "{report}");
    assert_eq!(report["details"]["cashBalance"], 1040);
    assert_eq!(report["details"]["shiftNumber"], 1);
    assert_eq!(
        report["details"]["shiftTotals"],
        json!({ "sell": 150, "sellReturn": 50, "buy": 0, "buyReturn": 0, "cashIn": 1000, "cashOut": 0 })
    );
    let hooks = next(&sink, &mut seen, 1).await;
    assert_eq!(hooks[0]["event"], "OPERATION_COMPLETED");

    let closed = shop
        .run("SHIFT_CLOSE", json!({ "onlyCashbox": true }))
        .await;
    assert_eq!(closed["status"], "COMPLETE", "{closed}");
    assert_eq!(closed["details"]["fdNumber"], "4");
    assert_eq!(closed["details"]["shiftNumber"], 1);
    assert_eq!(closed["details"]["onlyCashbox"], true);
    assert_eq!(closed["details"]["shiftTotals"]["sell"], 150);
    let hooks = next(&sink, &mut seen, 2).await;
    assert_eq!(of(&hooks, "OPERATION_COMPLETED")["content"], closed);
    of(&hooks, "CASHBOX_DATA_CHANGED");

    let reopened = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(reopened["details"]["shiftNumber"], 2);
    assert_eq!(reopened["details"]["fdNumber"], "5");
    assert_eq!(reopened["details"]["cashBalance"], 1040);
}

#[tokio::test]
async fn offline_device_fails_and_retry_completes_when_back() {
    let shop = Shop::new().await;
    let sink = WebhookSink::start().await;
    endpoint(&shop, &sink).await;
    let state = shop.device(&shop.cashbox, json!({ "offline": true })).await;
    assert_eq!(state, json!({ "offline": true, "fnFull": false }));
    let failed = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(failed["status"], "FAIL");
    assert_eq!(failed["message"], "Нет связи с кассой");
    let hooks = sink.wait_for(1, Duration::from_secs(10)).await;
    let hook = parsed(&hooks[0]);
    assert_eq!(hook["event"], "OPERATION_FAILED");
    assert_eq!(hook["content"], failed);
    let id = failed["id"].as_str().unwrap();
    shop.device(&shop.cashbox, json!({ "offline": false }))
        .await;
    let (status, retried) = shop
        .kassa
        .post(&format!("/operations/{id}/retry"), json!({}))
        .await;
    assert_eq!(status, 200, "{retried}");
    assert_eq!(retried["status"], "DRAFT");
    assert_eq!(retried["message"], Value::Null);
    let done = shop.settled(id).await;
    assert_eq!(done["status"], "COMPLETE", "{done}");
    assert_eq!(done["details"]["shiftNumber"], 1);
}

#[tokio::test]
async fn the_device_keeps_its_rules() {
    let shop = Shop::new().await;
    let receipt = || sell(vec![position("Чай", 1.0, 10.0)], &[(1, 10.0)]);
    let closed = shop.run("SELL", receipt()).await;
    assert_eq!(closed["status"], "FAIL");
    assert_eq!(closed["message"], "Смена закрыта, операция невозможна");
    let closing = shop.run("SHIFT_CLOSE", json!({})).await;
    assert_eq!(closing["message"], "Смена закрыта, операция невозможна");
    shop.run("SHIFT_OPEN", json!({})).await;
    let again = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(again["message"], "Смена открыта, операция невозможна");
    let out = shop.run("CASH_OUT", json!({ "amount": 10 })).await;
    assert_eq!(out["status"], "FAIL");
    assert_eq!(out["message"], "Недостаточно наличных в кассе");
    assert_eq!(shop.cash_balance().await, 0);
    let copy = shop.run("COPY_RECEIPT", json!({ "fdNumber": "7" })).await;
    assert_eq!(
        copy["message"],
        "Документ не найден в фискальном накопителе"
    );
    shop.device(&shop.cashbox, json!({ "fnFull": true })).await;
    let full = shop.run("SELL", receipt()).await;
    assert_eq!(full["message"], "Исчерпан ресурс фискального накопителя");
    shop.device(&shop.cashbox, json!({ "fnFull": false })).await;
    let sold = shop.run("SELL", receipt()).await;
    assert_eq!(sold["status"], "COMPLETE", "{sold}");
    assert_eq!(sold["details"]["fdNumber"], "2");
    assert_eq!(sold["details"]["slip"], Value::Null);
    let correction = shop
        .run(
            "CORRECTION_SELL",
            json!({ "correctionType": "SELF", "foundationDocDate": "2023-01-01 00:00:00" }),
        )
        .await;
    assert_eq!(correction["status"], "COMPLETE", "{correction}");
    assert_eq!(correction["details"]["fdNumber"], "3");
    let copy = shop.run("COPY_RECEIPT", json!({ "fdNumber": "2" })).await;
    assert_eq!(copy["status"], "COMPLETE");
    let time = shop
        .run("SET_DATETIME", json!({ "dateTime": "2023-01-01 00:00:00" }))
        .await;
    assert_eq!(time["message"], "Смена открыта, операция невозможна");
    let slip = shop
        .run(
            "PRINT_SLIP",
            json!({ "slipItems": [{ "type": "TEXT", "content": "Спасибо" }] }),
        )
        .await;
    assert_eq!(slip["status"], "COMPLETE");
    let info = shop.run("KKT_INFO", json!({})).await;
    assert_eq!(info["details"]["shiftState"], "OPEN");
    assert_eq!(info["details"]["lastFdNumber"], "3");
    // A shift lasts 24 hours at most: receipts fail until it is closed.
    shop.kassa
        .clock(json!({ "action": "advance", "seconds": 25 * 3600 }))
        .await;
    let late = shop.run("SELL", receipt()).await;
    assert_eq!(late["message"], "Смена превысила 24 часа, закройте смену");
    let closed = shop.run("SHIFT_CLOSE", json!({})).await;
    assert_eq!(closed["status"], "COMPLETE");
    shop.run("SHIFT_OPEN", json!({})).await;
    let fresh = shop.run("SELL", receipt()).await;
    assert_eq!(fresh["status"], "COMPLETE", "{fresh}");
}

/// Adds a cash register to the shop's account through the admin API.
async fn add_cashbox(shop: &Shop, body: Value) -> reqwest::Response {
    shop.kassa
        .app
        .admin(
            reqwest::Method::POST,
            &format!("/accounts/{}/kassa/cashboxes", shop.kassa.account),
        )
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn admin_adds_a_cash_register() {
    let shop = Shop::new().await;
    let response = add_cashbox(
        &shop,
        json!({ "name": "АТОЛ Sigma 10", "serial": "0001222233339999" }),
    )
    .await;
    assert_eq!(response.status(), 201);
    let added: Value = response.json().await.unwrap();
    assert_eq!(added["status"], "ACTIVE");
    assert_eq!(added["cashBalance"], 0);
    let (status, got) = shop
        .kassa
        .get(&format!("/cashboxes/{}", added["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(got, added);
    let response = add_cashbox(&shop, json!({ "name": "x", "serial": "12" })).await;
    assert_eq!(response.status(), 400);
}

/// Returns of one sale sent at once: together they never take back more than was sold.
/// (Each checks what is left; without the sale's version guarding that check, all of
/// them saw the whole quantity and all were accepted.)
#[tokio::test]
async fn concurrent_returns_never_exceed_the_sale() {
    returns_racing(Shop::new().await).await;
    match pg_app() {
        Some(app) => returns_racing(Shop::of(Kassa::on(app).await).await).await,
        None => eprintln!("TWIN_TEST_PG_URL unset: the returns raced on SQLite only"),
    }
}

async fn returns_racing(shop: Shop) {
    assert_eq!(
        shop.run("SHIFT_OPEN", json!({})).await["status"],
        "COMPLETE"
    );
    let sale = shop
        .run(
            "SELL",
            sell(vec![position("Кружка", 3.0, 50.0)], &[(1, 150.0)]),
        )
        .await;
    assert_eq!(sale["status"], "COMPLETE", "{sale}");
    let mug = sale["details"]["order"]["groups"][0]["positions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let returns = (0..8).map(|_| {
        shop.create(
            "SELL_RETURN",
            json!({ "returnOrderPositions": [{ "positionId": mug, "quantity": 1 }] }),
        )
    });
    let answers = futures_util::future::join_all(returns).await;
    let accepted = answers.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(accepted, 3, "three mugs were sold: {answers:?}");
    for (status, body) in answers.iter().filter(|(status, _)| *status != 201) {
        assert_invalid(
            (*status, body),
            &["details.returnOrderPositions[0].quantity: This value should be less than or equal to 0."],
        );
    }
}
