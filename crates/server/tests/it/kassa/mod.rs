//! Produman.Kassa through HTTP, as a client sees it: the vendor's client sends
//! `{base}/v1/<action>` with `X-APP-ID`, `X-APP-SECRET` and `X-CLIENT-TOKEN`.

mod async_operations;
mod conventions;
mod device;
mod fixtures;
mod golden;
mod integrations;
mod operations;
mod orders;
mod products;
mod replicas;
mod webhook_endpoints;

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
pub use twin_testkit::{answer, Answer};
use twin_testkit::{sqlite_app, unique, TestApp};

pub const ROOT: &str = "/kassa/v1";

/// A fresh account with a Kassa integration (its rate limit off), and a client for it.
pub struct Kassa {
    pub app: &'static TestApp,
    pub account: String,
    pub app_id: String,
    pub app_secret: String,
    pub token: String,
}

impl Kassa {
    pub async fn new() -> Self {
        Self::on(sqlite_app()).await
    }

    /// A fresh account with a Kassa integration on `app`.
    pub async fn on(app: &'static TestApp) -> Self {
        Self::in_account(app, app.unique_account().await).await
    }

    /// A Kassa integration in the existing `account` (which may have other dialects').
    pub async fn in_account(app: &'static TestApp, account: String) -> Self {
        let (app_id, app_secret, token) = (unique("app"), unique("secret"), unique("token"));
        app.credential(
            &account,
            json!({ "dialect": "kassa", "type": "app", "app_id": app_id, "app_secret": app_secret, "client_token": token }),
        )
        .await;
        let kassa = Self {
            app,
            account,
            app_id,
            app_secret,
            token,
        };
        // Lists weigh 15 of the 60 a minute allows: tests that are not about the limit
        // would run out of it.
        kassa.settings(json!({ "rateLimit": false })).await;
        kassa
    }

    /// The same integration through another server (a replica on the same database).
    pub fn through(&self, app: &'static TestApp) -> Self {
        Self {
            app,
            account: self.account.clone(),
            app_id: self.app_id.clone(),
            app_secret: self.app_secret.clone(),
            token: self.token.clone(),
        }
    }

    /// `path` below `/kassa/v1` with the application's headers only (no client token):
    /// how an application calls the integration routes.
    pub fn app_request(&self, method: Method, path: &str) -> RequestBuilder {
        self.app
            .client
            .request(method, self.app.url(&format!("{ROOT}{path}")))
            .header("X-APP-ID", &self.app_id)
            .header("X-APP-SECRET", &self.app_secret)
    }

    /// `path` below `/kassa/v1` with the integration's three headers.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.app_request(method, path)
            .header("X-CLIENT-TOKEN", &self.token)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        send(self.request(method, path), body).await
    }

    /// A call with the application's headers only.
    pub async fn app_call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        send(self.app_request(method, path), body).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let answer = self.call(Method::GET, path, None).await;
        (answer.status, answer.body)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let answer = self.call(Method::POST, path, Some(body)).await;
        (answer.status, answer.body)
    }

    /// An active webhook endpoint for completed operations at `url`; as created (201).
    pub async fn webhook_endpoint(&self, url: &str) -> Value {
        let endpoint = json!({ "status": "ACTIVE", "url": url, "authType": "NO",
                               "events": ["OPERATION_COMPLETED"] });
        let (status, endpoint) = self.post("/application-webhooks/endpoints", endpoint).await;
        assert_eq!(status, 201, "{endpoint}");
        endpoint
    }

    /// Changes the account's Kassa settings (`{"subscription": false}`, ...).
    pub async fn settings(&self, kassa: Value) {
        self.app
            .settings(&self.account, json!({ "kassa": kassa }))
            .await;
    }

    /// Drives the account's clock (`{"action": "freeze"}`, `{"action": "advance", ...}`).
    pub async fn clock(&self, command: Value) {
        self.app.clock(&self.account, command).await;
    }
}

async fn send(request: RequestBuilder, body: Option<Value>) -> Answer {
    match body {
        Some(body) => answer(request.json(&body)).await,
        None => answer(request).await,
    }
}

/// Asserts a vendor error: status, code and `details` lines.
pub fn assert_error(answer: (u16, &Value), status: u16, code: &str, details: &[&str]) {
    let (got, body) = answer;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].is_string(), "{body}");
    let lines: Vec<&str> = body["details"]
        .as_array()
        .unwrap_or_else(|| panic!("details in {body}"))
        .iter()
        .map(|d| d.as_str().unwrap_or_default())
        .collect();
    assert_eq!(lines, details, "{body}");
}

/// Asserts a 400 `VALIDATION_ERROR` with these `details` lines.
pub fn assert_invalid(answer: (u16, &Value), details: &[&str]) {
    assert_error(answer, 400, "VALIDATION_ERROR", details);
}

/// Asserts that an object has exactly these fields.
pub fn assert_keys(body: &Value, expected: &[&str]) {
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap_or_else(|| panic!("an object: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "{body}");
}

/// The ids of a list answer's items.
pub fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {body}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}
