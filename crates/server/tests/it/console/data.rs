//! The data browser's pages: documents written through the vendor APIs, then the overview
//! with counts, a kind's pages, a document with its JSON, references and history, each
//! reference leading to a page that answers; other accounts see none of it.

use reqwest::Method;
use serde_json::json;
use twin_testkit::TestApp;

use super::page;
use crate::moysklad::Ms;
use crate::retailcrm::Crm;
use crate::salesdoc::orders::order_then_recomment;
use crate::salesdoc::Sd;

const HOSTILE: &str = "<img src=x onerror=alert('x')>";
const HOSTILE_ESCAPED: &str = "&lt;img src=x onerror=alert(&#39;x&#39;)&gt;";

/// The hrefs of a document page's references, in the order shown.
fn reference_links(html: &str) -> Vec<String> {
    let parts: Vec<&str> = html.split("\" data-test=\"entity-link\"").collect();
    parts[..parts.len() - 1]
        .iter()
        .map(|before| {
            let at = before.rfind("href=\"").expect("href") + "href=\"".len();
            before[at..].to_owned()
        })
        .collect()
}

/// The status of a console page (`path` below `/console`), asserted to be an HTML page; its text.
async fn status_of(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.console(Method::GET, path).send().await.unwrap();
    let status = response.status().as_u16();
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|kind| kind.to_str().unwrap().starts_with("text/html"));
    assert!(html, "{path} answers a page");
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn moysklad_goods_show_with_counts_pages_references_and_history() {
    let ms = Ms::new().await;
    let (app, account) = (ms.app, ms.account.clone());
    let (status, folder) = ms
        .post("/entity/productfolder", json!({ "name": "Lamps" }))
        .await;
    assert_eq!(status, 200, "{folder}");
    let lamp =
        json!({ "name": HOSTILE, "code": "L-1", "productFolder": { "meta": folder["meta"] } });
    let (status, product) = ms.post("/entity/product", lamp).await;
    assert_eq!(status, 200, "{product}");
    let (_, other) = ms.post("/entity/product", json!({ "name": "Shade" })).await;
    let id = product["id"].as_str().unwrap().to_owned();
    let entity_path = format!("/entity/product/{id}");
    for n in 1..=22 {
        let (status, _) = ms
            .put(&entity_path, json!({ "name": format!("Lamp {n}") }))
            .await;
        assert_eq!(status, 200);
    }

    let overview = page(app, &format!("/data?account={account}")).await;
    let base = format!("/console/data/{account}/moysklad");
    assert!(
        overview.contains(&format!(
            "<tr data-test=\"kind-row\" data-kind=\"product\"><td><a href=\"{base}/product\">\
             product</a></td><td class=\"num\">2</td></tr>"
        )),
        "two products counted: {overview}"
    );
    assert!(overview.contains("data-kind=\"productfolder\""));
    assert!(
        overview.contains("id=\"data-retailcrm\""),
        "every dialect has a panel"
    );
    assert!(
        overview.contains(&format!("<option value=\"{account}\" selected>")),
        "the picker shows the account"
    );

    let list = page(app, &format!("/data/{account}/moysklad/product")).await;
    for product_id in [&id, other["id"].as_str().unwrap()] {
        assert!(
            list.contains(&format!(
                "data-test=\"entity-row\" data-id=\"{product_id}\""
            )),
            "{list}"
        );
    }
    assert!(
        list.contains("<th scope=\"col\">name</th>"),
        "a name column"
    );
    assert!(list.contains("Lamp 22") && list.contains("L-1"), "{list}");
    assert!(list.contains("1–2 of 2"), "{list}");
    let second = page(
        app,
        &format!("/data/{account}/moysklad/product?offset=1&limit=1"),
    )
    .await;
    assert!(
        second.contains("2–2 of 2") && second.contains("Shade"),
        "{second}"
    );
    assert!(!second.contains("Lamp 22"), "only the second product");
    assert!(
        second.contains(&format!(
            "href=\"{base}/product?offset=0&amp;limit=1\" rel=\"prev\""
        )),
        "{second}"
    );

    let entity = page(app, &format!("/data/{account}/moysklad/product/{id}")).await;
    assert!(
        entity.contains("&quot;name&quot;: &quot;Lamp 22&quot;"),
        "the JSON: {entity}"
    );
    assert!(entity.contains("<dd data-test=\"version\">23</dd>"));
    let links = reference_links(&entity);
    let folder_page = format!("{base}/productfolder/{}", folder["id"].as_str().unwrap());
    assert!(
        links.contains(&folder_page),
        "the folder referenced: {links:?}"
    );
    for link in &links {
        page(app, link.strip_prefix("/console").unwrap()).await;
    }
    let folder_html = page(app, folder_page.strip_prefix("/console").unwrap()).await;
    assert!(folder_html.contains("Lamps"));

    // History: 23 changes, newest first, 20 a page.
    let first_change = entity.find("data-test=\"change-row\"").expect("changes");
    let newest = &entity[first_change..];
    let at = |change: &str| {
        newest
            .find(change)
            .unwrap_or_else(|| panic!("{change}: {newest}"))
    };
    assert!(
        at("<q>Lamp 21</q></span> → <span class=\"new\"><q>Lamp 22</q>")
            < at("<q>Lamp 20</q></span> → <span class=\"new\"><q>Lamp 21</q>"),
        "newest first"
    );
    assert_eq!(entity.matches("data-test=\"change-row\"").count(), 20);
    assert!(entity.contains("1–20 of 23"), "{entity}");
    assert!(
        !entity.contains("data-action=\"create\""),
        "the create is on the next page"
    );
    let older = page(
        app,
        &format!("/data/{account}/moysklad/product/{id}?history=20"),
    )
    .await;
    assert_eq!(older.matches("data-test=\"change-row\"").count(), 3);
    assert!(older.contains("21–23 of 23"));
    assert!(
        older.contains("data-action=\"create\""),
        "the oldest change last"
    );
    assert!(
        older.contains(&format!(
            "<q>{HOSTILE_ESCAPED}</q></span> → <span class=\"new\"><q>Lamp 1</q>"
        )),
        "the first rename, its hostile name escaped: {older}"
    );
    for html in [&overview, &list, &entity, &older] {
        assert!(!html.contains(HOSTILE), "never unescaped");
    }
}

