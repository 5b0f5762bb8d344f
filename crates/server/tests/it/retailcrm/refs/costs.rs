//! Costs: create, get, edit, delete, upload and delete many; their links to cost items,
//! orders, users and sites; permissions and isolation.

use serde_json::{json, Value};

use super::{other, post_doc, post_doc_as};
use crate::retailcrm::{assert_error, Crm};

pub fn cost(item: &str, summ: f64) -> Value {
    json!({ "costItem": item, "summ": summ, "dateFrom": "2024-01-01", "dateTo": "2024-01-31" })
}

pub async fn create_cost(crm: &Crm, doc: Value) -> i64 {
    let (status, body) = post_doc(crm, "/costs/create", "cost", doc).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

async fn get_cost(crm: &Crm, id: i64) -> (u16, Value) {
    crm.get(&format!("/v5/costs/{id}"), "").await
}

#[tokio::test]
async fn a_cost_is_created_read_edited_and_deleted() {
    let crm = Crm::new().await;
    let mut doc = cost("rent", 50000.0);
    doc["comment"] = json!("Офис, январь");
    let id = create_cost(&crm, doc).await;
    let (status, body) = get_cost(&crm, id).await;
    assert_eq!(status, 200, "{body}");
    let got = &body["cost"];
    assert_eq!(got["id"], id);
    assert_eq!(got["costItem"], "rent");
    assert_eq!(got["summ"], 50000.0);
    assert_eq!(got["dateFrom"], "2024-01-01");
    assert_eq!(got["dateTo"], "2024-01-31");
    assert_eq!(got["comment"], "Офис, январь");
    assert_eq!(got["currency"], "RUB");
    assert_eq!(got["sites"], json!(["main-shop"]));
    assert!(got["createdAt"].is_string(), "{body}");
    assert!(
        got.get("order").is_none() && got.get("source").is_none(),
        "{body}"
    );

    let (status, body) = post_doc(
        &crm,
        &format!("/costs/{id}/edit"),
        "cost",
        json!({ "id": id, "summ": 55000, "comment": null }),
    )
    .await;
    assert_eq!((status, body), (200, json!({ "success": true, "id": id })));
    let (_, body) = get_cost(&crm, id).await;
    assert_eq!(body["cost"]["summ"], 55000.0);
    assert!(body["cost"].get("comment").is_none(), "{body}");

    let (status, body) = crm.post(&format!("/v5/costs/{id}/delete"), &[]).await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    assert_error(&get_cost(&crm, id).await, 404, "Not found", &[]);
    let gone = crm.post(&format!("/v5/costs/{id}/delete"), &[]).await;
    assert_error(&gone, 404, "Not found", &[]);
}

#[tokio::test]
async fn costs_name_orders_and_users_their_items_allow() {
    let crm = Crm::new().await;
    let (status, order) = crm
        .post(
            "/v5/orders/create",
            &[(
                "order",
                json!({ "externalId": "ord-c1", "number": "N-77", "firstName": "Ян" }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{order}");
    let order_id = order["id"].as_i64().unwrap();
    let link = json!({ "id": order_id, "number": "N-77", "externalId": "ord-c1" });
    for named in [
        json!({ "id": order_id }),
        json!({ "externalId": "ord-c1" }),
        json!({ "number": "N-77" }),
    ] {
        let mut doc = cost("delivery", 300.0);
        doc["order"] = named.clone();
        let (status, body) = crm
            .post(
                "/v5/costs/create",
                &[("cost", doc.to_string()), ("site", "main-shop".into())],
            )
            .await;
        assert_eq!(status, 201, "{named}: {body}");
        let (_, got) = get_cost(&crm, body["id"].as_i64().unwrap()).await;
        assert_eq!(got["cost"]["order"], link, "{named}");
    }
    let mut unknown = cost("delivery", 1.0);
    unknown["order"] = json!({ "externalId": "nope" });
    let answer = post_doc(&crm, "/costs/create", "cost", unknown).await;
    assert_error(&answer, 400, "Errors in the entity format", &["order"]);
    assert_eq!(answer.1["errors"]["order"], "Order not found.");
    let mut not_for_orders = cost("rent", 1.0);
    not_for_orders["order"] = json!({ "id": order_id });
    let answer = post_doc(&crm, "/costs/create", "cost", not_for_orders).await;
    assert_error(&answer, 400, "Errors in the entity format", &["order"]);

    let mut salary = cost("salary", 90000.0);
    salary["userId"] = json!(2);
    let id = create_cost(&crm, salary).await;
    assert_eq!(get_cost(&crm, id).await.1["cost"]["userId"], 2);
    let mut not_for_users = cost("rent", 1.0);
    not_for_users["userId"] = json!(2);
    let mut unknown_user = cost("salary", 1.0);
    unknown_user["userId"] = json!(99);
    for doc in [not_for_users, unknown_user] {
        let answer = post_doc(&crm, "/costs/create", "cost", doc).await;
        assert_error(&answer, 400, "Errors in the entity format", &["userId"]);
    }
}

#[tokio::test]
async fn cost_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let missing = crm.post("/v5/costs/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'cost' is missing", &[]);
    let blank = post_doc(&crm, "/costs/create", "cost", json!({})).await;
    assert_error(
        &blank,
        400,
        "Errors in the entity format",
        &["costItem", "dateFrom", "dateTo", "summ"],
    );
    let bad = post_doc(
        &crm,
        "/costs/create",
        "cost",
        json!({ "costItem": "yachts", "summ": -5, "dateFrom": "01.01.2024", "dateTo": "2024-01-31",
                "comment": "x".repeat(1001) }),
    )
    .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["comment", "costItem", "dateFrom", "summ"],
    );
    let mut reversed = cost("rent", 1.0);
    reversed["dateFrom"] = json!("2024-02-01");
    let answer = post_doc(&crm, "/costs/create", "cost", reversed).await;
    assert_error(&answer, 400, "Errors in the entity format", &["dateTo"]);
    let mut elsewhere = cost("rent", 1.0);
    elsewhere["sites"] = json!(["nowhere"]);
    let answer = post_doc(&crm, "/costs/create", "cost", elsewhere).await;
    assert_error(&answer, 400, "Site with code \"nowhere\" not found", &[]);
    assert_error(&get_cost(&crm, 999_999).await, 404, "Not found", &[]);
    let edit = post_doc(&crm, "/costs/999999/edit", "cost", json!({ "summ": 1 })).await;
    assert_error(&edit, 404, "Not found", &[]);
    let id = create_cost(&crm, cost("rent", 10.0)).await;
    let edit = post_doc(
        &crm,
        &format!("/costs/{id}/edit"),
        "cost",
        json!({ "summ": "x" }),
    )
    .await;
    assert_error(&edit, 400, "Errors in the entity format", &["summ"]);
}

#[tokio::test]
async fn upload_is_all_or_none_and_delete_names_what_it_left() {
    let crm = Crm::new().await;
    let (status, body) = post_doc(
        &crm,
        "/costs/upload",
        "costs",
        json!([cost("rent", 1.0), cost("tax", 2.0)]),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let ids: Vec<i64> = body["uploadedCosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    let (_, listed) = crm.get("/v5/costs", "").await;
    assert_eq!(listed["pagination"]["totalCount"], 2);

    let answer = post_doc(
        &crm,
        "/costs/upload",
        "costs",
        json!([cost("rent", 1.0), { "costItem": "rent", "summ": -1, "dateFrom": "2024-01-01", "dateTo": "2024-01-02" }]),
    )
    .await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["costs[1][summ]"],
    );
    let too_many: Vec<Value> = (0..51).map(|_| cost("rent", 1.0)).collect();
    let answer = post_doc(&crm, "/costs/upload", "costs", json!(too_many)).await;
    assert_error(&answer, 400, "Errors in the input parameters", &["costs"]);
    let (_, listed) = crm.get("/v5/costs", "").await;
    assert_eq!(listed["pagination"]["totalCount"], 2, "nothing more stored");

    let (status, body) = crm
        .post(
            "/v5/costs/delete",
            &[("ids", json!([ids[0], ids[1], 987_654]).to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "success": true, "count": 2, "notRemovedIds": [987_654] })
    );
    let (_, listed) = crm.get("/v5/costs", "").await;
    assert_eq!(listed["pagination"]["totalCount"], 0);
    let answer = crm
        .post("/v5/costs/delete", &[("ids", "[\"a\"]".into())])
        .await;
    assert_error(&answer, 400, "Errors in the input parameters", &["ids[0]"]);
    let answer = crm.post("/v5/costs/delete", &[("ids", "[]".into())]).await;
    assert_error(&answer, 400, "Errors in the input parameters", &["ids"]);
}

#[tokio::test]
async fn attraction_costs_take_their_items_tags() {
    let crm = Crm::new().await;
    let (status, body) = post_doc(
        &crm,
        "/reference/cost-items/advertising/edit",
        "costItem",
        json!({ "source": { "source": "yandex", "medium": "cpc" } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut doc = cost("advertising", 1200.0);
    doc["source"] = json!({ "campaign": "winter" });
    let id = create_cost(&crm, doc).await;
    let (_, body) = get_cost(&crm, id).await;
    assert_eq!(
        body["cost"]["source"],
        json!({ "source": "yandex", "medium": "cpc", "campaign": "winter" })
    );
    let mut wrong = cost("rent", 1.0);
    wrong["source"] = json!({ "source": "yandex" });
    let answer = post_doc(&crm, "/costs/create", "cost", wrong).await;
    assert_error(&answer, 400, "Errors in the entity format", &["source"]);
}

#[tokio::test]
async fn costs_need_their_permissions_and_stay_in_their_account_and_sites() {
    let crm = Crm::new().await;
    let id = create_cost(&crm, cost("rent", 10.0)).await;
    let reader = crm.add_key(&["cost_read"], &[]).await;
    let answer = post_doc_as(&crm, &reader, "/costs/create", "cost", cost("rent", 1.0)).await;
    assert_error(&answer, 403, "Access denied.", &[]);
    for path in [format!("/v5/costs/{id}/delete"), "/v5/costs/delete".into()] {
        assert_error(
            &crm.post_as(&reader, &path, &[]).await,
            403,
            "Access denied.",
            &[],
        );
    }
    let (status, _) = crm.get_as(&reader, "/v5/costs", "").await;
    assert_eq!(status, 200);
    let writer = crm.add_key(&["cost_write"], &[]).await;
    assert_error(
        &crm.get_as(&writer, "/v5/costs", "").await,
        403,
        "Access denied.",
        &[],
    );
    assert_error(
        &crm.get_as(&writer, &format!("/v5/costs/{id}"), "").await,
        403,
        "Access denied.",
        &[],
    );

    let stranger = other().await;
    assert_error(&get_cost(&stranger, id).await, 404, "Not found", &[]);
    let edit = post_doc(
        &stranger,
        &format!("/costs/{id}/edit"),
        "cost",
        json!({ "summ": 1 }),
    )
    .await;
    assert_error(&edit, 404, "Not found", &[]);
    let (_, listed) = stranger.get("/v5/costs", "").await;
    assert_eq!(listed["costs"], json!([]));
    assert_eq!(get_cost(&crm, id).await.1["cost"]["summ"], 10.0);

    let shop_b = crm.add_key(&[], &["shop-b"]).await;
    let (_, listed) = crm.get_as(&shop_b, "/v5/costs", "").await;
    assert_eq!(
        listed["costs"],
        json!([]),
        "main-shop's cost is out of its reach"
    );
    let answer = crm.get_as(&shop_b, &format!("/v5/costs/{id}"), "").await;
    assert_error(
        &answer,
        403,
        "Access to site \"main-shop\" is denied for this API key.",
        &[],
    );
    let (status, body) =
        post_doc_as(&crm, &shop_b, "/costs/create", "cost", cost("rent", 7.0)).await;
    assert_eq!(status, 201, "{body}");
    let (_, got) = crm
        .get_as(&shop_b, &format!("/v5/costs/{}", body["id"]), "")
        .await;
    assert_eq!(
        got["cost"]["sites"],
        json!(["shop-b"]),
        "the key's sites by default"
    );
}
