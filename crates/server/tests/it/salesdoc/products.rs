//! Product categories (9.5 / 10.7), subcategories (9.6 / 10.8), groups (9.7 / 10.9),
//! brands (9.17 / 10.20) and products (9.4 / 10.6) end to end: the documented examples,
//! links to other kinds by each identifier (unknown ones failing their record alone),
//! filials, getProduct's filters, and a round trip set → get → set again by code_1C.

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, item_errors, Sd};

/// The `member` of each record of a GET answer's `key` list.
fn column<'a>(page: &'a Value, key: &str, member: &str) -> Vec<&'a Value> {
    page["result"][key]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|r| &r[member])
        .collect()
}

/// Units `pc` (`d0_1`) and `kg` (`d0_2`).
async fn units(sd: &Sd) {
    let units =
        json!([{ "code_1C": "pc", "name": "Piece" }, { "code_1C": "kg", "name": "Kilogram" }]);
    assert_eq!(sd.set("setUnit", "unit", units).await.0, 200);
}

#[tokio::test]
async fn the_kinds_a_product_is_filed_under() {
    let sd = Sd::new().await;
    units(&sd).await;
    for (set, get, key) in [
        (
            "setProductCategory",
            "getProductCategory",
            "productCategory",
        ),
        (
            "setProductSubCategory",
            "getProductSubCategory",
            "subCategory",
        ),
    ] {
        let item = json!({ "code_1C": "000000003", "name": "Beverages", "active": true, "sort": 100, "unit": { "code_1C": "kg" } });
        let (status, done) = sd.set(set, key, json!([item])).await;
        assert_eq!(status, 200, "{done}");
        let (_, page) = sd.get(get, json!({ "limit": 100 })).await;
        assert_eq!(
            page["result"][key],
            json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003", "name": "Beverages", "active": "Y",
                     "unit": { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "kg" } }]),
            "{get}"
        );
    }
    let group = json!([{ "code_1C": "GRP001", "name": "Group A", "active": "N" }]);
    assert_eq!(
        sd.set("setProductGroup", "productGroup", group).await.0,
        200
    );
    let (_, groups) = sd.get("getProductGroup", json!({})).await;
    assert_eq!(
        groups["result"]["productGroup"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "GRP001", "name": "Group A", "active": "N" }])
    );
    // Brands: numbered plainly, made without identifiers, shown without code_1C.
    let brands = json!([
        { "CS_id": "", "SD_id": "", "name": "Coca-Cola", "sort": 100, "active": true },
        { "code_1C": "PEP", "name": "Pepsi" },
    ]);
    let (_, made) = sd.set("setBrand", "brand", brands).await;
    assert_eq!(
        made["result"]["data"]["brand"],
        json!([{ "CS_id": "1", "SD_id": "1", "code_1C": null }, { "CS_id": "2", "SD_id": "2", "code_1C": "PEP" }])
    );
    let renamed = json!([{ "SD_id": "1", "name": "Coca-Cola Co" }, { "code_1C": "PEP", "name": "PepsiCo", "sort": "5" }]);
    assert_eq!(sd.set("setBrand", "brand", renamed).await.0, 200);
    let (_, page) = sd.call(json!({ "method": "getBrand" })).await;
    assert_eq!(
        page,
        json!({ "status": true, "result": { "brand": [
            { "CS_id": "1", "SD_id": "1", "name": "Coca-Cola Co", "sort": 100, "active": "Y" },
            { "CS_id": "2", "SD_id": "2", "name": "PepsiCo", "sort": 5, "active": "Y" },
        ] }, "pagination": { "limit": 1000, "total": 2, "page": 1 } })
    );
}

