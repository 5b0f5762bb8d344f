//! `store/products/batch/create` and `batch/edit`.

use serde_json::{json, Value};

use super::super::{assert_error, Crm};
use super::{add_group, batch_create, catalog, create_products, listed};

const PRODUCTS: &str = "/v5/store/products";
const CREATE_ERROR: &str = "An error occurred while adding products or the array is too large";
const EDIT_ERROR: &str = "Error when changing products or the array is too large";

async fn batch_edit(crm: &Crm, products: Value) -> (u16, Value) {
    crm.post(
        "/v5/store/products/batch/edit",
        &[("products", products.to_string())],
    )
    .await
}

async fn group(crm: &Crm, external_id: &str) -> i64 {
    add_group(
        crm,
        json!({ "name": external_id, "externalId": external_id }),
    )
    .await
}

/// A fresh account, its `main-shop` catalog and a group `kettles` in it.
async fn start() -> (Crm, i64, i64) {
    let crm = Crm::new().await;
    let shop = catalog(&crm, "main-shop").await;
    let kettles = group(&crm, "kettles").await;
    (crm, shop, kettles)
}

async fn product(crm: &Crm, id: i64) -> Value {
    let body = listed(crm, PRODUCTS, &format!("filter[ids][]={id}")).await;
    body["products"][0].clone()
}

#[tokio::test]
async fn products_and_services_are_created_with_their_offers() {
    let (crm, shop, kettles) = start().await;
    let ids = create_products(
        &crm,
        json!([
            {
                "catalogId": shop, "name": "Чайник", "article": "K-1", "externalId": "kettle",
                "manufacturer": "Bork", "url": "https://shop.example/kettles/k1?utm=x",
                "groups": [{ "externalId": "kettles" }], "novelty": true,
                "properties": [{ "code": "color", "name": "Цвет", "value": "red" }],
                "offers": [
                    { "externalId": "kettle-red", "xmlId": "x-red", "name": "Чайник красный",
                      "article": "K-1R", "barcode": "4600000000011",
                      "prices": [{ "priceType": "base", "price": 1000 }, { "priceType": "wholesale", "price": 800 }],
                      "purchasePrice": 600, "weight": 1200, "length": 20, "width": 15, "height": 25,
                      "unit": { "code": "pc", "name": "Штука", "sym": "шт." },
                      "properties": { "color": "red" } },
                    { "externalId": "kettle-blue", "price": 1100, "properties": { "color": "blue" } }
                ]
            },
            { "catalogId": shop, "name": "Доставка до двери", "type": "service",
              "manufacturer": "ignored", "markable": true }
        ]),
    )
    .await;
    assert_eq!(ids.len(), 2);
    let kettle = product(&crm, ids[0]).await;
    for (field, value) in [
        ("id", json!(ids[0])),
        ("type", json!("product")),
        ("catalogId", json!(shop)),
        ("name", json!("Чайник")),
        ("article", json!("K-1")),
        ("externalId", json!("kettle")),
        ("manufacturer", json!("Bork")),
        ("active", json!(true)),
        ("novelty", json!(true)),
        ("popular", json!(false)),
        ("markable", json!(false)),
        (
            "groups",
            json!([{ "id": kettles, "externalId": "kettles" }]),
        ),
        ("properties", json!({ "color": "red" })),
        ("minPrice", json!(1000)),
        ("maxPrice", json!(1100)),
        ("quantity", json!(0)),
    ] {
        assert_eq!(kettle[field], value, "{field}: {kettle}");
    }
    let red = &kettle["offers"][0];
    assert!(red["id"].as_i64().is_some(), "{red}");
    for (field, value) in [
        ("externalId", json!("kettle-red")),
        ("xmlId", json!("x-red")),
        ("name", json!("Чайник красный")),
        ("article", json!("K-1R")),
        ("barcode", json!("4600000000011")),
        ("price", json!(1000)),
        ("purchasePrice", json!(600)),
        ("weight", json!(1200)),
        ("quantity", json!(0)),
        ("productId", json!(ids[0])),
        ("site", json!("main-shop")),
        ("active", json!(true)),
        (
            "unit",
            json!({ "code": "pc", "name": "Штука", "sym": "шт." }),
        ),
        ("properties", json!({ "color": "red" })),
    ] {
        assert_eq!(red[field], value, "{field}: {red}");
    }
    assert_eq!(red["prices"][1]["priceType"], "wholesale", "{red}");
    assert_eq!(red["prices"][1]["currency"], "RUB", "{red}");
    assert!(red.get("stores").is_none(), "{red}");
    assert_eq!(
        kettle["offers"][1]["name"], "Чайник",
        "an offer without a name has the product's"
    );
    let service = product(&crm, ids[1]).await;
    assert_eq!(service["type"], "service", "{service}");
    assert!(
        service.get("manufacturer").is_none(),
        "ignored for services: {service}"
    );
    assert_eq!(service["markable"], false, "{service}");
    assert_eq!(
        service["offers"].as_array().map(Vec::len),
        Some(1),
        "a base offer: {service}"
    );
    assert_ne!(
        service["offers"][0]["id"], red["id"],
        "offer ids are the account's"
    );
}

