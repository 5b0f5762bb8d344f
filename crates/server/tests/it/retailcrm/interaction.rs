//! Customer interaction: the current cart and the favorites of a customer in a site.

use serde_json::json;

use super::{assert_error, Crm};

const CART: &str = "/v5/customer-interaction/main-shop/cart";
const FAVORITES: &str = "/v5/customer-interaction/main-shop/favorites";

#[tokio::test]
async fn a_cart_is_set_overwritten_read_and_cleared() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }))
        .await;
    let id = crm.create(json!({ "externalId": "buyer" })).await;
    let (status, body) = crm.get(&format!("{CART}/buyer"), "").await;
    assert_eq!((status, body), (200, json!({ "success": true })));

    let cart = json!({
        "externalId": "cart-1", "link": "https://shop.example/cart",
        "droppedAt": "2024-05-01 11:00:00+03:00",
        "customer": { "id": id },
        "items": [{ "quantity": 2, "price": 150.5, "offer": { "externalId": "sku-1" } }],
    });
    let (status, body) = crm
        .post(&format!("{CART}/set"), &[("cart", cart.to_string())])
        .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let (_, body) = crm.get(&format!("{CART}/buyer"), "").await;
    let first = body["cart"]["id"].clone();
    assert_eq!(
        body["cart"],
        json!({
            "id": first, "externalId": "cart-1", "link": "https://shop.example/cart",
            "droppedAt": "2024-05-01 11:00:00+03:00",
            "customer": { "id": id, "externalId": "buyer" },
            "createdAt": "2024-05-01 12:00:00+03:00", "updatedAt": "2024-05-01 12:00:00+03:00",
            "items": [{ "quantity": 2.0, "price": 150.5, "offer": { "externalId": "sku-1" },
                        "createdAt": "2024-05-01 12:00:00+03:00", "updatedAt": "2024-05-01 12:00:00+03:00" }],
        })
    );

    // By external id with its site, the current cart is overwritten.
    let cart = json!({ "customer": { "externalId": "buyer", "site": "main-shop" },
                       "items": [{ "quantity": 1, "offer": { "id": 7 } }] });
    crm.post(&format!("{CART}/set"), &[("cart", cart.to_string())])
        .await;
    let (_, body) = crm.get(&format!("{CART}/{id}"), "by=id").await;
    assert_eq!(body["cart"]["id"], first);
    assert_eq!(body["cart"]["items"][0]["offer"], json!({ "id": 7 }));

    let clear = json!({ "customer": { "id": id }, "clearedAt": "2024-05-01 13:00:00+03:00",
                        "order": { "externalId": "o-1" } });
    let (status, _) = crm
        .post(&format!("{CART}/clear"), &[("cart", clear.to_string())])
        .await;
    assert_eq!(status, 200);
    let (_, body) = crm.get(&format!("{CART}/buyer"), "").await;
    assert_eq!(body, json!({ "success": true }));
    let again = crm
        .post(&format!("{CART}/clear"), &[("cart", clear.to_string())])
        .await;
    assert_error(&again, 404, "Not found", &[]);

    // After a clear, a set starts a new cart.
    crm.post(&format!("{CART}/set"), &[("cart", cart.to_string())])
        .await;
    let (_, body) = crm.get(&format!("{CART}/buyer"), "").await;
    assert_ne!(body["cart"]["id"], first);
    assert!(body["cart"].get("clearedAt").is_none());
}

#[tokio::test]
async fn cart_errors() {
    let crm = Crm::new().await;
    let id = crm.create(json!({ "externalId": "buyer" })).await;
    let set = format!("{CART}/set");
    let post = |cart: serde_json::Value| {
        let set = set.clone();
        let crm = &crm;
        async move { crm.post(&set, &[("cart", cart.to_string())]).await }
    };
    let missing = crm.post(&set, &[]).await;
    assert_error(&missing, 400, "Parameter 'cart' is missing", &[]);
    let nobody = post(json!({ "items": [] })).await;
    assert_error(&nobody, 400, "Errors in the entity format", &["customer"]);
    let no_site = post(json!({ "customer": { "externalId": "buyer" } })).await;
    assert_error(
        &no_site,
        400,
        "Errors in the entity format",
        &["customer[site]"],
    );
    let unknown = post(json!({ "customer": { "id": id + 100 } })).await;
    assert_error(&unknown, 400, "Errors in the entity format", &["customer"]);
    let items = post(json!({ "customer": { "id": id }, "droppedAt": "yesterday",
        "items": [{ "quantity": 0, "offer": {} }, { "quantity": 1, "price": -1, "offer": { "id": "x" } }] }))
    .await;
    assert_error(
        &items,
        400,
        "Errors in the entity format",
        &[
            "droppedAt",
            "items[0][offer]",
            "items[0][quantity]",
            "items[1][offer][id]",
            "items[1][price]",
        ],
    );
    let site = crm
        .post(
            "/v5/customer-interaction/nowhere/cart/set",
            &[("cart", json!({ "customer": { "id": id } }).to_string())],
        )
        .await;
    assert_error(&site, 400, "Site with code \"nowhere\" not found", &[]);
    let (status, _) = crm.get(&format!("{CART}/ghost"), "").await;
    assert_eq!(status, 404);
    let by = crm.get(&format!("{CART}/buyer"), "siteBy=name").await;
    assert_error(&by, 400, "Errors in the input parameters", &["siteBy"]);
    let reader = crm.add_key(&["customer_interaction_read"], &[]).await;
    let denied = crm.post_as(&reader, &set, &[("cart", "{}".into())]).await;
    assert_error(&denied, 403, "Access denied.", &[]);
}