#[tokio::test]
async fn a_retailcrm_order_links_its_customer() {
    let crm = Crm::new().await;
    let customer = crm
        .create(json!({ "firstName": HOSTILE, "lastName": "Petrova" }))
        .await;
    let order = crm
        .create_order(json!({ "number": "N-77", "customer": { "id": customer } }))
        .await["id"]
        .as_i64()
        .unwrap();
    let account = &crm.account;
    let overview = page(crm.app, &format!("/data?account={account}")).await;
    assert!(
        overview.contains("data-kind=\"order\"") && overview.contains("data-kind=\"customer\"")
    );
    let orders = page(crm.app, &format!("/data/{account}/retailcrm/order")).await;
    assert!(
        orders.contains(&format!("data-id=\"{order}\"")) && orders.contains("N-77"),
        "{orders}"
    );

    let html = page(crm.app, &format!("/data/{account}/retailcrm/order/{order}")).await;
    let customer_page = format!("/console/data/{account}/retailcrm/customer/{customer}");
    assert!(
        html.contains(&format!(
            "<td><code>customer</code></td><td><a href=\"{customer_page}\" data-test=\"entity-link\""
        )),
        "{html}"
    );
    assert!(
        html.contains("data-action=\"change\""),
        "RetailCRM's own history records"
    );
    let customer_html = page(crm.app, customer_page.strip_prefix("/console").unwrap()).await;
    assert!(customer_html.contains("Petrova") && customer_html.contains(HOSTILE_ESCAPED));
    assert!(!customer_html.contains(HOSTILE));
}

#[tokio::test]
async fn a_salesdoc_order_links_its_client() {
    let sd = Sd::new().await;
    order_then_recomment(&sd).await;

    let account = &sd.account;
    let orders = page(sd.app, &format!("/data/{account}/salesdoc/order")).await;
    let at = orders
        .find("data-test=\"entity-row\" data-id=\"")
        .expect("an order")
        + 32;
    let id = &orders[at..at + orders[at..].find('"').unwrap()];
    let html = page(sd.app, &format!("/data/{account}/salesdoc/order/{id}")).await;
    let client = reference_links(&html)
        .into_iter()
        .find(|link| link.contains("/salesdoc/client/"))
        .unwrap_or_else(|| panic!("the client linked: {html}"));
    assert!(html.contains("<td><code>fields.client</code></td>"));
    let client_html = page(sd.app, client.strip_prefix("/console").unwrap()).await;
    assert!(client_html.contains("Star Shop"), "{client_html}");
    assert!(
        html.contains(
            "<code>fields.comment</code>: <span class=\"old\"><q>Urgent order</q></span> \
             → <span class=\"new\"><q>Call before delivery</q></span>"
        ),
        "the update shows the field that changed: {html}"
    );
}

#[tokio::test]
async fn accounts_see_only_their_own_data_and_bad_addresses_are_pages() {
    let ms = Ms::new().await;
    let app = ms.app;
    let (_, product) = ms
        .post("/entity/product", json!({ "name": "Mine only" }))
        .await;
    let id = product["id"].as_str().unwrap();
    let other = app.unique_account().await;

    let overview = page(app, &format!("/data?account={other}")).await;
    assert!(!overview.contains("data-kind=\"product\""), "{overview}");
    let list = page(app, &format!("/data/{other}/moysklad/product")).await;
    assert!(!list.contains(id) && !list.contains("Mine only"));
    assert!(list.contains("data-test=\"no-entities\""));
    let (status, html) = status_of(app, &format!("/data/{other}/moysklad/product/{id}")).await;
    assert_eq!(status, 404, "{html}");
    assert!(!html.contains("Mine only"));

    let mine = format!("/data/{}", ms.account);
    for (path, want) in [
        ("/data?account=nobody-here".to_owned(), 404),
        ("/data/nobody-here/moysklad/product".to_owned(), 404),
        (format!("{mine}/bitrix/product"), 404),
        (format!("{mine}/moysklad/product/no-such-id"), 404),
        (format!("{mine}/moysklad/product?limit=0"), 400),
        (format!("{mine}/moysklad/product?offset=-1"), 400),
        (format!("{mine}/moysklad/%FF/x"), 400),
    ] {
        let (status, html) = status_of(app, &path).await;
        assert_eq!(status, want, "{path}: {html}");
        assert!(html.contains("role=\"alert\""), "{path} says why");
    }
    let picker = page(app, "/data").await;
    assert!(picker.contains("data-test=\"account-picker\"") && !picker.contains("kind-row"));
    let short = app
        .console(Method::GET, &format!("/data/{}", ms.account))
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 303);
    assert_eq!(
        short.headers()["location"],
        format!("/console/data?account={}", ms.account).as_str()
    );
}