#[tokio::test]
async fn batch_create_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let shop = catalog(&crm, "main-shop").await;
    let many: Vec<Value> = (0..51)
        .map(|i| json!({ "catalogId": shop, "name": format!("P{i}") }))
        .collect();
    assert_error(
        &batch_create(&crm, json!(many)).await,
        400,
        CREATE_ERROR,
        &["products"],
    );
    assert_error(
        &batch_create(&crm, json!([])).await,
        400,
        CREATE_ERROR,
        &["products"],
    );
    let bad = json!([
        { "catalogId": shop },
        { "name": "No catalog" },
        { "catalogId": 99999, "name": "Unknown catalog", "type": "gift" },
        { "catalogId": shop, "name": "Bad offer", "groups": [{ "id": 424242 }],
          "offers": [{ "prices": [{ "priceType": "base", "price": -1 }], "weight": "heavy" }] },
    ]);
    assert_error(
        &batch_create(&crm, bad).await,
        400,
        CREATE_ERROR,
        &[
            "products[0][name]",
            "products[1][catalogId]",
            "products[2][catalogId]",
            "products[2][type]",
            "products[3][groups][0]",
            "products[3][offers][0][prices][0][price]",
            "products[3][offers][0][weight]",
        ],
    );
    let body = listed(&crm, PRODUCTS, "").await;
    assert_eq!(body["products"], json!([]), "nothing is written: {body}");
    create_products(
        &crm,
        json!([{ "catalogId": shop, "name": "A", "externalId": "a" }]),
    )
    .await;
    assert_error(
        &batch_create(
            &crm,
            json!([{ "catalogId": shop, "name": "A again", "externalId": "a" }]),
        )
        .await,
        400,
        CREATE_ERROR,
        &["externalId"],
    );
    let (status, body) = crm
        .post(
            "/v5/store/products/batch/create",
            &[("products", "{".into())],
        )
        .await;
    assert_eq!((status, &body["success"]), (400, &json!(false)), "{body}");
}

