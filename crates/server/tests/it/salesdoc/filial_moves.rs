//! Movements between filials end to end: setMovingToFilial (11.6) moving stock at once
//! from one filial's warehouse into another's, the draft flow of
//! setMovementBetweenFilial (11.7) and setMovementFilialPending (11.8) with the admin's
//! approve / reject / cancel, getMovementBetweenFilial (9.46), refused records among good
//! ones, and both filials' stock equal to the sum of the documents after each step.

use serde_json::{json, Value};

use super::stock_documents::world;
use super::{assert_error, item_errors, Sd};

const SOURCE: &str = "FIL001";
const DESTINATION: &str = "FIL002";

/// `{method, filial, data: {group: records}}` in a filial.
async fn set_in(sd: &Sd, filial: &str, method: &str, group: &str, records: Value) -> (u16, Value) {
    sd.call(
        json!({ "method": method, "filial": { "filial_id": filial }, "data": { group: records } }),
    )
    .await
}

/// (warehouse code, product code, quantity) of a filial's getStock.
async fn stock_in(sd: &Sd, filial: &str) -> Vec<(String, String, f64)> {
    let (status, page) = sd
        .call(json!({ "method": "getStock", "filial": { "filial_id": filial }, "params": {} }))
        .await;
    assert_eq!(status, 200, "{page}");
    let mut cells = Vec::new();
    for store in page["result"]["warehouse"].as_array().unwrap() {
        for product in store["products"].as_array().unwrap() {
            let code = |v: &Value| v["code_1C"].as_str().unwrap().to_owned();
            cells.push((
                code(store),
                code(product),
                product["quantity"].as_f64().unwrap(),
            ));
        }
    }
    cells
}

/// Filials `FIL001` (`F1`) and `FIL002` (`F2`); products from `world`; in FIL001 the
/// warehouse `WH-F1` (`F1-d0_3`), the price type `000000001` and 100 of `000000015`
/// received; in FIL002 the warehouse `WH-F2` (`F2-d0_4`).
async fn filials(sd: &Sd) {
    world(sd).await;
    sd.filials(json!([
        { "filial_id": SOURCE, "name": "Tashkent", "prefix": "F1", "domain": "tashkent.example.com" },
        { "filial_id": DESTINATION, "name": "Samarkand", "prefix": "F2", "domain": "samarkand.example.com" },
    ]))
    .await;
    let store = |code: &str| json!([{ "code_1C": code, "name": format!("{code} warehouse") }]);
    assert_eq!(
        set_in(sd, SOURCE, "setWarehouse", "warehouse", store("WH-F1"))
            .await
            .0,
        200
    );
    assert_eq!(
        set_in(sd, DESTINATION, "setWarehouse", "warehouse", store("WH-F2"))
            .await
            .0,
        200
    );
    let payment = json!([{ "code_1C": "CASH", "name": "Cash", "short": "cash" }]);
    assert_eq!(
        set_in(sd, SOURCE, "setPaymentType", "paymentType", payment)
            .await
            .0,
        200
    );
    let price_type = json!([{ "code_1C": "000000001", "name": "Purchase",
        "paymentType": { "code_1C": "CASH" }, "valyutaType": { "code_1C": "UZS" } }]);
    let (status, body) = set_in(sd, SOURCE, "setPriceType", "priceType", price_type).await;
    assert_eq!(status, 200, "{body}");
    let purchase = json!([{ "date": "2025-06-01 09:00:00", "priceType": { "code_1C": "000000001" },
        "store": { "code_1C": "WH-F1" }, "products": [{ "code_1C": "000000015", "quantity": 100, "price": 10 }] }]);
    let (status, body) = set_in(sd, SOURCE, "setPurchase", "purchase", purchase).await;
    assert_eq!(status, 200, "{body}");
}

fn cell(store: &str, quantity: f64) -> (String, String, f64) {
    (store.to_owned(), "000000015".to_owned(), quantity)
}

