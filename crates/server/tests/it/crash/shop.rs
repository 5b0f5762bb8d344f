//! One account with a credential in each of the four dialects, its rate limits off (the
//! load is the point, not the vendors' quotas), webhooks subscribed to a local receiver,
//! and a client that speaks each dialect to whichever server is running now.

use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};
use twin_testkit::{unique, TwinProcess, WebhookSink};

const RETAILCRM_KEY: &str = "crash-retailcrm-key";
const MOYSKLAD_LOGIN: &str = "admin@crash";
const PASSWORD: &str = "crash-secret";
const KASSA: (&str, &str, &str) = ("crash-app", "crash-app-secret", "crash-client-token");
const SALESDOC_LOGIN: &str = "crash-user";
/// The category every SalesDoc client of the load belongs to (a client needs one).
pub const CLIENT_CATEGORY: &str = "crash-category";

/// What a worker needs to write to the account in any dialect.
#[derive(Clone)]
pub struct Shop {
    pub client: Client,
    pub account: String,
    /// Kassa: the seeded cash register and its owner, whose shift is open.
    pub cashbox: String,
    pub owner: String,
    /// SalesDoc: the logged-in user's `auth`.
    pub salesdoc_auth: Value,
}

/// A request's status and JSON body (`null` when it is not JSON).
pub async fn answer(request: RequestBuilder) -> Result<(u16, Value), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

fn admin(process: &TwinProcess, client: &Client, method: Method, path: &str) -> RequestBuilder {
    client
        .request(method, format!("{}/admin/api{path}", process.base))
        .bearer_auth(&process.admin_token)
}

async fn admin_ok(process: &TwinProcess, client: &Client, method: Method, path: &str, body: Value) {
    let (status, answered) = answer(admin(process, client, method, path).json(&body))
        .await
        .expect("admin API");
    assert!(status < 300, "{path} {body}: {status} {answered}");
}

impl Shop {
    /// Creates the account on `process`, subscribes webhooks to `sink` and opens the
    /// Kassa shift the load's sales go into.
    pub async fn open(process: &TwinProcess, sink: &WebhookSink) -> Self {
        let client = Client::new();
        let account = unique("crash");
        let post = Method::POST;
        admin_ok(
            process,
            &client,
            post.clone(),
            "/accounts",
            json!({ "id": account }),
        )
        .await;
        let credentials = format!("/accounts/{account}/credentials");
        for credential in [
            json!({ "dialect": "retailcrm", "type": "api_key", "key": RETAILCRM_KEY, "scopes": [], "sites": [] }),
            json!({ "dialect": "moysklad", "type": "password", "login": MOYSKLAD_LOGIN, "password": PASSWORD }),
            json!({ "dialect": "kassa", "type": "app", "app_id": KASSA.0, "app_secret": KASSA.1, "client_token": KASSA.2 }),
            json!({ "dialect": "salesdoc", "type": "password", "login": SALESDOC_LOGIN, "password": PASSWORD }),
        ] {
            admin_ok(process, &client, post.clone(), &credentials, credential).await;
        }
        let off = json!({ "rateLimit": false });
        let settings = json!({ "retailcrm": off, "moysklad": off, "kassa": off, "salesdoc": off });
        let path = format!("/accounts/{account}/settings");
        admin_ok(process, &client, Method::PATCH, &path, settings).await;

        let mut shop = Self {
            client,
            account,
            cashbox: String::new(),
            owner: String::new(),
            salesdoc_auth: Value::Null,
        };
        let base = &process.base;
        let (_, cashboxes) = answer(shop.kassa(base, Method::GET, "/cashboxes"))
            .await
            .unwrap();
        let (_, employees) = answer(shop.kassa(base, Method::GET, "/employees"))
            .await
            .unwrap();
        shop.cashbox = first_id(&cashboxes);
        shop.owner = first_id(&employees);
        let login =
            json!({ "method": "login", "auth": { "login": SALESDOC_LOGIN, "password": PASSWORD } });
        let (status, logged) = answer(shop.salesdoc_raw(base, &login)).await.unwrap();
        assert_eq!(status, 200, "{logged}");
        shop.salesdoc_auth =
            json!({ "userId": logged["result"]["userId"], "token": logged["result"]["token"] });
        let category = json!({ "data": { "clientCategory": [{ "code_1C": CLIENT_CATEGORY, "name": "Crash" }] } });
        let (status, body) = answer(shop.salesdoc(base, "setClientCategory", category))
            .await
            .unwrap();
        assert_eq!(status, 200, "{body}");

        for action in ["CREATE", "UPDATE"] {
            let hook =
                json!({ "url": sink.url("/moysklad"), "action": action, "entityType": "product" });
            let (status, body) = answer(
                shop.moysklad(base, Method::POST, "/entity/webhook")
                    .json(&hook),
            )
            .await
            .unwrap();
            assert_eq!(status, 200, "{body}");
        }
        let endpoint = json!({
            "status": "ACTIVE", "url": sink.url("/kassa"), "authType": "NO",
            "events": ["OPERATION_COMPLETED", "OPERATION_FAILED"]
        });
        let request = shop.kassa(base, Method::POST, "/application-webhooks/endpoints");
        let (status, body) = answer(request.json(&endpoint)).await.unwrap();
        assert_eq!(status, 201, "{body}");
        let shift = json!({ "operationType": "SHIFT_OPEN", "cashboxId": shop.cashbox, "createdById": shop.owner, "details": {} });
        let request = shop.kassa(base, Method::POST, "/operations").json(&shift);
        let (status, body) = answer(request).await.unwrap();
        assert_eq!(status, 201, "{body}");
        shop
    }

    pub fn retailcrm(&self, base: &str, path: &str, form: &[(&str, String)]) -> RequestBuilder {
        self.client
            .post(format!("{base}/api/v5{path}"))
            .header("X-API-KEY", RETAILCRM_KEY)
            .form(form)
    }

    pub fn retailcrm_get(&self, base: &str, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{base}/api/v5{path}"))
            .header("X-API-KEY", RETAILCRM_KEY)
    }

    pub fn moysklad(&self, base: &str, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{base}/api/remap/1.2{path}"))
            .basic_auth(MOYSKLAD_LOGIN, Some(PASSWORD))
    }

    pub fn kassa(&self, base: &str, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{base}/kassa/v1{path}"))
            .header("X-APP-ID", KASSA.0)
            .header("X-APP-SECRET", KASSA.1)
            .header("X-CLIENT-TOKEN", KASSA.2)
    }

    fn salesdoc_raw(&self, base: &str, body: &Value) -> RequestBuilder {
        self.client
            .post(format!("{base}/api/v2"))
            .body(body.to_string())
    }

    /// `{method, params|data}` as the logged-in SalesDoc user.
    pub fn salesdoc(&self, base: &str, method: &str, rest: Value) -> RequestBuilder {
        let mut body = rest;
        body["method"] = json!(method);
        body["auth"] = self.salesdoc_auth.clone();
        self.salesdoc_raw(base, &body)
    }
}

fn first_id(list: &Value) -> String {
    list["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no seeded item in {list}"))
        .to_owned()
}
