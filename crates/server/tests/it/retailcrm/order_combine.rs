//! Combining orders (`orders/combine`) and what a removed order or customer answers.

use serde_json::{json, Value};

use super::{assert_error, Crm};

/// `orders/combine` of `order` into `result` with `technique` (none: the default).
async fn combine(
    crm: &Crm,
    order: &Value,
    result: &Value,
    technique: Option<&str>,
) -> (u16, Value) {
    let mut form = vec![
        ("order", json!({ "id": order }).to_string()),
        ("resultOrder", json!({ "id": result }).to_string()),
    ];
    if let Some(technique) = technique {
        form.push(("technique", technique.to_owned()));
    }
    crm.post("/v5/orders/combine", &form).await
}

/// A result order (`A` × 2 at 100, offer `a`) and an order to combine into it (`A` × 3,
/// `B` × 1 at 10): their ids.
async fn pair(crm: &Crm, n: u32) -> (Value, Value) {
    let result = crm.create_order(
        json!({ "externalId": format!("r-{n}"), "items": [
            { "productName": "A", "initialPrice": 100, "quantity": 2, "offer": { "externalId": "a" } },
        ]}),
    )
    .await;
    let order = crm.create_order(
        json!({ "externalId": format!("o-{n}"), "items": [
            { "productName": "A!", "initialPrice": 90, "quantity": 3, "offer": { "externalId": "a" } },
            { "productName": "B", "initialPrice": 10, "quantity": 1 },
        ]}),
    )
    .await;
    (order["id"].clone(), result["id"].clone())
}

