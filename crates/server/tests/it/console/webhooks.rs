//! The webhooks pages: subscriptions made through the vendor APIs, a real delivery to a
//! sink listed with its attempt, its page, and a redelivery through the console's form
//! reaching the sink again.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{console_client, TestApp, WebhookSink};

use super::page;
use crate::kassa::Kassa;
use crate::moysklad::webhooks::{settled, subscribe};
use crate::moysklad::Ms;
use crate::webhooks::wait_status;

const HOSTILE: &str = "<script>alert('x')</script>";
const HOSTILE_ESCAPED: &str = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";

fn delivery_row(id: i64) -> String {
    format!("data-test=\"delivery-row\" data-id=\"{id}\"")
}

async fn admin_delivery(app: &TestApp, id: i64) -> Value {
    twin_testkit::answer(app.admin(Method::GET, &format!("/webhooks/deliveries/{id}")))
        .await
        .body
}

#[tokio::test]
async fn subscriptions_deliveries_and_a_redelivery_through_the_console() {
    let ms = Ms::new().await;
    let (app, account) = (ms.app, ms.account.clone());
    let sink = WebhookSink::start().await;
    let hook_url = sink.url("/moysklad");
    let hook = json!({ "url": hook_url, "action": "CREATE", "entityType": "product" });
    let hook = subscribe(&ms, hook).await;
    let kassa = Kassa::in_account(app, account.clone()).await;
    let endpoint = kassa.webhook_endpoint("https://example.com/console").await;
    let endpoint = endpoint["id"].as_str().unwrap();
    let (status, product) = ms.post("/entity/product", json!({ "name": "Bell" })).await;
    assert_eq!(status, 200, "{product}");
    let id = settled(&ms, 1).await[0]["id"].as_i64().unwrap();
    sink.wait_for(1, Duration::from_secs(30)).await;

    let html = page(app, &format!("/webhooks?account={account}")).await;
    let hook_id = hook["id"].as_str().unwrap();
    assert!(
        html.contains(&format!(
            "data-test=\"subscription-row\" data-id=\"{hook_id}\"><td><a \
             href=\"/console/data/{account}/moysklad/webhook/{hook_id}\">"
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<td class=\"path\">{hook_url}</td><td>CREATE product</td>"
    )));
    assert!(html.contains(&format!(
        "data-test=\"subscription-row\" data-id=\"{endpoint}\""
    )));
    assert!(
        html.contains("<td>OPERATION_COMPLETED</td><td>ACTIVE</td>"),
        "{html}"
    );
    assert!(html.contains("RetailCRM API v5 and SalesDoc API V2 make no webhook subscriptions"));
    let row_at = html.find(&delivery_row(id)).expect("the delivery listed");
    let row = &html[row_at..row_at + html[row_at..].find("</tr>").unwrap()];
    assert!(row.contains(">delivered</span>"), "{row}");
    assert!(
        row.contains("<td class=\"num\">1</td>"),
        "one attempt: {row}"
    );
    assert!(
        row.contains("<span class=\"status s2\">200</span>"),
        "{row}"
    );

    let everyone = page(app, "/webhooks?limit=1000").await;
    assert!(
        everyone.contains(&delivery_row(id)),
        "all accounts' deliveries"
    );
    let other = app.unique_account().await;
    for (filters, listed) in [
        (format!("account={other}"), false),
        (format!("account={account}&status=failed"), false),
        (
            format!("account={account}&status=delivered&dialect=moysklad"),
            true,
        ),
        (format!("account={account}&dialect=kassa"), false),
    ] {
        let html = page(app, &format!("/webhooks?{filters}")).await;
        assert_eq!(html.contains(&delivery_row(id)), listed, "{filters}");
        // The live region refreshes from the rows route with the same filters.
        let rows = page(app, &format!("/webhooks/rows?{filters}")).await;
        assert_eq!(rows.contains(&delivery_row(id)), listed, "rows {filters}");
        assert!(!rows.contains("<html"), "a fragment");
    }
    let live = page(app, &format!("/webhooks?account={account}")).await;
    assert!(
        live.contains(&format!(
            "data-live-src=\"/console/webhooks/rows?account={account}\""
        )),
        "the first page refreshes live"
    );
    let later = page(app, &format!("/webhooks?account={account}&offset=50")).await;
    assert!(!later.contains("data-live-src"), "a later page stays put");

    let delivery = page(app, &format!("/webhooks/deliveries/{id}")).await;
    assert!(delivery.contains(&format!("<code data-test=\"url\">{hook_url}?requestId=")));
    assert!(
        delivery.contains("MoySklad webhook touch agent"),
        "the request headers"
    );
    assert!(
        delivery.contains("&quot;href&quot;: &quot;") && delivery.contains("CREATE"),
        "the payload: {delivery}"
    );
    assert_eq!(delivery.matches("data-test=\"attempt-row\"").count(), 1);
    assert!(!delivery.contains("data-live-src"), "nothing to wait for");

    let redeliver = format!("/webhooks/deliveries/{id}/redeliver");
    let response = app
        .console(Method::POST, &redeliver)
        .form(&[("go", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/console/webhooks/deliveries/{id}?notice=")),
        "{location}"
    );
    let received = sink.wait_for(2, Duration::from_secs(30)).await;
    assert_eq!(received[1].body, received[0].body, "the same payload again");
    wait_status(app, id, "delivered").await;
    let again = page(app, location.strip_prefix("/console").unwrap()).await;
    assert!(again.contains("queued again"), "the notice");
    assert_eq!(again.matches("data-test=\"attempt-row\"").count(), 2);
    let state = page(app, &format!("/webhooks/deliveries/{id}/state")).await;
    assert!(
        state.contains("<span data-test=\"attempt-count\">2</span>"),
        "{state}"
    );
    assert!(
        state.contains("data-live-done"),
        "a delivered delivery's state stops the live refresh: {state}"
    );

    // Without the sign-in cookie the form changes nothing.
    let stranger = console_client()
        .post(app.url(&format!("/console{redeliver}")))
        .form(&[("go", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 303);
    assert!(stranger.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/console/login"));
    let unchanged = admin_delivery(app, id).await;
    assert_eq!(unchanged["status"], "delivered", "not queued again");
    assert_eq!(unchanged["attempts"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_filters_and_unknown_deliveries_are_pages_saying_why() {
    let app = twin_testkit::sqlite_app();
    for (path, want) in [
        ("/webhooks?status=bogus", 400),
        ("/webhooks?limit=0", 400),
        ("/webhooks?account=nobody-here", 404),
        ("/webhooks/deliveries/999999999", 404),
        ("/webhooks/deliveries/abc", 400),
    ] {
        let response = app.console(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), want, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("role=\"alert\""), "{path}: {html}");
    }
    let redeliver = app.console(Method::POST, "/webhooks/deliveries/999999999/redeliver");
    assert_eq!(redeliver.send().await.unwrap().status(), 404);
    let unknown = app.console(Method::GET, "/webhooks?account=%3Cb%3E%22");
    let unknown = unknown.send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let html = unknown.text().await.unwrap();
    assert!(
        html.contains("<option selected>&lt;b&gt;&quot;</option>"),
        "an unlisted account stays chosen, escaped: {html}"
    );
    assert!(!html.contains("<b>\""));
}

#[tokio::test]
async fn hostile_events_payloads_and_headers_are_escaped() {
    let app = twin_testkit::sqlite_app();
    let account = app.unique_account().await;
    let sink = WebhookSink::start().await;
    let queued = twin_testkit::answer(
        app.admin(Method::POST, &format!("/accounts/{account}/webhooks/test"))
            .json(&json!({ "url": sink.url("/hook"), "event": HOSTILE,
                           "payload": { "note": HOSTILE }, "headers": { "X-Note": HOSTILE } })),
    )
    .await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let id = queued.body["id"].as_i64().unwrap();
    wait_status(app, id, "delivered").await;
    for path in [
        format!("/webhooks?account={account}"),
        format!("/webhooks/deliveries/{id}"),
    ] {
        let html = page(app, &path).await;
        assert!(!html.contains(HOSTILE), "{path}: {html}");
        assert!(html.contains(HOSTILE_ESCAPED), "{path} shows it escaped");
    }
}
