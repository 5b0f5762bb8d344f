//! RetailCRM: every method of `RetailEndpoint::ALL` (the router's own table), with A's
//! numeric ids (`by=id`) and then A's externalIds (`by=externalId`) in every path
//! placeholder, list filter and form field, sent with B's key and with a key of B limited
//! to a site code B lacks. (Every account has the site `main-shop`; the API makes none.)

use reqwest::Method;
use serde_json::{json, Value};
use twin_retailcrm::RetailEndpoint;
use twin_testkit::unique;

use super::{assert_refused, assert_unchanged, run, snapshot, Probe};
use crate::retailcrm::Crm;

/// A's things: what the probes name.
struct Planted {
    site: String,
    customer: (i64, String),
    order: (i64, String),
    task: i64,
    file: i64,
}

async fn plant(crm: &Crm, marker: &str) -> Planted {
    let site = unique("site");
    let customer_ext = unique("cust");
    let customer = crm
        .create(json!({ "externalId": customer_ext, "firstName": marker, "email": format!("{marker}@a.example") }))
        .await;
    let order_ext = unique("ord");
    let order = crm
        .create_order(
            json!({ "externalId": order_ext, "firstName": marker, "customer": { "id": customer } }),
        )
        .await["id"]
        .as_i64()
        .expect("order id");
    let task = json!({ "text": marker, "performerId": 1, "customer": { "id": customer } });
    let (status, body) = crm
        .post("/v5/tasks/create", &[("task", task.to_string())])
        .await;
    assert_eq!(status, 201, "{body}");
    let task = body["id"].as_i64().expect("task id");
    let upload = crm
        .app
        .client
        .post(crm.app.url("/api/v5/files/upload"))
        .header("X-API-KEY", &crm.key)
        .header("Content-Type", "application/octet-stream")
        .body(marker.as_bytes().to_vec());
    let (status, body) = crate::retailcrm::answer(upload).await;
    assert_eq!(status, 201, "{body}");
    Planted {
        site,
        customer: (customer, customer_ext),
        order: (order, order_ext),
        task,
        file: body["file"]["id"].as_i64().expect("file id"),
    }
}

/// The value A's thing at `template` is named by: its id or its externalId.
fn named(planted: &Planted, template: &str, by_id: bool) -> String {
    let (id, ext) = if template.starts_with("/v5/customers") {
        planted.customer.clone()
    } else if template.starts_with("/v5/tasks") {
        (planted.task, planted.task.to_string())
    } else if template.starts_with("/v5/files") {
        (planted.file, planted.file.to_string())
    } else {
        planted.order.clone()
    };
    if by_id {
        id.to_string()
    } else {
        ext
    }
}

fn fill(template: &str, planted: &Planted, by_id: bool) -> String {
    let value = named(planted, template, by_id);
    let customer = if by_id {
        planted.customer.0.to_string()
    } else {
        planted.customer.1.clone()
    };
    template
        .replace("{id}", &value)
        .replace("{externalId}", &value)
        .replace("{entityExternalId}", &value)
        .replace("{customerId}", &customer)
        .replace("{site}", &planted.site)
        .replace("{code}", &planted.site)
        .replace("{subcode}", &planted.site)
        .replace("{entity}", "order")
        .replace("{status}", "new")
        .replace("{plateId}", "1")
        .replace("{checkId}", "1")
}

