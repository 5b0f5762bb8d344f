//! Price types (9.8 / 10.11) and prices (9.9 / 10.13) end to end: price types linking a
//! payment type and a currency (made in the same request), prices per price type and
//! product, set again to replace, read by each identifier of the price type.

use serde_json::{json, Value};

use super::{assert_error, item_errors, Sd};

/// A payment type `000000001`, currencies from setPriceType's own group, price types
/// `RETAIL` (`d0_1`) and `WHOLE` (`d0_2`), and products `P1`, `P2`.
async fn world(sd: &Sd) {
    let payment = json!([{ "code_1C": "000000001", "name": "Cash", "short": "cash" }]);
    assert_eq!(
        sd.set("setPaymentType", "paymentType", payment).await.0,
        200
    );
    let (status, body) = sd
        .call(json!({ "method": "setPriceType", "data": {
            "valyutaType": [{ "code_1C": "UZS", "name": "UZS", "short": "UZS", "active": true }],
            "priceType": [
                { "code_1C": "RETAIL", "name": "Retail", "active": true, "forClient": true,
                  "paymentType": { "code_1C": "000000001" }, "valyutaType": { "code_1C": "UZS" } },
                { "code_1C": "WHOLE", "name": "Wholesale", "paymentType": { "SD_id": "d0_1" },
                  "valyutaType": { "CS_id": "d0_1" } },
            ],
        } }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["completed"], 3);
    assert_eq!(
        body["result"]["data"]["valyutaType"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "UZS" }])
    );
    let units = json!([{ "code_1C": "pc", "name": "Piece" }]);
    assert_eq!(sd.set("setUnit", "unit", units).await.0, 200);
    let products = json!([
        { "code_1C": "P1", "name": "Cola", "unit": { "code_1C": "pc" } },
        { "code_1C": "P2", "name": "Water", "unit": { "code_1C": "pc" } },
    ]);
    assert_eq!(sd.set("setProduct", "product", products).await.0, 200);
}

