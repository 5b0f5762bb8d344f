//! Produman.Kassa: every route of `KassaEndpoint::route` with A's ids (categories,
//! products, webhook endpoints, cashboxes, integrations, and ids of kinds A has none
//! of), B's writes linking A's category, and the three headers mixed across accounts:
//! B's application with A's client token, A's with B's, and an application id both
//! accounts hold with different secrets.

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{unique, TestApp};

use super::{assert_refused, assert_unchanged, expect_created, run, snapshot, Probe};
use crate::kassa::Kassa;

struct Planted {
    category: String,
    product: String,
    endpoint: String,
    cashbox: String,
}

async fn created(kassa: &Kassa, path: &str, body: Value) -> String {
    let created = expect_created(kassa.post(path, body).await, 201, path);
    created["id"].as_str().expect("id").to_owned()
}

async fn plant(kassa: &Kassa, marker: &str) -> Planted {
    let category = created(kassa, "/product-categories", json!({ "name": marker })).await;
    let product = created(
        kassa,
        "/products",
        json!({ "name": marker, "categoryId": category, "type": "PRODUCT", "article": null,
                "price": 1, "uom": 1, "paymentObject": 0 }),
    )
    .await;
    let endpoint = created(
        kassa,
        "/application-webhooks/endpoints",
        json!({ "status": "ACTIVE", "url": format!("https://a.example/{marker}"), "authType": "BEARER",
                "secret": marker, "events": ["OPERATION_COMPLETED"] }),
    )
    .await;
    let (status, cashboxes) = kassa.get("/cashboxes").await;
    assert_eq!(status, 200, "{cashboxes}");
    let cashbox = cashboxes["items"][0]["id"]
        .as_str()
        .or_else(|| cashboxes[0]["id"].as_str())
        .unwrap_or("00000000-0000-0000-0000-000000000000")
        .to_owned();
    Planted {
        category,
        product,
        endpoint,
        cashbox,
    }
}

/// `(method, path, body)` rows naming A's things.
fn table(planted: &Planted) -> Vec<(Method, String, Option<Value>)> {
    let none = "3f2c1a0e-0000-4000-8000-000000000000";
    let body = json!({ "name": "probe", "categoryId": planted.category, "status": "INACTIVE",
                       "url": "https://b.example/hook", "events": ["OPERATION_FAILED"] });
    let mut rows = Vec::new();
    for (collection, id) in [
        ("product-categories", planted.category.as_str()),
        ("products", planted.product.as_str()),
        ("application-webhooks/endpoints", planted.endpoint.as_str()),
        ("orders", planted.product.as_str()),
    ] {
        let item = format!("/{collection}/{id}");
        rows.extend([
            (Method::GET, item.clone(), None),
            (Method::PUT, item.clone(), Some(body.clone())),
            (Method::DELETE, item, None),
            (
                Method::GET,
                format!("/{collection}?categoryId={}&ids[]={id}", planted.category),
                None,
            ),
            // Kassa's cursor is the id of a page's first record.
            (
                Method::GET,
                format!("/{collection}?cursor={id}&limit=50"),
                None,
            ),
        ]);
    }
    rows.extend([
        (Method::GET, format!("/cashboxes/{}", planted.cashbox), None),
        (Method::GET, format!("/operations?cashboxId={}", planted.cashbox), None),
        (Method::GET, format!("/operations/{}", planted.product), None),
        (Method::POST, format!("/operations/{}/retry", planted.product), None),
        (Method::PATCH, format!("/operations/cash-movement/{}", planted.product), Some(body.clone())),
        (Method::GET, format!("/async-operations/{none}"), None),
        (Method::GET, "/async-operations".to_owned(), None),
        (Method::GET, "/counterparties".to_owned(), None),
        (Method::GET, "/employees".to_owned(), None),
        (Method::GET, "/cash-movement-categories".to_owned(), None),
        (Method::GET, "/application-webhooks/endpoints".to_owned(), None),
        (Method::POST, "/application-webhooks/test".to_owned(), Some(json!({ "endpointId": planted.endpoint }))),
        (Method::POST, "/products".to_owned(), Some(json!({ "name": "probe", "categoryId": planted.category,
            "type": "PRODUCT", "price": 1, "uom": 1, "paymentObject": 0 }))),
        (Method::POST, "/product-categories".to_owned(), Some(json!({ "name": "probe", "parentId": planted.category }))),
        (Method::POST, "/async-operations".to_owned(), Some(json!({ "type": "PRODUCT_EXPORT_TO_FILE_OPERATION", "categoryId": planted.category }))),
    ]);
    rows
}

