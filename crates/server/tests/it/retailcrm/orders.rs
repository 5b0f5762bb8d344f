//! Orders: the reference data they use, create/get/edit/list/upload/fix-external-ids with
//! totals computed from the items, the customer linked or made from the order, and the
//! order history as a `sinceId` poller sees it.

use serde_json::{json, Value};

use super::{assert_error, external_ids_of, Crm};

/// 2024-01-01 12:00:00 Moscow time.
const START: &str = "2024-01-01T09:00:00Z";

pub(super) async fn create(crm: &Crm, order: Value) -> Value {
    let (status, body) = crm
        .post("/v5/orders/create", &[("order", order.to_string())])
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

pub(super) async fn history(crm: &Crm, query: &str) -> Vec<Value> {
    let (status, body) = crm.get("/v5/orders/history", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert!(body["generatedAt"].is_string(), "{body}");
    body["history"].as_array().unwrap().clone()
}

#[tokio::test]
async fn reference_data_is_the_accounts() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/reference/statuses", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["statuses"]["new"]["group"], "new");
    assert_eq!(
        body["statuses"]["availability-confirmed"]["group"],
        "approval"
    );
    assert_eq!(body["statuses"]["complete"]["group"], "complete");
    assert_eq!(body["statuses"]["cancel-other"]["group"], "cancel");
    assert_eq!(body["statuses"]["cancel-other"]["active"], true);
    let (_, body) = crm.get("/v5/reference/order-types", "").await;
    assert_eq!(
        body["orderTypes"]["eshop-individual"]["defaultForApi"],
        true
    );
    let (_, body) = crm.get("/v5/reference/payment-types", "").await;
    assert_eq!(body["paymentTypes"]["cash"]["code"], "cash");
    let (_, body) = crm.get("/v5/reference/delivery-types", "").await;
    assert_eq!(body["deliveryTypes"]["courier"]["defaultCost"], 300);
    let (_, body) = crm.get("/v5/reference/stores", "").await;
    assert_eq!(body["stores"][0]["code"], "main-warehouse", "{body}");
    // The same on a second read: seeded once.
    let (_, again) = crm.get("/v5/reference/stores", "").await;
    assert_eq!(again, body);
}

#[tokio::test]
async fn create_computes_totals_and_makes_the_customer() {
    let crm = Crm::new().await;
    let body = create(
        &crm,
        json!({
            "externalId": "o-1",
            "firstName": "Анна",
            "phone": "+7 900 111-22-33",
            "email": "anna@example.com",
            "discountManualAmount": 50,
            "delivery": { "code": "courier", "cost": 300 },
            "items": [
                { "productName": "Чайник", "initialPrice": 1000, "quantity": 2,
                  "discountManualPercent": 10 },
                { "productName": "Чашка", "initialPrice": 150.5, "quantity": 3,
                  "discountManualAmount": 0.5, "offer": { "externalId": "cup" } },
            ],
        }),
    )
    .await;
    let id = body["id"].as_i64().unwrap();
    let order = &body["order"];
    // 900 × 2 + 150 × 3 = 2250; − 50; + 300 delivery.
    assert_eq!(order["summ"], 2250.0, "{order}");
    assert_eq!(order["totalSumm"], 2500.0);
    assert_eq!(order["status"], "new");
    assert_eq!(order["orderType"], "eshop-individual");
    assert_eq!(order["number"], format!("{id}A"));
    assert_eq!(order["items"][0]["discountTotal"], 100.0 + 40.0 / 2.0);
    assert_eq!(order["items"][1]["offer"]["externalId"], "cup");
    // The customer is new, made from the order's contact fields.
    let customer = &order["customer"];
    assert_eq!(customer["firstName"], "Анна");
    assert_eq!(customer["phones"][0]["number"], "+7 900 111-22-33");
    let customer_id = customer["id"].as_i64().unwrap();
    let (status, got) = crm
        .get(&format!("/v5/customers/{customer_id}"), "by=id")
        .await;
    assert_eq!(status, 200, "{got}");
    let (status, got) = crm.get("/v5/orders/o-1", "").await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["order"]["totalSumm"], 2500.0);
    assert_eq!(got["order"]["customer"]["id"], customer_id);
    let (_, by_id) = crm.get(&format!("/v5/orders/{id}"), "by=id").await;
    assert_eq!(by_id["order"]["externalId"], "o-1");
    // A second order linked to that customer by its id takes its contacts.
    let second = create(&crm, json!({ "customer": { "id": customer_id } })).await;
    assert_eq!(second["order"]["firstName"], "Анна");
    assert_eq!(second["order"]["customer"]["id"], customer_id);
    assert_eq!(second["order"]["summ"], 0.0);
}

