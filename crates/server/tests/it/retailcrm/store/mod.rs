//! The catalog and its stock: product groups, products and services with their offers,
//! their properties, inventories per store.

mod groups;
mod lists;
mod products;
mod stock;

use serde_json::{json, Value};

use super::Crm;

/// The catalog id of a site (its site's id).
pub async fn catalog(crm: &Crm, site: &str) -> i64 {
    let (status, body) = crm.get("/v5/reference/sites", "").await;
    assert_eq!(status, 200, "{body}");
    body["sites"][site]["id"].as_i64().expect("site id")
}

/// `store/products/batch/create` with these products; the answer.
pub async fn batch_create(crm: &Crm, products: Value) -> (u16, Value) {
    crm.post(
        "/v5/store/products/batch/create",
        &[("products", products.to_string())],
    )
    .await
}

/// Creates the products; their ids.
pub async fn create_products(crm: &Crm, products: Value) -> Vec<i64> {
    let (status, body) = batch_create(crm, products).await;
    assert_eq!(status, 201, "{body}");
    body["addedProducts"]
        .as_array()
        .expect("addedProducts")
        .iter()
        .map(|id| id.as_i64().expect("id"))
        .collect()
}

/// The list `path` answers to `query` (200 expected).
pub async fn listed(crm: &Crm, path: &str, query: &str) -> Value {
    let (status, body) = crm.get(path, query).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert_eq!(body["success"], true, "{body}");
    body
}

/// Creates a product group of `main-shop` (`site` added); its id.
pub async fn add_group(crm: &Crm, mut group: Value) -> i64 {
    group["site"] = json!("main-shop");
    let (status, body) = crm
        .post(
            "/v5/store/product-groups/create",
            &[("productGroup", group.to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

/// A store of the account, made through `reference/stores/{code}/edit`.
pub async fn add_store(crm: &Crm, code: &str) {
    let (status, body) = crm
        .post(
            &format!("/v5/reference/stores/{code}/edit"),
            &[("store", json!({ "name": code }).to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
}
