//! Warehouses (9.22, 9.23, 11.1) and the stock methods on the ledger (9.24, 9.25, 9.40,
//! 11.2) end to end: regular and return warehouses apart, inventory refusals per record,
//! back-dated counts, getStock's filters, the required parameters and another account's
//! stock out of sight.

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, item_errors, Sd};

/// Warehouse `WH001` (`d0_1`), unit `pc`, products `000000015` (category `BEV`) and
/// `000000016` (no category: "Other").
async fn world(sd: &Sd) {
    let store = json!([{ "code_1C": "WH001", "name": "Main warehouse", "active": true }]);
    assert_eq!(sd.set("setWarehouse", "warehouse", store).await.0, 200);
    assert_eq!(
        sd.set(
            "setUnit",
            "unit",
            json!([{ "code_1C": "pc", "name": "Piece" }])
        )
        .await
        .0,
        200
    );
    let products = json!([
        { "code_1C": "000000015", "name": "Cola", "active": true, "unit": { "code_1C": "pc" },
          "category": { "code_1C": "BEV", "name": "Beverages" } },
        { "code_1C": "000000016", "name": "Fanta", "active": true, "unit": { "code_1C": "pc" } },
    ]);
    let (status, body) = sd.set("setProduct", "product", products).await;
    assert_eq!(status, 200, "{body}");
}

async fn count(sd: &Sd, date: Option<&str>, products: Value, keep_others: bool) -> (u16, Value) {
    let mut item =
        json!({ "code_1C": "WH001", "dont_zero_others": keep_others, "products": products });
    if let Some(date) = date {
        item["date"] = json!(date);
    }
    sd.set("setStock", "warehouse", json!([item])).await
}

#[tokio::test]
async fn regular_and_return_warehouses_are_listed_apart() {
    let sd = Sd::new().await;
    world(&sd).await;
    let renamed = json!([{ "code_1C": "WH001", "name": "Main", "active": "N" }]);
    let (_, body) = sd.set("setWarehouse", "warehouse", renamed).await;
    assert_eq!(
        body["result"]["data"]["warehouse"][0]["SD_id"], "d0_1",
        "{body}"
    );
    let (status, body) = sd
        .seed(
            "defectWarehouse",
            None,
            json!([{ "code_1C": "WHD001", "name": "Returns" }]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, regular) = sd.get("getWarehouse", json!({})).await;
    assert_eq!(
        regular["result"]["warehouse"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "WH001", "name": "Main", "active": "N" }])
    );
    let (_, returns) = sd.get("getDefectWarehouse", json!({})).await;
    assert_eq!(
        returns["result"]["warehouse"][0]["code_1C"], "WHD001",
        "{returns}"
    );
    assert_eq!(returns["pagination"]["total"], 1);
    // Without a name, a warehouse is refused alone.
    let (status, body) = sd
        .set("setWarehouse", "warehouse", json!([{ "code_1C": "X" }]))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        item_errors(&body, "warehouse"),
        vec![json!(["name is required"])]
    );
}