fn quantities(order: &Value) -> Vec<(String, f64)> {
    order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["productName"].as_str().unwrap().to_owned(),
                i["quantity"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn combine_merges_items_by_technique_and_removes_the_order() {
    let crm = Crm::new().await;
    for (n, technique, a, total) in [
        (1, None, 2.0, 210.0),
        (2, Some("ours"), 2.0, 210.0),
        (3, Some("summ"), 5.0, 510.0),
        (4, Some("theirs"), 3.0, 310.0),
    ] {
        let (order, result) = pair(&crm, n).await;
        let answer = combine(&crm, &order, &result, technique).await;
        assert_eq!(answer, (200, json!({ "success": true })), "{technique:?}");
        let (_, got) = crm.get(&format!("/v5/orders/r-{n}"), "").await;
        let got = &got["order"];
        let expected = vec![("A".to_owned(), a), ("B".to_owned(), 1.0)];
        assert_eq!(quantities(got), expected, "{technique:?}");
        assert_eq!(got["totalSumm"], total, "{technique:?}");
        // The removed order: 404 with `state: removed` and where it went.
        let target = json!({ "id": result, "externalId": format!("r-{n}"), "site": "main-shop",
                             "status": "new" });
        for (path, query) in [
            (format!("/v5/orders/o-{n}"), ""),
            (format!("/v5/orders/{order}"), "by=id"),
        ] {
            let gone = crm.get(&path, query).await;
            assert_error(&gone, 404, "Not found", &[]);
            assert_eq!(gone.1["state"], "removed");
            assert_eq!(gone.1["combinedTo"], target);
        }
        let edit = crm
            .post(
                &format!("/v5/orders/o-{n}/edit"),
                &[("order", json!({ "firstName": "X" }).to_string())],
            )
            .await;
        assert_error(&edit, 404, "Not found", &[]);
        assert_eq!(edit.1["state"], "removed");
        assert_eq!(edit.1["combinedTo"], target);
        // It is combined once: naming it again finds no order.
        let again = combine(&crm, &order, &result, None).await;
        assert_error(
            &again,
            400,
            "Errors in the input parameters",
            &["order[id]"],
        );
    }
    let (_, list) = crm.get("/v5/orders", "").await;
    assert_eq!(list["pagination"]["totalCount"], 4, "{list}");
}

#[tokio::test]
async fn combine_history_has_the_removal_then_the_results_items() {
    let crm = Crm::new().await;
    let (order, result) = pair(&crm, 1).await;
    let (_, before) = crm.get("/v5/orders/history", "").await;
    let since = before["history"].as_array().unwrap().last().unwrap()["id"].clone();
    let (_, was) = crm.get("/v5/orders/o-1", "").await;
    let b_item = was["order"]["items"][1].clone();
    combine(&crm, &order, &result, Some("summ")).await;
    let (_, page) = crm
        .get("/v5/orders/history", &format!("filter[sinceId]={since}"))
        .await;
    let records = page["history"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{page}");
    let target = json!({ "id": result, "externalId": "r-1", "site": "main-shop", "status": "new" });
    let removed = &records[0];
    assert_eq!(removed["deleted"], true);
    assert_eq!(removed["field"], "id");
    assert_eq!(removed["oldValue"], order);
    assert_eq!(removed["newValue"], Value::Null);
    assert_eq!(
        removed["order"],
        json!({ "id": order, "externalId": "o-1", "site": "main-shop", "status": "new" })
    );
    assert_eq!(removed["combinedTo"], target);
    assert_eq!(records[1]["field"], "order_product.quantity");
    assert_eq!(
        (&records[1]["oldValue"], &records[1]["newValue"]),
        (&json!(2.0), &json!(5.0))
    );
    assert_eq!(records[1]["order"], target);
    assert_eq!(records[2]["field"], "order_product");
    assert_eq!(records[2]["oldValue"], Value::Null);
    let (_, now) = crm.get("/v5/orders/r-1", "").await;
    let added = &now["order"]["items"][1];
    assert_ne!(added["id"], b_item["id"], "a new item of the result");
    assert_eq!(records[2]["newValue"], json!({ "id": added["id"] }));
    assert_eq!(records[2]["item"]["productName"], "B");
    let (_, one) = crm
        .get("/v5/orders/history", &format!("filter[orderId]={order}"))
        .await;
    assert_eq!(
        one["history"].as_array().unwrap().len(),
        2,
        "created, deleted"
    );
}

#[tokio::test]
async fn combine_errors_permission_and_isolation() {
    let crm = Crm::new().await;
    let (order, result) = pair(&crm, 1).await;
    let missing = crm
        .post(
            "/v5/orders/combine",
            &[("resultOrder", json!({ "id": result }).to_string())],
        )
        .await;
    assert_error(&missing, 400, "Parameter 'order' is missing", &[]);
    let blank = crm
        .post(
            "/v5/orders/combine",
            &[
                ("order", json!({}).to_string()),
                ("resultOrder", json!({ "id": "x" }).to_string()),
                ("technique", "mine".to_owned()),
            ],
        )
        .await;
    assert_error(
        &blank,
        400,
        "Errors in the input parameters",
        &["order[id]", "resultOrder[id]", "technique"],
    );
    let itself = combine(&crm, &result, &result, None).await;
    assert_error(
        &itself,
        400,
        "Errors in the input parameters",
        &["resultOrder[id]"],
    );
    let unknown = combine(&crm, &json!(999_999), &result, None).await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["order[id]"],
    );
    assert_eq!(unknown.1["errors"]["order[id]"], "Order not found");
    let unknown = combine(&crm, &order, &json!(999_999), None).await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["resultOrder[id]"],
    );

    let reader = crm.add_key(&["order_read"], &[]).await;
    let form = [
        ("order", json!({ "id": order }).to_string()),
        ("resultOrder", json!({ "id": result }).to_string()),
    ];
    let denied = crm.post_as(&reader, "/v5/orders/combine", &form).await;
    assert_error(&denied, 403, "Access denied.", &[]);
    // A key of another site, and another account, reach neither order.
    let elsewhere = crm.add_key(&[], &["other-shop"]).await;
    let hidden = crm.post_as(&elsewhere, "/v5/orders/combine", &form).await;
    assert_eq!(hidden.0, 400, "{}", hidden.1);
    let stranger = Crm::new().await;
    let hidden = stranger.post("/v5/orders/combine", &form).await;
    assert_error(
        &hidden,
        400,
        "Errors in the input parameters",
        &["order[id]"],
    );
    let (status, _) = crm.get("/v5/orders/o-1", "").await;
    assert_eq!(status, 200, "untouched");
}

#[tokio::test]
async fn a_combined_customer_answers_state_removed() {
    let crm = Crm::new().await;
    let result = crm.create(json!({ "externalId": "keep" })).await;
    let other = crm.create(json!({ "externalId": "gone" })).await;
    let (status, _) = crm
        .post(
            "/v5/customers/combine",
            &[
                ("customers", json!([{ "id": other }]).to_string()),
                ("resultCustomer", json!({ "id": result }).to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let target = json!({ "id": result, "externalId": "keep", "site": "main-shop" });
    let get = crm.get("/v5/customers/gone", "").await;
    let edit = crm
        .post(
            &format!("/v5/customers/{other}/edit"),
            &[("customer", "{}".to_owned()), ("by", "id".to_owned())],
        )
        .await;
    for answer in [get, edit] {
        assert_error(&answer, 404, "Not found", &[]);
        assert_eq!(answer.1["state"], "removed");
        assert_eq!(answer.1["combinedTo"], target);
    }
    // A customer that never was: no state.
    let (_, never) = crm.get("/v5/customers/never", "").await;
    assert!(never.get("state").is_none(), "{never}");
}
