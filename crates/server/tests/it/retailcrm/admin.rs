//! Edits in the CRM's interface (Twin's admin API) record history as a user's:
//! `source: "user"`, `user {id}`, no `apiKey`; a poller sees each once.

use reqwest::Method;
use serde_json::{json, Value};

use super::Crm;

impl Crm {
    /// `POST /admin/api/accounts/{account}/retailcrm{path}` with a JSON body.
    async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        self.admin_call(Method::POST, path, Some(body)).await
    }

    /// `{method} /admin/api/accounts/{account}/retailcrm{path}`, with a JSON body if given.
    pub async fn admin_call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.app.admin(
            method,
            &format!("/accounts/{}/retailcrm{path}", self.account),
        );
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("admin");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

async fn since(crm: &Crm, path: &str, since: i64) -> Vec<Value> {
    let (status, body) = crm
        .get(path, &format!("filter[sinceId]={since}&limit=100"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["history"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_admin_edit_is_a_users_change_seen_once_by_a_poller() {
    let crm = Crm::new().await;
    let id = crm
        .create(json!({ "externalId": "adm-1", "firstName": "Анна" }))
        .await;
    let seen = since(&crm, "/v5/customers/history", 0).await;
    let last = seen.last().unwrap()["id"].as_i64().unwrap();
    let (status, body) = crm
        .admin_post(
            &format!("/customers/{id}/edit"),
            json!({ "userId": 2, "customer": { "firstName": "Анна-Мария", "managerId": 3 } }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "success": true, "id": id }));
    let new = since(&crm, "/v5/customers/history", last).await;
    let essence: Vec<Value> = new
        .iter()
        .map(|r| {
            json!({ "field": r["field"], "source": r["source"], "user": r["user"],
                    "apiKey": r.get("apiKey"), "old": r["oldValue"], "new": r["newValue"],
                    "customer": r["customer"] })
        })
        .collect();
    let customer = json!({ "id": id, "externalId": "adm-1", "site": "main-shop" });
    assert_eq!(
        essence,
        [
            json!({ "field": "first_name", "source": "user", "user": { "id": 2 }, "apiKey": null,
                    "old": "Анна", "new": "Анна-Мария", "customer": customer }),
            json!({ "field": "manager_id", "source": "user", "user": { "id": 2 }, "apiKey": null,
                    "old": null, "new": 3, "customer": customer }),
        ]
    );
    // Polling on from the last record sees nothing again.
    let next = new.last().unwrap()["id"].as_i64().unwrap();
    assert!(since(&crm, "/v5/customers/history", next).await.is_empty());
    // The API edit after it is the key's again.
    let (status, _) = crm
        .post(
            "/v5/customers/adm-1/edit",
            &[("customer", json!({ "lastName": "Петрова" }).to_string())],
        )
        .await;
    assert_eq!(status, 200);
    let after = since(&crm, "/v5/customers/history", next).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["source"], "api");
    assert_eq!(after[0]["apiKey"]["current"], true);
    // The same rules as the API's, and the user and customer must exist.
    let (status, body) = crm
        .admin_post(
            &format!("/customers/{id}/edit"),
            json!({ "customer": { "email": "not-an-email" } }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = crm
        .admin_post(
            &format!("/customers/{id}/edit"),
            json!({ "userId": 99, "customer": { "firstName": "X" } }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = crm
        .admin_post("/customers/999999/edit", json!({ "customer": {} }))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_admin_edit_of_a_corporate_customer_is_a_users_change() {
    let crm = Crm::new().await;
    let id = crm
        .create_corporate(json!({ "externalId": "adm-c", "nickName": "Ромашка" }))
        .await;
    let seen = since(&crm, "/v5/customers-corporate/history", 0).await;
    let last = seen.last().unwrap()["id"].as_i64().unwrap();
    let (status, body) = crm
        .admin_post(
            &format!("/customers-corporate/{id}/edit"),
            json!({ "customerCorporate": { "nickName": "Ромашка и К", "vip": true } }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let new = since(&crm, "/v5/customers-corporate/history", last).await;
    let fields: Vec<(&str, &str, i64)> = new
        .iter()
        .map(|r| {
            assert!(r.get("apiKey").is_none(), "{r}");
            (
                r["field"].as_str().unwrap(),
                r["source"].as_str().unwrap(),
                r["user"]["id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(fields, [("nick_name", "user", 1), ("vip", "user", 1)]);
    // A corporate customer is not edited as an individual one.
    let (status, _) = crm
        .admin_post(
            &format!("/customers/{id}/edit"),
            json!({ "customer": { "firstName": "X" } }),
        )
        .await;
    assert_eq!(status, 404);
}