#[tokio::test]
async fn links_are_found_by_each_identifier_and_an_unknown_one_fails_its_record() {
    let sd = Sd::new().await;
    units(&sd).await;
    let records = json!([
        { "code_1C": "A", "name": "By code", "unit": { "code_1C": "kg" } },
        { "code_1C": "B", "name": "By SD_id", "unit": { "SD_id": "d0_1" } },
        { "code_1C": "C", "name": "By CS_id", "unit": { "CS_id": "d0_2", "code_1C": "pc" } },
        { "code_1C": "D", "name": "Unknown", "unit": { "code_1C": "litre" } },
        { "code_1C": "E", "name": "Bad", "unit": "pc", "sort": "many" },
        { "code_1C": "F", "name": "No unit" },
    ]);
    let (status, body) = sd
        .set("setProductCategory", "productCategory", records)
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 4);
    let failed = &body["error"]["data"]["productCategory"];
    assert_eq!(failed[0]["index"], 3);
    assert_eq!(failed[0]["errors"], json!(["unit not found"]));
    assert_eq!(failed[1]["index"], 4);
    assert_eq!(
        failed[1]["errors"],
        json!(["unit must be an object with CS_id, SD_id or code_1C"])
    );
    let (_, page) = sd.get("getProductCategory", json!({})).await;
    let codes: Vec<&Value> = column(&page, "productCategory", "unit")
        .into_iter()
        .map(|unit| &unit["code_1C"])
        .collect();
    assert_eq!(
        codes,
        [&json!("kg"), &json!("pc"), &json!("kg"), &Value::Null]
    );
    // An item without the link keeps it; `null` clears it.
    let again = json!([{ "code_1C": "A", "name": "By code" }, { "code_1C": "B", "name": "B", "unit": null }]);
    assert_eq!(
        sd.set("setProductCategory", "productCategory", again)
            .await
            .0,
        200
    );
    let (_, page) = sd.get("getProductCategory", json!({})).await;
    let units = column(&page, "productCategory", "unit");
    assert_eq!(units[0]["SD_id"], "d0_2");
    assert_eq!(
        units[1],
        &json!({ "CS_id": null, "SD_id": null, "code_1C": null })
    );
}

#[tokio::test]
async fn subcategories_live_in_a_filial_and_link_units_of_the_head_office() {
    let sd = Sd::new().await;
    units(&sd).await;
    let filials =
        json!({ "filials": [{ "filial_id": "FIL001", "name": "Tashkent", "prefix": "F1" }] });
    let path = format!("/accounts/{}/salesdoc/filials", sd.account);
    let put = sd.app.admin(Method::PUT, &path).json(&filials);
    assert_eq!(put.send().await.unwrap().status(), 200);
    let in_filial = |method: &str, rest: Value| {
        let mut body = json!({ "method": method, "filial": { "filial_id": "FIL001" } });
        body.as_object_mut()
            .unwrap()
            .extend(rest.as_object().unwrap().clone());
        body
    };
    let item = json!({ "code_1C": "SUB", "name": "Carbonated", "unit": { "code_1C": "pc" } });
    let (status, done) = sd
        .call(in_filial(
            "setProductSubCategory",
            json!({ "data": { "subCategory": [item] } }),
        ))
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["result"]["data"]["subCategory"][0]["CS_id"], "F1-d0_1");
    let (_, page) = sd.call(in_filial("getProductSubCategory", json!({}))).await;
    assert_eq!(page["result"]["subCategory"][0]["CS_id"], "F1-d0_1");
    assert_eq!(
        page["result"]["subCategory"][0]["unit"],
        json!({ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "pc" })
    );
    // The head office has none; another account none either.
    let (_, head) = sd.get("getProductSubCategory", json!({})).await;
    assert_eq!(head["pagination"]["total"], 0, "{head}");
    let other = Sd::new().await;
    let (_, seen) = other.get("getProductCategory", json!({})).await;
    assert_eq!(seen["pagination"]["total"], 0);
}