/// The documented move: from `F1-d0_3` to `F2-d0_4` in the filial `F2`.
fn moving(quantity: u32) -> Value {
    json!({ "date": "2025-06-15 12:00:00", "comment": "Transfer to branch F2",
        "priceType": { "code_1C": "000000001" }, "storeFrom": { "CS_id": "F1-d0_3" },
        "movingTo": { "filialId": "F2", "storeTo": { "CS_id": "F2-d0_4" } },
        "products": [{ "code_1C": "000000015", "quantity": quantity, "price": 12000.00 }] })
}

#[tokio::test]
async fn moving_to_a_filial_takes_stock_out_here_and_into_the_other_filial_at_once() {
    let sd = Sd::new().await;
    filials(&sd).await;
    let mut no_cs_id = moving(1);
    no_cs_id["storeFrom"] = json!({ "code_1C": "WH-F1" });
    let mut same_filial = moving(1);
    same_filial["movingTo"]["filialId"] = json!(SOURCE);
    let records = json!([moving(60), no_cs_id, same_filial, moving(41)]);
    let (status, body) = set_in(&sd, "F1", "setMovingToFilial", "moving", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1, "{body}");
    let errors = item_errors(&body, "moving");
    assert_eq!(errors[0], json!(["storeFrom.CS_id is required"]));
    assert_eq!(
        errors[1],
        json!(["movingTo.filialId: the movement must go to another filial"])
    );
    assert!(
        errors[2][0]
            .as_str()
            .unwrap()
            .starts_with("Not enough stock"),
        "{body}"
    );
    assert_eq!(stock_in(&sd, SOURCE).await, vec![cell("WH-F1", 40.0)]);
    assert_eq!(stock_in(&sd, DESTINATION).await, vec![cell("WH-F2", 60.0)]);
    // Each filial's log holds its own side.
    super::stock_documents::at_night(&sd).await;
    for (filial, store, document, quantity) in [
        (SOURCE, "d0_3", "PurchaseRefund", -60.0),
        (DESTINATION, "d0_4", "Purchase", 60.0),
    ] {
        let params = json!({ "storeId": store, "from": "2025-06-15", "to": "2025-06-15" });
        let (_, log) = sd
            .call(json!({ "method": "getStoreLog", "filial": { "filial_id": filial }, "params": params }))
            .await;
        assert_eq!(log["result"][0]["document"], document, "{log}");
        assert_eq!(log["result"][0]["quantity"], quantity, "{log}");
    }
    let without = sd
        .set("setMovingToFilial", "moving", json!([moving(1)]))
        .await;
    assert_error(
        &without,
        400,
        "filial.filial_id is required for this method",
    );
}

/// The documented draft: 30 of `000000015` from `WH-F1` to `FIL002`.
fn draft(quantity: u32) -> Value {
    json!({ "code_1C": "MBF000001", "date": "2025-06-15 12:00:00",
        "comment": "Transfer to filial FIL002", "commForRcvr": true,
        "priceType": { "code_1C": "000000001" }, "storeFrom": { "code_1C": "WH-F1" },
        "movingTo": { "filialId": DESTINATION },
        "products": [{ "code_1C": "000000015", "quantity": quantity, "price": 15000.00 }] })
}

/// An admin answer to a pending movement of FIL001.
async fn decide(sd: &Sd, sd_id: &str, action: &str) -> (u16, Value) {
    let path = format!(
        "/accounts/{}/salesdoc/filial-movements/{sd_id}/{action}",
        sd.account
    );
    let request = sd
        .app
        .admin(reqwest::Method::POST, &path)
        .json(&json!({ "filial_id": SOURCE }));
    twin_testkit::answer(request).await.into()
}