#[tokio::test]
async fn order_errors_are_the_vendors() {
    let crm = Crm::new().await;
    create(&crm, json!({ "externalId": "e-1" })).await;
    let missing = crm.post("/v5/orders/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'order' is missing", &[]);
    let taken = crm
        .post(
            "/v5/orders/create",
            &[("order", json!({ "externalId": "e-1" }).to_string())],
        )
        .await;
    assert_error(&taken, 400, "Errors in the entity format", &["externalId"]);
    let bad = crm
        .post(
            "/v5/orders/create",
            &[(
                "order",
                json!({ "status": "nope", "email": "x", "customer": { "id": 999 },
                        "items": [{ "quantity": 0 }], "delivery": { "code": "teleport" } })
                .to_string(),
            )],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &[
            "customer",
            "delivery[code]",
            "email",
            "items[0][quantity]",
            "status",
        ],
    );
    let unknown = crm.get("/v5/orders/nope", "").await;
    assert_error(&unknown, 404, "Not found", &[]);
    let edit_unknown = crm
        .post("/v5/orders/nope/edit", &[("order", "{}".to_owned())])
        .await;
    assert_error(&edit_unknown, 404, "Not found", &[]);
    let by = crm.get("/v5/orders/e-1", "by=code").await;
    assert_error(&by, 400, "Errors in the input parameters", &["by"]);
}

