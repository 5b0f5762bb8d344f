//! MoySklad JSON API 1.2 through HTTP, as a client sees it.

mod assortment;
mod attributes;
mod clients;
mod contract;
mod conventions;
mod currency;
mod folders;
mod goods;
mod goods_bundles;
mod goods_settings;
mod goods_variants;
mod loyalty;
mod supporting;
pub(crate) mod webhooks;

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use twin_testkit::{sqlite_app, TestApp};

pub const ROOT: &str = "/api/remap/1.2";

/// A fresh account with a MoySklad login, and a client for it.
pub struct Ms {
    pub app: &'static TestApp,
    pub account: String,
    pub login: String,
    pub password: String,
}

impl Ms {
    pub async fn new() -> Self {
        Self::on(sqlite_app()).await
    }

    /// A fresh account with a MoySklad login on `app`.
    pub async fn on(app: &'static TestApp) -> Self {
        let account = app.unique_account().await;
        let login = format!("admin@{account}");
        let password = "secret".to_owned();
        app.credential(&account, json!({ "dialect": "moysklad", "type": "password", "login": login, "password": password }))
            .await;
        Self {
            app,
            account,
            login,
            password,
        }
    }

    /// `path` below `/api/remap/1.2`, with Basic auth; reqwest asks for gzip itself.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.app
            .client
            .request(method, self.app.url(&format!("{ROOT}{path}")))
            .basic_auth(&self.login, Some(&self.password))
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub fn href(&self, rest: &str) -> String {
        self.app.url(&format!("{ROOT}{rest}"))
    }
}

/// The status and JSON body (`null` when empty) of `response`.
pub async fn read(response: Response) -> (u16, Value) {
    twin_testkit::Answer::read(response).await.into()
}

/// The code of the first error of an `{"errors": [...]}` body.
pub fn code(body: &Value) -> u64 {
    body["errors"][0]["code"]
        .as_u64()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}
