//! The admin API of fault rules: the rule's shape, listing, reading, deleting, and a 400
//! problem for every mistake in a new rule.

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{answer, sqlite_app, TestApp};

use super::add_rule;

#[tokio::test]
async fn rules_are_listed_newest_first_read_and_deleted() {
    // Deleting every rule: a server of the test's own.
    let app = TestApp::private_leaked().await;
    let account = app.unique_account().await;
    let first = add_rule(app, json!({ "action": { "type": "drop" } })).await;
    assert_eq!(
        first,
        json!({ "id": first["id"], "dialect": null, "endpoint": null, "account": null,
                "probability": 1.0, "count": null, "action": { "type": "drop" }, "fired": 0,
                "createdAt": first["createdAt"] })
    );
    assert!(first["createdAt"].as_str().unwrap().ends_with('Z'));
    let second = add_rule(
        app,
        json!({ "dialect": "kassa", "endpoint": "products.list", "account": account,
                "probability": 0.25, "count": 2, "action": { "type": "rate_limit", "retryAfterMs": 10 } }),
    )
    .await;
    assert_eq!(second["account"], account.as_str());
    assert_eq!(second["probability"], 0.25);
    assert_eq!(
        second["action"],
        json!({ "type": "rate_limit", "retryAfterMs": 10 })
    );
    let third = add_rule(app, json!({ "action": { "type": "timeout" } })).await;
    assert_eq!(third["action"], json!({ "type": "timeout" }));

    let ids = |listing: &Value| -> Vec<Value> {
        listing["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|rule| rule["id"].clone())
            .collect()
    };
    let listed = answer(app.admin(Method::GET, "/faults")).await;
    assert_eq!(
        ids(&listed.body),
        [
            third["id"].clone(),
            second["id"].clone(),
            first["id"].clone()
        ]
    );
    let path = format!("/faults/{}", second["id"].as_str().unwrap());
    assert_eq!(answer(app.admin(Method::GET, &path)).await.body, second);
    assert_eq!(answer(app.admin(Method::DELETE, &path)).await.status, 204);
    let gone = answer(app.admin(Method::GET, &path)).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.headers["content-type"], "application/problem+json");
    assert_eq!(answer(app.admin(Method::DELETE, &path)).await.status, 404);
    let listed = answer(app.admin(Method::GET, "/faults")).await;
    assert_eq!(
        ids(&listed.body),
        [third["id"].clone(), first["id"].clone()]
    );

    assert_eq!(
        answer(app.admin(Method::DELETE, "/faults")).await.status,
        204
    );
    let listed = answer(app.admin(Method::GET, "/faults")).await;
    assert_eq!(listed.body, json!({ "items": [] }));

    let spec = answer(app.client.get(app.url("/admin/api/openapi.json"))).await;
    let described = |path: &str, methods: &[&str]| {
        for method in methods {
            let operation = &spec.body["paths"][path][method];
            assert!(
                operation.is_object(),
                "{method} {path} in the OpenAPI document"
            );
        }
    };
    described("/faults", &["post", "get", "delete"]);
    described("/faults/{id}", &["get", "delete"]);
}

#[tokio::test]
async fn every_mistake_in_a_new_rule_is_a_400_problem() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let mistakes = [
        json!({ "dialect": "bitrix", "action": { "type": "drop" } }),
        json!({ "endpoint": "", "action": { "type": "drop" } }),
        json!({ "account": "no-such-account", "action": { "type": "drop" } }),
        json!({ "account": account, "probability": 0, "action": { "type": "drop" } }),
        json!({ "account": account, "probability": 1.5, "action": { "type": "drop" } }),
        json!({ "account": account, "probability": -0.5, "action": { "type": "drop" } }),
        json!({ "account": account, "probability": "half", "action": { "type": "drop" } }),
        json!({ "account": account, "count": 0, "action": { "type": "drop" } }),
        json!({ "account": account, "count": -1, "action": { "type": "drop" } }),
        json!({ "account": account, "action": { "type": "latency", "ms": 0 } }),
        json!({ "account": account, "action": { "type": "latency", "ms": 60_001 } }),
        json!({ "account": account, "action": { "type": "latency" } }),
        json!({ "account": account, "action": { "type": "timeout", "ms": 0 } }),
        json!({ "account": account, "action": { "type": "rate_limit", "retryAfterMs": 0 } }),
        json!({ "account": account, "action": { "type": "error", "status": 404 } }),
        json!({ "account": account, "action": { "type": "error", "status": 501 } }),
        json!({ "account": account, "action": { "type": "error" } }),
        json!({ "account": account, "action": { "type": "explode" } }),
        json!({ "account": account, "action": { "type": "drop", "ms": 5 } }),
        json!({ "account": account }),
        json!({ "account": account, "action": { "type": "drop" }, "when": "always" }),
        json!([]),
    ];
    for mistake in mistakes {
        let refused = answer(app.admin(Method::POST, "/faults").json(&mistake)).await;
        assert_eq!(refused.status, 400, "{mistake}: {}", refused.body);
        assert_eq!(
            refused.headers["content-type"], "application/problem+json",
            "{mistake}"
        );
        assert_eq!(refused.body["status"], 400);
        assert!(refused.body["detail"].is_string(), "{}", refused.body);
    }
    let malformed = app
        .admin(Method::POST, "/faults")
        .header("content-type", "application/json")
        .body("{\"action\":");
    assert_eq!(answer(malformed).await.status, 400);
    let unknown = answer(app.admin(Method::GET, "/faults/no-such-rule")).await;
    assert_eq!(unknown.status, 404);
    let unauthorized = app.client.get(app.url("/admin/api/faults"));
    assert_eq!(answer(unauthorized).await.status, 401);
}