/// List filters naming A's things.
fn query(planted: &Planted, by_id: bool) -> Vec<(String, String)> {
    let (customer, order) = (&planted.customer, &planted.order);
    let mut pairs = vec![
        ("by", if by_id { "id" } else { "externalId" }.to_owned()),
        ("site", planted.site.clone()),
        ("limit", "100".to_owned()),
        ("filter[ids][]", order.0.to_string()),
        ("filter[externalIds][]", order.1.clone()),
        ("filter[customerId]", customer.0.to_string()),
        ("filter[customerExternalId]", customer.1.clone()),
        ("filter[customer]", customer.0.to_string()),
        ("filter[orderId]", order.0.to_string()),
        ("filter[orderExternalId]", order.1.clone()),
        ("filter[sites][]", planted.site.clone()),
        ("filter[sinceId]", "0".to_owned()),
        ("cursor", order.0.to_string()),
        ("page", "1".to_owned()),
        ("filter[ids][]", planted.task.to_string()),
        ("filter[ids][]", planted.file.to_string()),
    ];
    pairs.push(("filter[ids][]", customer.0.to_string()));
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Form fields naming A's things, for every POST.
fn form(planted: &Planted, by_id: bool) -> Vec<(String, String)> {
    let (customer, order) = (&planted.customer, &planted.order);
    let customer_ref = json!({ "id": customer.0, "externalId": customer.1 });
    let order_ref = json!({ "id": order.0, "externalId": order.1, "customer": customer_ref, "firstName": "probe", "site": planted.site });
    let fields: [(&str, Value); 14] = [
        ("by", json!(if by_id { "id" } else { "externalId" })),
        ("site", json!(planted.site)),
        ("order", order_ref.clone()),
        ("orders", json!([order_ref])),
        ("customer", customer_ref.clone()),
        ("customers", json!([customer_ref])),
        ("customerCorporate", customer_ref.clone()),
        ("resultCustomer", customer_ref.clone()),
        ("resultOrder", order_ref),
        (
            "task",
            json!({ "id": planted.task, "text": "probe", "performerId": 1, "customer": customer_ref }),
        ),
        ("note", json!({ "text": "probe", "customer": customer_ref })),
        (
            "payment",
            json!({ "order": { "id": order.0 }, "type": "cash", "amount": 1 }),
        ),
        ("file", json!({ "id": planted.file, "filename": "probe" })),
        (
            "pack",
            json!({ "itemId": order.0, "quantity": 1, "store": "main" }),
        ),
    ];
    fields
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k.to_owned(), text)
        })
        .collect()
}

fn probes(b: &Crm, key: &str, planted: &Planted) -> Vec<Probe> {
    let mut probes = Vec::new();
    for by_id in [true, false] {
        for endpoint in RetailEndpoint::ALL {
            let (method, template, _) = endpoint.spec();
            let path = fill(template, planted, by_id);
            let url = b.app.url(&format!("/api{path}"));
            let label = format!("{method} {template} by_id={by_id} key={key:.12}");
            let request = b.app.client.request(method.clone(), url);
            let request = request.header("X-API-KEY", key);
            let request = if method == Method::GET {
                request.query(&query(planted, by_id))
            } else {
                request.form(&form(planted, by_id))
            };
            probes.push(Probe::new(label, request));
        }
    }
    probes
}

#[tokio::test]
async fn another_account_reaches_nothing_of_a_through_any_method() {
    let a = Crm::new().await;
    let marker = unique("alpha");
    // Numeric ids count per account: A's second things have ids B's one set lacks.
    plant(&a, &marker).await;
    let planted = plant(&a, &marker).await;
    let b = Crm::new().await;
    plant(&b, &unique("beta")).await;
    let limited = b.add_key(&[], &[&planted.site]).await;
    let before = snapshot(a.app, &a.account).await;

    let mut all = probes(&b, &b.key, &planted);
    all.extend(probes(&b, &limited, &planted));
    // Reads first: B's own writes (a task, an upload) would take the ids A's have.
    all.sort_by_key(|probe| !probe.label.starts_with("GET "));
    let seen = run(&marker, all).await;

    let by_id_reads: Vec<String> = [
        "/v5/customers/{externalId}",
        "/v5/orders/{externalId}",
        "/v5/tasks/{id}",
        "/v5/files/{id}",
        "/v5/files/{id}/download",
    ]
    .iter()
    .map(|template| format!("GET {template} "))
    .collect();
    let prefixes: Vec<&str> = by_id_reads.iter().map(String::as_str).collect();
    assert_refused(&seen, &prefixes);
    assert_unchanged(a.app, &a.account, &before).await;
}
