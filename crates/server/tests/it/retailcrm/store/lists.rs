//! `store/products` and `store/offers` with their filters, and the properties derived
//! from the catalog.

use serde_json::{json, Value};

use super::super::{assert_error, ids_of, Crm};
use super::{add_group, catalog, create_products, listed};

const PRODUCTS: &str = "/v5/store/products";
const OFFERS: &str = "/v5/store/offers";

/// A catalog of three products in two groups (one a subgroup), with offers.
async fn seeded(crm: &Crm) -> (Vec<i64>, i64, i64) {
    let shop = catalog(crm, "main-shop").await;
    let kitchen = add_group(crm, json!({ "name": "kitchen", "externalId": "kitchen" })).await;
    let kettles = add_group(
        crm,
        json!({ "name": "kettles", "externalId": "kettles", "parentExternalId": "kitchen" }),
    )
    .await;
    let ids = create_products(
        crm,
        json!([
            { "catalogId": shop, "name": "Чайник", "article": "K-1", "manufacturer": "Bork",
              "url": "https://shop.example/kitchen/kettle?ref=1", "groups": [{ "externalId": "kettles" }],
              "properties": { "material": "steel" }, "novelty": true,
              "offers": [
                  { "externalId": "k-red", "xmlId": "x-1", "barcode": "460001", "price": 1000,
                    "prices": [{ "priceType": "wholesale", "price": 700 }], "purchasePrice": 500,
                    "properties": [{ "code": "color", "name": "Цвет", "value": "red" }] },
                  { "externalId": "k-blue", "price": 1200, "properties": { "color": "blue" }, "active": false }
              ] },
            { "catalogId": shop, "name": "Кастрюля", "article": "P-1", "groups": [{ "externalId": "kitchen" }],
              "offers": [{ "externalId": "pan", "price": 3000, "purchasePrice": 2000, "properties": { "color": "red" } }] },
            { "catalogId": shop, "name": "Книга", "active": false, "url": "https://shop.example/books/1",
              "offers": [{ "externalId": "book", "xmlId": "x-1", "price": 500 }] },
        ]),
    )
    .await;
    (ids, kitchen, kettles)
}

async fn products(crm: &Crm, query: &str) -> Vec<i64> {
    ids_of(&listed(crm, PRODUCTS, query).await, "products")
}

