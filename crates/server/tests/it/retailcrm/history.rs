//! The customer history: a sequence of writes produces exactly the vendor's records, and
//! a `sinceId` poller sees each change once from wherever it starts.

use serde_json::{json, Value};

use super::{assert_error, Crm};

/// 2024-01-01 12:00:00 Moscow time.
const START: &str = "2024-01-01T09:00:00Z";

/// The records of one history page, checked for the envelope.
async fn history(crm: &Crm, query: &str) -> Vec<Value> {
    let (status, body) = crm.get("/v5/customers/history", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert_eq!(body["success"], true);
    assert!(body["generatedAt"].is_string(), "{body}");
    body["history"].as_array().unwrap().clone()
}

fn ids_of(records: &[Value]) -> Vec<i64> {
    records.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

/// The parts of a record a test states: everything but `id` and the full customer of a
/// create (checked apart).
fn essence(record: &Value) -> Value {
    let mut record = record.clone();
    let object = record.as_object_mut().unwrap();
    object.remove("id");
    if object.get("created") == Some(&json!(true)) {
        object.insert("customer".into(), json!("<full>"));
    }
    record
}

#[tokio::test]
async fn writes_produce_the_vendors_records_and_polling_sees_each_once() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let a = crm
        .create(json!({ "externalId": "h-a", "firstName": "Анна", "email": "anna@example.com" }))
        .await;
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let b = crm
        .create(json!({ "firstName": "Борис", "phones": [{ "number": "333" }] }))
        .await;
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let (status, _) = crm
        .post(
            "/v5/customers/h-a/edit",
            &[("customer", json!({ "firstName": "Анна-Мария", "address": { "city": "Тверь" }, "email": "anna@example.com" }).to_string())],
        )
        .await;
    assert_eq!(status, 200);
    // An edit that changes nothing leaves no record.
    let (status, _) = crm
        .post(
            "/v5/customers/h-a/edit",
            &[("customer", json!({ "firstName": "Анна-Мария" }).to_string())],
        )
        .await;
    assert_eq!(status, 200);
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let fixes = json!([{ "id": b, "externalId": "h-b" }]);
    assert_eq!(
        crm.post(
            "/v5/customers/fix-external-ids",
            &[("customers", fixes.to_string())]
        )
        .await
        .0,
        200
    );
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let combine = [
        ("customers", json!([{ "id": b }]).to_string()),
        ("resultCustomer", json!({ "id": a }).to_string()),
    ];
    assert_eq!(crm.post("/v5/customers/combine", &combine).await.0, 200);

    let records = history(&crm, "limit=100").await;
    let key = json!({ "current": true, "id": 1 });
    let a_now = json!({ "id": a, "externalId": "h-a", "site": "main-shop" });
    let expected = vec![
        json!({ "createdAt": "2024-01-01 12:00:00", "created": true, "source": "api", "field": "id",
                "oldValue": null, "newValue": a, "apiKey": key, "customer": "<full>" }),
        json!({ "createdAt": "2024-01-01 12:01:00", "created": true, "source": "api", "field": "id",
                "oldValue": null, "newValue": b, "apiKey": key, "customer": "<full>" }),
        json!({ "createdAt": "2024-01-01 12:02:00", "source": "api", "field": "address.city",
                "oldValue": null, "newValue": "Тверь", "apiKey": key, "customer": a_now }),
        json!({ "createdAt": "2024-01-01 12:02:00", "source": "api", "field": "first_name",
                "oldValue": "Анна", "newValue": "Анна-Мария", "apiKey": key, "customer": a_now }),
        json!({ "createdAt": "2024-01-01 12:03:00", "source": "api", "field": "external_id",
                "oldValue": null, "newValue": "h-b", "apiKey": key,
                "customer": { "id": b, "externalId": "h-b", "site": "main-shop" } }),
        json!({ "createdAt": "2024-01-01 12:04:00", "deleted": true, "source": "api", "field": "id",
                "oldValue": b, "newValue": null, "apiKey": key,
                "customer": { "id": b, "externalId": "h-b", "site": "main-shop" }, "combinedTo": a_now }),
        json!({ "createdAt": "2024-01-01 12:04:00", "source": "api", "field": "phones",
                "oldValue": null, "newValue": [{ "number": "333" }], "apiKey": key, "customer": a_now }),
    ];
    assert_eq!(records.iter().map(essence).collect::<Vec<_>>(), expected);
    // A create carries the whole customer as it was created.
    assert_eq!(records[0]["customer"]["email"], "anna@example.com");
    assert_eq!(records[0]["customer"]["createdAt"], "2024-01-01 12:00:00");
    assert_eq!(
        records[1]["customer"]["phones"],
        json!([{ "number": "333" }])
    );
    let ids = ids_of(&records);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");

    // From any point, sinceId yields the rest, each once.
    for start in 0..=ids.len() {
        let since = if start == 0 { 0 } else { ids[start - 1] };
        let page = history(&crm, &format!("filter[sinceId]={since}")).await;
        assert_eq!(ids_of(&page), ids[start..].to_vec(), "since {since}");
    }
    // Changes made after a poll come after its last id.
    crm.post(
        "/v5/customers/h-a/edit",
        &[("customer", json!({ "vip": true }).to_string())],
    )
    .await;
    let newer = history(&crm, &format!("filter[sinceId]={}", ids[ids.len() - 1])).await;
    assert_eq!(newer.len(), 1);
    assert_eq!(newer[0]["field"], "vip");
    assert!(newer[0]["id"].as_i64().unwrap() > ids[ids.len() - 1]);

    // One customer, by id or by external id.
    let of_b = history(&crm, &format!("filter[customerId]={b}")).await;
    assert_eq!(ids_of(&of_b), vec![ids[1], ids[4], ids[5]]);
    let of_a = history(&crm, "filter[customerExternalId]=h-a").await;
    assert_eq!(of_a.len(), 5);
    assert!(history(&crm, "filter[customerExternalId]=nobody")
        .await
        .is_empty());
    // Dates, inclusive.
    let window = history(
        &crm,
        "filter[startDate]=2024-01-01 12:01:00&filter[endDate]=2024-01-01 12:02:00",
    )
    .await;
    assert_eq!(ids_of(&window), ids[1..4].to_vec());
}

#[tokio::test]
async fn history_pages_and_tells_other_keys_apart() {
    let crm = Crm::new().await;
    let other = crm.add_key(&[], &[]).await;
    for i in 0..25 {
        crm.create(json!({ "externalId": format!("k{i}") })).await;
    }
    crm.post_as(
        &other,
        "/v5/customers/k0/edit",
        &[("customer", json!({ "vip": true }).to_string())],
    )
    .await;
    let (_, body) = crm.get("/v5/customers/history", "page=2").await;
    assert_eq!(
        body["pagination"],
        json!({ "limit": 20, "totalCount": 26, "currentPage": 2, "totalPageCount": 2 })
    );
    let last = &body["history"][5];
    assert_eq!(last["field"], "vip");
    assert_eq!(last["apiKey"], json!({ "current": false, "id": 2 }));
    let (_, body) = crm.get_as(&other, "/v5/customers/history", "page=2").await;
    assert_eq!(body["history"][5]["apiKey"]["current"], true);
    assert_eq!(
        body["history"][0]["apiKey"],
        json!({ "current": false, "id": 1 })
    );
}

#[tokio::test]
async fn history_filters_are_checked() {
    let crm = Crm::new().await;
    let answer = crm
        .get(
            "/v5/customers/history",
            "filter[sinceId]=-1&filter[customerId]=x&filter[startDate]=2024-01-01&filter[endDate]=soon",
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &[
            "filter[customerId]",
            "filter[endDate]",
            "filter[sinceId]",
            "filter[startDate]",
        ],
    );
    let answer = crm.get("/v5/customers/history", "limit=10").await;
    assert_error(&answer, 400, "Errors in the input parameters", &["limit"]);
}
