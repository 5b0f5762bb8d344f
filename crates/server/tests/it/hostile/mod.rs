//! Hostile input at the HTTP edge, for every dialect: bodies over the limits, deeply
//! nested and malformed JSON, invalid UTF-8, arrays over the vendors' limits, SQL
//! metacharacters and LIKE wildcards in filters, oversized and slow request heads, and
//! crowds of idle connections. Each gets the vendor's error shape (or a plain 4xx where
//! the vendor documents none), stores nothing, and the server keeps serving others.

mod bodies;
mod connections;
mod filters;
mod limits;

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use twin_testkit::{answer, sqlite_app, TestApp};

use crate::kassa::Kassa;
use crate::moysklad::Ms;
use crate::retailcrm::Crm;
use crate::salesdoc::Sd;

/// One dialect's account with a client, and what its write endpoint and errors look like.
pub enum Vendor {
    MoySklad(Ms),
    RetailCrm(Crm),
    Kassa(Kassa),
    SalesDoc(Sd),
}

impl Vendor {
    /// A fresh account of each dialect on the shared SQLite server, warmed up.
    pub async fn all() -> Vec<Vendor> {
        Self::all_on(sqlite_app()).await
    }

    /// A fresh account of each dialect on `app`, warmed up (the dialects seed their
    /// defaults on first use, which is not what a test of "stores nothing" should see).
    pub async fn all_on(app: &'static TestApp) -> Vec<Vendor> {
        let crm = Crm {
            app,
            account: app.unique_account().await,
            key: String::new(),
        };
        let crm = Crm {
            key: crm.add_key(&[], &[]).await,
            ..crm
        };
        crm.settings(json!({ "rateLimit": false })).await;
        let vendors = vec![
            Vendor::MoySklad(Ms::on(app).await),
            Vendor::RetailCrm(crm),
            Vendor::Kassa(Kassa::on(app).await),
            Vendor::SalesDoc(Sd::on(app).await),
        ];
        for vendor in &vendors {
            let (status, body) = answer(vendor.read()).await.into();
            assert_eq!(status, 200, "{}: warm-up read: {body}", vendor.name());
        }
        vendors
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::MoySklad(_) => "moysklad",
            Self::RetailCrm(_) => "retailcrm",
            Self::Kassa(_) => "kassa",
            Self::SalesDoc(_) => "salesdoc",
        }
    }

    pub fn app(&self) -> &'static TestApp {
        match self {
            Self::MoySklad(ms) => ms.app,
            Self::RetailCrm(crm) => crm.app,
            Self::Kassa(kassa) => kassa.app,
            Self::SalesDoc(sd) => sd.app,
        }
    }

    pub fn account(&self) -> &str {
        match self {
            Self::MoySklad(ms) => &ms.account,
            Self::RetailCrm(crm) => &crm.account,
            Self::Kassa(kassa) => &kassa.account,
            Self::SalesDoc(sd) => &sd.account,
        }
    }

    /// An authorised request to `path` (below the dialect's root; SalesDoc has one path).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        match self {
            Self::MoySklad(ms) => ms.request(method, path),
            Self::RetailCrm(crm) => crm
                .app
                .client
                .request(method, crm.app.url(&format!("/api/v5{path}")))
                .header("X-API-KEY", &crm.key),
            Self::Kassa(kassa) => kassa.request(method, path),
            Self::SalesDoc(sd) => sd.app.client.request(method, sd.app.url("/api/v2")),
        }
    }

    /// A harmless authorised read.
    pub fn read(&self) -> RequestBuilder {
        match self {
            Self::MoySklad(_) => self.request(Method::GET, "/entity/product"),
            Self::RetailCrm(_) => self.request(Method::GET, "/customers"),
            Self::Kassa(_) => self.request(Method::GET, "/products"),
            Self::SalesDoc(sd) => self.request(Method::POST, "").json(&json!({
                "method": "getClient",
                "auth": { "userId": sd.user_id, "token": sd.token },
            })),
        }
    }

    /// The dialect's create request with `document` as the created record, encoded as the
    /// vendor takes it (JSON body; RetailCRM: a form field holding JSON; SalesDoc: the
    /// envelope with auth).
    pub fn create(&self, document: &str) -> RequestBuilder {
        match self {
            Self::RetailCrm(_) => self
                .request(Method::POST, "/customers/create")
                .form(&[("customer", document)]),
            Self::SalesDoc(sd) => self.create_raw(
                format!(
                    r#"{{"method":"setClient","auth":{{"userId":"{}","token":"{}"}},"data":{{"client":[{document}]}}}}"#,
                    sd.user_id, sd.token
                )
                .into_bytes(),
            ),
            _ => self.create_raw(document.as_bytes().to_vec()),
        }
    }

    /// The create request with `body` as the whole raw body.
    pub fn create_raw(&self, body: Vec<u8>) -> RequestBuilder {
        let path = match self {
            Self::MoySklad(_) => "/entity/product",
            Self::RetailCrm(_) => "/customers/create",
            Self::Kassa(_) => "/products",
            Self::SalesDoc(_) => "",
        };
        let kind = match self {
            Self::RetailCrm(_) => "application/x-www-form-urlencoded",
            _ => "application/json",
        };
        self.request(Method::POST, path)
            .header("content-type", kind)
            .body(body)
    }

    /// Whether `body` is an error in the vendor's documented shape.
    pub fn is_error(&self, body: &Value) -> bool {
        match self {
            Self::MoySklad(_) => {
                body["errors"][0]["error"].is_string() && body["errors"][0]["code"].is_u64()
            }
            Self::RetailCrm(_) => body["success"] == false && body["errorMsg"].is_string(),
            Self::Kassa(_) => body["code"].is_string() && body["message"].is_string(),
            Self::SalesDoc(_) => body["status"] == false && body["error"]["code"].is_u64(),
        }
    }

    /// Sends `request` and asserts a 4xx in the vendor's error shape; the answer.
    pub async fn refused(&self, what: &str, request: RequestBuilder) -> (u16, Value) {
        let sent = request.send().await;
        let response = sent.unwrap_or_else(|e| panic!("{} {what}: no answer: {e}", self.name()));
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{} {what}: {status} not JSON: {text:.300}", self.name()));
        assert!(
            (400..500).contains(&status) && self.is_error(&body),
            "{} {what}: {status} {body:.300}",
            self.name()
        );
        (status, body)
    }

    /// The account's stored data (documents and history), to compare before and after;
    /// without RetailCRM's record of which number an API key shows as (`api_key`), which
    /// a key's first write request takes whatever becomes of the write.
    pub async fn stored(&self) -> Value {
        let answer = twin_testkit::answer(self.app().admin(
            Method::GET,
            &format!("/accounts/{}/snapshot", self.account()),
        ))
        .await;
        assert_eq!(answer.status, 200, "snapshot: {}", answer.body);
        let snapshot = &answer.body["snapshot"];
        let documents: Vec<&Value> = snapshot["documents"]
            .as_array()
            .map(|all| all.iter().filter(|d| d["kind"] != "api_key").collect())
            .unwrap_or_default();
        json!({ "documents": documents, "history": snapshot["history"] })
    }
}
