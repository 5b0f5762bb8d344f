//! MoySklad: for each kind A has things of, every route form the router serves (`GET`,
//! `PUT`, `DELETE` by id, lists filtered by A's id, code and externalCode, batch update
//! and mass delete by A's absolute hrefs, sub-resources, attributes, assortment, stock
//! reports, webhooks), and B's own writes linking A's hrefs. Sent with B's Basic login.

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::unique;

use super::{assert_refused, assert_unchanged, expect_created, run, snapshot, Probe};
use crate::moysklad::Ms;

/// A's things: `(kind, id)`, with the product's code and externalCode.
struct Planted {
    things: Vec<(&'static str, String)>,
    product: String,
    folder: String,
    code: String,
    external: String,
    attribute: String,
}

async fn created(ms: &Ms, path: &str, body: Value) -> Value {
    expect_created(ms.post(path, body).await, 200, path)
}

async fn plant(ms: &Ms, marker: &str) -> Planted {
    let folder = created(ms, "/entity/productfolder", json!({ "name": marker })).await;
    let (code, external) = (unique("code"), unique("ext"));
    let product = created(
        ms,
        "/entity/product",
        json!({ "name": marker, "code": code, "externalCode": external,
                "description": marker, "productFolder": { "meta": folder["meta"] } }),
    )
    .await;
    let service = created(ms, "/entity/service", json!({ "name": marker })).await;
    let agent = created(
        ms,
        "/entity/counterparty",
        json!({ "name": marker, "email": format!("{marker}@a.example") }),
    )
    .await;
    let currency = created(
        ms,
        "/entity/currency",
        json!({ "name": marker, "isoCode": "XTS", "code": "963" }),
    )
    .await;
    let hook = created(
        ms,
        "/entity/webhook",
        json!({ "url": format!("https://a.example/{marker}"), "action": "CREATE", "entityType": "product" }),
    )
    .await;
    let attributes = created(
        ms,
        "/entity/product/metadata/attributes",
        json!([{ "name": marker, "type": "string" }]),
    )
    .await;
    let id = |value: &Value| value["id"].as_str().expect("id").to_owned();
    Planted {
        things: vec![
            ("productfolder", id(&folder)),
            ("product", id(&product)),
            ("service", id(&service)),
            ("counterparty", id(&agent)),
            ("currency", id(&currency)),
            ("webhook", id(&hook)),
        ],
        product: id(&product),
        folder: id(&folder),
        code,
        external,
        attribute: id(&attributes[0]),
    }
}

fn meta(ms: &Ms, kind: &str, id: &str) -> Value {
    json!({ "meta": { "href": ms.href(&format!("/entity/{kind}/{id}")), "type": kind,
                      "mediaType": "application/json" } })
}

/// `(method, path, body)` rows naming A's things, sent as B.
fn table(b: &Ms, planted: &Planted) -> Vec<(Method, String, Option<Value>)> {
    let mut rows = Vec::new();
    for (kind, id) in &planted.things {
        let item = format!("/entity/{kind}/{id}");
        let mut linked = meta(b, kind, id);
        linked["name"] = json!("probe");
        rows.extend([
            (Method::GET, item.clone(), None),
            (
                Method::GET,
                format!("{item}?expand=productFolder,agent,owner"),
                None,
            ),
            (Method::PUT, item.clone(), Some(json!({ "name": "probe" }))),
            (Method::GET, format!("{item}/accounts"), None),
            (Method::GET, format!("{item}/components"), None),
            (Method::GET, format!("/entity/{kind}?filter=id={id}"), None),
            (
                Method::GET,
                format!("/entity/{kind}?filter=code={}", planted.code),
                None,
            ),
            (
                Method::GET,
                format!("/entity/{kind}?filter=externalCode={}", planted.external),
                None,
            ),
            (
                Method::GET,
                format!("/entity/{kind}?search={}", planted.code),
                None,
            ),
            (
                Method::GET,
                format!("/entity/{kind}?limit=1000&offset=0"),
                None,
            ),
            (
                Method::POST,
                format!("/entity/{kind}"),
                Some(json!([linked])),
            ),
            (
                Method::POST,
                format!("/entity/{kind}/delete"),
                Some(json!([meta(b, kind, id)])),
            ),
            (Method::DELETE, item, None),
        ]);
    }
    let product = &planted.product;
    let product_href = b.href(&format!("/entity/product/{product}"));
    let folder_href = b.href(&format!("/entity/productfolder/{}", planted.folder));
    let attribute = format!("/entity/product/metadata/attributes/{}", planted.attribute);
    rows.extend([
        (Method::GET, attribute.clone(), None),
        (Method::PUT, attribute.clone(), Some(json!({ "name": "probe" }))),
        (Method::DELETE, attribute, None),
        (Method::GET, "/entity/product/metadata".to_owned(), None),
        (Method::GET, "/entity/product/metadata/attributes".to_owned(), None),
        (Method::GET, format!("/entity/product?filter=productFolder={folder_href}"), None),
        (Method::GET, format!("/entity/variant?filter=productid={product}"), None),
        (Method::GET, format!("/entity/assortment?filter=id={product}"), None),
        (Method::GET, format!("/entity/assortment?search={}", planted.code), None),
        (Method::POST, "/entity/assortment/delete".to_owned(), Some(json!([meta(b, "product", product)]))),
        (Method::GET, format!("/report/stock/all?filter=product={product_href}"), None),
        (Method::GET, format!("/report/stock/bystore?filter=product={product_href}"), None),
        (Method::GET, format!("/report/stock/all/current?filter=assortmentId={product}"), None),
        (Method::GET, format!("/entity/bundle/{product}/components"), None),
        (
            Method::POST,
            "/entity/product?expand=productFolder".to_owned(),
            Some(json!({ "name": "probe", "productFolder": meta(b, "productfolder", &planted.folder) })),
        ),
        (
            Method::POST,
            "/entity/variant?expand=product".to_owned(),
            Some(json!({ "product": meta(b, "product", product), "characteristics": [{ "name": "Цвет", "value": "probe" }] })),
        ),
        (
            Method::POST,
            "/entity/bundle?expand=components.assortment".to_owned(),
            Some(json!({ "name": "probe", "components": [{ "quantity": 1, "assortment": meta(b, "product", product) }] })),
        ),
        (
            Method::POST,
            "/entity/contract?expand=agent".to_owned(),
            Some(json!({ "name": "probe", "agent": meta(b, "counterparty", &planted.things[3].1) })),
        ),
        (Method::GET, "/entity/webhook".to_owned(), None),
        (Method::GET, "/context/employee".to_owned(), None),
        (Method::GET, "/context/companysettings/pricetype".to_owned(), None),
        (Method::GET, "/entity/variant/metadata/characteristics".to_owned(), None),
        (Method::GET, "/entity/assortment/settings".to_owned(), None),
    ]);
    let agent = &planted.things[3].1;
    let account = format!("/entity/counterparty/{agent}/accounts/{product}");
    let component = format!("/entity/bundle/{product}/components/{agent}");
    rows.extend([
        (
            Method::POST,
            format!("/entity/counterparty/{agent}/accounts"),
            Some(json!([{ "accountNumber": "40702810000000000001" }])),
        ),
        (Method::GET, account.clone(), None),
        (
            Method::PUT,
            account.clone(),
            Some(json!({ "accountNumber": "40702810000000000002" })),
        ),
        (Method::DELETE, account, None),
        (
            Method::POST,
            format!("/entity/bundle/{product}/components"),
            Some(json!([{ "quantity": 1, "assortment": meta(b, "product", product) }])),
        ),
        (Method::GET, component.clone(), None),
        (
            Method::PUT,
            component.clone(),
            Some(json!({ "quantity": 2 })),
        ),
        (Method::DELETE, component, None),
    ]);
    rows
}

#[tokio::test]
async fn another_account_reaches_nothing_of_a_by_id_href_or_code() {
    let a = Ms::new().await;
    let marker = unique("alpha");
    let planted = plant(&a, &marker).await;
    let b = Ms::new().await;
    // The vendor's 45 requests per 3 s would answer most probes 429 and test nothing.
    b.app
        .settings(&b.account, json!({ "moysklad": { "rateLimit": false } }))
        .await;
    plant(&b, &unique("beta")).await;
    let before = snapshot(a.app, &a.account).await;

    let probes = table(&b, &planted)
        .into_iter()
        .map(|(method, path, body)| {
            let label = format!("{method} {path}");
            let mut request = b.request(method, &path);
            if let Some(body) = body {
                request = request.json(&body);
            }
            Probe::new(label, request)
        })
        .collect();
    let seen = run(&marker, probes).await;

    let reads: Vec<String> = planted
        .things
        .iter()
        .map(|(kind, id)| format!("GET /entity/{kind}/{id}"))
        .collect();
    let prefixes: Vec<&str> = reads.iter().map(String::as_str).collect();
    assert_refused(&seen, &prefixes);
    assert_unchanged(a.app, &a.account, &before).await;
}
