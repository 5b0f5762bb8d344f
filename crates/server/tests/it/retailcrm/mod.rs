//! RetailCRM API v5 through HTTP, as the vendor's clients send it: the key in
//! `X-API-KEY`, GET filters in PHP bracket form, POST bodies as form fields holding JSON
//! documents, all below `{base}/api`.

mod admin;
mod clients;
mod conventions;
mod corporate;
mod corporate_parts;
mod customers;
mod delivery;
mod delivery_cancel;
mod files;
mod filters;
mod history;
mod interaction;
mod invoices;
mod lifecycle;
mod loyalty;
mod order_combine;
mod order_payment_filters;
mod order_references;
mod order_rules;
mod order_statuses;
mod orders;
mod payments;
mod refs;
mod setup;
mod shipments;
mod store;
mod tasks;
mod telephony_calls;
mod users;
mod web_analytics;

use serde_json::{json, Value};
use twin_testkit::{sqlite_app, unique, TestApp};

/// A fresh account with one API key (its rate limit off unless a test turns it on).
pub struct Crm {
    pub app: &'static TestApp,
    pub account: String,
    pub key: String,
}

impl Crm {
    /// An account whose key has every permission and reaches every site.
    pub async fn new() -> Self {
        Self::with_key(&[], &[]).await
    }

    /// An account whose key has these scopes and sites (empty: all).
    pub async fn with_key(scopes: &[&str], sites: &[&str]) -> Self {
        let app = sqlite_app();
        let account = app.unique_account().await;
        let crm = Self {
            app,
            key: String::new(),
            account,
        };
        let key = crm.add_key(scopes, sites).await;
        crm.settings(json!({ "rateLimit": false })).await;
        Self { key, ..crm }
    }

    /// Issues another key of the account.
    pub async fn add_key(&self, scopes: &[&str], sites: &[&str]) -> String {
        let key = unique("rcrm-key");
        self.app
            .credential(
                &self.account,
                json!({ "dialect": "retailcrm", "type": "api_key", "key": key, "scopes": scopes, "sites": sites }),
            )
            .await;
        key
    }

    /// Changes the account's RetailCRM settings (`{"rateLimit": true}`, ...).
    pub async fn settings(&self, retailcrm: Value) {
        self.app
            .settings(&self.account, json!({ "retailcrm": retailcrm }))
            .await;
    }

    /// Drives the account's clock (`{"action": "freeze", "at": ...}`, `{"action": "advance", ...}`).
    pub async fn clock(&self, command: Value) {
        self.app.clock(&self.account, command).await;
    }

    /// `GET /api{path}?{query}` with the key.
    pub async fn get(&self, path: &str, query: &str) -> (u16, Value) {
        self.get_as(&self.key, path, query).await
    }

    pub async fn get_as(&self, key: &str, path: &str, query: &str) -> (u16, Value) {
        let url = self.app.url(&format!("/api{path}?{query}"));
        answer(self.app.client.get(url).header("X-API-KEY", key)).await
    }

    /// `GET /api{path_and_query}` with `key`, as raw bytes: status, `Content-Type`,
    /// `Content-Disposition`, body (downloads and printed forms).
    pub async fn get_bytes(&self, key: &str, path: &str) -> (u16, String, String, Vec<u8>) {
        let url = self.app.url(&format!("/api{path}"));
        let response = self
            .app
            .client
            .get(url)
            .header("X-API-KEY", key)
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
        };
        let (kind, disposition) = (header("content-type"), header("content-disposition"));
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap().to_vec();
        (status, kind, disposition, body)
    }

    /// `POST /api{path}` with form fields (values as given: JSON documents are strings).
    pub async fn post(&self, path: &str, form: &[(&str, String)]) -> (u16, Value) {
        self.post_as(&self.key, path, form).await
    }

    pub async fn post_as(&self, key: &str, path: &str, form: &[(&str, String)]) -> (u16, Value) {
        let url = self.app.url(&format!("/api{path}"));
        answer(
            self.app
                .client
                .post(url)
                .header("X-API-KEY", key)
                .form(form),
        )
        .await
    }

    /// Creates an order in `main-shop` (named, for accounts with more sites) from a JSON
    /// document; the answer `{id, order}`.
    pub async fn create_order(&self, order: Value) -> Value {
        let form = [
            ("order", order.to_string()),
            ("site", "main-shop".to_owned()),
        ];
        let (status, body) = self.post("/v5/orders/create", &form).await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// Creates a customer from a JSON document; returns its id.
    pub async fn create(&self, customer: Value) -> i64 {
        let (status, body) = self
            .post(
                "/v5/customers/create",
                &[("customer", customer.to_string())],
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().expect("id")
    }
}

/// Sends `request`; the status and JSON body.
pub async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    twin_testkit::answer(request).await.into()
}

/// Asserts a vendor error: status, `success: false`, the message, the field errors.
pub fn assert_error(answer: &(u16, Value), status: u16, message: &str, errors: &[&str]) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["errorMsg"], message, "{body}");
    let mut fields: Vec<&str> = body["errors"]
        .as_object()
        .map(|e| e.keys().map(String::as_str).collect())
        .unwrap_or_default();
    fields.sort_unstable();
    assert_eq!(fields, errors, "{body}");
}

/// The ids of a customer list.
pub fn ids(body: &Value) -> Vec<i64> {
    ids_of(body, "customers")
}

/// The ids of the list under `member`.
pub fn ids_of(body: &Value, member: &str) -> Vec<i64> {
    body[member]
        .as_array()
        .unwrap_or_else(|| panic!("{member} in {body}"))
        .iter()
        .map(|c| c["id"].as_i64().unwrap_or_default())
        .collect()
}

/// The external ids of the list under `member`, in order (none: `""`).
pub fn external_ids_of(body: &Value, member: &str) -> Vec<String> {
    body[member]
        .as_array()
        .unwrap_or_else(|| panic!("{member} in {body}"))
        .iter()
        .map(|o| o["externalId"].as_str().unwrap_or_default().to_owned())
        .collect()
}