#[tokio::test]
async fn inventory_counts_write_the_difference_and_refuse_bad_records_whole() {
    let sd = Sd::new().await;
    world(&sd).await;
    let products = json!([{ "code_1C": "000000015", "quantity": 100 }, { "code_1C": "000000016", "quantity": 50 }]);
    assert_eq!(
        count(&sd, Some("2025-06-15 12:00:00"), products, false)
            .await
            .0,
        200
    );
    // A later count of one product zeroes the other unless told not to.
    let later = json!([{ "code_1C": "000000015", "quantity": 85 }]);
    assert_eq!(
        count(&sd, Some("2025-06-16 09:00:00"), later, false)
            .await
            .0,
        200
    );
    let (_, page) = sd.get("getStock", json!({})).await;
    let products = &page["result"]["warehouse"][0]["products"];
    assert_eq!(products.as_array().unwrap().len(), 1, "{page}");
    assert_eq!(
        (&products[0]["code_1C"], &products[0]["quantity"]),
        (&json!("000000015"), &json!(85.0))
    );
    // A back-dated count is counted against the stock of its moment; the later count's
    // lines stay as posted, so the difference carries into current stock.
    let back = json!([{ "code_1C": "000000016", "quantity": 60 }]);
    assert_eq!(
        count(&sd, Some("2025-06-15 18:00:00"), back, true).await.0,
        200
    );
    let at = |date: &str| json!({ "date": date, "store": { "SD_id": "d0_1" } });
    let (_, day) = sd.get("getStockForDate", at("2025-06-15")).await;
    assert_eq!(day["result"]["stock"][1]["amount"], json!(60.0), "{day}");
    // getStoreLog: the inventory's lines, signed.
    sd.clock(json!({ "action": "freeze", "at": "2025-06-30T22:00:00Z" }))
        .await;
    let params = json!({ "storeId": "d0_1", "from": "2025-06-15", "to": "2025-06-16", "products": ["d0_2"] });
    let (_, log) = sd.get("getStoreLog", params).await;
    let quantities: Vec<&Value> = log["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["quantity"])
        .collect();
    assert_eq!(
        quantities,
        vec![&json!(50.0), &json!(10.0), &json!(-50.0)],
        "{log}"
    );
    let (_, page) = sd
        .get("getStock", json!({ "category": { "code_1C": "Other" } }))
        .await;
    assert_eq!(
        page["result"]["warehouse"],
        json!([]),
        "category by code only"
    );
    let (_, page) = sd.get("getStock", json!({})).await;
    let fanta = &page["result"]["warehouse"][0]["products"][1];
    assert_eq!(
        (&fanta["SD_id"], &fanta["quantity"]),
        (&json!("d0_2"), &json!(10.0))
    );

    let bad = json!([{ "code_1C": "NOPE", "quantity": 1 }, { "code_1C": "000000015", "quantity": -2 },
                     { "code_1C": "000000015" }]);
    let (status, body) = count(&sd, None, bad, false).await;
    assert_eq!(status, 400);
    assert_eq!(
        item_errors(&body, "warehouse"),
        vec![json!([
            "products[0]: product not found",
            "products[1].quantity must not be negative",
            "products[2].quantity is required"
        ])]
    );
    let unknown = json!([{ "code_1C": "WH404", "products": [] }]);
    let (_, body) = sd.set("setStock", "warehouse", unknown).await;
    assert_eq!(
        item_errors(&body, "warehouse"),
        vec![json!(["warehouse not found"])]
    );
}

#[tokio::test]
async fn get_stock_filters_by_warehouse_and_category() {
    let sd = Sd::new().await;
    world(&sd).await;
    let store = json!([{ "code_1C": "WH002", "name": "Second" }]);
    assert_eq!(sd.set("setWarehouse", "warehouse", store).await.0, 200);
    let products = json!([{ "code_1C": "000000015", "quantity": 3 }, { "code_1C": "000000016", "quantity": 4 }]);
    assert_eq!(count(&sd, None, products, false).await.0, 200);
    let second =
        json!([{ "code_1C": "WH002", "products": [{ "code_1C": "000000016", "quantity": 7 }] }]);
    assert_eq!(sd.set("setStock", "warehouse", second).await.0, 200);
    let codes = |page: &Value| -> Vec<(String, String)> {
        let mut cells = Vec::new();
        for store in page["result"]["warehouse"].as_array().unwrap() {
            for product in store["products"].as_array().unwrap() {
                cells.push((
                    store["code_1C"].as_str().unwrap().into(),
                    product["code_1C"].as_str().unwrap().into(),
                ));
            }
        }
        cells
    };
    let (_, all) = sd.get("getStock", json!({})).await;
    assert_eq!(all["pagination"]["total"], 3, "{all}");
    let (_, first) = sd
        .get("getStock", json!({ "store": { "CS_id": "d0_1" } }))
        .await;
    assert_eq!(codes(&first).len(), 2);
    let (_, beverages) = sd
        .get("getStock", json!({ "category": { "code_1C": "BEV" } }))
        .await;
    assert_eq!(
        codes(&beverages),
        vec![("WH001".to_owned(), "000000015".to_owned())]
    );
    let both = json!({ "store": { "code_1C": "WH002" }, "category": { "code_1C": "BEV" } });
    let (_, none) = sd.get("getStock", both).await;
    assert_eq!(none["result"]["warehouse"], json!([]));
    let (_, paged) = sd.get("getStock", json!({ "limit": 2, "page": 2 })).await;
    assert_eq!(
        codes(&paged),
        vec![("WH002".to_owned(), "000000016".to_owned())]
    );
    // Another account sees none of it.
    let other = Sd::new().await;
    let (_, empty) = other.get("getStock", json!({})).await;
    assert_eq!(empty["pagination"]["total"], 0, "{empty}");
}

#[tokio::test]
async fn stock_reads_need_their_parameters() {
    let sd = Sd::new().await;
    world(&sd).await;
    sd.settings(json!({ "rateLimit": false })).await;
    let no_date = sd
        .get(
            "getStockForDate",
            json!({ "store": { "code_1C": "WH001" } }),
        )
        .await;
    assert_error(&no_date, 400, "params.date is required");
    let bad_date = json!({ "date": "June", "store": { "code_1C": "WH001" } });
    assert_error(
        &sd.get("getStockForDate", bad_date).await,
        400,
        "params.date is not a valid date",
    );
    let no_store = sd
        .get("getStockForDate", json!({ "date": "2025-06-15" }))
        .await;
    assert_error(&no_store, 400, "params.store is required");
    let unknown = json!({ "date": "2025-06-15", "store": { "code_1C": "WH404" } });
    assert_error(
        &sd.get("getStockForDate", unknown).await,
        400,
        "params.store not found",
    );
    sd.clock(json!({ "action": "freeze", "at": "2025-06-30T22:00:00Z" }))
        .await;
    let no_store = sd
        .get(
            "getStoreLog",
            json!({ "from": "2025-06-01", "to": "2025-06-30" }),
        )
        .await;
    assert_error(&no_store, 400, "params.storeId is required");
    let unknown = json!({ "storeId": "d0_9", "from": "2025-06-01", "to": "2025-06-30" });
    assert_error(
        &sd.get("getStoreLog", unknown).await,
        400,
        "params.storeId not found",
    );
    // Out of its hours (12:00 server time) the log is refused.
    sd.clock(json!({ "action": "set", "at": "2025-06-30T07:00:00Z" }))
        .await;
    let params = json!({ "storeId": "d0_1", "from": "2025-06-01", "to": "2025-06-30" });
    assert_eq!(sd.get("getStoreLog", params).await.0, 429);
    // The admin path of return warehouses is the only seeded warehouse kind.
    let path = format!("/accounts/{}/salesdoc/references/warehouse", sd.account);
    let request = sd
        .app
        .admin(Method::POST, &path)
        .json(&json!({ "records": [] }));
    assert_eq!(twin_testkit::answer(request).await.status, 400);
}
