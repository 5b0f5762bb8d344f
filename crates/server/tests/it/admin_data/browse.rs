//! `/accounts/{id}/data`: counts per kind, pages, an entity with its links, history.

use reqwest::Method;
use serde_json::{json, Value};

use super::{get, problem_status};
use crate::moysklad::Ms;
use crate::retailcrm::Crm;
use crate::salesdoc::orders::order_then_recomment;
use crate::salesdoc::Sd;

/// The kinds the overview lists for `dialect`: (kind, count).
fn kinds(overview: &Value, dialect: &str) -> Vec<(String, u64)> {
    let dialects = overview["dialects"].as_array().expect("dialects");
    let entry = dialects
        .iter()
        .find(|d| d["dialect"] == dialect)
        .unwrap_or_else(|| panic!("{dialect} listed: {overview}"));
    entry["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_owned(),
                k["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn count_of(kinds: &[(String, u64)], kind: &str) -> Option<u64> {
    kinds.iter().find(|(k, _)| k == kind).map(|(_, n)| *n)
}

/// The `(label, kind, id)` of an entity view's links.
fn links(entity: &Value) -> Vec<(String, String, String)> {
    entity["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| {
            let text = |f: &str| l[f].as_str().unwrap_or_default().to_owned();
            (text("label"), text("kind"), text("id"))
        })
        .collect()
}

fn link(label: &str, kind: &str, id: &str) -> (String, String, String) {
    (label.to_owned(), kind.to_owned(), id.to_owned())
}

fn actions(history: &Value) -> Vec<&str> {
    history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["action"].as_str().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn moysklad_counts_pages_links_and_history() {
    let ms = Ms::new().await;
    let (app, account) = (ms.app, &ms.account);
    let (status, folder) = ms
        .post("/entity/productfolder", json!({ "name": "Drinks" }))
        .await;
    assert_eq!(status, 200, "{folder}");
    let mut products = Vec::new();
    for name in ["Tea", "Coffee", "Juice"] {
        let body = json!({ "name": name, "productFolder": { "meta": folder["meta"] } });
        let (status, product) = ms.post("/entity/product", body).await;
        assert_eq!(status, 200, "{product}");
        products.push(product["id"].as_str().unwrap().to_owned());
    }
    let path = format!("/entity/product/{}", products[0]);
    let (status, _) = ms.put(&path, json!({ "name": "Green tea" })).await;
    assert_eq!(status, 200);

    let (status, overview) = get(app, &format!("/accounts/{account}/data")).await;
    assert_eq!(status, 200, "{overview}");
    let dialects: Vec<&Value> = overview["dialects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["dialect"])
        .collect();
    assert_eq!(
        dialects,
        [
            &json!("retailcrm"),
            &json!("moysklad"),
            &json!("kassa"),
            &json!("salesdoc")
        ],
        "every dialect, also those without data"
    );
    let ms_kinds = kinds(&overview, "moysklad");
    assert_eq!(count_of(&ms_kinds, "product"), Some(3));
    assert_eq!(count_of(&ms_kinds, "productfolder"), Some(1));
    let names: Vec<&String> = ms_kinds.iter().map(|(k, _)| k).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "kinds by name");
    assert_eq!(kinds(&overview, "retailcrm"), Vec::new());

    let list = format!("/accounts/{account}/data/moysklad/product");
    let (status, page) = get(app, &format!("{list}?offset=1&limit=1")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], products[1], "insertion order");
    assert_eq!(page["items"][0]["kind"], "product");
    assert_eq!(page["items"][0]["body"]["name"], "Coffee");
    let (_, all) = get(app, &list).await;
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, products, "a kind's documents in insertion order");

    let (status, entity) = get(app, &format!("{list}/{}", products[0])).await;
    assert_eq!(status, 200, "{entity}");
    assert_eq!(entity["body"]["name"], "Green tea");
    assert_eq!(entity["version"], 2);
    assert_eq!(
        (&entity["account"], &entity["dialect"]),
        (&json!(account), &json!("moysklad"))
    );
    let found = links(&entity);
    let folder_id = folder["id"].as_str().unwrap();
    assert!(
        found.contains(&link("productFolder", "productfolder", folder_id)),
        "the folder linked: {found:?}"
    );
    assert!(
        found
            .iter()
            .all(|(_, kind, id)| !(kind == "product" && id == &products[0])),
        "never the entity itself: {found:?}"
    );
    let (status, history) = get(app, &format!("{list}/{}/history", products[0])).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(actions(&history), ["create", "update"]);
    assert_eq!(history["total"], 2);
    assert_eq!(
        history["items"][1]["data"]["diff"]["name"],
        json!({ "old": "Tea", "new": "Green tea" })
    );
}