/// The documented setProduct item (10.6) with the records it names.
async fn documented_product(sd: &Sd) -> Value {
    units(sd).await;
    for (method, key, item) in [
        (
            "setProductSubCategory",
            "subCategory",
            json!({ "code_1C": "000000001", "name": "Carbonated" }),
        ),
        (
            "setProductGroup",
            "productGroup",
            json!({ "code_1C": "GRP001", "name": "Group A" }),
        ),
        ("setBrand", "brand", json!({ "name": "Coca-Cola" })),
    ] {
        let (status, body) = sd.set(method, key, json!([item])).await;
        assert_eq!(status, 200, "{method}: {body}");
    }
    json!({
        "code_1C": "000000015", "name": "Coca-Cola 1.5L", "active": true, "sort": 100, "volume": 0.5,
        "packQuantity": 6, "barCode": "4780001234567", "weight": 1.5, "part_number": null,
        "category": { "code_1C": "000000003", "name": "Beverages" }, "unit": { "code_1C": "pc" },
        "subCategory": { "code_1C": "000000001" }, "group": { "code_1C": "GRP001" }, "brand": { "SD_id": "1" }
    })
}

#[tokio::test]
async fn a_product_with_every_field_and_link() {
    let sd = Sd::new().await;
    let item = documented_product(&sd).await;
    let (status, done) = sd.set("setProduct", "product", json!([item])).await;
    assert_eq!(status, 200, "{done}");
    let (_, page) = sd
        .get("getProduct", json!({ "limit": 50, "page": 1 }))
        .await;
    let null_ids = json!({ "CS_id": null, "SD_id": null, "code_1C": null });
    assert_eq!(
        page["result"]["product"],
        json!([{
            "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000015", "name": "Coca-Cola 1.5L", "active": "Y",
            "sort": 100, "volume": 0.5, "packQuantity": 6, "barCode": "4780001234567", "weight": 1.5,
            "imageID": "", "imageUrl": "", "thumbUrl": "", "sapCode": null, "ikpu": null, "part_number": null,
            // The category did not exist: made from the link.
            "category": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003" },
            "subCategory": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001" },
            "unit": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "pc" },
            "brand": { "CS_id": "1", "SD_id": "1", "code_1C": null },
            "trade": null_ids,
            "group": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "GRP001" },
        }])
    );
    let (_, categories) = sd.get("getProductCategory", json!({})).await;
    assert_eq!(
        column(&categories, "productCategory", "name"),
        [&json!("Beverages")]
    );
    // A new product is inactive by default; a category link without a name goes to
    // "Other"; a missing unit or an unknown brand fails the record alone.
    let more = json!([
        { "code_1C": "P2", "name": "Water", "unit": { "code_1C": "kg" }, "category": { "code_1C": "NEW" } },
        { "code_1C": "P3", "name": "No unit" },
        { "code_1C": "P4", "name": "Bad brand", "unit": { "code_1C": "pc" }, "brand": { "SD_id": "9" } },
        { "code_1C": "P5", "name": "Juice", "unit": { "SD_id": "d0_2" }, "category": { "code_1C": "X" }, "packQuantity": "12" },
    ]);
    let (status, body) = sd.set("setProduct", "product", more).await;
    assert_eq!(status, 400, "{body}");
    let errors = item_errors(&body, "product");
    assert_eq!(
        errors,
        [json!(["unit is required"]), json!(["brand not found"])]
    );
    let (_, page) = sd.get("getProduct", json!({})).await;
    assert_eq!(
        column(&page, "product", "active"),
        [&json!("Y"), &json!("N"), &json!("N")]
    );
    let categories: Vec<&Value> = column(&page, "product", "category")
        .into_iter()
        .map(|c| &c["SD_id"])
        .collect();
    assert_eq!(categories, [&json!("d0_1"), &json!("d0_2"), &json!("d0_2")]);
    assert_eq!(page["result"]["product"][2]["packQuantity"], 12);
    let (_, categories) = sd.get("getProductCategory", json!({})).await;
    assert_eq!(
        column(&categories, "productCategory", "name"),
        [&json!("Beverages"), &json!("Other")]
    );
}

