//! The order family end to end (12.1–12.6, 9.26–9.28): the documented order among a
//! refused one, its stock lines and totals, the client debit at Delivered and its
//! removal on cancellation (read from the account's snapshot, with the document owning
//! each transaction; `scenario` reads them through getPayment and getBalance), SD-born
//! orders through `include: "sd"` → syncOrder →
//! `include: "1c"`, setCode, returns and seeded exchanges, and visits' order totals.

use serde_json::{json, Value};

use super::stock_documents::{at_night, logged, purchased, stock, world};
use super::{item_errors, Sd};

/// The records the documented order names, after the documented purchase (100 × 015,
/// 50 × 016 in WH001) and a list price of 9000 for 016.
pub async fn order_world(sd: &Sd) {
    world(sd).await;
    purchased(sd).await;
    let sets = [
        (
            "setClientCategory",
            "clientCategory",
            json!([{ "code_1C": "CAT1", "name": "Retail" }]),
        ),
        (
            "setAgent",
            "agent",
            json!([{ "code_1C": "000000003", "name": "Ivan Ivanov" }]),
        ),
        (
            "setExpeditor",
            "expeditor",
            json!([{ "code_1C": "000000005", "name": "Peter Petrov" }]),
        ),
        (
            "setClient",
            "client",
            json!([{ "code_1C": "000000100", "shortName": "Star Shop",
            "firmName": "Star LLC", "clientCategory": { "code_1C": "CAT1" } }]),
        ),
        (
            "setPrice",
            "product",
            json!([{ "code_1C": "000000016",
            "priceType": { "code_1C": "000000001", "price": 9000 } }]),
        ),
    ];
    for (method, group, records) in sets {
        let (status, body) = sd.set(method, group, records).await;
        assert_eq!(status, 200, "{method}: {body}");
    }
}

/// The documented order, with a line priced from the list and a bonus line.
pub fn documented_order() -> Value {
    json!({
        "code_1C": "ORD000001", "status": 1, "dateCreate": "2025-06-15 10:00:00",
        "dateShipment": "2025-06-16", "comment": "Urgent order", "consignment": false,
        "client": { "code_1C": "000000100" }, "agent": { "code_1C": "000000003" },
        "expeditor": { "code_1C": "000000005" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WH001" }, "debtDateExp": null,
        "orderProducts": [
            { "product": { "code_1C": "000000015" }, "quantity": 10, "price": 15000.00, "discount": 5, "returned": 0 },
            { "product": { "code_1C": "000000016" }, "quantity": 4 },
        ],
        "bonusProducts": [{ "product": { "code_1C": "000000016" }, "quantity": 1 }],
    })
}

/// The documented order written through `setOrder`, then written again with another
/// comment: an order with a history of two.
pub async fn order_then_recomment(sd: &Sd) {
    order_world(sd).await;
    let (status, body) = sd
        .set("setOrder", "order", json!([documented_order()]))
        .await;
    assert_eq!(status, 200, "{body}");
    let mut changed = documented_order();
    changed["comment"] = json!("Call before delivery");
    let (status, body) = sd.set("setOrder", "order", json!([changed])).await;
    assert_eq!(status, 200, "{body}");
}

/// The account's stored documents of `kind` (bodies), from its snapshot.
async fn stored(sd: &Sd, kind: &str) -> Vec<Value> {
    let path = format!("/accounts/{}/snapshot", sd.account);
    let request = sd.app.admin(reqwest::Method::GET, &path);
    let (status, body): (u16, Value) = twin_testkit::answer(request).await.into();
    assert_eq!(status, 200, "{body}");
    body["snapshot"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| d["body"].clone())
        .collect()
}

/// The client debits and credits stored: (transactionType, amount, owner).
async fn transactions(sd: &Sd) -> Vec<(i64, f64, String)> {
    stored(sd, "clientTransaction")
        .await
        .iter()
        .map(|b| {
            let f = &b["fields"];
            let owner = b["owner"].as_str().unwrap_or_default().to_owned();
            (
                f["transactionType"].as_i64().unwrap(),
                f["amount"].as_f64().unwrap(),
                owner,
            )
        })
        .collect()
}

/// The client's balance per payment type, as stored.
async fn balance(sd: &Sd) -> Value {
    let balances = stored(sd, "clientBalance").await;
    balances.first().map_or(json!({}), |b| b["amounts"].clone())
}

/// Stock cells as `stock` lists them.
pub fn cells(list: &[(&str, &str, f64)]) -> Vec<(String, String, f64)> {
    list.iter()
        .map(|(w, p, q)| ((*w).to_owned(), (*p).to_owned(), *q))
        .collect()
}

async fn orders_with(sd: &Sd, filter: Value) -> Vec<Value> {
    let (status, body) = sd.get("getOrder", json!({ "filter": filter })).await;
    assert_eq!(status, 200, "{body}");
    body["result"]["order"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_order_takes_stock_owes_when_delivered_and_gives_both_back_when_cancelled() {
    let sd = Sd::new().await;
    order_world(&sd).await;
    let unpriced = json!({ "code_1C": "ORD2", "status": 1, "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WH001" },
        "orderProducts": [{ "product": { "code_1C": "000000015" }, "quantity": 1 }] });
    let (status, body) = sd
        .set("setOrder", "order", json!([documented_order(), unpriced]))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1, "{body}");
    assert_eq!(
        item_errors(&body, "order"),
        vec![json!(["orderProducts[0].price: Price not found"])]
    );
    let taken = cells(&[("WH001", "000000015", 90.0), ("WH001", "000000016", 45.0)]);
    assert_eq!(stock(&sd).await, taken);
    let orders = orders_with(&sd, json!({})).await;
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order["SD_id"], "d0_1");
    assert_eq!(order["totalSumma"], 186000);
    assert_eq!(order["discountSumma"], 7500);
    assert_eq!(order["totalSummaAfterDiscount"], 178500);
    assert_eq!(order["dateDocument"], "2025-06-16 00:00:00");
    assert_eq!(order["orderProducts"][0]["summa"], 142500);
    assert_eq!(order["orderProducts"][1]["price"], 9000);
    assert_eq!(order["bonus"][0]["quantity"], 1);
    assert_eq!(order["client"]["clientLegalName"], "Star LLC");
    assert!(transactions(&sd).await.is_empty());

    let delivered = json!([{ "code_1C": "ORD000001", "status": 3, "dateShipment": "2025-06-17" }]);
    let (status, body) = sd.set("setStatus", "order", delivered).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stock(&sd).await, taken);
    assert_eq!(
        transactions(&sd).await,
        vec![(1, 178500.0, "order.d0_1".to_owned())]
    );
    // The price type's payment type `CASH` is the first one numbered.
    assert_eq!(balance(&sd).await, json!({ "d0_1": -178500.0 }));
    assert!(orders_with(&sd, json!({})).await.is_empty());
    assert_eq!(orders_with(&sd, json!({ "status": [3] })).await.len(), 1);

    for _ in 0..2 {
        let cancel = json!([{ "code_1C": "ORD000001" }]);
        let (status, body) = sd.set("setDeletedOrder", "deletedOrder", cancel).await;
        assert_eq!(status, 200, "{body}");
    }
    let full = cells(&[("WH001", "000000015", 100.0), ("WH001", "000000016", 50.0)]);
    assert_eq!(stock(&sd).await, full);
    assert!(transactions(&sd).await.is_empty());
    assert_eq!(balance(&sd).await, json!({}));

    let reopened = json!([{ "SD_id": "d0_1", "status": 1 }, { "code_1C": "NOPE", "status": 1 }]);
    let (status, body) = sd.set("setStatus", "order", reopened).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "order"),
        vec![json!(["Order not found"])]
    );
    assert_eq!(stock(&sd).await, taken);
    at_night(&sd).await;
    let log: Vec<String> = logged(&sd, "d0_1").await.into_iter().map(|r| r.0).collect();
    assert!(
        log.contains(&"Order".to_owned()) && log.contains(&"BonusOrder".to_owned()),
        "{log:?}"
    );
}

