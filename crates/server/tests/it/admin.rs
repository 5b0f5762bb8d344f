//! The admin API through HTTP, on the shared SQLite app and (when configured) PostgreSQL.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use twin_testkit::{pg_app, sqlite_app, TestApp};

/// Runs an async test body against every configured backend.
macro_rules! on_each_backend {
    ($name:ident, $body:ident) => {
        #[tokio::test]
        async fn $name() {
            $body(sqlite_app()).await;
            match pg_app() {
                Some(app) => $body(app).await,
                None => eprintln!(
                    "TWIN_TEST_PG_URL unset: {} ran on SQLite only",
                    stringify!($name)
                ),
            }
        }
    };
}

async fn problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "errors are problem documents"
    );
    let body: Value = response.json().await.expect("problem JSON");
    assert_eq!(body["status"], status);
    body
}

on_each_backend!(accounts_are_created_listed_and_deleted, accounts_lifecycle);
async fn accounts_lifecycle(app: &TestApp) {
    let id = twin_testkit::unique("acc");
    let created = app
        .admin(Method::POST, "/accounts")
        .json(&json!({ "id": id, "name": "Shop" }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let account: Value = created.json().await.unwrap();
    assert_eq!(account["id"], id);
    assert_eq!(account["name"], "Shop");
    assert_eq!(account["clock"], json!({ "mode": "real" }));

    let again = app
        .admin(Method::POST, "/accounts")
        .json(&json!({ "id": id }))
        .send()
        .await
        .unwrap();
    problem(again, 409).await;
    let invalid = app
        .admin(Method::POST, "/accounts")
        .json(&json!({ "id": "Bad Id" }))
        .send()
        .await
        .unwrap();
    problem(invalid, 422).await;

    let fetched: Value = app
        .admin(Method::GET, &format!("/accounts/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, account);
    let listed: Value = app
        .admin(Method::GET, "/accounts?limit=1000")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == id));
    assert!(listed["total"].as_u64().unwrap() >= 1);

    let deleted = app
        .admin(Method::DELETE, &format!("/accounts/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    problem(
        app.admin(Method::GET, &format!("/accounts/{id}"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
}

on_each_backend!(credentials_follow_each_vendor_scheme, credentials_lifecycle);
async fn credentials_lifecycle(app: &TestApp) {
    let account = app.unique_account().await;
    let key = twin_testkit::unique("key");
    let retail = app
        .credential(
            &account,
            json!({ "dialect": "retailcrm", "type": "api_key", "key": key, "sites": ["shop"] }),
        )
        .await;
    assert_eq!(retail["key"], key);
    assert_eq!(retail["sites"], json!(["shop"]));
    let login = format!("admin@{account}");
    let moysklad = app
        .credential(
            &account,
            json!({ "dialect": "moysklad", "type": "password", "login": login }),
        )
        .await;
    assert_eq!(moysklad["login"], login);
    assert_eq!(
        moysklad["password"].as_str().unwrap().len(),
        64,
        "a generated password"
    );
    let kassa = app
        .credential(&account, json!({ "dialect": "kassa", "type": "app" }))
        .await;
    assert!(kassa["client_token"].is_string() && kassa["app_secret"].is_string());

    let path = format!("/accounts/{account}/credentials");
    let wrong_scheme = app
        .admin(Method::POST, &path)
        .json(&json!({ "dialect": "kassa", "type": "api_key" }))
        .send()
        .await
        .unwrap();
    problem(wrong_scheme, 422).await;
    let taken = app
        .admin(Method::POST, &path)
        .json(&json!({ "dialect": "retailcrm", "type": "api_key", "key": key }))
        .send()
        .await
        .unwrap();
    problem(taken, 409).await;

    let listed: Vec<Value> = app
        .admin(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);

    // Another account cannot revoke this account's credential.
    let other = app.unique_account().await;
    let id = retail["id"].as_str().unwrap();
    let foreign = app
        .admin(
            Method::DELETE,
            &format!("/accounts/{other}/credentials/{id}"),
        )
        .send()
        .await
        .unwrap();
    problem(foreign, 404).await;
    let revoked = app
        .admin(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let listed: Vec<Value> = app
        .admin(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|c| c["id"] != id));
}

on_each_backend!(bad_admin_input_gets_a_clear_4xx, bad_input);
async fn bad_input(app: &TestApp) {
    let url = app.url("/admin/api/accounts");
    let malformed = app
        .admin(Method::POST, "/accounts")
        .header("content-type", "application/json")
        .body("{\"id\":")
        .send()
        .await
        .unwrap();
    problem(malformed, 400).await;
    let unknown = app
        .admin(Method::POST, "/accounts")
        .json(&json!({ "id": "x-1", "colour": "red" }))
        .send()
        .await
        .unwrap();
    let body = problem(unknown, 422).await;
    assert!(body["detail"].as_str().unwrap().contains("colour"));
    let untyped = app
        .admin(Method::POST, "/accounts")
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(untyped, 415).await;
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(11 * 1024 * 1024));
    let oversized = app
        .admin(Method::POST, "/accounts")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    problem(oversized, 413).await;
    let anonymous = app.client.get(&url).send().await.unwrap();
    problem(anonymous, 401).await;
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    problem(wrong, 401).await;
    problem(
        app.admin(Method::GET, "/no-such-thing")
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.admin(Method::PATCH, "/accounts").send().await.unwrap(),
        405,
    )
    .await;
    problem(
        app.admin(Method::GET, "/accounts?limit=abc")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    problem(
        app.admin(Method::GET, "/accounts?limit=0")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    problem(
        app.admin(Method::GET, "/requests?status=6xx")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    problem(
        app.admin(Method::GET, "/requests/abc")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    let account = app.unique_account().await;
    let bad_clock = app
        .admin(Method::POST, &format!("/accounts/{account}/clock"))
        .json(&json!({ "action": "rewind" }))
        .send()
        .await
        .unwrap();
    problem(bad_clock, 422).await;
    let bad_snapshot = app
        .admin(Method::PUT, &format!("/accounts/{account}/snapshot"))
        .json(&json!({ "format": "other/9", "snapshot": { "documents": [], "sequences": [], "history": [] } }))
        .send()
        .await
        .unwrap();
    problem(bad_snapshot, 422).await;
    let spec: Value = app
        .client
        .get(app.url("/admin/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
}

on_each_backend!(clocks_freeze_set_advance_and_release_per_account, clocks);
async fn clocks(app: &TestApp) {
    let account = app.unique_account().await;
    let other = app.unique_account().await;
    let path = format!("/accounts/{account}/clock");
    let set = |body: Value| app.admin(Method::POST, &path).json(&body).send();
    let frozen: Value = set(json!({ "action": "freeze", "at": "2024-01-02T03:04:05Z" }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(frozen["now"], "2024-01-02T03:04:05Z");
    let advanced: Value = set(json!({ "action": "advance", "seconds": 3600 }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(advanced["now"], "2024-01-02T04:04:05Z");
    let read: Value = app
        .admin(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        read["setting"],
        json!({ "mode": "frozen", "at": "2024-01-02T04:04:05Z" })
    );
    // The other account's time runs on.
    let theirs: Value = app
        .admin(Method::GET, &format!("/accounts/{other}/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["setting"]["mode"], "real");
    let released: Value = set(json!({ "action": "release" }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(released["setting"], json!({ "mode": "real" }));
    let shifted: Value = set(json!({ "action": "set", "at": "2030-06-01T00:00:00Z" }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shifted["setting"]["mode"], "shifted");
    let now: chrono::DateTime<chrono::Utc> = shifted["now"].as_str().unwrap().parse().unwrap();
    let target: chrono::DateTime<chrono::Utc> = "2030-06-01T00:00:00Z".parse().unwrap();
    assert!(
        (now - target).num_seconds().abs() < 5,
        "a shifted clock runs on from {target}: {now}"
    );
}
