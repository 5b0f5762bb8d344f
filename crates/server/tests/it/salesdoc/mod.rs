//! SalesDoc API V2 through HTTP, as the vendor's clients send it: JSON bodies to
//! `POST {base}/api/v2`, a token from `login` in every body's `auth`.

mod bonuses;
mod cash;
mod client_kinds;
mod client_ledger;
mod client_pending;
mod clients;
mod conventions;
mod filial_moves;
mod golden;
mod ledger;
mod ledger_moves;
mod limits;
pub(crate) mod orders;
mod payments;
mod people;
mod photos;
mod prices;
mod products;
mod references;
mod scenario;
mod stock_documents;
mod stock_exchanges;
mod stock_outgoing;
mod warehouses;

use serde_json::{json, Value};
use twin_testkit::{sqlite_app, unique, TestApp};

/// A fresh account with one SalesDoc user, logged in (rate limits on, as the vendor's).
pub struct Sd {
    pub app: &'static TestApp,
    pub account: String,
    pub login: String,
    pub password: String,
    pub user_id: String,
    pub token: String,
}

impl Sd {
    pub async fn new() -> Self {
        Self::on(sqlite_app()).await
    }

    /// A fresh account with one logged-in SalesDoc user on `app`.
    pub async fn on(app: &'static TestApp) -> Self {
        let account = app.unique_account().await;
        let login = unique("sd-user");
        let password = "secret".to_owned();
        app.credential(
            &account,
            json!({ "dialect": "salesdoc", "type": "password", "login": login, "password": password }),
        )
        .await;
        let mut sd = Self {
            app,
            account,
            login,
            password,
            user_id: String::new(),
            token: String::new(),
        };
        let (status, body) = sd.login().await;
        assert_eq!(status, 200, "{body}");
        sd.user_id = body["result"]["userId"].as_str().unwrap().to_owned();
        sd.token = body["result"]["token"].as_str().unwrap().to_owned();
        sd
    }

    /// `login` with the user's login and password.
    pub async fn login(&self) -> (u16, Value) {
        self.send(json!({ "method": "login", "auth": { "login": self.login, "password": self.password } }))
            .await
    }

    /// Posts a raw body to `/api/v2`.
    pub async fn raw(&self, body: impl Into<reqwest::Body>) -> (u16, Value) {
        let request = self.app.client.post(self.app.url("/api/v2")).body(body);
        twin_testkit::answer(request).await.into()
    }

    /// Posts a JSON body as is.
    pub async fn send(&self, body: Value) -> (u16, Value) {
        self.raw(body.to_string()).await
    }

    /// Posts `body` with the user's `auth` put in (replacing the example's).
    pub async fn call(&self, mut body: Value) -> (u16, Value) {
        body["auth"] = json!({ "userId": self.user_id, "token": self.token });
        self.send(body).await
    }

    /// `{method, params}` as the user.
    pub async fn get(&self, method: &str, params: Value) -> (u16, Value) {
        self.call(json!({ "method": method, "params": params }))
            .await
    }

    /// `{method, data: {group: records}}` as the user.
    pub async fn set(&self, method: &str, group: &str, records: Value) -> (u16, Value) {
        self.call(json!({ "method": method, "data": { group: records } }))
            .await
    }

    /// Changes the account's SalesDoc settings.
    pub async fn settings(&self, salesdoc: Value) {
        self.app
            .settings(&self.account, json!({ "salesdoc": salesdoc }))
            .await;
    }

    /// Seeds records of a kind no method writes (`region`, `tradeDirection`, `tag`,
    /// `prCategory`) in admin, in a filial or none; the SET-shaped answer.
    pub async fn seed(&self, kind: &str, filial_id: Option<&str>, records: Value) -> (u16, Value) {
        self.seed_at(&format!("references/{kind}"), filial_id, records)
            .await
    }

    /// Seeds records through the admin route `/accounts/{id}/salesdoc/{what}`
    /// (`photo-reports`, `client-pending`, `references/{kind}`); the SET-shaped answer.
    pub async fn seed_at(
        &self,
        what: &str,
        filial_id: Option<&str>,
        records: Value,
    ) -> (u16, Value) {
        let path = format!("/accounts/{}/salesdoc/{what}", self.account);
        let request = self
            .app
            .admin(reqwest::Method::POST, &path)
            .json(&json!({ "filial_id": filial_id, "records": records }));
        twin_testkit::answer(request).await.into()
    }

    /// Gives the account filials (`[{filial_id, name, prefix}]`).
    pub async fn filials(&self, filials: Value) {
        let path = format!("/accounts/{}/salesdoc/filials", self.account);
        let request = self
            .app
            .admin(reqwest::Method::PUT, &path)
            .json(&json!({ "filials": filials }));
        assert_eq!(twin_testkit::answer(request).await.status, 200);
    }

    /// Drives the account's clock.
    pub async fn clock(&self, command: Value) {
        self.app.clock(&self.account, command).await;
    }
}

/// A small deterministic generator (xorshift64*) for the property tests: the same run
/// every time.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Asserts a whole-request error: status, `status: false`, `error.code` and message.
pub fn assert_error(answer: &(u16, Value), code: u16, message: &str) {
    let (status, body) = answer;
    assert_eq!(*status, code, "{body}");
    assert_eq!(body["status"], false, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["message"], message, "{body}");
}

/// The `errors` of each refused record of a SET answer's group `key`, in order.
pub fn item_errors(body: &Value, key: &str) -> Vec<Value> {
    body["error"]["data"][key]
        .as_array()
        .unwrap_or_else(|| panic!("no refused {key}: {body}"))
        .iter()
        .map(|refused| refused["errors"].clone())
        .collect()
}

/// One member of every record of a list.
pub fn column<'a>(list: &'a Value, member: &str) -> Vec<&'a Value> {
    list.as_array()
        .unwrap_or_else(|| panic!("no list: {list}"))
        .iter()
        .map(|r| &r[member])
        .collect()
}
