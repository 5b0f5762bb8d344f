//! Web analytics uploads: clientIds, sources and visits linked to orders and customers,
//! what they change (with history) and what Twin's admin API shows of them.

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, Crm};

impl Crm {
    /// Uploads `records` under `name` to `web-analytics/{path}/upload`.
    async fn web(&self, path: &str, name: &str, records: Value) -> (u16, Value) {
        self.post(
            &format!("/v5/web-analytics/{path}/upload"),
            &[(name, records.to_string())],
        )
        .await
    }

    /// Twin's admin view of the account's web analytics records.
    async fn web_records(&self) -> Value {
        let (status, body) = self.admin_call(Method::GET, "/web-analytics", None).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The history records of a customer or an order as `(field, old, new)`.
    async fn changes(&self, path: &str, filter: &str) -> Vec<(String, Value, Value)> {
        let (status, body) = self.get(path, &format!("{filter}&limit=100")).await;
        assert_eq!(status, 200, "{body}");
        body["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["created"] != true)
            .map(|r| {
                let field = r["field"].as_str().unwrap().to_owned();
                (field, r["oldValue"].clone(), r["newValue"].clone())
            })
            .collect()
    }
}

/// An account with a customer (`wa-c`) and an order of it (`wa-o`): their ids.
async fn setup() -> (Crm, i64, i64) {
    let crm = Crm::new().await;
    let customer = crm
        .create(json!({ "externalId": "wa-c", "firstName": "Вера" }))
        .await;
    let order = crm
        .create_order(json!({ "externalId": "wa-o", "customer": { "id": customer } }))
        .await["id"]
        .as_i64()
        .unwrap();
    (crm, customer, order)
}

async fn customer(crm: &Crm) -> Value {
    let (status, body) = crm.get("/v5/customers/wa-c", "").await;
    assert_eq!(status, 200, "{body}");
    body["customer"].clone()
}

#[tokio::test]
async fn client_ids_go_to_orders_and_customers_with_first_and_last() {
    let (crm, customer_id, order_id) = setup().await;
    let records = json!([
        { "value": "GA1.2.222", "createdAt": "2024-03-02 10:00:00", "order": { "externalId": "wa-o" }, "site": "main-shop" },
        { "value": "GA1.2.111", "createdAt": "2024-03-01 10:00:00", "customer": { "id": customer_id } },
        { "value": "GA1.2.333", "createdAt": "2024-03-03 10:00:00", "customer": { "externalId": "wa-c" } },
    ]);
    let (status, body) = crm.web("client-ids", "clientIds", records).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body, json!({ "success": true, "failedClientIds": [] }));
    let shown = customer(&crm).await;
    assert_eq!(shown["firstClientId"], "GA1.2.111");
    assert_eq!(shown["lastClientId"], "GA1.2.333");
    let filter = format!("filter[customerId]={customer_id}");
    let changes = crm.changes("/v5/customers/history", &filter).await;
    assert_eq!(
        changes,
        vec![
            ("first_client_id".into(), Value::Null, json!("GA1.2.222")),
            ("last_client_id".into(), Value::Null, json!("GA1.2.222")),
            (
                "first_client_id".into(),
                json!("GA1.2.222"),
                json!("GA1.2.111")
            ),
            (
                "last_client_id".into(),
                json!("GA1.2.222"),
                json!("GA1.2.333")
            ),
        ]
    );
    // The same value for the same order again changes nothing.
    let again = json!([{ "value": "GA1.2.222", "order": { "id": order_id } }]);
    let (status, _) = crm.web("client-ids", "clientIds", again).await;
    assert_eq!(status, 201);
    let stored = crm.web_records().await;
    let values: Vec<&str> = stored["clientIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["GA1.2.222", "GA1.2.111", "GA1.2.333"]);
    let first = &stored["clientIds"][0];
    assert_eq!(first["order"]["id"], order_id);
    assert_eq!(first["order"]["externalId"], "wa-o");
    assert_eq!(
        first["customer"],
        json!({ "id": customer_id, "externalId": "wa-c", "site": "main-shop", "type": "customer" })
    );
    assert_eq!(first["createdAt"], "2024-03-02 10:00:00");
}

#[tokio::test]
async fn failed_client_ids_are_named_and_the_rest_uploaded() {
    let (crm, customer_id, _) = setup().await;
    let records = json!([
        { "value": "ok-1", "customer": { "id": customer_id } },
        { "value": "", "customer": { "id": customer_id } },
        { "value": "no-link" },
        { "value": "lost", "order": { "number": "nope" } },
        { "value": "lost-c", "customer": { "externalId": "nope" } },
        { "value": "bad-date", "customer": { "id": customer_id }, "createdAt": "yesterday" },
        { "value": "bad-site", "customer": { "id": customer_id }, "site": "elsewhere" },
    ]);
    let (status, body) = crm.web("client-ids", "clientIds", records.clone()).await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(body["success"], false);
    assert_eq!(body["errorMsg"], "Errors occurred during the uploading");
    assert_eq!(
        body["errors"],
        json!([
            "clientIds[1][value]: This value should not be blank.",
            "clientIds[2]: One of the fields order or customer should be specified.",
            "clientIds[3][order]: Order not found.",
            "clientIds[4][customer]: Customer not found.",
            "clientIds[5][createdAt]: This value is not a valid datetime.",
            "clientIds[6][site]: Site with code \"elsewhere\" not found",
        ])
    );
    assert_eq!(
        body["failedClientIds"],
        Value::Array(records.as_array().unwrap()[1..].to_vec())
    );
    assert_eq!(customer(&crm).await["lastClientId"], "ok-1");
    assert_eq!(
        crm.web_records().await["clientIds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn batch_limits_and_malformed_bodies_are_400() {
    let crm = Crm::new().await;
    let many = |n: usize| Value::Array(vec![json!({ "value": "x" }); n]);
    let collection = |limit: usize| {
        format!("This collection should contain 1 element or more and {limit} elements or less.")
    };
    for (path, name, limit) in [
        ("client-ids", "clientIds", 100),
        ("sources", "sources", 100),
        ("visits", "visits", 50),
    ] {
        let answer = crm.web(path, name, many(limit + 1)).await;
        assert_error(&answer, 400, "Errors in the input parameters", &[name]);
        assert_eq!(answer.1["errors"][name], collection(limit));
        let answer = crm.web(path, name, json!([])).await;
        assert_error(&answer, 400, "Errors in the input parameters", &[name]);
        let answer = crm
            .post(&format!("/v5/web-analytics/{path}/upload"), &[])
            .await;
        assert_error(&answer, 400, &format!("Parameter '{name}' is missing"), &[]);
        let form = [(name, "{not json".to_owned())];
        let answer = crm
            .post(&format!("/v5/web-analytics/{path}/upload"), &form)
            .await;
        let message = format!("Parameter '{name}' must be a valid JSON document");
        assert_error(&answer, 400, &message, &[]);
    }
}

#[tokio::test]
async fn sources_set_the_orders_and_customers_source_with_history() {
    let (crm, customer_id, order_id) = setup().await;
    let to_order = json!([{ "source": "google", "medium": "cpc", "order": { "id": order_id } }]);
    let (status, body) = crm.web("sources", "sources", to_order).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body, json!({ "success": true, "failedSources": [] }));
    let (_, order) = crm.get("/v5/orders/wa-o", "").await;
    assert_eq!(
        order["order"]["source"],
        json!({ "source": "google", "medium": "cpc" })
    );
    // The customer had none: it takes the order's.
    assert_eq!(
        customer(&crm).await["source"],
        json!({ "source": "google", "medium": "cpc" })
    );
    let changes = crm
        .changes("/v5/orders/history", &format!("filter[orderId]={order_id}"))
        .await;
    assert_eq!(
        changes,
        vec![
            ("source.medium".into(), Value::Null, json!("cpc")),
            ("source.source".into(), Value::Null, json!("google")),
        ]
    );
    // A second source to the order leaves the customer's as it is.
    let again = json!([{ "source": "yandex", "order": { "externalId": "wa-o" } }]);
    crm.web("sources", "sources", again).await;
    assert_eq!(customer(&crm).await["source"]["source"], "google");
    // Through a clientId: the customer it was uploaded for.
    let ids = json!([{ "value": "cid-9", "customer": { "id": customer_id } }]);
    crm.web("client-ids", "clientIds", ids).await;
    let by_client = json!([{ "campaign": "spring", "clientId": "cid-9" }]);
    let (status, _) = crm.web("sources", "sources", by_client).await;
    assert_eq!(status, 201);
    assert_eq!(
        customer(&crm).await["source"],
        json!({ "campaign": "spring" })
    );
    let changes = crm
        .changes(
            "/v5/customers/history",
            &format!("filter[customerId]={customer_id}"),
        )
        .await;
    assert!(changes.contains(&("source.campaign".into(), Value::Null, json!("spring"))));
    assert!(changes.contains(&("source.source".into(), json!("google"), Value::Null)));
    let stored = crm.web_records().await["sources"].clone();
    assert_eq!(stored.as_array().unwrap().len(), 3);
    assert_eq!(stored[2]["clientId"], "cid-9");
    assert_eq!(stored[2]["customer"]["id"], customer_id);
}

#[tokio::test]
async fn failed_sources_are_named() {
    let (crm, _, _) = setup().await;
    let records = json!([
        { "order": { "externalId": "wa-o" } },
        { "source": "google" },
        { "source": "google", "clientId": "unknown" },
        { "source": "x".repeat(256), "order": { "externalId": "wa-o" } },
    ]);
    let (status, body) = crm.web("sources", "sources", records).await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(
        body["errors"],
        json!([
            "sources[0]: At least one of the fields source, medium, campaign, keyword, content should be specified.",
            "sources[1]: One of the fields order, customer or clientId should be specified.",
            "sources[2][clientId]: ClientId not found.",
            "sources[3][source]: This value is too long. It should have 255 characters or less.",
        ])
    );
    assert_eq!(body["failedSources"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn visits_are_kept_for_their_customers() {
    let (crm, customer_id, _) = setup().await;
    let ids = json!([{ "value": "cid-v", "customer": { "externalId": "wa-c" } }]);
    crm.web("client-ids", "clientIds", ids).await;
    let visits = json!([
        {
            "site": "main-shop", "customer": { "externalId": "wa-c" },
            "createdAt": "2024-05-01 12:00:00", "visitLength": 120, "pageViews": 2,
            "landingPage": "/", "exitPage": "/cart",
            "source": { "source": "google" },
            "pages": [{ "url": "/", "title": "Home", "countViews": 1, "timeOnPage": 5000 }, { "url": "/cart" }]
        },
        { "site": "main-shop", "clientId": "cid-v" },
        { "customer": { "id": customer_id } },
        { "site": "main-shop" },
        { "site": "main-shop", "customer": { "id": customer_id }, "pageViews": -1 },
        { "site": "main-shop", "customer": { "id": customer_id }, "pages": [{ "title": "?" }] },
    ]);
    let (status, body) = crm.web("visits", "visits", visits).await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(
        body["errors"],
        json!([
            "visits[2][site]: This value should not be blank.",
            "visits[3]: One of the fields customer or clientId should be specified.",
            "visits[4][pageViews]: This value should be greater than or equal to 0.",
            "visits[5][pages][0][url]: This value should not be blank.",
        ])
    );
    assert_eq!(body["failedVisits"].as_array().unwrap().len(), 4);
    let stored = crm.web_records().await["visits"].clone();
    let link =
        json!({ "id": customer_id, "externalId": "wa-c", "site": "main-shop", "type": "customer" });
    assert_eq!(stored[0]["customer"], link);
    assert_eq!(
        stored[0]["pages"][0],
        json!({ "url": "/", "title": "Home", "countViews": 1, "timeOnPage": 5000 })
    );
    assert_eq!(stored[0]["visitLength"], 120);
    assert_eq!(stored[0]["createdAt"], "2024-05-01 12:00:00");
    assert_eq!(stored[1]["customer"], link);
    assert_eq!(stored[1]["clientId"], "cid-v");
}

#[tokio::test]
async fn uploads_need_web_analytics_write() {
    let crm = Crm::with_key(&["customer_read"], &[]).await;
    for (path, name) in [
        ("client-ids", "clientIds"),
        ("sources", "sources"),
        ("visits", "visits"),
    ] {
        let answer = crm.web(path, name, json!([{ "value": "x" }])).await;
        assert_error(&answer, 403, "Access denied.", &[]);
    }
    let allowed = Crm::with_key(&["web_analytics_write"], &[]).await;
    let answer = allowed
        .web("client-ids", "clientIds", json!([{ "value": "x" }]))
        .await;
    assert_eq!(answer.0, 460, "{}", answer.1);
}

#[tokio::test]
async fn another_accounts_customers_and_orders_are_not_found() {
    let (crm, customer_id, order_id) = setup().await;
    let other = Crm::new().await;
    let records = json!([
        { "value": "spy", "customer": { "id": customer_id } },
        { "value": "spy", "order": { "id": order_id } },
    ]);
    let (status, body) = other.web("client-ids", "clientIds", records).await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(body["failedClientIds"].as_array().unwrap().len(), 2);
    // This account's clientId names no customer of the other.
    let ids = json!([{ "value": "GA-own", "customer": { "id": customer_id } }]);
    crm.web("client-ids", "clientIds", ids).await;
    let source = json!([{ "source": "x", "clientId": "GA-own" }]);
    let visit = json!([{ "site": "main-shop", "clientId": "GA-own" }]);
    for (path, records) in [("sources", source), ("visits", visit)] {
        let (status, body) = other.web(path, path, records).await;
        assert_eq!(status, 460, "{body}");
    }
    assert!(customer(&crm).await["source"].is_null());
    let theirs = other.web_records().await;
    assert_eq!(
        theirs,
        json!({ "clientIds": [], "sources": [], "visits": [] })
    );
}

#[tokio::test]
async fn a_key_limited_to_a_site_cannot_link_to_another_sites_customer() {
    let crm = Crm::new().await;
    let id = crm.create(json!({ "externalId": "wa-site" })).await;
    let limited = crm.add_key(&[], &["demo-shop"]).await;
    let (status, body) = crm
        .post_as(
            &limited,
            "/v5/web-analytics/client-ids/upload",
            &[(
                "clientIds",
                json!([{ "value": "v", "customer": { "id": id } }]).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(
        body["errors"],
        json!(["clientIds[0][customer]: Access to site \"main-shop\" is denied for this API key."])
    );
}

#[tokio::test]
async fn orders_and_customers_are_found_by_their_source_tags() {
    let (crm, customer_id, order_id) = setup().await;
    let other = crm.create(json!({ "externalId": "wa-other" })).await;
    let records = json!([
        { "source": "google", "medium": "cpc", "order": { "id": order_id } },
        { "source": "yandex", "content": "banner", "customer": { "id": other } },
    ]);
    assert_eq!(crm.web("sources", "sources", records).await.0, 201);
    let cases = [
        (
            "/v5/orders",
            "orders",
            "filter[sourceName]=google",
            vec![order_id],
        ),
        (
            "/v5/orders",
            "orders",
            "filter[mediumName]=cpc",
            vec![order_id],
        ),
        ("/v5/orders", "orders", "filter[sourceName]=goog", vec![]),
        (
            "/v5/customers",
            "customers",
            "filter[mediumName]=cpc",
            vec![customer_id],
        ),
        (
            "/v5/customers",
            "customers",
            "filter[sourceName]=yandex",
            vec![other],
        ),
        (
            "/v5/customers",
            "customers",
            "filter[adContentName]=banner",
            vec![other],
        ),
        (
            "/v5/customers",
            "customers",
            "filter[campaignName]=none",
            vec![],
        ),
    ];
    for (path, member, query, want) in cases {
        let (status, body) = crm.get(path, query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(super::ids_of(&body, member), want, "{path}?{query}");
    }
    let long = format!("filter[keywordName]={}", "k".repeat(256));
    let answer = crm.get("/v5/orders", &long).await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["filter[keywordName]"],
    );
}