#[tokio::test]
async fn edit_changes_items_and_totals() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let body = create(
        &crm,
        json!({ "externalId": "ed", "items": [
            { "productName": "A", "initialPrice": 100, "quantity": 1 },
            { "productName": "B", "initialPrice": 200, "quantity": 1 },
        ]}),
    )
    .await;
    let items = body["order"]["items"].as_array().unwrap().clone();
    let (a, b) = (items[0]["id"].clone(), items[1]["id"].clone());
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let (status, edited) = crm
        .post(
            "/v5/orders/ed/edit",
            &[(
                "order",
                json!({ "status": "complete", "discountManualPercent": 10, "items": [
                    { "id": a, "quantity": 3 },
                    { "productName": "C", "initialPrice": 50 },
                ]})
                .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    let order = &edited["order"];
    // 100 × 3 + 50 = 350; − 10 %.
    assert_eq!(order["summ"], 350.0, "{order}");
    assert_eq!(order["totalSumm"], 315.0);
    assert_eq!(order["status"], "complete");
    assert_eq!(order["statusUpdatedAt"], "2024-01-01 12:01:00");
    let ids: Vec<Value> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(ids[0], a);
    assert!(!ids.contains(&b));
    assert_eq!(ids.len(), 2);
    let bad = crm
        .post(
            "/v5/orders/ed/edit",
            &[("order", json!({ "items": [{ "id": 999_999 }] }).to_string())],
        )
        .await;
    assert_error(&bad, 400, "Errors in the entity format", &["items[0][id]"]);
}

#[tokio::test]
async fn list_filters_apply() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let customer = crm
        .create(json!({ "externalId": "c-1", "firstName": "Ольга" }))
        .await;
    create(
        &crm,
        json!({ "externalId": "l-1", "customer": { "externalId": "c-1" },
                "email": "olga@example.com", "status": "complete",
                "items": [{ "initialPrice": 500 }] }),
    )
    .await;
    crm.clock(json!({ "action": "advance", "seconds": 86_400 }))
        .await;
    create(
        &crm,
        json!({ "externalId": "l-2", "firstName": "Пётр", "phone": "8 (900) 555-00-11",
                "status": "cancel-other", "orderType": "eshop-legal", "call": true }),
    )
    .await;
    let cases = [
        ("filter[externalIds][]=l-2", vec!["l-2"]),
        (
            &format!("filter[customerId]={customer}") as &str,
            vec!["l-1"],
        ),
        ("filter[customerExternalId]=c-1", vec!["l-1"]),
        ("filter[customer]=пёт", vec!["l-2"]),
        ("filter[customer]=9005550011", vec!["l-2"]),
        ("filter[email]=OLGA@", vec!["l-1"]),
        ("filter[statuses][]=complete", vec!["l-1"]),
        ("filter[extendedStatus][]=cancel", vec!["l-2"]),
        (
            "filter[extendedStatus][]=complete&filter[extendedStatus][]=cancel-other",
            vec!["l-1", "l-2"],
        ),
        ("filter[orderTypes][]=eshop-legal", vec!["l-2"]),
        ("filter[call]=1", vec!["l-2"]),
        ("filter[createdAtFrom]=2024-01-02", vec!["l-2"]),
        ("filter[createdAtTo]=2024-01-01", vec!["l-1"]),
        ("filter[minPrice]=100", vec!["l-1"]),
        ("filter[sites][]=main-shop", vec!["l-1", "l-2"]),
    ];
    for (query, expected) in cases {
        let (status, body) = crm.get("/v5/orders", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(external_ids_of(&body, "orders"), expected, "{query}");
    }
    let (_, body) = crm.get("/v5/orders", "filter[numbers][]=x").await;
    assert_eq!(body["pagination"]["totalCount"], 0);
    let bad = crm
        .get("/v5/orders", "filter[createdAtFrom]=yesterday")
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[createdAtFrom]"],
    );
}

#[tokio::test]
async fn upload_and_fix_external_ids() {
    let crm = Crm::new().await;
    let orders = json!([
        { "externalId": "u-1", "items": [{ "initialPrice": 10, "quantity": 2 }] },
        { "externalId": "u-1" },
        { "status": "bogus" },
    ]);
    let (status, body) = crm
        .post("/v5/orders/upload", &[("orders", orders.to_string())])
        .await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(body["uploadedOrders"].as_array().unwrap().len(), 1);
    assert_eq!(body["errors"].as_array().unwrap().len(), 2, "{body}");
    let id = body["uploadedOrders"][0]["id"].as_i64().unwrap();
    let (status, body) = crm
        .post(
            "/v5/orders/fix-external-ids",
            &[(
                "orders",
                json!([{ "id": id, "externalId": "u-9" }]).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, got) = crm.get("/v5/orders/u-9", "").await;
    assert_eq!(got["order"]["totalSumm"], 20.0);
    let bad = crm
        .post(
            "/v5/orders/fix-external-ids",
            &[(
                "orders",
                json!([{ "id": 424_242, "externalId": "z" }]).to_string(),
            )],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["orders[0][id]"],
    );
}

#[tokio::test]
async fn history_records_each_change_once() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let body = create(
        &crm,
        json!({ "externalId": "h-1", "firstName": "Анна",
                "items": [{ "productName": "A", "initialPrice": 100 }] }),
    )
    .await;
    let id = body["id"].clone();
    let item = body["order"]["items"][0]["id"].clone();
    let customer = body["order"]["customer"]["id"].clone();
    let first = history(&crm, "").await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["created"], true);
    assert_eq!(first[0]["field"], "id");
    assert_eq!(first[0]["newValue"], id);
    assert_eq!(first[0]["order"]["items"][0]["id"], item);
    assert_eq!(first[0]["source"], "api");
    assert_eq!(first[0]["apiKey"]["current"], true);
    // The new customer is in the customers' history.
    let (_, customers) = crm.get("/v5/customers/history", "").await;
    assert_eq!(customers["history"][0]["customer"]["id"], customer);
    let since = first[0]["id"].as_i64().unwrap();
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let (status, _) = crm
        .post(
            "/v5/orders/h-1/edit",
            &[(
                "order",
                json!({ "status": "complete", "firstName": "Анна-Мария",
                        "delivery": { "code": "courier", "cost": 200 },
                        "items": [{ "id": item, "quantity": 2 },
                                  { "productName": "B", "initialPrice": 5 }] })
                .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200);
    // An edit that changes nothing records nothing.
    let (status, _) = crm
        .post(
            "/v5/orders/h-1/edit",
            &[("order", json!({ "status": "complete" }).to_string())],
        )
        .await;
    assert_eq!(status, 200);
    let records = history(&crm, &format!("filter[sinceId]={since}")).await;
    let fields: Vec<(&str, &Value, &Value)> = records
        .iter()
        .map(|r| (r["field"].as_str().unwrap(), &r["oldValue"], &r["newValue"]))
        .collect();
    let new_item = records
        .iter()
        .find(|r| r["field"] == "order_product" && r["oldValue"].is_null())
        .map(|r| r["item"]["id"].clone())
        .unwrap();
    assert_eq!(
        fields,
        vec![
            ("delivery_type", &Value::Null, &json!({ "code": "courier" })),
            ("delivery_cost", &Value::Null, &json!(200.0)),
            ("first_name", &json!("Анна"), &json!("Анна-Мария")),
            (
                "status",
                &json!({ "code": "new" }),
                &json!({ "code": "complete" })
            ),
            ("order_product.quantity", &json!(1.0), &json!(2.0)),
            ("order_product", &Value::Null, &json!({ "id": new_item })),
        ]
    );
    for record in &records {
        assert_eq!(record["createdAt"], "2024-01-01 12:01:00");
        assert_eq!(record["order"]["id"], id);
        assert_eq!(record["order"]["status"], "complete");
        assert!(record["order"].get("items").is_none());
    }
    assert_eq!(records[4]["item"]["id"], item);
    // Polling from the last record sees nothing new; each record once.
    let last = records.last().unwrap()["id"].as_i64().unwrap();
    assert!(history(&crm, &format!("filter[sinceId]={last}"))
        .await
        .is_empty());
    let by_order = history(&crm, "filter[orderExternalId]=h-1").await;
    assert_eq!(by_order.len(), 7);
    let bad = crm.get("/v5/orders/history", "filter[orderId]=x").await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[orderId]"],
    );
}
