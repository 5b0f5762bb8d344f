//! `store/inventories` and `store/inventories/upload`: stock and purchase prices per
//! offer and store, and the stock the catalog lists show and filter on.

use serde_json::{json, Value};

use super::super::{assert_error, ids_of, Crm};
use super::{add_store, catalog, create_products, listed};

const UPLOAD: &str = "/v5/store/inventories/upload";
const INVENTORIES: &str = "/v5/store/inventories";
const UPLOAD_ERROR: &str =
    "Error on leftover stocks uploading, or the current system settings don't allow to edit stocks";

async fn upload(crm: &Crm, offers: Value, site: Option<&str>) -> (u16, Value) {
    let mut form = vec![("offers", offers.to_string())];
    if let Some(site) = site {
        form.push(("site", site.to_owned()));
    }
    crm.post(UPLOAD, &form).await
}

/// Two products with offers `a1`, `a2` (xmlId `shared`), `b1` (xmlId `shared`) and a
/// service; their product ids and the offer ids by external id.
async fn seeded(crm: &Crm) -> (Vec<i64>, Value) {
    let shop = catalog(crm, "main-shop").await;
    let ids = create_products(
        crm,
        json!([
            { "catalogId": shop, "name": "A", "offers": [
                { "externalId": "a1", "price": 100 }, { "externalId": "a2", "xmlId": "shared", "price": 200 } ] },
            { "catalogId": shop, "name": "B", "offers": [{ "externalId": "b1", "xmlId": "shared", "price": 300 }] },
            { "catalogId": shop, "name": "Service", "type": "service", "offers": [{ "externalId": "s1" }] },
        ]),
    )
    .await;
    let body = listed(crm, "/v5/store/offers", "").await;
    let offers: serde_json::Map<String, Value> = body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["externalId"].as_str().unwrap().to_owned(),
                o["id"].clone(),
            )
        })
        .collect();
    (ids, Value::Object(offers))
}

