//! Deliveries: the services integration modules bring, `delivery/calculate`, the status
//! updates a delivery module sends (`delivery/generic/{subcode}/tracking`), each change
//! in the order's history.

use serde_json::{json, Value};

use super::{assert_error, Crm};

/// The vendor's messages of bad parameters and of a bad entity document.
const PARAMS: &str = "Errors in the input parameters";

/// Registers the delivery module `code` (its delivery type of the same code comes with it).
pub async fn delivery_module(crm: &Crm, code: &str) {
    let module = json!({
        "name": "Twin Post", "logo": "https://twin.example/logo.svg",
        "availableCountries": ["RU", "BY"],
        "integrations": { "delivery": {
            "actions": { "calculate": "calculate", "delete": "delete" },
            "allowTrackNumber": true,
            "statusList": [
                { "code": "accepted", "name": "Принят" },
                { "code": "delivering", "name": "В пути" },
                { "code": "delivered", "name": "Доставлен", "isEditable": false },
                { "code": "cancelled", "name": "Отменён" },
            ],
        } },
    });
    let (status, body) = crm
        .post(
            &format!("/v5/integration-modules/{code}/edit"),
            &[("integrationModule", module.to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

/// Creates an order; its id.
pub async fn order(crm: &Crm, order: Value) -> i64 {
    let (status, body) = crm
        .post("/v5/orders/create", &[("order", order.to_string())])
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

/// The order's history records after `since`.
pub async fn history_since(crm: &Crm, since: i64) -> Vec<Value> {
    let (status, body) = crm
        .get("/v5/orders/history", &format!("filter[sinceId]={since}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["history"].as_array().unwrap().clone()
}

/// The last history record's id.
pub async fn last_record(crm: &Crm) -> i64 {
    let (_, body) = crm.get("/v5/orders/history", "limit=100").await;
    let list = body["history"].as_array().unwrap();
    list.last().map_or(0, |r| r["id"].as_i64().unwrap())
}

/// `(field, oldValue, newValue)` of records.
pub fn fields(records: &[Value]) -> Vec<(String, Value, Value)> {
    records
        .iter()
        .map(|r| {
            let field = r["field"].as_str().unwrap().to_owned();
            (field, r["oldValue"].clone(), r["newValue"].clone())
        })
        .collect()
}

async fn calculate(crm: &Crm, codes: Value, order: Value) -> (u16, Value) {
    let form = [
        ("deliveryTypeCodes", codes.to_string()),
        ("order", order.to_string()),
    ];
    crm.post("/v5/delivery/calculate", &form).await
}

#[tokio::test]
async fn calculate_prices_the_service_and_the_plain_types() {
    let crm = Crm::new().await;
    delivery_module(&crm, "twin-post").await;
    let (_, types) = crm.get("/v5/reference/delivery-types", "").await;
    assert_eq!(
        types["deliveryTypes"]["twin-post"]["integrationCode"],
        "twin-post"
    );
    assert_eq!(types["deliveryTypes"]["courier"]["defaultCost"], 300);
    let parcel = json!({
        "weight": 2500,
        "items": [{ "initialPrice": 1000, "quantity": 2, "discountManualPercent": 10 }],
        "delivery": { "address": { "index": "190000", "countryIso": "RU", "city": "СПб" } },
    });
    // 3 started kg × 40 + zone 1 × 15 + 0.5 % of 1800 + 200.
    let answer = calculate(&crm, json!(["twin-post", "courier"]), parcel.clone()).await;
    assert_eq!(
        answer,
        (
            200,
            json!({ "success": true, "calculations": [
                { "code": "twin-post", "available": true, "vatRate": "none", "cost": 344.0 },
                { "code": "courier", "available": true, "vatRate": "none", "cost": 300.0 },
            ] })
        )
    );
    // 50 × 40 × 30 cm weigh 12 volumetric kg; index 6xxxxx is zone 6.
    let mut bulky = parcel.clone();
    bulky["length"] = json!(50);
    bulky["width"] = json!(40);
    bulky["height"] = json!(30);
    bulky["delivery"]["address"]["index"] = json!("630000");
    let (_, body) = calculate(&crm, json!(["twin-post"]), bulky).await;
    assert_eq!(body["calculations"][0]["cost"], 200.0 + 480.0 + 90.0 + 9.0);
    // A country the module does not serve.
    let mut abroad = parcel.clone();
    abroad["delivery"]["address"]["countryIso"] = json!("KZ");
    let (_, body) = calculate(&crm, json!(["twin-post"]), abroad).await;
    assert_eq!(
        body["calculations"],
        json!([{ "code": "twin-post", "available": false, "vatRate": "none" }])
    );
    // Bracket fields, as PHP clients send them.
    let form = [
        ("deliveryTypeCodes[]", "twin-post".to_owned()),
        ("order[weight]", "900".to_owned()),
    ];
    let (status, body) = crm.post("/v5/delivery/calculate", &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["calculations"][0]["cost"], 255.0);
}

#[tokio::test]
async fn calculate_errors_permissions_and_isolation() {
    let crm = Crm::new().await;
    delivery_module(&crm, "twin-post").await;
    let none = crm.post("/v5/delivery/calculate", &[]).await;
    assert_error(&none, 400, PARAMS, &["deliveryTypeCodes"]);
    let unknown = calculate(&crm, json!(["courier", "teleport"]), json!({})).await;
    assert_error(&unknown, 400, PARAMS, &["deliveryTypeCodes[1]"]);
    let order = json!({ "weight": "heavy", "items": [{ "quantity": -1 }],
                        "delivery": { "date": "tomorrow" } });
    let bad = calculate(&crm, json!(["courier"]), order).await;
    assert_error(
        &bad,
        400,
        PARAMS,
        &[
            "order[delivery][date]",
            "order[items][0][quantity]",
            "order[weight]",
        ],
    );
    let form = [
        ("deliveryTypeCodes", "[\"courier\"]".to_owned()),
        ("order", "{".to_owned()),
    ];
    let not_json = crm.post("/v5/delivery/calculate", &form).await;
    assert_error(
        &not_json,
        400,
        "Parameter 'order' must be a valid JSON document",
        &[],
    );
    // The method needs no permission: a key limited to orders calls it.
    let limited = crm.add_key(&["order_read"], &[]).await;
    let form = [("deliveryTypeCodes", "[\"twin-post\"]".to_owned())];
    let (status, _) = crm.post_as(&limited, "/v5/delivery/calculate", &form).await;
    assert_eq!(status, 200);
    // Another account has no such service.
    let other = Crm::new().await;
    let theirs = calculate(&other, json!(["twin-post"]), json!({})).await;
    assert_error(&theirs, 400, PARAMS, &["deliveryTypeCodes[0]"]);
}

pub async fn track(crm: &Crm, subcode: &str, updates: Value) -> (u16, Value) {
    let path = format!("/v5/delivery/generic/{subcode}/tracking");
    crm.post(&path, &[("statusUpdate", updates.to_string())])
        .await
}

#[tokio::test]
async fn tracking_updates_the_orders_delivery_data_with_history() {
    let crm = Crm::new().await;
    delivery_module(&crm, "twin-post").await;
    let delivery = json!({ "code": "twin-post", "cost": 300,
                           "data": { "externalId": "D-1", "tariff": "express", "status": "forged" } });
    let id = order(&crm, json!({ "externalId": "t-1", "delivery": delivery })).await;
    let (_, got) = crm.get("/v5/orders/t-1", "").await;
    // The status is the service's: an order document cannot write it.
    assert_eq!(
        got["order"]["delivery"]["data"],
        json!({ "externalId": "D-1", "tariff": "express" })
    );
    let since = last_record(&crm).await;
    let updates = json!([{ "deliveryId": "D-1", "trackNumber": "TRK1", "cost": 350,
        "history": [
            { "code": "delivering", "updatedAt": "2024-01-03T12:00:00+03:00", "comment": "On the way" },
            { "code": "accepted", "updatedAt": "2024-01-02T10:00:00+03:00" },
        ] }]);
    assert_eq!(
        track(&crm, "twin-post", updates).await,
        (200, json!({ "success": true }))
    );
    let (_, got) = crm.get("/v5/orders/t-1", "").await;
    assert_eq!(
        got["order"]["delivery"]["data"],
        json!({ "externalId": "D-1", "tariff": "express", "status": "delivering",
                "statusText": "В пути", "statusDate": "2024-01-03 12:00:00",
                "statusComment": "On the way", "trackNumber": "TRK1", "cost": 350.0 })
    );
    let records = history_since(&crm, since).await;
    let prefix = "integration_delivery_data";
    assert_eq!(
        fields(&records),
        vec![
            (format!("{prefix}.cost"), Value::Null, json!(350.0)),
            (format!("{prefix}.status"), Value::Null, json!("delivering")),
            (
                format!("{prefix}.status_comment"),
                Value::Null,
                json!("On the way")
            ),
            (
                format!("{prefix}.status_date"),
                Value::Null,
                json!("2024-01-03 12:00:00")
            ),
            (
                format!("{prefix}.status_text"),
                Value::Null,
                json!("В пути")
            ),
            (format!("{prefix}.track_number"), Value::Null, json!("TRK1")),
        ]
    );
    assert!(records
        .iter()
        .all(|r| r["order"]["id"] == id && r["source"] == "api"));
    // An older status changes nothing; a newer one is recorded alone.
    let since = last_record(&crm).await;
    let old = json!([{ "deliveryId": "D-1", "history": [
        { "code": "accepted", "updatedAt": "2024-01-01T10:00:00+03:00", "comment": "On the way" }] }]);
    track(&crm, "twin-post", old).await;
    assert!(history_since(&crm, since).await.is_empty());
    let new = json!([{ "deliveryId": "D-1", "history": [
        { "code": "delivered", "updatedAt": "2024-01-04T09:30:00+03:00", "comment": "On the way" }] }]);
    track(&crm, "twin-post", new).await;
    assert_eq!(
        fields(&history_since(&crm, since).await),
        vec![
            (
                format!("{prefix}.status"),
                json!("delivering"),
                json!("delivered")
            ),
            (
                format!("{prefix}.status_date"),
                json!("2024-01-03 12:00:00"),
                json!("2024-01-04 09:30:00")
            ),
            (
                format!("{prefix}.status_text"),
                json!("В пути"),
                json!("Доставлен")
            ),
        ]
    );
}

#[tokio::test]
async fn tracking_errors_are_all_or_none_and_per_account() {
    let crm = Crm::new().await;
    delivery_module(&crm, "twin-post").await;
    let delivery = json!({ "code": "twin-post", "data": { "externalId": "D-1" } });
    order(&crm, json!({ "externalId": "t-1", "delivery": delivery })).await;
    let ok = json!({ "deliveryId": "D-1", "history": [
        { "code": "accepted", "updatedAt": "2024-01-02T10:00:00+03:00" }] });
    let ghost = track(&crm, "nobody", json!([ok])).await;
    assert_error(&ghost, 404, "Not found", &[]);
    let path = "/v5/delivery/generic/twin-post/tracking";
    let empty = crm.post(path, &[]).await;
    assert_error(&empty, 400, PARAMS, &["statusUpdate"]);
    let many = track(&crm, "twin-post", Value::Array(vec![ok.clone(); 101])).await;
    assert_error(&many, 400, PARAMS, &["statusUpdate"]);
    let bad = json!([ok, { "deliveryId": "D-404" },
        { "deliveryId": "D-1", "history": [{ "code": "lost" }, { "code": "accepted", "updatedAt": "yesterday" }] },
        { "history": [] }]);
    let bad = track(&crm, "twin-post", bad).await;
    assert_error(
        &bad,
        400,
        PARAMS,
        &[
            "statusUpdate[1][deliveryId]",
            "statusUpdate[2][history][0][code]",
            "statusUpdate[2][history][1][updatedAt]",
            "statusUpdate[3][deliveryId]",
        ],
    );
    let (_, got) = crm.get("/v5/orders/t-1", "").await;
    assert!(
        got["order"]["delivery"]["data"]["status"].is_null(),
        "{got}"
    );
    // A locked delivery is not synchronised.
    let lock = json!({ "delivery": { "data": { "locked": true } } });
    crm.post("/v5/orders/t-1/edit", &[("order", lock.to_string())])
        .await;
    assert_eq!(track(&crm, "twin-post", json!([ok])).await.0, 200);
    let (_, got) = crm.get("/v5/orders/t-1", "").await;
    assert!(
        got["order"]["delivery"]["data"]["status"].is_null(),
        "{got}"
    );
    // Another account has no such service, nor the order.
    let other = Crm::new().await;
    assert_error(
        &track(&other, "twin-post", json!([ok])).await,
        404,
        "Not found",
        &[],
    );
    delivery_module(&other, "twin-post").await;
    let theirs = track(&other, "twin-post", json!([ok])).await;
    assert_error(&theirs, 400, PARAMS, &["statusUpdate[0][deliveryId]"]);
}