#[tokio::test]
async fn a_site_is_named_by_its_id_with_site_by() {
    let crm = Crm::new().await;
    crm.create(json!({ "externalId": "buyer" })).await;
    let (_, sites) = crm.get("/v5/reference/sites", "").await;
    let site_id = sites["sites"]["main-shop"]["id"].as_i64().unwrap();
    let path = format!("/v5/customer-interaction/{site_id}/favorites/buyer");
    let (status, body) = crm.get(&path, "siteBy=id").await;
    assert_eq!(
        (status, body),
        (200, json!({ "success": true, "favorites": [] }))
    );
    let wrong = crm
        .get("/v5/customer-interaction/999/favorites/buyer", "siteBy=id")
        .await;
    assert_error(&wrong, 400, "Site with id \"999\" not found", &[]);
}

#[tokio::test]
async fn favorites_are_added_once_and_removed() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }))
        .await;
    let id = crm.create(json!({ "externalId": "buyer" })).await;
    let add = format!("{FAVORITES}/buyer/add");
    for offer in [
        json!({ "id": 5 }),
        json!({ "externalId": "sku-2" }),
        json!({ "id": 5 }),
    ] {
        let (status, body) = crm
            .post(&add, &[("favorite", json!({ "offer": offer }).to_string())])
            .await;
        assert_eq!((status, body), (200, json!({ "success": true })));
    }
    let (_, body) = crm.get(&format!("{FAVORITES}/{id}"), "by=id").await;
    assert_eq!(
        body["favorites"],
        json!([{ "offer": { "id": 5 }, "createdAt": "2024-05-01 12:00:00+03:00" },
               { "offer": { "externalId": "sku-2" }, "createdAt": "2024-05-01 12:00:00+03:00" }])
    );
    let remove = format!("{FAVORITES}/buyer/remove");
    for offer in [json!({ "id": 5 }), json!({ "xmlId": "absent" })] {
        let (status, _) = crm
            .post(
                &remove,
                &[("favorite", json!({ "offer": offer }).to_string())],
            )
            .await;
        assert_eq!(status, 200);
    }
    let (_, body) = crm.get(&format!("{FAVORITES}/buyer"), "").await;
    assert_eq!(body["favorites"].as_array().unwrap().len(), 1);

    let empty = crm
        .post(&add, &[("favorite", json!({ "offer": {} }).to_string())])
        .await;
    assert_error(&empty, 400, "Errors in the entity format", &["offer"]);
    let ghost = crm
        .post(
            &format!("{FAVORITES}/ghost/add"),
            &[("favorite", json!({ "offer": { "id": 1 } }).to_string())],
        )
        .await;
    assert_error(&ghost, 404, "Not found", &[]);
    let missing = crm.post(&remove, &[]).await;
    assert_error(&missing, 400, "Parameter 'favorite' is missing", &[]);
}

#[tokio::test]
async fn favorites_hold_at_most_a_thousand_offers() {
    let crm = Crm::new().await;
    crm.create(json!({ "externalId": "buyer" })).await;
    let add = format!("{FAVORITES}/buyer/add");
    for id in 1..=1000 {
        let (status, _) = crm
            .post(
                &add,
                &[("favorite", json!({ "offer": { "id": id } }).to_string())],
            )
            .await;
        assert_eq!(status, 200);
    }
    let over = crm
        .post(
            &add,
            &[("favorite", json!({ "offer": { "id": 1001 } }).to_string())],
        )
        .await;
    assert_error(
        &over,
        400,
        "The list of favorites already holds the maximum of 1000 offers",
        &[],
    );
}