fn quantities(body: &Value, member: &str) -> Vec<(String, Value)> {
    body[member]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["externalId"].as_str().unwrap_or_default().to_owned(),
                o["quantity"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn stock_uploaded_for_two_stores_is_what_offers_and_products_show() {
    let crm = Crm::new().await;
    add_store(&crm, "north").await;
    let (ids, offers) = seeded(&crm).await;
    let (status, body) = upload(
        &crm,
        json!([
            { "id": offers["a1"], "stores": [
                { "code": "main-warehouse", "available": 3, "purchasePrice": 50 },
                { "code": "north", "available": 2.5 } ] },
            { "externalId": "a2", "stores": [{ "code": "north", "available": 4, "purchasePrice": 120 }] },
            { "xmlId": "nothing", "stores": [{ "code": "north", "available": 1 }] },
            { "externalId": "s1", "stores": [{ "code": "north", "available": 9 }] },
        ]),
        Some("main-shop"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["processedOffersCount"], 3, "{body}");
    assert_eq!(
        body["notFoundOffers"],
        json!([{ "xmlId": "nothing" }]),
        "{body}"
    );

    let body = listed(&crm, "/v5/store/offers", "").await;
    assert_eq!(
        quantities(&body, "offers"),
        [
            ("a1".into(), json!(5.5)),
            ("a2".into(), json!(4)),
            ("b1".into(), json!(0)),
            ("s1".into(), json!(0))
        ],
        "a service keeps no stock: {body}"
    );
    let body = listed(&crm, "/v5/store/products", "").await;
    assert_eq!(body["products"][0]["quantity"], 9.5, "{body}");
    assert_eq!(
        body["products"][0]["offers"][0]["purchasePrice"], 50,
        "{body}"
    );
    let filtered = |query: &'static str| {
        let crm = &crm;
        async move { ids_of(&listed(crm, "/v5/store/products", query).await, "products") }
    };
    assert_eq!(filtered("filter[minQuantity]=1").await, vec![ids[0]]);
    assert_eq!(
        filtered("filter[maxQuantity]=0").await,
        vec![ids[1], ids[2]]
    );
    let body = listed(
        &crm,
        "/v5/store/offers",
        "filter[minQuantity]=4&filter[maxQuantity]=5",
    )
    .await;
    assert_eq!(quantities(&body, "offers"), [("a2".into(), json!(4))]);

    // A second upload replaces a store's line and keeps the others; xmlId names every
    // offer that has it.
    let (status, body) = upload(
        &crm,
        json!([
            { "id": offers["a1"], "stores": [{ "code": "north", "available": 0 }] },
            { "xmlId": "shared", "stores": [{ "code": "main-warehouse", "available": 7 }] },
        ]),
        None,
    )
    .await;
    assert_eq!(
        (status, &body["processedOffersCount"]),
        (200, &json!(2)),
        "{body}"
    );
    let body = listed(&crm, INVENTORIES, "filter[details]=1").await;
    assert_eq!(
        body["offers"],
        json!([
            { "id": offers["a1"], "externalId": "a1", "quantity": 3, "purchasePrice": 50, "stores": [
                { "store": "main-warehouse", "quantity": 3, "purchasePrice": 50 },
                { "store": "north", "quantity": 0 } ] },
            { "id": offers["a2"], "externalId": "a2", "xmlId": "shared", "quantity": 11, "purchasePrice": 120, "stores": [
                { "store": "north", "quantity": 4, "purchasePrice": 120 },
                { "store": "main-warehouse", "quantity": 7 } ] },
            { "id": offers["b1"], "externalId": "b1", "xmlId": "shared", "quantity": 7, "stores": [
                { "store": "main-warehouse", "quantity": 7 } ] },
        ]),
        "{body}"
    );
    let body = listed(
        &crm,
        INVENTORIES,
        "filter[offerXmlId]=shared&filter[productActive]=1",
    )
    .await;
    assert_eq!(
        body["offers"],
        json!([
            { "id": offers["a2"], "externalId": "a2", "xmlId": "shared", "quantity": 11, "purchasePrice": 120 },
            { "id": offers["b1"], "externalId": "b1", "xmlId": "shared", "quantity": 7 },
        ])
    );
    for (query, count) in [
        (format!("filter[ids][]={}", offers["b1"]), 1),
        ("filter[offerExternalId]=a1".into(), 1),
        ("filter[offerActive]=0".into(), 0),
        ("filter[sites][]=main-shop".into(), 3),
    ] {
        let body = listed(&crm, INVENTORIES, &query).await;
        assert_eq!(body["pagination"]["totalCount"], count, "{query}: {body}");
    }
}

#[tokio::test]
async fn inventory_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let (_, offers) = seeded(&crm).await;
    let many: Vec<Value> = (0..251).map(|i| json!({ "id": i, "stores": [] })).collect();
    assert_error(
        &upload(&crm, json!(many), None).await,
        400,
        UPLOAD_ERROR,
        &["offers"],
    );
    let stores: Vec<Value> = (0..501)
        .map(|_| json!({ "code": "main-warehouse", "available": 1 }))
        .collect();
    let bad = json!([
        { "stores": [] },
        { "id": offers["a1"], "stores": [{ "code": "nowhere", "available": 1 }] },
        { "id": offers["a1"], "stores": [{ "code": "main-warehouse", "available": -1, "purchasePrice": "x" }] },
        { "id": offers["a1"], "stores": stores },
    ]);
    assert_error(
        &upload(&crm, bad, None).await,
        400,
        UPLOAD_ERROR,
        &[
            "offers[0]",
            "offers[1][stores][0][code]",
            "offers[2][stores][0][available]",
            "offers[2][stores][0][purchasePrice]",
            "offers[3][stores]",
        ],
    );
    let body = listed(&crm, INVENTORIES, "filter[details]=1").await;
    assert_eq!(
        body["offers"][0]["stores"],
        json!([]),
        "nothing written: {body}"
    );
    assert_error(
        &upload(&crm, json!([{ "id": 1 }]), Some("nowhere")).await,
        400,
        "Site with code \"nowhere\" not found",
        &[],
    );
    assert_error(
        &crm.get(INVENTORIES, "filter[details]=sure&filter[ids][]=x")
            .await,
        400,
        "Errors in the input parameters",
        &["filter[details]", "filter[ids][0]"],
    );
}

#[tokio::test]
async fn inventories_need_the_store_permissions_and_stay_in_their_account_and_sites() {
    let crm = Crm::new().await;
    let (_, offers) = seeded(&crm).await;
    let reader = crm.add_key(&["store_read"], &[]).await;
    let form = [(
        "offers",
        json!([{ "id": offers["a1"], "stores": [{ "code": "main-warehouse", "available": 1 }] }])
            .to_string(),
    )];
    assert_error(
        &crm.post_as(&reader, UPLOAD, &form).await,
        403,
        "Access denied.",
        &[],
    );
    let writer = crm.add_key(&["store_write"], &[]).await;
    assert_error(
        &crm.get_as(&writer, INVENTORIES, "").await,
        403,
        "Access denied.",
        &[],
    );

    let other_site = crm.add_key(&[], &["other-shop"]).await;
    let (status, body) = crm.post_as(&other_site, UPLOAD, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["notFoundOffers"],
        json!([{ "id": offers["a1"] }]),
        "another site's offer: {body}"
    );
    let (_, body) = crm.get_as(&other_site, INVENTORIES, "").await;
    assert_eq!(body["offers"], json!([]), "{body}");
    // With two sites' offers in the answer, each names its site.
    let second = catalog(&crm, "other-shop").await;
    create_products(&crm, json!([{ "catalogId": second, "name": "Elsewhere" }])).await;
    let body = listed(&crm, INVENTORIES, "").await;
    assert_eq!(body["offers"][0]["site"], "main-shop", "{body}");
    assert_eq!(body["offers"][3]["site"], "other-shop", "{body}");

    let stranger = Crm::new().await;
    let (status, body) = stranger.post(UPLOAD, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["processedOffersCount"], 0, "{body}");
    assert_eq!(
        listed(&stranger, INVENTORIES, "").await["offers"],
        json!([])
    );
    let body = listed(&crm, INVENTORIES, "filter[offerExternalId]=a1").await;
    assert_eq!(body["offers"][0]["quantity"], 0, "{body}");
}

#[tokio::test]
async fn stores_are_created_and_changed_through_the_reference() {
    let crm = Crm::new().await;
    add_store(&crm, "north").await;
    let change =
        json!({ "name": "Северный", "type": "store-type-retail", "inventoryType": "fractional" });
    let (status, body) = crm
        .post(
            "/v5/reference/stores/north/edit",
            &[("store", change.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = crm.get("/v5/reference/stores", "").await;
    assert_eq!(
        body["stores"][1],
        json!({ "code": "north", "name": "Северный", "active": true, "type": "store-type-retail",
                "inventoryType": "fractional" }),
        "{body}"
    );
    let (status, body) = crm
        .post(
            "/v5/reference/stores/south/edit",
            &[("store", json!({ "type": "shed" }).to_string())],
        )
        .await;
    assert_error(
        &(status, body),
        400,
        "Errors in the entity format",
        &["name", "type"],
    );
    let reader = crm.add_key(&["reference_read"], &[]).await;
    let (status, _) = crm
        .post_as(
            &reader,
            "/v5/reference/stores/south/edit",
            &[("store", json!({ "name": "S" }).to_string())],
        )
        .await;
    assert_eq!(status, 403);
}
