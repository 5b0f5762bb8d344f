//! Stock documents that bring stock in or move it, end to end: goods receipts
//! (setPurchase 11.3, getPurchase 9.43) and transfers (setMovement 11.4, getMovement
//! 9.44) from the documented examples, a refused record among good ones, edits that
//! replace a document's lines, the GET filters, and stock after each document equal to
//! the sum of the documents (getStock, getStoreLog). The helpers serve
//! `stock_outgoing` too.

use serde_json::{json, Value};

use super::{item_errors, Sd};

/// Warehouses `WH001` (`d0_1`) and `WH002` (`d0_2`), a purchase price type `000000001`,
/// products `000000015` (`d0_1`) and `000000016` (`d0_2`).
pub async fn world(sd: &Sd) {
    let stores = json!([
        { "code_1C": "WH001", "name": "Main warehouse" },
        { "code_1C": "WH002", "name": "Agent warehouse" },
    ]);
    assert_eq!(sd.set("setWarehouse", "warehouse", stores).await.0, 200);
    price_type(sd, "000000001").await;
    let unit = json!([{ "code_1C": "pc", "name": "Piece" }]);
    assert_eq!(sd.set("setUnit", "unit", unit).await.0, 200);
    let products = json!([
        { "code_1C": "000000015", "name": "Coca-Cola 1.5L", "unit": { "code_1C": "pc" } },
        { "code_1C": "000000016", "name": "Fanta 1.5L", "unit": { "code_1C": "pc" } },
    ]);
    let (status, body) = sd.set("setProduct", "product", products).await;
    assert_eq!(status, 200, "{body}");
}