#[tokio::test]
async fn batch_edit_changes_what_it_is_given_and_names_what_it_does_not_find() {
    let (crm, shop, kettles) = start().await;
    let ids = create_products(
        &crm,
        json!([
            { "catalogId": shop, "name": "Чайник", "externalId": "kettle", "groups": [{ "id": kettles }],
              "offers": [{ "externalId": "k-1", "price": 1000 }] },
            { "catalogId": shop, "name": "Кружка", "externalId": "mug", "groups": [{ "id": kettles }] },
        ]),
    )
    .await;
    let offer = product(&crm, ids[0]).await["offers"][0]["id"].clone();
    let (status, body) = batch_edit(
        &crm,
        json!([
            { "id": ids[0], "name": "Чайник 2", "popular": true,
              "offers": [{ "id": offer, "price": 1200 }, { "externalId": "k-2", "price": 1500, "name": "Новый" }] },
            { "externalId": "mug", "site": "main-shop", "groups": [] },
            { "id": 987654 },
            { "externalId": "ghost", "site": "main-shop" },
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["processedProductsCount"], 2, "{body}");
    assert_eq!(
        body["notFoundProducts"],
        json!([{ "id": 987654 }, { "externalId": "ghost" }]),
        "{body}"
    );
    let kettle = product(&crm, ids[0]).await;
    assert_eq!(kettle["name"], "Чайник 2", "{kettle}");
    assert_eq!(kettle["popular"], true, "{kettle}");
    assert_eq!(kettle["externalId"], "kettle", "unchanged: {kettle}");
    assert_eq!(kettle["groups"][0]["id"], kettles, "unchanged: {kettle}");
    let prices: Vec<&Value> = kettle["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["price"])
        .collect();
    assert_eq!(prices, [&json!(1200), &json!(1500)], "{kettle}");
    assert_eq!(kettle["offers"][0]["id"], offer, "{kettle}");
    assert_eq!(kettle["offers"][0]["externalId"], "k-1", "{kettle}");
    let mug = product(&crm, ids[1]).await;
    assert_eq!(mug["groups"], json!([]), "cleared: {mug}");

    // A move to another catalog clears groups and properties and moves the offers.
    let other = crm.add_key(&[], &["second-shop"]).await;
    crm.get_as(&other, "/v5/reference/sites", "").await;
    let second = super::catalog(&crm, "second-shop").await;
    let (status, body) = crm
        .post_as(
            &crm.key,
            "/v5/store/products/batch/edit",
            &[(
                "products",
                json!([{ "id": ids[0], "catalogId": second }]).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = crm.get_as(&other, PRODUCTS, "").await;
    assert_eq!(body["products"][0]["groups"], json!([]), "{body}");
    assert_eq!(body["products"][0]["catalogId"], second, "{body}");
    assert_eq!(
        body["products"][0]["offers"][1]["site"], "second-shop",
        "{body}"
    );

    assert_error(
        &batch_edit(&crm, json!([{ "id": ids[1], "name": "" }])).await,
        400,
        EDIT_ERROR,
        &["products[0][name]"],
    );
    assert_error(
        &batch_edit(
            &crm,
            json!([{ "id": ids[1], "offers": [{ "id": 5555555 }] }]),
        )
        .await,
        400,
        EDIT_ERROR,
        &["products[0][offers][0][id]"],
    );
    assert_error(
        &batch_edit(&crm, json!("x")).await,
        400,
        EDIT_ERROR,
        &["products"],
    );
}

#[tokio::test]
async fn products_need_the_store_permissions_and_stay_in_their_account() {
    let crm = Crm::new().await;
    let shop = catalog(&crm, "main-shop").await;
    let ids = create_products(&crm, json!([{ "catalogId": shop, "name": "Mine" }])).await;
    let reader = crm.add_key(&["store_read"], &[]).await;
    let form = [(
        "products",
        json!([{ "id": ids[0], "name": "Theirs" }]).to_string(),
    )];
    assert_error(
        &crm.post_as(&reader, "/v5/store/products/batch/edit", &form)
            .await,
        403,
        "Access denied.",
        &[],
    );
    assert_error(
        &crm.post_as(&reader, "/v5/store/products/batch/create", &form)
            .await,
        403,
        "Access denied.",
        &[],
    );
    let writer = crm.add_key(&["store_write"], &[]).await;
    assert_error(
        &crm.get_as(&writer, PRODUCTS, "").await,
        403,
        "Access denied.",
        &[],
    );

    let stranger = Crm::new().await;
    let (status, body) = stranger.post("/v5/store/products/batch/edit", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["notFoundProducts"],
        json!([{ "id": ids[0] }]),
        "{body}"
    );
    assert_eq!(listed(&stranger, PRODUCTS, "").await["products"], json!([]));
    let own = catalog(&stranger, "main-shop").await;
    create_products(&stranger, json!([{ "catalogId": own, "name": "Theirs" }])).await;
    let body = listed(&crm, PRODUCTS, "").await;
    assert_eq!(body["pagination"]["totalCount"], 1, "{body}");
    assert_eq!(body["products"][0]["name"], "Mine", "{body}");
}