#[tokio::test]
async fn products_are_filtered_by_list_and_trade_direction() {
    let sd = Sd::new().await;
    units(&sd).await;
    let products: Vec<Value> = (1..=4)
        .map(|i| json!({ "code_1C": format!("00{i}"), "name": format!("P{i}"), "unit": { "code_1C": "pc" } }))
        .collect();
    assert_eq!(
        sd.set("setProduct", "product", json!(products)).await.0,
        200
    );
    let by = |filter: Value| json!({ "limit": 50, "filter": filter });
    let (_, page) = sd
        .get(
            "getProduct",
            by(json!({ "products": { "SD_id": ["d0_2", "d0_4"] } })),
        )
        .await;
    assert_eq!(
        column(&page, "product", "name"),
        [&json!("P2"), &json!("P4")]
    );
    assert_eq!(page["pagination"]["total"], 2);
    let (_, page) = sd
        .get(
            "getProduct",
            by(json!({ "products": { "code_1C": ["003"] } })),
        )
        .await;
    assert_eq!(column(&page, "product", "name"), [&json!("P3")]);
    // No product has a trade direction: setProduct sets none.
    let (_, page) = sd
        .get("getProduct", by(json!({ "trade": { "CS_id": "F1-d0_5" } })))
        .await;
    assert_eq!(page["pagination"]["total"], 0, "{page}");
    assert_error(
        &sd.get("getProduct", by(json!({ "trade": {} }))).await,
        400,
        "params.filter.trade must name CS_id, SD_id or code_1C",
    );
}

#[tokio::test]
async fn products_round_trip_with_period_paging_and_sort() {
    let sd = Sd::new().await;
    units(&sd).await;
    sd.clock(json!({ "action": "freeze", "at": "2025-03-01T05:00:00Z" }))
        .await;
    let product = |i: u32| json!({ "code_1C": format!("P{i}"), "name": format!("Product {i}"), "unit": { "code_1C": "pc" }, "barCode": format!("478{i}") });
    let first: Vec<Value> = (1..=3).map(product).collect();
    assert_eq!(sd.set("setProduct", "product", json!(first)).await.0, 200);
    sd.clock(json!({ "action": "set", "at": "2025-03-02T05:00:00Z" }))
        .await;
    // Again by code_1C: the name changes, the barcode stays, no duplicate (the unit is
    // required in every item, as the name is).
    let again =
        json!([{ "code_1C": "P2", "name": "Renamed", "active": "Y", "unit": { "SD_id": "d0_1" } }]);
    let (_, body) = sd.set("setProduct", "product", again).await;
    assert_eq!(body["result"]["data"]["product"][0]["SD_id"], "d0_2");
    let (_, all) = sd.get("getProduct", json!({})).await;
    assert_eq!(all["pagination"]["total"], 3);
    let second = &all["result"]["product"][1];
    assert_eq!(
        (
            &second["name"],
            &second["barCode"],
            &second["unit"]["code_1C"],
            &second["active"]
        ),
        (&json!("Renamed"), &json!("4782"), &json!("pc"), &json!("Y"))
    );
    let updated = json!({ "period": { "from": "2025-03-02", "by": "update" } });
    let (_, page) = sd.get("getProduct", updated).await;
    assert_eq!(column(&page, "product", "code_1C"), [&json!("P2")]);
    let sorted = json!({ "sort": { "by": "update", "order": "DESC" }, "limit": 2, "page": 1 });
    let (_, page) = sd.get("getProduct", sorted).await;
    assert_eq!(
        column(&page, "product", "code_1C"),
        [&json!("P2"), &json!("P3")]
    );
    let (_, page) = sd.get("getProduct", json!({ "limit": 2, "page": 2 })).await;
    assert_eq!(column(&page, "product", "code_1C"), [&json!("P3")]);
}