/// A payment type, a currency and the price type `code` purchases name.
pub async fn price_type(sd: &Sd, code: &str) {
    let payment = json!([{ "code_1C": "CASH", "name": "Cash", "short": "cash" }]);
    assert_eq!(
        sd.set("setPaymentType", "paymentType", payment).await.0,
        200
    );
    let (status, body) = sd
        .call(json!({ "method": "setPriceType", "data": {
            "valyutaType": [{ "code_1C": "UZS", "name": "UZS", "short": "UZS" }],
            "priceType": [{ "code_1C": code, "name": "Purchase",
                "paymentType": { "code_1C": "CASH" }, "valyutaType": { "code_1C": "UZS" } }],
        } }))
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The documented purchase (its supplier `SHIP001` made on first mention).
pub fn documented_purchase() -> Value {
    json!({
        "date": "2025-06-15 10:00:00",
        "comment": "Purchase from supplier",
        "priceType": { "code_1C": "000000001" },
        "store": { "code_1C": "WH001" },
        "shipper": { "code_1C": "SHIP001" },
        "products": [
            { "code_1C": "000000015", "quantity": 100, "price": 12000.00 },
            { "code_1C": "000000016", "quantity": 50, "price": 11500.00,
              "mfg_date": "2025-01-10", "exp_date": "2026-01-10" },
        ],
    })
}

/// (warehouse code, product code, quantity) of every cell getStock lists.
pub async fn stock(sd: &Sd) -> Vec<(String, String, f64)> {
    let (status, page) = sd.get("getStock", json!({})).await;
    assert_eq!(status, 200, "{page}");
    let mut cells = Vec::new();
    for store in page["result"]["warehouse"].as_array().unwrap() {
        for product in store["products"].as_array().unwrap() {
            cells.push((
                store["code_1C"].as_str().unwrap().to_owned(),
                product["code_1C"].as_str().unwrap().to_owned(),
                product["quantity"].as_f64().unwrap(),
            ));
        }
    }
    cells
}

/// The sum of getStoreLog's lines per product of a warehouse (`SD_id`), all time.
pub async fn logged(sd: &Sd, store: &str) -> Vec<(String, String, f64)> {
    let params = json!({ "storeId": store, "from": "2000-01-01", "to": "2099-12-31" });
    let (status, log) = sd.get("getStoreLog", params).await;
    assert_eq!(status, 200, "{log}");
    let mut rows: Vec<(String, String, f64)> = log["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["document"].as_str().unwrap().to_owned(),
                r["product_id"].as_str().unwrap().to_owned(),
                r["quantity"].as_f64().unwrap(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    rows
}

/// Inside getStoreLog's hours (20:00 server time).
pub async fn at_night(sd: &Sd) {
    sd.clock(json!({ "action": "freeze", "at": "2025-06-30T15:30:00Z" }))
        .await;
}

#[tokio::test]
async fn purchases_bring_stock_in_and_read_back_with_their_lines() {
    let sd = Sd::new().await;
    world(&sd).await;
    let unknown_shipper = json!({
        "date": "2025-06-16 09:00:00", "priceType": { "code_1C": "000000001" },
        "store": { "code_1C": "WH001" }, "shipper": { "SD_id": "404" },
        "products": [{ "code_1C": "000000015", "quantity": -1, "price": 1 }],
    });
    let second = json!({
        "code_1C": "PUR2", "date": "2025-06-20 09:00:00", "priceType": { "SD_id": "d0_1" },
        "store": { "code_1C": "WH002" },
        "products": [{ "code_1C": "000000015", "quantity": 7, "price": "10" }],
    });
    let (status, body) = sd
        .set(
            "setPurchase",
            "purchase",
            json!([documented_purchase(), unknown_shipper, second]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 2, "{body}");
    assert_eq!(
        item_errors(&body, "purchase"),
        vec![json!([
            "shipper: shipper not found",
            "products[0].quantity must not be negative"
        ])]
    );
    assert_eq!(
        stock(&sd).await,
        vec![
            ("WH001".into(), "000000015".into(), 100.0),
            ("WH001".into(), "000000016".into(), 50.0),
            ("WH002".into(), "000000015".into(), 7.0),
        ]
    );
    let (_, page) = sd.get("getPurchase", json!({})).await;
    assert_eq!(page["pagination"]["total"], 2, "{page}");
    let first = &page["result"]["warehouse"][0];
    assert_eq!(
        (&first["code_1C"], &first["name"], &first["date"]),
        (
            &json!("WH001"),
            &json!("Main warehouse"),
            &json!("2025-06-15 10:00:00")
        )
    );
    assert_eq!(first["purchase_id"], "d0_1");
    assert_eq!(first["priceType"]["code_1C"], "000000001");
    assert_eq!(
        first["shipper"],
        json!({ "CS_id": "1", "SD_id": "1", "code_1C": "SHIP001", "name": "SHIP001" })
    );
    assert_eq!(page["result"]["warehouse"][1]["shipper"], Value::Null);
    assert_eq!(
        first["detail"][0],
        json!({ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000015", "name": "Coca-Cola 1.5L",
                "quantity": 100, "price": 12000, "amount": 1200000 })
    );
    // Filters: the document date, the warehouse (by any identifier), none matching.
    let sd = &sd;
    let filtered = |filter: Value| async move {
        let (status, page) = sd.get("getPurchase", json!({ "filter": filter })).await;
        assert_eq!(status, 200, "{page}");
        page["pagination"]["total"].clone()
    };
    let june_15 = json!({ "period": { "date": { "from": "2025-06-01", "to": "2025-06-15" } } });
    assert_eq!(filtered(june_15).await, 1);
    assert_eq!(
        filtered(json!({ "store": { "code_1C": "WH002" } })).await,
        1
    );
    assert_eq!(filtered(json!({ "store": { "SD_id": "d0_9" } })).await, 0);
    let updated =
        json!({ "period": { "dateUpdate": { "from": "2000-01-01", "to": "2099-01-01" } } });
    assert_eq!(filtered(updated).await, 2);
    // An edit replaces the document's lines: stock follows, getStoreLog shows the new.
    let edit = json!([{ "code_1C": "PUR2", "date": "2025-06-20 09:00:00",
        "priceType": { "SD_id": "d0_1" }, "store": { "code_1C": "WH002" },
        "products": [{ "code_1C": "000000016", "quantity": 3, "price": 10 }] }]);
    let (status, body) = sd.set("setPurchase", "purchase", edit).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["data"]["purchase"][0]["SD_id"], "d0_2");
    assert_eq!(
        stock(sd).await[2..],
        [("WH002".into(), "000000016".into(), 3.0)]
    );
    at_night(sd).await;
    assert_eq!(
        logged(sd, "d0_2").await,
        vec![("Purchase".into(), "d0_2".into(), 3.0)]
    );
    assert_eq!(
        logged(sd, "d0_1").await,
        vec![
            ("Purchase".into(), "d0_1".into(), 100.0),
            ("Purchase".into(), "d0_2".into(), 50.0)
        ]
    );
}

/// The documented purchase into `WH001`: 100 of `000000015`, 50 of `000000016`.
pub async fn purchased(sd: &Sd) {
    let (status, body) = sd
        .set("setPurchase", "purchase", json!([documented_purchase()]))
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn transfers_move_stock_atomically_and_refuse_what_the_source_lacks() {
    let sd = Sd::new().await;
    world(&sd).await;
    purchased(&sd).await;
    let documented = json!({
        "code_1C": "MOV000001", "date": "2025-06-15 07:00:00",
        "comment": "Transfer to agent warehouse",
        "storeFrom": { "code_1C": "WH001" }, "storeTo": { "code_1C": "WH002" },
        "products": [{ "code_1C": "000000015", "quantity": 50 }, { "code_1C": "000000016", "quantity": 30 }],
    });
    // Too much of one product: the whole transfer is refused, neither line moves.
    let too_much = json!({
        "code_1C": "MOV000002", "date": "2025-06-16 07:00:00",
        "storeFrom": { "code_1C": "WH001" }, "storeTo": { "code_1C": "WH002" },
        "products": [{ "code_1C": "000000015", "quantity": 10 }, { "code_1C": "000000016", "quantity": 21 }],
    });
    let same_store = json!({
        "code_1C": "MOV000003", "date": "2025-06-16 07:00:00",
        "storeFrom": { "code_1C": "WH001" }, "storeTo": { "SD_id": "d0_1" },
        "products": [{ "code_1C": "000000015", "quantity": 1 }],
    });
    let (status, body) = sd
        .set(
            "setMovement",
            "movement",
            json!([documented, too_much, same_store]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1, "{body}");
    assert_eq!(
        item_errors(&body, "movement"),
        vec![
            json!(["Not enough stock of product d0_2 in warehouse d0_1: 20 available, 21 needed"]),
            json!(["storeFrom and storeTo must be different warehouses"]),
        ]
    );
    let expected = vec![
        ("WH001".to_owned(), "000000015".to_owned(), 50.0),
        ("WH001".to_owned(), "000000016".to_owned(), 20.0),
        ("WH002".to_owned(), "000000015".to_owned(), 50.0),
        ("WH002".to_owned(), "000000016".to_owned(), 30.0),
    ];
    assert_eq!(stock(&sd).await, expected);
    // Create only: the same code again is refused.
    let again = json!([{ "code_1C": "MOV000001", "date": "2025-06-17 07:00:00",
        "storeFrom": { "code_1C": "WH002" }, "storeTo": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000015", "quantity": 1 }] }]);
    let (_, body) = sd.set("setMovement", "movement", again).await;
    assert_eq!(
        item_errors(&body, "movement"),
        vec![json!([
            "The movement MOV000001 already exists: transfers cannot be edited"
        ])]
    );
    assert_eq!(stock(&sd).await, expected);
    let (_, page) = sd.get("getMovement", json!({})).await;
    assert_eq!(
        page["result"]["movement"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "MOV000001", "date": "2025-06-15 07:00:00",
            "from_store": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "WH001", "name": "Main warehouse" },
            "to_store": { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "WH002", "name": "Agent warehouse" },
            "detail": [
                { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000015", "quantity": 50 },
                { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "000000016", "quantity": 30 },
            ] }])
    );
    let total = |filter: Value| {
        let sd = &sd;
        async move {
            let (status, page) = sd.get("getMovement", json!({ "filter": filter })).await;
            assert_eq!(status, 200, "{page}");
            page["pagination"]["total"].clone()
        }
    };
    assert_eq!(total(json!({ "type": "vansel" })).await, 0);
    assert_eq!(total(json!({ "include": "sd" })).await, 0);
    let june = json!({ "include": "all", "period": { "date": { "from": "2025-06-15", "to": "2025-06-15" } } });
    assert_eq!(total(june).await, 1);
    let (status, _) = sd
        .get("getMovement", json!({ "filter": { "type": "other" } }))
        .await;
    assert_eq!(status, 400);
    // getStoreLog: both sides under one document, each warehouse's lines summing to its stock.
    at_night(&sd).await;
    assert_eq!(
        logged(&sd, "d0_2").await,
        vec![
            ("Exchange".into(), "d0_1".into(), 50.0),
            ("Exchange".into(), "d0_2".into(), 30.0)
        ]
    );
    assert_eq!(
        logged(&sd, "d0_1").await,
        // By date: the documented transfer (07:00) comes before the purchase (10:00);
        // the check takes current stock, so it went through.
        vec![
            ("Exchange".into(), "d0_1".into(), -50.0),
            ("Purchase".into(), "d0_1".into(), 100.0),
            ("Exchange".into(), "d0_2".into(), -30.0),
            ("Purchase".into(), "d0_2".into(), 50.0),
        ]
    );
}