#[tokio::test]
async fn retailcrm_order_links_its_customer_and_keeps_its_history() {
    let crm = Crm::new().await;
    let customer = crm
        .create(json!({ "firstName": "Anna", "email": "anna@example.com" }))
        .await;
    let created = crm
        .create_order(json!({ "externalId": "o-1", "customer": { "id": customer } }))
        .await;
    let order = created["id"].as_i64().unwrap();
    let edit = json!({ "status": "complete" }).to_string();
    let (status, edited) = crm
        .post(
            "/v5/orders/o-1/edit",
            &[("order", edit), ("site", "main-shop".into())],
        )
        .await;
    assert_eq!(status, 200, "{edited}");

    let path = format!("/accounts/{}/data/retailcrm/order/{order}", crm.account);
    let (status, entity) = get(crm.app, &path).await;
    assert_eq!(status, 200, "{entity}");
    assert_eq!(entity["body"]["status"], "complete");
    let found = links(&entity);
    assert!(
        found.contains(&link("customer", "customer", &customer.to_string())),
        "the order's customer: {found:?}"
    );
    let (status, history) = get(crm.app, &format!("{path}/history")).await;
    assert_eq!(status, 200, "{history}");
    let total = history["total"].as_u64().unwrap();
    assert!(total >= 2, "created and edited: {history}");
    let texts = history["items"].to_string();
    assert!(
        texts.contains("complete"),
        "the edit is recorded: {history}"
    );
}

#[tokio::test]
async fn salesdoc_order_links_its_references_and_records_history() {
    let sd = Sd::new().await;
    order_then_recomment(&sd).await;

    let list = format!("/accounts/{}/data/salesdoc/order", sd.account);
    let (_, page) = get(sd.app, &list).await;
    assert_eq!(page["total"], 1, "{page}");
    let id = page["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, entity) = get(sd.app, &format!("{list}/{id}")).await;
    assert_eq!(status, 200, "{entity}");
    let found = links(&entity);
    let (_, clients) = get(
        sd.app,
        &format!("/accounts/{}/data/salesdoc/client", sd.account),
    )
    .await;
    let client = clients["items"][0]["id"].as_str().unwrap();
    assert!(
        found.contains(&link("fields.client", "client", client)),
        "the order's client: {found:?}"
    );
    for (label, kind) in [
        ("fields.agent", "agent"),
        ("fields.expeditor", "expeditor"),
        ("fields.store", "warehouse"),
        ("fields.lines[0].product", "product"),
    ] {
        assert!(
            found.iter().any(|(l, k, _)| k == kind && l == label),
            "the order's {label}: {found:?}"
        );
    }
    let (status, history) = get(sd.app, &format!("{list}/{id}/history")).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(actions(&history), ["create", "update"]);
    let diff = &history["items"][1]["data"]["diff"]["fields"];
    assert_eq!(diff["old"]["comment"], "Urgent order", "{history}");
    assert_eq!(diff["new"]["comment"], "Call before delivery");
    let (_, client_history) = get(
        sd.app,
        &format!(
            "/accounts/{}/data/salesdoc/client/{client}/history",
            sd.account
        ),
    )
    .await;
    assert_eq!(
        actions(&client_history),
        ["create"],
        "SET methods record history too"
    );
}

#[tokio::test]
async fn accounts_see_only_their_own_data_and_bad_requests_are_problems() {
    let ms = Ms::new().await;
    let app = ms.app;
    let (_, product) = ms.post("/entity/product", json!({ "name": "Mine" })).await;
    let id = product["id"].as_str().unwrap();
    let other = app.unique_account().await;
    let theirs = format!("/accounts/{other}/data/moysklad/product");
    let entity = format!("{theirs}/{id}");
    assert_eq!(problem_status(app, Method::GET, &entity, None).await, 404);
    let (status, page) = get(app, &theirs).await;
    assert_eq!((status, &page["total"]), (200, &json!(0)), "{page}");
    let (status, history) = get(app, &format!("{entity}/history")).await;
    assert_eq!((status, &history["total"]), (200, &json!(0)), "{history}");
    let (_, overview) = get(app, &format!("/accounts/{other}/data")).await;
    assert!(
        overview["dialects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["kinds"] == json!([])),
        "{overview}"
    );

    let mine = format!("/accounts/{}/data", ms.account);
    for path in [
        "/accounts/_system/data".to_owned(),
        "/accounts/_system/data/retailcrm/credential".to_owned(),
        "/accounts/nobody-here/data".to_owned(),
        format!("{mine}/bitrix/product"),
        format!("{mine}/moysklad/product/no-such-id"),
    ] {
        assert_eq!(
            problem_status(app, Method::GET, &path, None).await,
            404,
            "{path}"
        );
    }
    for query in ["limit=0", "limit=1001", "offset=-1", "page=2"] {
        let path = format!("{mine}/moysklad/product?{query}");
        assert_eq!(
            problem_status(app, Method::GET, &path, None).await,
            400,
            "{path}"
        );
    }
    let unauthorized = app
        .client
        .get(app.url(&format!("/admin/api{mine}")))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
}
