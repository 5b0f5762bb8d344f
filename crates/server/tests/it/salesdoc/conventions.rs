//! The envelope: pre-parse errors before auth, login and tokens, unknown, disabled and
//! not-built methods, filials.

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, Sd};

#[tokio::test]
async fn pre_parse_errors_come_before_auth() {
    let sd = Sd::new().await;
    assert_error(&sd.raw("").await, 400, "Empty request body");
    assert_error(&sd.raw("  \n").await, 400, "Empty request body");
    assert_error(
        &sd.raw("{not json").await,
        400,
        "Invalid request format. Request must be JSON",
    );
    let missing = "Required field \"method\" is missing";
    assert_error(&sd.send(json!({ "auth": {} })).await, 400, missing);
    assert_error(&sd.send(json!([1, 2])).await, 400, missing);
    // Exactly the documented shape: no `result`.
    let (_, body) = sd.raw("").await;
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
}

#[tokio::test]
async fn a_bom_is_stripped() {
    let sd = Sd::new().await;
    let body = json!({ "method": "getUnit", "auth": { "userId": sd.user_id, "token": sd.token } });
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(body.to_string().into_bytes());
    let (status, answer) = sd.raw(bytes).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], true);
}

#[tokio::test]
async fn login_answers_the_user_and_a_new_login_revokes_the_old_token() {
    let sd = Sd::new().await;
    assert!(sd.user_id.starts_with("d0_"), "{}", sd.user_id);
    let (status, again) = sd.login().await;
    assert_eq!(status, 200);
    assert_eq!(
        again["result"]["userId"],
        sd.user_id.as_str(),
        "stable per user"
    );
    assert_ne!(again["result"]["token"], sd.token.as_str());
    // The first token no longer works; the new one does.
    assert_error(&sd.get("getUnit", json!({})).await, 401, "Invalid token");
    let fresh = json!({ "method": "getUnit", "auth": { "userId": sd.user_id, "token": again["result"]["token"] } });
    assert_eq!(sd.send(fresh).await.0, 200);
}

#[tokio::test]
async fn login_and_token_errors_are_401() {
    let sd = Sd::new().await;
    let login = |login: &str, password: &str| json!({ "method": "login", "auth": { "login": login, "password": password } });
    assert_error(
        &sd.send(login("nobody-here", "x")).await,
        401,
        "User not found",
    );
    assert_error(
        &sd.send(login(&sd.login, "wrong")).await,
        401,
        "Invalid login/password",
    );
    assert_error(
        &sd.send(json!({ "method": "getUnit" })).await,
        401,
        "Authorization required",
    );
    let bad = json!({ "method": "getUnit", "auth": { "userId": sd.user_id, "token": "abc" } });
    assert_error(&sd.send(bad).await, 401, "Invalid token");
    let other_user =
        json!({ "method": "getUnit", "auth": { "userId": "d0_999", "token": sd.token } });
    assert_error(&sd.send(other_user).await, 401, "User not found");
    // The token alone is enough.
    let token_only = json!({ "method": "getUnit", "auth": { "token": sd.token } });
    assert_eq!(sd.send(token_only).await.0, 200);
}

#[tokio::test]
async fn unknown_and_disabled_methods() {
    let sd = Sd::new().await;
    assert_error(
        &sd.get("getNothing", json!({})).await,
        402,
        "Method not found",
    );
    assert_error(&sd.get("getunit", json!({})).await, 402, "Method not found");
    let path = format!("/accounts/{}/salesdoc/disabled-methods", sd.account);
    let put = |methods: Value| {
        sd.app
            .admin(Method::PUT, &path)
            .json(&json!({ "methods": methods }))
    };
    assert_eq!(put(json!(["getUnit"])).send().await.unwrap().status(), 200);
    assert_eq!(
        put(json!(["getNothing"])).send().await.unwrap().status(),
        400
    );
    assert_eq!(put(json!(["login"])).send().await.unwrap().status(), 400);
    assert_error(
        &sd.get("getUnit", json!({})).await,
        403,
        "Access to method getUnit is denied",
    );
    assert_eq!(sd.get("getValyutaType", json!({})).await.0, 200);
    let listed = twin_testkit::answer(sd.app.admin(Method::GET, &path)).await;
    assert_eq!(listed.body, json!({ "methods": ["getUnit"] }));
}

