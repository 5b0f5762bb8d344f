//! The admin API holds one token for every account (it is the operator's), so its
//! isolation is by path: what is asked under B's id must not reach A's credentials,
//! data or webhook deliveries, and A's credential ids under B's path are not found.

use reqwest::Method;
use serde_json::json;
use twin_testkit::unique;

use super::{assert_refused, assert_unchanged, run, snapshot, Probe};
use crate::moysklad::Ms;

#[tokio::test]
async fn b_paths_reach_no_credential_data_or_delivery_of_a() {
    let a = Ms::new().await;
    let app = a.app;
    let marker = unique("alpha");
    let (status, body) = a.post("/entity/product", json!({ "name": marker })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = a
        .post(
            "/entity/webhook",
            json!({ "url": format!("https://a.example/{marker}"), "action": "UPDATE", "entityType": "product" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let key = unique("alpha-key");
    let credential = app
        .credential(
            &a.account,
            json!({ "dialect": "retailcrm", "type": "api_key", "key": key }),
        )
        .await;
    let credential = credential["id"].as_str().expect("credential id");
    let b = Ms::new().await;
    let before = snapshot(app, &a.account).await;

    let under_b = |method: Method, rest: &str| {
        let path = format!("/accounts/{}{rest}", b.account);
        Probe::new(format!("{method} {path}"), app.admin(method, &path))
    };
    let probes = vec![
        under_b(Method::DELETE, &format!("/credentials/{credential}")),
        under_b(Method::GET, "/credentials"),
        under_b(Method::GET, "/snapshot"),
        under_b(Method::GET, ""),
        under_b(Method::GET, "/settings"),
        Probe::new(
            "GET /webhooks/deliveries?account=B",
            app.admin(
                Method::GET,
                &format!("/webhooks/deliveries?account={}&limit=1000", b.account),
            ),
        ),
    ];
    let seen = run(&marker, probes).await;
    assert!(
        seen.iter().all(|s| !s.body.contains(&key)),
        "A's key shows under B"
    );
    assert_refused(&seen, &["DELETE "]);
    assert_unchanged(app, &a.account, &before).await;
    // A's key still opens A's RetailCRM.
    let url = app.url("/api/v5/customers");
    let response = app.client.get(url).header("X-API-KEY", &key).send().await;
    assert_eq!(response.expect("request").status(), 200);
}
