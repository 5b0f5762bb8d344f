//! What a rule matches and how often it fires: count, probability, account, endpoint and
//! dialect, latency, requests that fail authentication, SalesDoc's `login`, and the
//! request log showing faulted requests.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{answer, TestApp};

use super::{add_rule, rule};
use crate::moysklad::Ms;
use crate::retailcrm::Crm;
use crate::salesdoc::Sd;

/// The status of `GET /api/api-versions` with the account's key.
async fn versions(crm: &Crm) -> u16 {
    crm.get("/api-versions", "").await.0
}

#[tokio::test]
async fn a_counted_rule_fires_exactly_that_often_then_stays_listed_as_spent() {
    let crm = Crm::new().await;
    let added = add_rule(
        crm.app,
        json!({ "account": crm.account, "count": 3, "action": { "type": "error", "status": 500 } }),
    )
    .await;
    assert_eq!(added["fired"], 0);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(versions(&crm).await);
    }
    assert_eq!(statuses, [500, 500, 500, 200, 200, 200]);
    let spent = rule(crm.app, &added["id"]).await;
    assert_eq!(spent["fired"], 3);
    assert_eq!(spent["count"], 3);
    let listed = answer(crm.app.admin(Method::GET, "/faults")).await;
    let mine: Vec<&Value> = listed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|listed| listed["id"] == added["id"])
        .collect();
    assert_eq!(mine, [&spent]);
}

#[tokio::test]
async fn a_rule_with_probability_fires_on_some_requests_but_not_all() {
    let crm = Crm::new().await;
    let added = add_rule(
        crm.app,
        json!({ "account": crm.account, "probability": 0.5,
                "action": { "type": "error", "status": 503 } }),
    )
    .await;
    let mut faulted = 0;
    for _ in 0..200 {
        match versions(&crm).await {
            503 => faulted += 1,
            200 => {}
            other => panic!("status {other}"),
        }
    }
    // Outside 40..=160 with p = 0.5 over 200 draws: odds below 1e-17.
    assert!((40..=160).contains(&faulted), "{faulted} of 200 faulted");
    assert_eq!(rule(crm.app, &added["id"]).await["fired"], faulted);
}

#[tokio::test]
async fn a_rule_matches_its_account_endpoint_and_dialect_only() {
    // One account with a RetailCRM key and a MoySklad login; another MoySklad account.
    let crm = Crm::new().await;
    let ms = Ms::new().await;
    let login = format!("both@{}", crm.account);
    crm.app
        .credential(
            &crm.account,
            json!({ "dialect": "moysklad", "type": "password", "login": login, "password": "pw" }),
        )
        .await;
    let both = Ms {
        app: crm.app,
        account: crm.account.clone(),
        login,
        password: "pw".to_owned(),
    };
    let unavailable = json!({ "type": "error", "status": 503 });
    for account in [&crm.account, &ms.account] {
        // Each account's MoySklad `context.employee`, and the shared label in no dialect.
        add_rule(
            crm.app,
            json!({ "account": account, "dialect": "moysklad", "endpoint": "context.employee",
                    "action": unavailable }),
        )
        .await;
    }
    add_rule(
        crm.app,
        json!({ "account": crm.account, "endpoint": "api-versions", "action": unavailable }),
    )
    .await;
    assert_eq!(both.get("/context/employee").await.0, 503);
    assert_eq!(ms.get("/context/employee").await.0, 503);
    assert_eq!(
        both.get("/entity/currency").await.0,
        200,
        "another endpoint"
    );
    assert_eq!(versions(&crm).await, 503, "an endpoint in any dialect");
    assert_eq!(
        crm.get("/v5/customers", "").await.0,
        200,
        "another endpoint"
    );

    // A third account, with the same endpoints, is left alone.
    let other = Ms::new().await;
    assert_eq!(other.get("/context/employee").await.0, 200);
    let other_crm = Crm::new().await;
    assert_eq!(versions(&other_crm).await, 200);
}

