//! Stock documents that take stock out or correct it, end to end: supplier returns
//! (setSupplierReturn 11.9), write-offs (setExcretion 11.10) and corrections
//! (setCorrection 11.11, getCorrection 9.42, with setStock's inventories), from the
//! documented examples after the documented purchase: refusals below zero among good
//! records, create-only rules, and stock equal to the sum of the documents.

use serde_json::{json, Value};

use super::stock_documents::{at_night, logged, purchased, stock, world};
use super::{item_errors, Sd};

#[tokio::test]
async fn returns_and_write_offs_take_stock_out_and_never_below_zero() {
    let sd = Sd::new().await;
    world(&sd).await;
    purchased(&sd).await;
    let documented_return = json!({
        "date": "2025-06-15 14:00:00", "comment": "Defect return",
        "priceType": { "code_1C": "000000001" }, "store": { "code_1C": "WH001" },
        "products": [
            { "code_1C": "000000015", "quantity": 5, "price": 12000.00 },
            { "code_1C": "000000016", "quantity": 3, "price": 11500.00 },
        ],
    });
    let zero = json!({ "date": "2025-06-15 14:00:00", "priceType": { "code_1C": "000000001" },
        "store": { "code_1C": "WH001" }, "products": [{ "code_1C": "000000015", "quantity": 0 }] });
    let (status, body) = sd
        .set(
            "setSupplierReturn",
            "return",
            json!([documented_return, zero]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "return"),
        vec![json!(["products[0].quantity must be greater than zero"])]
    );
    let documented_write_off = json!({
        "code_1C": "EXC1", "date": "2025-06-15 16:00:00", "comment": "Write-off by act",
        "fromStore": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000015", "quantity": 10 }, { "code_1C": "000000016", "quantity": 5 }],
    });
    let too_much = json!({ "date": "2025-06-15 17:00:00", "fromStore": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000016", "quantity": 43 }] });
    let (status, body) = sd
        .set(
            "setExcretion",
            "excretion",
            json!([documented_write_off, too_much]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "excretion"),
        vec![json!([
            "Not enough stock of product d0_2 in warehouse d0_1: 42 available, 43 needed"
        ])]
    );
    let after = vec![
        ("WH001".to_owned(), "000000015".to_owned(), 85.0),
        ("WH001".to_owned(), "000000016".to_owned(), 42.0),
    ];
    assert_eq!(stock(&sd).await, after);
    // An update replaces the write-off's lines: the check takes the net change.
    let edited = json!([{ "code_1C": "EXC1", "date": "2025-06-15 16:00:00",
        "fromStore": { "code_1C": "WH001" }, "products": [{ "code_1C": "000000015", "quantity": 95 }] }]);
    let (status, body) = sd.set("setExcretion", "excretion", edited).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stock(&sd).await,
        vec![("WH001".to_owned(), "000000016".to_owned(), 47.0)]
    );
    at_night(&sd).await;
    let documents: Vec<String> = logged(&sd, "d0_1").await.into_iter().map(|r| r.0).collect();
    assert_eq!(
        documents,
        [
            "Purchase",
            "PurchaseRefund",
            "Excretion",
            "Purchase",
            "PurchaseRefund"
        ]
    );
}

#[tokio::test]
async fn corrections_change_stock_by_their_delta_and_list_with_inventories() {
    let sd = Sd::new().await;
    world(&sd).await;
    purchased(&sd).await;
    let documented = json!({
        "code_1C": "COR000001", "date": "2025-06-15 18:00:00", "warehouse": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000015", "quantity": 5.0 }, { "code_1C": "000000016", "quantity": -2.0 }],
    });
    let below_zero = json!({ "date": "2025-06-15 19:00:00", "warehouse": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000016", "quantity": -49 }] });
    let edit = json!({ "SD_id": "d0_1", "warehouse": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000016", "quantity": 1 }] });
    let (status, body) = sd
        .call(json!({ "method": "setCorrection", "data": [documented, below_zero, edit] }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["result"]["data"]["correction"][0]["code_1C"],
        "COR000001"
    );
    assert_eq!(
        item_errors(&body, "correction"),
        vec![
            json!(["Not enough stock of product d0_2 in warehouse d0_1: 48 available, 49 needed"]),
            json!(["Corrections cannot be edited: send no SD_id or CS_id"]),
        ]
    );
    let again = json!([{ "code_1C": "COR000001", "warehouse": { "code_1C": "WH001" },
        "products": [{ "code_1C": "000000016", "quantity": 1 }] }]);
    let (_, body) = sd
        .call(json!({ "method": "setCorrection", "data": again }))
        .await;
    assert_eq!(
        item_errors(&body, "correction"),
        vec![json!(["The correction COR000001 already exists"])]
    );
    assert_eq!(
        stock(&sd).await,
        vec![
            ("WH001".to_owned(), "000000015".to_owned(), 105.0),
            ("WH001".to_owned(), "000000016".to_owned(), 48.0),
        ]
    );
    // An inventory is a correction of type inventory: both listed.
    let count = json!([{ "code_1C": "WH001", "date": "2025-06-20 09:00:00", "dont_zero_others": true,
        "products": [{ "code_1C": "000000015", "quantity": 100 }] }]);
    assert_eq!(sd.set("setStock", "warehouse", count).await.0, 200);
    let (_, page) = sd.get("getCorrection", json!({})).await;
    assert_eq!(
        page["result"]["correction"][0],
        json!({ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "COR000001", "date": "2025-06-15 18:00:00",
            "comment": "", "type": "correction",
            "store": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "WH001", "name": "Main warehouse" },
            "items": [
                { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000015", "product_name": "Coca-Cola 1.5L",
                  "quantity": 5, "price": 0.0 },
                { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "000000016", "product_name": "Fanta 1.5L",
                  "quantity": -2, "price": 0.0 },
            ] })
    );
    let inventory = &page["result"]["correction"][1];
    assert_eq!(
        (&inventory["type"], &inventory["items"][0]["quantity"]),
        (&json!("inventory"), &json!(-5.0)),
        "{page}"
    );
    let total = |filter: Value| {
        let sd = &sd;
        async move {
            let (status, page) = sd.get("getCorrection", json!({ "filter": filter })).await;
            assert_eq!(status, 200, "{page}");
            page["pagination"]["total"].clone()
        }
    };
    let june_15 = json!({ "period": { "date": { "from": "2025-06-15", "to": "2025-06-15" } } });
    assert_eq!(total(june_15).await, 1);
    assert_eq!(total(json!({ "store": { "code_1C": "WH002" } })).await, 0);
    assert_eq!(total(json!({ "store": { "SD_id": "d0_1" } })).await, 2);
    at_night(&sd).await;
    let log = logged(&sd, "d0_1").await;
    assert_eq!(
        log.iter().filter(|r| r.0 == "StoreCorrector").count(),
        3,
        "{log:?}"
    );
}