/// `{product code: price}` of a getPrice answer.
fn prices(body: &Value) -> Vec<(String, f64)> {
    body["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|p| {
            let code = p["product"]["code_1C"].as_str().unwrap().to_owned();
            (code, p["price"].as_f64().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn price_types_link_a_payment_type_and_a_currency() {
    let sd = Sd::new().await;
    world(&sd).await;
    let (_, page) = sd.get("getPriceType", json!({ "limit": 50 })).await;
    let link = json!({ "CS_id": "d0_1", "SD_id": "d0_1" });
    let retail = &page["result"]["priceType"][0];
    assert_eq!(
        retail,
        &json!({ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "RETAIL", "name": "Retail", "active": "Y",
                 "valyutaType": { "CS_id": link["CS_id"], "SD_id": link["SD_id"], "code_1C": "UZS" },
                 "paymentType": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001" } })
    );
    assert_eq!(
        page["result"]["priceType"][1]["valyutaType"]["code_1C"],
        "UZS"
    );
    let bad = json!([
        { "code_1C": "A", "name": "No payment type", "valyutaType": { "code_1C": "UZS" } },
        { "code_1C": "B", "name": "Unknown currency", "paymentType": { "code_1C": "000000001" }, "valyutaType": { "code_1C": "EUR" } },
        { "code_1C": "C", "name": "Fine", "paymentType": { "code_1C": "000000001" }, "valyutaType": { "code_1C": "UZS" }, "forClient": "maybe" },
        { "code_1C": "RETAIL", "name": "Retail (UZS)", "paymentType": { "code_1C": "000000001" }, "valyutaType": { "code_1C": "UZS" } },
    ]);
    let (status, body) = sd.set("setPriceType", "priceType", bad).await;
    assert_eq!(status, 400, "{body}");
    let errors = item_errors(&body, "priceType");
    assert_eq!(
        errors,
        [
            json!(["paymentType is required"]),
            json!(["valyutaType not found"]),
            json!(["forClient must be true or false"]),
        ]
    );
    assert_eq!(
        body["result"]["data"]["priceType"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "RETAIL" }])
    );
    let (_, page) = sd.get("getPriceType", json!({})).await;
    assert_eq!(page["pagination"]["total"], 2);
    assert_eq!(page["result"]["priceType"][0]["name"], "Retail (UZS)");
    // Another account sees none of it.
    let other = Sd::new().await;
    let (_, seen) = other.get("getPriceType", json!({})).await;
    assert_eq!(seen["pagination"]["total"], 0);
}

#[tokio::test]
async fn prices_per_price_type_and_product() {
    let sd = Sd::new().await;
    world(&sd).await;
    sd.clock(json!({ "action": "freeze", "at": "2025-03-01T05:00:00Z" }))
        .await;
    let records = json!([
        { "code_1C": "P1", "document_1C": "DOC001", "priceType": { "code_1C": "RETAIL", "price": 15000.0 } },
        { "SD_id": "d0_2", "priceType": [{ "code_1C": "RETAIL", "price": 4000 }, { "SD_id": "d0_2", "price": "3500.5" }] },
        { "code_1C": "NOPE", "priceType": { "code_1C": "RETAIL", "price": 1 } },
        { "code_1C": "P1", "priceType": { "code_1C": "NONE", "price": 1 } },
        { "code_1C": "P1", "priceType": { "code_1C": "WHOLE", "price": -5 } },
        { "code_1C": "P1" },
    ]);
    let (status, body) = sd.set("setPrice", "product", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["result"]["data"]["product"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "P1" }, { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "P2" }])
    );
    let errors = item_errors(&body, "product");
    assert_eq!(
        errors,
        [
            json!(["product not found"]),
            json!(["priceType not found"]),
            json!(["priceType.price must be a number of 0 or more"]),
            json!(["priceType is required"]),
        ]
    );
    let retail = |ids: Value| json!({ "method": "getPrice", "params": { "priceType": ids } });
    for ids in [
        json!({ "CS_id": "d0_1" }),
        json!({ "SD_id": "d0_1" }),
        json!({ "code_1C": "RETAIL" }),
    ] {
        let (status, body) = sd.call(retail(ids)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            prices(&body),
            [("P1".into(), 15000.0), ("P2".into(), 4000.0)]
        );
        assert_eq!(body.get("pagination"), None);
    }
    assert_eq!(
        sd.call(retail(json!({ "code_1C": "RETAIL" }))).await.1["result"][0],
        json!({ "product": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "P1" }, "price": 15000.0 })
    );
    let (_, whole) = sd.call(retail(json!({ "code_1C": "WHOLE" }))).await;
    assert_eq!(prices(&whole), [("P2".into(), 3500.5)]);
    // Set again: the price is replaced, not added; period by update finds it.
    sd.clock(json!({ "action": "set", "at": "2025-03-05T05:00:00Z" }))
        .await;
    let again = json!([{ "code_1C": "P2", "priceType": { "SD_id": "d0_1", "price": 4200 } }]);
    assert_eq!(sd.set("setPrice", "product", again).await.0, 200);
    let changed = json!({ "method": "getPrice", "params": {
        "priceType": { "code_1C": "RETAIL" }, "period": { "from": "2025-03-05", "by": "update" } } });
    assert_eq!(prices(&sd.call(changed).await.1), [("P2".into(), 4200.0)]);
    let (_, all) = sd.call(retail(json!({ "code_1C": "RETAIL" }))).await;
    assert_eq!(
        prices(&all),
        [("P1".into(), 15000.0), ("P2".into(), 4200.0)]
    );
    // Unknown price type: an empty list; none named: 400.
    let (_, none) = sd.call(retail(json!({ "CS_id": "F1-d0_1" }))).await;
    assert_eq!(none, json!({ "status": true, "result": [] }));
    assert_error(
        &sd.call(json!({ "method": "getPrice" })).await,
        400,
        "params.priceType needs one of CS_id, SD_id or code_1C",
    );
    // Another account sees none of it.
    let other = Sd::new().await;
    let (_, seen) = other.call(retail(json!({ "SD_id": "d0_1" }))).await;
    assert_eq!(seen["result"], json!([]));
}
