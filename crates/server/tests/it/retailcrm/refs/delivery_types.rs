//! `reference/delivery-types/{code}/edit`: a new type orders accept at once, edits, the
//! seed's errors, permissions and isolation.

use serde_json::{json, Value};

use super::{other, post_doc, post_doc_as};
use crate::retailcrm::{assert_error, Crm};

const ENTITY: &str = "Errors in the entity format";

async fn order_with(crm: &Crm, delivery: &str) -> (u16, Value) {
    let order = json!({ "firstName": "Ян", "delivery": { "code": delivery } });
    crm.post("/v5/orders/create", &[("order", order.to_string())])
        .await
}

#[tokio::test]
async fn a_new_delivery_type_is_usable_by_orders() {
    let crm = Crm::new().await;
    assert_error(
        &order_with(&crm, "drone").await,
        400,
        ENTITY,
        &["delivery[code]"],
    );
    let (status, body) = post_doc(
        &crm,
        "/reference/delivery-types/drone/edit",
        "deliveryType",
        json!({ "code": "drone", "name": "Дрон", "defaultCost": 500, "sites": ["main-shop"],
                "paymentTypes": ["cash"], "vatRate": "20" }),
    )
    .await;
    assert_eq!((status, body), (201, json!({ "success": true })));
    let (_, body) = crm.get("/v5/reference/delivery-types", "").await;
    assert_eq!(
        body["deliveryTypes"]["drone"],
        json!({ "code": "drone", "name": "Дрон", "defaultCost": 500.0, "defaultNetCost": 0,
                "sites": ["main-shop"], "paymentTypes": ["cash"], "vatRate": "20", "active": true,
                "defaultForCrm": false, "deliveryServices": [] })
    );
    let (status, body) = order_with(&crm, "drone").await;
    assert_eq!(status, 201, "{body}");

    let (status, body) = post_doc(
        &crm,
        "/reference/delivery-types/courier/edit",
        "deliveryType",
        json!({ "name": "Курьер", "defaultNetCost": 120.5 }),
    )
    .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let (_, body) = crm.get("/v5/reference/delivery-types", "").await;
    assert_eq!(body["deliveryTypes"]["courier"]["name"], "Курьер");
    assert_eq!(body["deliveryTypes"]["courier"]["defaultNetCost"], 120.5);
    assert_eq!(body["deliveryTypes"]["courier"]["defaultCost"], 300);

    // An inactive type is refused by orders.
    let (status, _) = post_doc(
        &crm,
        "/reference/delivery-types/drone/edit",
        "deliveryType",
        json!({ "active": false }),
    )
    .await;
    assert_eq!(status, 200);
    assert_error(
        &order_with(&crm, "drone").await,
        400,
        ENTITY,
        &["delivery[code]"],
    );
}

#[tokio::test]
async fn delivery_type_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let path = "/reference/delivery-types/t1/edit";
    let answer = post_doc(&crm, path, "deliveryType", json!({ "defaultCost": -1 })).await;
    assert_error(&answer, 400, ENTITY, &["defaultCost", "name"]);
    let answer = post_doc(
        &crm,
        path,
        "deliveryType",
        json!({ "code": "t2", "name": "x".repeat(256), "defaultNetCost": "free",
                "paymentTypes": ["cash", "barter"], "active": "yes" }),
    )
    .await;
    assert_error(
        &answer,
        400,
        ENTITY,
        &[
            "active",
            "code",
            "defaultNetCost",
            "name",
            "paymentTypes[1]",
        ],
    );
    let answer = post_doc(
        &crm,
        path,
        "deliveryType",
        json!({ "name": "T", "sites": ["nowhere"] }),
    )
    .await;
    assert_error(&answer, 400, "Site with code \"nowhere\" not found", &[]);
    let answer = post_doc(
        &crm,
        path,
        "deliveryType",
        json!({ "name": "T", "integrationCode": "shipper" }),
    )
    .await;
    assert_error(&answer, 400, ENTITY, &["integrationCode"]);
    let module = json!({ "name": "Shipper", "logo": "https://shipper.example/logo.svg",
                         "availableCountries": ["RU"] });
    let (status, body) = crm
        .post(
            "/v5/integration-modules/shipper/edit",
            &[("integrationModule", module.to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post_doc(
        &crm,
        path,
        "deliveryType",
        json!({ "name": "T", "integrationCode": "shipper" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let answer = crm.post("/v5/reference/delivery-types/t1/edit", &[]).await;
    assert_error(&answer, 400, "Parameter 'deliveryType' is missing", &[]);
}

#[tokio::test]
async fn delivery_types_need_their_permission_and_stay_in_their_account() {
    let crm = Crm::new().await;
    let reader = crm.add_key(&["reference_read"], &[]).await;
    let doc = json!({ "name": "Дрон" });
    let path = "/reference/delivery-types/drone/edit";
    let answer = post_doc_as(&crm, &reader, path, "deliveryType", doc.clone()).await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let (status, _) = post_doc(&crm, path, "deliveryType", doc).await;
    assert_eq!(status, 201);
    let stranger = other().await;
    let (_, body) = stranger.get("/v5/reference/delivery-types", "").await;
    assert!(body["deliveryTypes"].get("drone").is_none(), "{body}");
    let answer = order_with(&stranger, "drone").await;
    assert_error(&answer, 400, ENTITY, &["delivery[code]"]);
}