#[tokio::test]
async fn an_order_beyond_the_stock_is_refused_whole() {
    let sd = Sd::new().await;
    order_world(&sd).await;
    let mut greedy = documented_order();
    greedy["orderProducts"][0]["quantity"] = json!(101);
    let (status, body) = sd.set("setOrder", "order", json!([greedy])).await;
    assert_eq!(status, 400, "{body}");
    let errors = item_errors(&body, "order");
    assert!(
        errors[0][0]
            .as_str()
            .unwrap()
            .starts_with("Not enough stock"),
        "{body}"
    );
    let full = cells(&[("WH001", "000000015", 100.0), ("WH001", "000000016", 50.0)]);
    assert_eq!(stock(&sd).await, full);
}

#[tokio::test]
async fn orders_born_in_salesdoc_are_synchronized_into_1c() {
    let sd = Sd::new().await;
    order_world(&sd).await;
    let mut born = documented_order();
    born.as_object_mut().unwrap().remove("code_1C");
    let (status, body) = sd.seed_at("orders", None, json!([born])).await;
    assert_eq!(status, 200, "{body}");
    let sd_only = orders_with(&sd, json!({ "include": "sd" })).await;
    assert_eq!(sd_only.len(), 1);
    assert_eq!(sd_only[0]["code_1C"], Value::Null);
    assert!(orders_with(&sd, json!({ "include": "1c" }))
        .await
        .is_empty());

    let data = json!([{ "SD_id": "d0_1", "code_order": "ORD9", "status": 2 },
        { "SD_id": "d0_99", "code_order": "X" }]);
    let (status, body) = sd
        .call(json!({ "method": "syncOrder", "data": data }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], json!([data[0]]));
    assert_eq!(body["result"]["failed"][0]["error"], "Document not found");
    let synced = orders_with(&sd, json!({ "include": "1c", "status": [2] })).await;
    assert_eq!(synced[0]["code_1C"], "ORD9");

    let recode =
        json!({ "document": "Order", "documents": [{ "SD_id": "d0_1", "code_1C": "ORD10" }] });
    let (status, body) = sd
        .call(json!({ "method": "setCode", "data": recode }))
        .await;
    assert_eq!(status, 200, "{body}");
    let found = orders_with(&sd, json!({ "code_1C": "ORD10", "status": [2] })).await;
    assert_eq!(found.len(), 1);
    let unknown = json!({ "document": "Invoice", "documents": [] });
    let (status, _) = sd
        .call(json!({ "method": "setCode", "data": unknown }))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn returns_credit_when_delivered_and_exchanges_swap_goods() {
    let sd = Sd::new().await;
    order_world(&sd).await;
    let defect = json!([{ "code_1C": "WHD001", "name": "Returns" }]);
    assert_eq!(sd.seed("defectWarehouse", None, defect).await.0, 200);
    let documented = json!({ "code_1C": "DEF000001", "status": 3, "dateCreate": "2025-06-15 10:00:00",
        "dateDefect": "2025-06-15", "comment": "Defect", "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WHD001" },
        "defectProducts": [{ "product": { "code_1C": "000000016" }, "quantity": 5 }] });
    let no_status = json!({ "code_1C": "DEF2", "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WHD001" },
        "defectProducts": [{ "product": { "code_1C": "000000016" }, "quantity": 1 }] });
    let (status, body) = sd
        .set(
            "setOrderDefect",
            "orderDefect",
            json!([documented, no_status]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "orderDefect"),
        vec![json!(["status is required"])]
    );
    assert_eq!(
        transactions(&sd).await,
        vec![(9, 45000.0, "orderDefect.d0_1".to_owned())]
    );
    let params = json!({ "filter": { "status": [3], "period": { "dateLoad": { "from": "2025-06-15", "to": "2025-06-15" } } } });
    let (status, body) = sd.get("getOrderDefect", params).await;
    assert_eq!(status, 200, "{body}");
    let returned = &body["result"]["order"][0];
    assert_eq!(
        (returned["type"].clone(), returned["summa"].clone()),
        (json!(2), json!(45000))
    );
    assert_eq!(returned["dateLoad"], "2025-06-15");

    let exchange = json!({ "status": 1, "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "priceType": { "code_1C": "000000001" },
        "warehouse": { "code_1C": "WHD001" }, "replaceWarehouse": { "code_1C": "WH001" },
        "defectProducts": [{ "product": { "code_1C": "000000015" }, "quantity": 2, "price": 15000 }],
        "replaceProducts": [{ "product": { "code_1C": "000000015" }, "quantity": 2, "price": 15000 }] });
    let (status, body) = sd.seed_at("exchanges", None, json!([exchange])).await;
    assert_eq!(status, 200, "{body}");
    let expected = cells(&[
        ("WH001", "000000015", 98.0),
        ("WH001", "000000016", 50.0),
        ("WHD001", "000000015", 2.0),
        ("WHD001", "000000016", 5.0),
    ]);
    let mut now = stock(&sd).await;
    now.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(now, expected);
    let (_, body) = sd
        .get("getOrderReplace", json!({ "filter": { "include": "sd" } }))
        .await;
    assert_eq!(body["result"]["order"][0]["type"], 3, "{body}");
    let half = json!([{ "SD_id": "d0_2", "code_return": "RET1" }]);
    let (status, _) = sd
        .call(json!({ "method": "syncOrder", "data": half }))
        .await;
    assert_eq!(status, 400);
    let both = json!([{ "SD_id": "d0_2", "code_return": "RET1", "code_replace": "REP1" }]);
    let (status, body) = sd
        .call(json!({ "method": "syncOrder", "data": both }))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = sd
        .get("getOrderReplace", json!({ "filter": { "include": "1c" } }))
        .await;
    assert_eq!(body["result"]["order"][0]["code_1C"], "REP1", "{body}");
}