#[tokio::test]
async fn drafts_go_pending_and_move_stock_only_when_approved() {
    let sd = Sd::new().await;
    filials(&sd).await;
    let mut to_self = draft(1);
    to_self["code_1C"] = json!("SELF");
    to_self["movingTo"]["filialId"] = json!("F1");
    let (status, body) = set_in(
        &sd,
        SOURCE,
        "setMovementBetweenFilial",
        "movement",
        json!([draft(50), to_self]),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "movement"),
        vec![json!([
            "movingTo.filialId: the movement must go to another filial"
        ])]
    );
    let sd_id = body["result"]["data"]["movement"][0]["SD_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A draft moves nothing and may be edited.
    let (status, body) = set_in(
        &sd,
        SOURCE,
        "setMovementBetweenFilial",
        "movement",
        json!([draft(30)]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stock_in(&sd, SOURCE).await, vec![cell("WH-F1", 100.0)]);
    assert_eq!(decide(&sd, &sd_id, "approve").await.0, 409);
    let pending = json!([{ "code_1C": "MBF000001" }, { "SD_id": 95 }]);
    let (status, body) = set_in(&sd, SOURCE, "setMovementFilialPending", "movement", pending).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "movement"),
        vec![json!(["Movement between filials not found"])]
    );
    let (_, body) = set_in(
        &sd,
        SOURCE,
        "setMovementBetweenFilial",
        "movement",
        json!([draft(31)]),
    )
    .await;
    assert_eq!(
        item_errors(&body, "movement"),
        vec![json!(["The movement is pending: it cannot be edited"])]
    );
    // Approved: the stock moves into the destination's first warehouse.
    let (status, body) = decide(&sd, &sd_id, "approve").await;
    assert_eq!(
        (status, &body["status"]),
        (200, &json!("approved")),
        "{body}"
    );
    assert_eq!(stock_in(&sd, SOURCE).await, vec![cell("WH-F1", 70.0)]);
    assert_eq!(stock_in(&sd, DESTINATION).await, vec![cell("WH-F2", 30.0)]);
    // Another: rejected, sent again, then refused for want of stock, then cancelled.
    let mut second = draft(80);
    second["code_1C"] = json!("MBF000002");
    let (_, body) = set_in(
        &sd,
        SOURCE,
        "setMovementBetweenFilial",
        "movement",
        json!([second]),
    )
    .await;
    let second_id = body["result"]["data"]["movement"][0]["SD_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let send = json!([{ "SD_id": second_id }]);
    assert_eq!(
        set_in(
            &sd,
            SOURCE,
            "setMovementFilialPending",
            "movement",
            send.clone()
        )
        .await
        .0,
        200
    );
    assert_eq!(decide(&sd, &second_id, "reject").await.0, 200);
    assert_eq!(
        set_in(&sd, SOURCE, "setMovementFilialPending", "movement", send)
            .await
            .0,
        200
    );
    let (status, body) = decide(&sd, &second_id, "approve").await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Not enough stock"),
        "{body}"
    );
    assert_eq!(stock_in(&sd, DESTINATION).await, vec![cell("WH-F2", 30.0)]);
    assert_eq!(decide(&sd, &second_id, "cancel").await.0, 200);
    // Both listed, with their destination; the filial is required.
    let filter =
        json!({ "filter": { "period": { "date": { "from": "2025-06-01", "to": "2025-06-30" } } } });
    let (status, page) = sd
        .call(json!({ "method": "getMovementBetweenFilial", "filial": { "filial_id": SOURCE }, "params": filter }))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["pagination"]["total"], 2, "{page}");
    let first = &page["result"]["movement"][0];
    assert_eq!(
        (&first["count"], &first["amount"]),
        (&json!(30), &json!(450000))
    );
    assert_eq!(
        first["to_filial"],
        json!({ "CS_id": DESTINATION, "SD_id": DESTINATION, "name": "Samarkand", "domain": "samarkand.example.com" })
    );
    assert_eq!(first["to_store"]["CS_id"], "F2-d0_4");
    assert_eq!(first["from_store"]["name"], "WH-F1 warehouse");
    assert_eq!(first["priceType"]["name"], "Purchase");
    assert_eq!(first["detail"][0]["price"], 15000);
    assert_eq!(
        page["result"]["movement"][1]["to_store"]["SD_id"],
        Value::Null
    );
    let without = sd.get("getMovementBetweenFilial", json!({})).await;
    assert_error(
        &without,
        400,
        "filial.filial_id is required for this method",
    );
}
