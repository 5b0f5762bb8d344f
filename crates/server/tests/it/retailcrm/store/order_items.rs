//! The catalog scenario: products with offers made in a batch → stock uploaded for two
//! stores → offers and products listed by stock → order items naming offers take the
//! offer's name and prices, and the order shows each offer's stock as it is now.

use serde_json::{json, Value};

use super::super::Crm;
use super::{add_store, catalog, create_products, listed};

async fn upload(crm: &Crm, offers: Value) {
    let (status, body) = crm
        .post(
            "/v5/store/inventories/upload",
            &[("offers", offers.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn order(crm: &Crm, external_id: &str) -> Value {
    let (status, body) = crm.get(&format!("/v5/orders/{external_id}"), "").await;
    assert_eq!(status, 200, "{body}");
    body["order"].clone()
}

#[tokio::test]
async fn an_orders_offers_show_the_catalogs_prices_and_stock() {
    let crm = Crm::new().await;
    add_store(&crm, "north").await;
    let shop = catalog(&crm, "main-shop").await;
    create_products(
        &crm,
        json!([{ "catalogId": shop, "name": "Чайник", "offers": [
            { "externalId": "kettle-w", "xmlId": "KT-W", "name": "Чайник белый", "price": 1500,
              "purchasePrice": 900 },
            { "externalId": "kettle-b", "name": "Чайник чёрный", "price": 1700 } ] }]),
    )
    .await;
    upload(
        &crm,
        json!([
            { "externalId": "kettle-w", "stores": [
                { "code": "main-warehouse", "available": 3 }, { "code": "north", "available": 2 } ] },
        ]),
    )
    .await;
    let offers = listed(&crm, "/v5/store/offers", "").await;
    let white = offers["offers"][0]["id"].clone();
    let in_stock = listed(&crm, "/v5/store/offers", "filter[minQuantity]=1").await;
    assert_eq!(
        in_stock["offers"].as_array().unwrap().len(),
        1,
        "{in_stock}"
    );
    assert_eq!(in_stock["offers"][0]["quantity"], 5);
    let products = listed(&crm, "/v5/store/products", "filter[minQuantity]=5").await;
    assert_eq!(products["products"][0]["quantity"], 5, "{products}");

    // Offers named by id, by xmlId and by external id; an unknown one makes the item
    // from what it gives; given fields win over the offer's.
    let created = crm
        .create_order(
            json!({ "externalId": "cat-1", "firstName": "Ира", "items": [
            { "offer": { "id": white }, "quantity": 2 },
            { "offer": { "xmlId": "KT-W" }, "initialPrice": 1400 },
            { "offer": { "externalId": "kettle-b" }, "productName": "Подарочный" },
            { "offer": { "externalId": "nowhere" }, "productName": "Свой", "initialPrice": 10 },
        ] }),
        )
        .await;
    let items = created["order"]["items"].as_array().unwrap().clone();
    let shown: Vec<(Value, Value, Value)> = items
        .iter()
        .map(|i| {
            (
                i["productName"].clone(),
                i["initialPrice"].clone(),
                i["offer"]["quantity"].clone(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (json!("Чайник белый"), json!(1500.0), json!(5)),
            (json!("Чайник белый"), json!(1400.0), json!(5)),
            (json!("Подарочный"), json!(1700.0), json!(0)),
            (json!("Свой"), json!(10.0), Value::Null),
        ]
    );
    assert_eq!(items[0]["purchasePrice"], 900.0);
    assert_eq!(items[0]["offer"]["externalId"], "kettle-w");
    assert_eq!(items[0]["offer"]["xmlId"], "KT-W");
    assert_eq!(items[3]["offer"], json!({ "externalId": "nowhere" }));
    assert_eq!(
        created["order"]["summ"],
        1500.0 * 2.0 + 1400.0 + 1700.0 + 10.0
    );

    // The stock the order shows is the catalog's now.
    upload(
        &crm,
        json!([{ "id": white, "stores": [{ "code": "north", "available": 10 }] }]),
    )
    .await;
    let now = order(&crm, "cat-1").await;
    assert_eq!(now["items"][0]["offer"]["quantity"], 13);

    // An edit naming another offer relinks the item; another account's offer is unknown.
    let item = now["items"][3]["id"].clone();
    let mut edited_items: Vec<Value> = now["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({ "id": i["id"] }))
        .collect();
    edited_items[3] = json!({ "id": item, "offer": { "externalId": "kettle-b" } });
    let (status, body) = crm
        .post(
            "/v5/orders/cat-1/edit",
            &[("order", json!({ "items": edited_items }).to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["items"][3]["offer"]["externalId"], "kettle-b");
    assert_eq!(body["order"]["items"][3]["productName"], "Чайник чёрный");
    let other = Crm::new().await;
    let foreign = other
        .create_order(json!({ "firstName": "Чужой", "items": [{ "offer": { "id": white } }] }))
        .await;
    assert_eq!(
        foreign["order"]["items"][0]["offer"],
        json!({ "id": white })
    );
    assert_eq!(foreign["order"]["items"][0]["initialPrice"], 0.0);
}