#[tokio::test]
async fn filials_are_listed_and_unknown_ones_refused() {
    let sd = Sd::new().await;
    let (_, none) = sd.get("getFilials", json!({})).await;
    assert_eq!(none, json!({ "status": true, "result": { "filials": [] } }));
    let filials = json!([
        { "filial_id": "FIL001", "name": "Tashkent", "domain": "tashkent.example.com", "prefix": "F1" },
        { "filial_id": "FIL002", "name": "Samarkand", "domain": "samarkand.example.com", "prefix": "F2" },
    ]);
    let path = format!("/accounts/{}/salesdoc/filials", sd.account);
    let put = sd
        .app
        .admin(Method::PUT, &path)
        .json(&json!({ "filials": filials }));
    assert_eq!(put.send().await.unwrap().status(), 200);
    let (status, listed) = sd.call(json!({ "method": "getFilials" })).await;
    assert_eq!(status, 200);
    assert_eq!(listed["result"]["filials"], filials);
    // An unknown filial is refused where filial matters, ignored where it does not.
    let mut in_unknown = json!({ "method": "getOrder", "filial": { "filial_id": "NOPE" } });
    assert_error(
        &sd.call(in_unknown.clone()).await,
        400,
        "Filial NOPE not found",
    );
    in_unknown["method"] = json!("getUnit");
    assert_eq!(sd.call(in_unknown).await.0, 200);
    let duplicate = json!({ "filials": [filials[0], filials[0]] });
    let refused = sd
        .app
        .admin(Method::PUT, &path)
        .json(&duplicate)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn another_accounts_token_sees_nothing() {
    let (one, two) = (Sd::new().await, Sd::new().await);
    let unit = json!([{ "code_1C": "pc", "name": "Piece" }]);
    assert_eq!(one.set("setUnit", "unit", unit).await.0, 200);
    let (_, seen) = two.get("getUnit", json!({})).await;
    assert_eq!(seen["result"]["unit"], json!([]), "{seen}");
    assert_eq!(seen["pagination"]["total"], 0);
    // Nor can it update the other's record by its SD_id: it creates its own.
    let (_, other) = two
        .set(
            "setUnit",
            "unit",
            json!([{ "SD_id": "d0_1", "name": "Mine" }]),
        )
        .await;
    assert_eq!(other["result"]["completed"], 1, "{other}");
    let (_, mine) = one.get("getUnit", json!({})).await;
    assert_eq!(mine["result"]["unit"][0]["name"], "Piece");
}

#[tokio::test]
async fn the_request_log_labels_requests_by_method_and_masks_secrets() {
    let sd = Sd::new().await;
    assert_eq!(sd.get("getUnit", json!({})).await.0, 200);
    let path = format!("/requests?account={}&dialect=salesdoc", sd.account);
    let mut entries = Vec::new();
    for _ in 0..50 {
        let log = twin_testkit::answer(sd.app.admin(Method::GET, &path)).await;
        entries = log.body["items"].as_array().cloned().unwrap_or_default();
        if entries.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let endpoints: Vec<&str> = entries
        .iter()
        .map(|e| e["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(endpoints, ["getUnit", "login"], "newest first");
    let logged: Value = serde_json::from_str(entries[1]["request_body"].as_str().unwrap()).unwrap();
    assert_eq!(logged["auth"]["password"], "***");
    let answered: Value =
        serde_json::from_str(entries[1]["response_body"].as_str().unwrap()).unwrap();
    assert_eq!(answered["result"]["token"], "***");
}

#[tokio::test]
async fn the_trailing_slash_path_and_other_http_methods() {
    let sd = Sd::new().await;
    let body = json!({ "method": "getUnit", "auth": { "token": sd.token } });
    let slash = sd
        .app
        .client
        .post(sd.app.url("/api/v2/"))
        .body(body.to_string());
    let (status, answer) = twin_testkit::answer(slash).await.into();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], true);
    let get = sd.app.client.get(sd.app.url("/api/v2"));
    let answer: (u16, Value) = twin_testkit::answer(get).await.into();
    assert_error(&answer, 405, "Only POST requests are accepted");
}
