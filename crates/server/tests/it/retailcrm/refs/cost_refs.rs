//! Cost groups and cost items: the account's defaults, created and edited, their errors,
//! permissions and isolation.

use serde_json::json;

use super::costs::cost;
use super::{other, post_doc, post_doc_as};
use crate::retailcrm::{assert_error, Crm};

fn codes(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|entry| entry["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_account_has_the_usual_groups_and_items() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/reference/cost-groups", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        codes(&body["costGroups"]),
        ["customer-attraction", "order-costs", "fixed-costs", "taxes"]
    );
    assert_eq!(
        body["costGroups"][0],
        json!({ "code": "customer-attraction", "name": "Привлечение клиентов", "ordering": 10,
                "active": true, "color": "#19976e" })
    );
    let (status, body) = crm.get("/v5/reference/cost-items", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        codes(&body["costItems"]),
        [
            "advertising",
            "delivery",
            "packing",
            "rent",
            "salary",
            "tax"
        ]
    );
    assert_eq!(
        body["costItems"][1],
        json!({ "code": "delivery", "name": "Доставка", "group": "order-costs", "type": "var",
                "ordering": 20, "active": true, "appliesToOrders": true, "appliesToUsers": false })
    );
}

#[tokio::test]
async fn groups_and_items_are_created_and_edited() {
    let crm = Crm::new().await;
    let (status, body) = post_doc(
        &crm,
        "/reference/cost-groups/marketing/edit",
        "costGroup",
        json!({ "code": "marketing", "name": "Маркетинг", "color": "#DA5C98", "ordering": 50 }),
    )
    .await;
    assert_eq!((status, body), (201, json!({ "success": true })));
    let (status, _) = post_doc(
        &crm,
        "/reference/cost-groups/marketing/edit",
        "costGroup",
        json!({ "active": false }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = crm.get("/v5/reference/cost-groups", "").await;
    assert_eq!(
        body["costGroups"][4],
        json!({ "code": "marketing", "name": "Маркетинг", "color": "#da5c98", "ordering": 50, "active": false })
    );

    let (status, body) = post_doc(
        &crm,
        "/reference/cost-items/events/edit",
        "costItem",
        json!({ "name": "Мероприятия", "group": "marketing", "type": "var", "appliesToOrders": true }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (_, body) = crm.get("/v5/reference/cost-items", "").await;
    assert_eq!(
        body["costItems"][6],
        json!({ "code": "events", "name": "Мероприятия", "group": "marketing", "type": "var",
                "active": true, "appliesToOrders": true, "appliesToUsers": false })
    );
    // A cost may use the new item; once the item is inactive it may not.
    let (status, body) = post_doc(&crm, "/costs/create", "cost", cost("events", 5.0)).await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = post_doc(
        &crm,
        "/reference/cost-items/events/edit",
        "costItem",
        json!({ "active": 0 }),
    )
    .await;
    assert_eq!(status, 200);
    let answer = post_doc(&crm, "/costs/create", "cost", cost("events", 5.0)).await;
    assert_error(&answer, 400, "Errors in the entity format", &["costItem"]);
}

#[tokio::test]
async fn cost_reference_errors() {
    let crm = Crm::new().await;
    let path = "/reference/cost-groups/g1/edit";
    let answer = post_doc(&crm, path, "costGroup", json!({ "color": "red" })).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["color", "name"],
    );
    let answer = post_doc(
        &crm,
        path,
        "costGroup",
        json!({ "code": "g2", "name": "G" }),
    )
    .await;
    assert_error(&answer, 400, "Errors in the entity format", &["code"]);
    let answer = crm.post("/v5/reference/cost-groups/g1/edit", &[]).await;
    assert_error(&answer, 400, "Parameter 'costGroup' is missing", &[]);

    let path = "/reference/cost-items/i1/edit";
    let answer = post_doc(&crm, path, "costItem", json!({ "ordering": "first" })).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["group", "name", "ordering"],
    );
    let answer = post_doc(
        &crm,
        path,
        "costItem",
        json!({ "name": "I", "group": "nope", "type": "weekly", "appliesToUsers": "maybe" }),
    )
    .await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["appliesToUsers", "group", "type"],
    );
    let answer = post_doc(
        &crm,
        path,
        "costItem",
        json!({ "name": "I", "group": "taxes", "source": { "source": "google" } }),
    )
    .await;
    assert_error(&answer, 400, "Errors in the entity format", &["source"]);
}

#[tokio::test]
async fn cost_references_need_their_permissions_and_stay_in_their_account() {
    let crm = Crm::new().await;
    let reader = crm.add_key(&["reference_read"], &[]).await;
    for (path, field) in [
        ("/reference/cost-groups/g/edit", "costGroup"),
        ("/reference/cost-items/i/edit", "costItem"),
    ] {
        let answer = post_doc_as(&crm, &reader, path, field, json!({ "name": "X" })).await;
        assert_error(&answer, 403, "Access denied.", &[]);
    }
    let writer = crm.add_key(&["reference_write"], &[]).await;
    for path in ["/v5/reference/cost-groups", "/v5/reference/cost-items"] {
        assert_error(
            &crm.get_as(&writer, path, "").await,
            403,
            "Access denied.",
            &[],
        );
    }
    let (status, _) = post_doc(
        &crm,
        "/reference/cost-items/rent/edit",
        "costItem",
        json!({ "name": "Аренда офиса" }),
    )
    .await;
    assert_eq!(status, 200);
    let stranger = other().await;
    let (_, body) = stranger.get("/v5/reference/cost-items", "").await;
    assert_eq!(body["costItems"][3]["name"], "Аренда", "{body}");
    let (_, body) = crm.get_as(&reader, "/v5/reference/cost-items", "").await;
    assert_eq!(body["costItems"][3]["name"], "Аренда офиса", "{body}");
}