fn probe(kassa: &Kassa, method: Method, path: &str, body: Option<Value>) -> Probe {
    let mut request = kassa.request(method.clone(), path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    Probe::new(format!("{method} {path}"), request)
}

#[tokio::test]
async fn another_account_reaches_nothing_of_a_by_id_or_token() {
    let a = Kassa::new().await;
    let marker = unique("alpha");
    let planted = plant(&a, &marker).await;
    let b = Kassa::new().await;
    plant(&b, &unique("beta")).await;
    let before = snapshot(a.app, &a.account).await;

    let mut probes: Vec<Probe> = table(&planted)
        .into_iter()
        .map(|(method, path, body)| probe(&b, method, &path, body))
        .collect();
    // Headers mixed across accounts: each must be refused.
    let b_app_a_token = Kassa {
        token: a.token.clone(),
        ..b.through(b.app)
    };
    let a_app_b_token = Kassa {
        token: b.token.clone(),
        ..a.through(a.app)
    };
    for (who, kassa) in [
        ("B app + A token", &b_app_a_token),
        ("A app + B token", &a_app_b_token),
    ] {
        for path in ["/products", "/product-categories", "/cashboxes"] {
            let mut probe = probe(kassa, Method::GET, path, None);
            probe.label = format!("TOKEN {who} {}", probe.label);
            probes.push(probe);
        }
    }
    let seen = run(&marker, probes).await;

    assert_refused(
        &seen,
        &[
            &format!("GET /product-categories/{}", planted.category),
            &format!("GET /products/{}", planted.product),
            &format!("GET /application-webhooks/endpoints/{}", planted.endpoint),
            &format!("PUT /products/{}", planted.product),
            &format!("DELETE /products/{}", planted.product),
            "TOKEN ",
        ],
    );
    assert_unchanged(a.app, &a.account, &before).await;
}

/// Connects `kassa`'s application to its own account (by the account's email) and
/// returns the integration's id.
async fn connect(kassa: &Kassa) -> String {
    let email = format!("{}@twin.local", kassa.account);
    let answer = kassa
        .app_call(
            Method::POST,
            "/integrations/connect",
            Some(json!({ "email": email })),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.body["requestConnectionId"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Two accounts' credentials can carry the same application id with different secrets;
/// one application's integration (and its client token) must not be read or ended with
/// the other's secret.
#[tokio::test]
async fn an_application_id_shared_across_accounts_reads_no_other_integration() {
    let app: &'static TestApp = twin_testkit::sqlite_app();
    let a = Kassa::new().await;
    let integration = connect(&a).await;
    let b_account = app.unique_account().await;
    let b_secret = unique("secret");
    app.credential(
        &b_account,
        json!({ "dialect": "kassa", "type": "app", "app_id": a.app_id, "app_secret": b_secret,
                "client_token": unique("token") }),
    )
    .await;
    let b = Kassa {
        app_secret: b_secret,
        account: b_account,
        ..a.through(app)
    };
    let path = format!("/integrations/{integration}");
    let read = b.app_call(Method::GET, &path, None).await;
    assert_eq!(read.status, 404, "{}", read.body);
    let ended = b.app_call(Method::DELETE, &path, None).await;
    assert_eq!(ended.status, 404, "{}", ended.body);
    let own = a.app_call(Method::GET, &path, None).await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body["clientToken"].is_string(), "{}", own.body);
}
