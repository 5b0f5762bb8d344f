//! A Twin served in the test's own runtime over its own temp SQLite file, with the probe
//! dialect mounted and direct access to its services.

use std::sync::Arc;

use reqwest::{Method, RequestBuilder};
use twin_core::clock::SystemClock;

use crate::probe::Probe;

pub struct Local {
    pub base: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub const TOKEN: &str = "local-admin-token";

impl Local {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("twin.db").display());
        let store = twin_server::open_store(&url).await.expect("store");
        let state = twin_server::state(store, Arc::new(SystemClock), "http://twin.test");
        let app = twin_http::mount::<Probe>(twin_server::app(state.clone(), TOKEN), &state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            base,
            client: reqwest::Client::new(),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(&format!("/admin/api{path}")))
            .bearer_auth(TOKEN)
    }

    /// A new account with a RetailCRM key; returns (account, key).
    pub async fn account_with_key(&self) -> (String, String) {
        let id = twin_testkit::unique("l");
        let created = self
            .admin(Method::POST, "/accounts")
            .json(&serde_json::json!({ "id": id }))
            .send()
            .await
            .expect("create account");
        assert_eq!(created.status(), 201);
        let key = twin_testkit::unique("key");
        let issued = self
            .admin(Method::POST, &format!("/accounts/{id}/credentials"))
            .json(&serde_json::json!({ "dialect": "retailcrm", "type": "api_key", "key": key }))
            .send()
            .await
            .expect("issue key");
        assert_eq!(issued.status(), 201);
        (id, key)
    }
}