#[tokio::test]
async fn a_latency_rule_delays_the_request_which_then_succeeds() {
    let crm = Crm::new().await;
    add_rule(
        crm.app,
        json!({ "account": crm.account, "endpoint": "api-versions", "count": 1,
                "action": { "type": "latency", "ms": 300 } }),
    )
    .await;
    let started = Instant::now();
    let (status, body) = crm.get("/api-versions", "").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
}

#[tokio::test]
async fn requests_failing_authentication_are_never_faulted() {
    // A rule for every account: a server of the test's own.
    let app = TestApp::private_leaked().await;
    let every_request =
        json!({ "dialect": "retailcrm", "action": { "type": "error", "status": 500 } });
    add_rule(app, every_request).await;
    let account = app.unique_account().await;
    let key = json!({ "dialect": "retailcrm", "type": "api_key", "key": "good-key" });
    app.credential(&account, key).await;
    let good = app
        .client
        .get(app.url("/api/api-versions"))
        .header("X-API-KEY", "good-key");
    assert_eq!(answer(good).await.status, 500, "the rule is live");
    let wrong = app
        .client
        .get(app.url("/api/api-versions"))
        .header("X-API-KEY", "no-such-key");
    let (status, body) = answer(wrong).await.into();
    assert_eq!(
        (status, body),
        (
            401,
            json!({ "success": false, "errorMsg": "Wrong \"apiKey\" value." })
        )
    );
    let missing = app.client.get(app.url("/api/api-versions"));
    assert_eq!(answer(missing).await.status, 401);
    let every_request =
        json!({ "dialect": "moysklad", "action": { "type": "error", "status": 500 } });
    add_rule(app, every_request).await;
    let ms = Ms::on(app).await;
    let wrong = app
        .client
        .get(app.url("/api/remap/1.2/context/employee"))
        .basic_auth(&ms.login, Some("wrong"));
    assert_eq!(answer(wrong).await.status, 401, "another dialect");
}

#[tokio::test]
async fn a_faulted_login_issues_no_token() {
    let sd = Sd::new().await;
    add_rule(
        sd.app,
        json!({ "account": sd.account, "endpoint": "login", "count": 1,
                "action": { "type": "error", "status": 503 } }),
    )
    .await;
    assert_eq!(sd.login().await.0, 503);
    // A login answered would have revoked the token.
    assert_eq!(sd.get("getUnit", json!({})).await.0, 200);
}

#[tokio::test]
async fn the_request_log_shows_faulted_requests() {
    let crm = Crm::new().await;
    add_rule(
        crm.app,
        json!({ "account": crm.account, "count": 1, "action": { "type": "rate_limit" } }),
    )
    .await;
    assert_eq!(versions(&crm).await, 429);
    let path = format!("/requests?account={}", crm.account);
    let mut entries = Vec::new();
    for _ in 0..50 {
        let log = answer(crm.app.admin(Method::GET, &path)).await;
        entries = log.body["items"].as_array().cloned().unwrap_or_default();
        if !entries.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let entry = entries.first().expect("a logged request");
    assert_eq!(entry["status"], 429);
    assert_eq!(entry["endpoint"], "api-versions");
    let logged: Value = serde_json::from_str(entry["response_body"].as_str().unwrap()).unwrap();
    assert_eq!(logged["errorMsg"], "Rate limit exceeded");
}

#[tokio::test]
async fn deleting_an_account_removes_its_rules_so_a_new_one_of_that_id_starts_clean() {
    let crm = Crm::new().await;
    let scoped = add_rule(
        crm.app,
        json!({ "account": crm.account, "action": { "type": "error", "status": 503 } }),
    )
    .await;
    let deleted = answer(
        crm.app
            .admin(Method::DELETE, &format!("/accounts/{}", crm.account)),
    )
    .await;
    assert_eq!(deleted.status, 204);
    let id = scoped["id"].as_str().unwrap();
    let gone = answer(crm.app.admin(Method::GET, &format!("/faults/{id}"))).await;
    assert_eq!(gone.status, 404, "{}", gone.body);
}