async fn offer_externals(crm: &Crm, query: &str) -> Vec<String> {
    let body = listed(crm, OFFERS, query).await;
    body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["externalId"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn products_are_filtered_by_their_fields_and_their_offers() {
    let crm = Crm::new().await;
    let (ids, kitchen, kettles) = seeded(&crm).await;
    let (kettle, pan, book) = (ids[0], ids[1], ids[2]);
    let shop = catalog(&crm, "main-shop").await;
    let cases: Vec<(String, Vec<i64>)> = vec![
        (String::new(), vec![kettle, pan, book]),
        (
            format!("filter[ids][]={pan}&filter[ids][]={book}"),
            vec![pan, book],
        ),
        (format!("filter[groups][]={kitchen}"), vec![kettle, pan]),
        (format!("filter[groups][]={kettles}"), vec![kettle]),
        ("filter[name]=кастр".into(), vec![pan]),
        ("filter[name]=k-1".into(), vec![kettle]),
        ("filter[name]=460001".into(), vec![kettle]),
        ("filter[manufacturer]=Bork".into(), vec![kettle]),
        ("filter[active]=0".into(), vec![book]),
        ("filter[novelty]=1".into(), vec![kettle]),
        (
            "filter[url]=https://shop.example/books/1".into(),
            vec![book],
        ),
        (
            "filter[urlLike]=http://other.example/kitchen?x=2".into(),
            vec![kettle],
        ),
        ("filter[offerExternalId]=pan".into(), vec![pan]),
        ("filter[offerXmlId]=x-1".into(), vec![kettle, book]),
        ("filter[minPrice]=1100".into(), vec![kettle, pan]),
        ("filter[maxPrice]=900".into(), vec![book]),
        (
            "filter[minPrice]=600&filter[maxPrice]=800&filter[priceType]=wholesale".into(),
            vec![kettle],
        ),
        ("filter[minPurchasePrice]=1000".into(), vec![pan]),
        ("filter[properties][color]=red".into(), vec![kettle, pan]),
        ("filter[properties][material]=steel".into(), vec![kettle]),
        (format!("filter[sinceId]={kettle}"), vec![pan, book]),
        (
            format!("filter[catalogs][]={shop}"),
            vec![kettle, pan, book],
        ),
        (
            "filter[sites][]=main-shop&limit=20&page=1".into(),
            vec![kettle, pan, book],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(products(&crm, &query).await, expected, "{query}");
    }
    let body = listed(&crm, PRODUCTS, "limit=20&page=2").await;
    assert_eq!(
        body["pagination"],
        json!({ "limit": 20, "totalCount": 3, "currentPage": 2, "totalPageCount": 1 })
    );
    let offer_id = listed(&crm, PRODUCTS, "").await["products"][1]["offers"][0]["id"].clone();
    assert_eq!(
        products(&crm, &format!("filter[offerIds][]={offer_id}")).await,
        vec![pan]
    );
    assert_error(
        &crm.get(
            PRODUCTS,
            "filter[ids][]=x&filter[minPrice]=cheap&filter[active]=perhaps",
        )
        .await,
        400,
        "Errors in the input parameters",
        &["filter[active]", "filter[ids][0]", "filter[minPrice]"],
    );
    assert_error(
        &crm.get(PRODUCTS, "page=0").await,
        400,
        "Errors in the input parameters",
        &["page"],
    );
    let (status, body) = crm.get(PRODUCTS, "filter[sites][]=nowhere").await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn offers_are_listed_with_their_filters() {
    let crm = Crm::new().await;
    let (ids, kitchen, _) = seeded(&crm).await;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec!["k-red", "k-blue", "pan", "book"]),
        (
            "filter[externalIds][]=pan&filter[externalIds][]=book".into(),
            vec!["pan", "book"],
        ),
        ("filter[xmlIds][]=x-1".into(), vec!["k-red", "book"]),
        ("filter[name]=Чайник".into(), vec!["k-red", "k-blue"]),
        ("filter[active]=0".into(), vec!["k-blue"]),
        (
            format!("filter[groups][]={kitchen}"),
            vec!["k-red", "k-blue", "pan"],
        ),
        (format!("filter[productIds][]={}", ids[2]), vec!["book"]),
        ("filter[properties][color]=red".into(), vec!["k-red", "pan"]),
        (
            "filter[minPrice]=1100&filter[maxPrice]=3000".into(),
            vec!["k-blue", "pan"],
        ),
        (
            "filter[priceType]=wholesale&filter[maxPrice]=1000".into(),
            vec!["k-red"],
        ),
        (
            "filter[sites][]=main-shop".into(),
            vec!["k-red", "k-blue", "pan", "book"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(offer_externals(&crm, &query).await, expected, "{query}");
    }
    let body = listed(&crm, OFFERS, "filter[externalIds][]=k-red").await;
    let id = body["offers"][0]["id"].clone();
    assert_eq!(
        offer_externals(&crm, &format!("filter[ids][]={id}")).await,
        vec!["k-red"]
    );
    assert_eq!(body["offers"][0]["productId"], ids[0], "{body}");
    assert_eq!(body["offers"][0]["price"], 1000, "{body}");
    assert_eq!(body["offers"][0]["quantity"], 0, "{body}");
    // The offers list needs no permission of its own (the seed names none).
    let none = crm.add_key(&["order_read"], &[]).await;
    let (status, _) = crm.get_as(&none, OFFERS, "").await;
    assert_eq!(status, 200);
    let stranger = Crm::new().await;
    assert_eq!(offer_externals(&stranger, "").await, Vec::<String>::new());
}

#[tokio::test]
async fn properties_and_their_values_come_from_the_catalog() {
    let crm = Crm::new().await;
    let (ids, kitchen, kettles) = seeded(&crm).await;
    let body = listed(&crm, "/v5/store/products/properties", "").await;
    assert_eq!(
        body["properties"],
        json!([
            { "code": "color", "name": "Цвет", "visible": true, "variative": true,
              "sites": ["main-shop"], "groups": [{ "id": kettles }, { "id": kitchen }] },
            { "code": "material", "name": "material", "visible": true, "variative": false,
              "sites": ["main-shop"], "groups": [{ "id": kettles }] },
        ]),
        "{body}"
    );
    assert_eq!(body["pagination"]["totalCount"], 2);
    let codes = |body: &Value| -> Vec<String> {
        body["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_owned())
            .collect()
    };
    for (query, expected) in [
        ("filter[variative]=0", vec!["material"]),
        ("filter[name]=цв", vec!["color"]),
        ("filter[code]=material", vec!["material"]),
        ("filter[visible]=0", vec![]),
        (&*format!("filter[ids][]={}", ids[1]), vec!["color"]),
        (
            &*format!("filter[groups][]={kettles}"),
            vec!["color", "material"],
        ),
    ] {
        let body = listed(&crm, "/v5/store/products/properties", query).await;
        assert_eq!(codes(&body), expected, "{query}");
    }
    let body = listed(
        &crm,
        "/v5/store/products/properties/values",
        "filter[code]=color",
    )
    .await;
    assert_eq!(
        body["productPropertyValues"],
        json!([
            { "property": { "code": "color", "name": "Цвет" }, "value": "red" },
            { "property": { "code": "color", "name": "Цвет" }, "value": "blue" },
        ]),
        "{body}"
    );
    let writer = crm.add_key(&["store_write"], &[]).await;
    let (status, _) = crm
        .get_as(&writer, "/v5/store/products/properties", "")
        .await;
    assert_eq!(status, 403);
    let stranger = Crm::new().await;
    let body = listed(&stranger, "/v5/store/products/properties/values", "").await;
    assert_eq!(body["productPropertyValues"], json!([]));
}