#[tokio::test]
async fn a_visit_shows_what_the_agent_ordered_for_the_client_that_day() {
    let sd = Sd::new().await;
    order_world(&sd).await;
    let visit = json!([{ "client": { "code_1C": "000000100" }, "agent": { "code_1C": "000000003" },
        "date": "2025-06-15 10:00:00", "visited": 1, "has_order": 0 }]);
    assert_eq!(sd.set("setVisit", "visit", visit).await.0, 200);
    let (status, body) = sd
        .set("setOrder", "order", json!([documented_order()]))
        .await;
    assert_eq!(status, 200, "{body}");
    let params =
        json!({ "filter": { "period": { "date": { "from": "2025-06-01", "to": "2025-06-30" } } } });
    let (_, body) = sd.get("getVisit", params.clone()).await;
    let shown = &body["result"]["visit"][0];
    assert_eq!(
        (shown["order_summa"].clone(), shown["has_order"].clone()),
        (json!(178500.0), json!(1)),
        "{body}"
    );
    let cancel = json!([{ "code_1C": "ORD000001" }]);
    assert_eq!(
        sd.set("setDeletedOrder", "deletedOrder", cancel).await.0,
        200
    );
    let (_, body) = sd.get("getVisit", params).await;
    assert_eq!(
        body["result"]["visit"][0]["order_summa"],
        json!(0.0),
        "{body}"
    );
}
