//! The loyalty module through HTTP: the account's program, participations, the bonus
//! account (credits, charges, operations, details against Twin's clock), the calculation
//! of an order and bonuses charged on stored orders, with their history.

mod accounts;
mod balance;
mod bonuses;
mod burns;
mod orders;

use serde_json::{json, Value};

use super::{assert_error, Crm};

/// 2024-01-01 12:00:00 Moscow time.
pub const START: &str = "2024-01-01T09:00:00Z";

/// A new customer (with an e-mail, as the default program requires) that joins the
/// program: `(customer id, participation id)`.
pub async fn join(crm: &Crm, external_id: &str) -> (i64, i64) {
    let customer = crm
        .create(json!({ "externalId": external_id, "firstName": "Анна",
                        "email": format!("{external_id}@example.com") }))
        .await;
    let (status, body) = crm
        .post(
            "/v5/loyalty/account/create",
            &[(
                "loyaltyAccount",
                json!({ "customer": { "id": customer }, "phoneNumber": "+79990000000" })
                    .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (customer, body["loyaltyAccount"]["id"].as_i64().unwrap())
}

/// `POST .../bonus/credit` with these form fields; the answer.
pub async fn credit(crm: &Crm, account: i64, form: &[(&str, String)]) -> (u16, Value) {
    crm.post(&format!("/v5/loyalty/account/{account}/bonus/credit"), form)
        .await
}

/// Credits `amount` active at once.
pub async fn credit_now(crm: &Crm, account: i64, amount: f64) {
    let (status, body) = credit(crm, account, &[("amount", amount.to_string())]).await;
    assert_eq!(status, 200, "{body}");
}

/// The participation's active bonuses.
pub async fn amount(crm: &Crm, account: i64) -> f64 {
    let (status, body) = crm.get(&format!("/v5/loyalty/account/{account}"), "").await;
    assert_eq!(status, 200, "{body}");
    body["loyaltyAccount"]["amount"].as_f64().unwrap()
}

/// Asserts the `totalCount` of the list `path` under each query, and that the query
/// `bad` is a 400 naming the filter `field`.
pub async fn assert_counts(crm: &Crm, path: &str, cases: &[(String, i64)], bad: (&str, &str)) {
    for (query, count) in cases {
        let (_, body) = crm.get(path, query).await;
        assert_eq!(body["pagination"]["totalCount"], *count, "{query}: {body}");
    }
    let answer = crm.get(path, bad.0).await;
    assert_error(&answer, 400, "Errors in the input parameters", &[bad.1]);
}

/// The first page of the participation's operations, the newest first.
pub async fn operations(crm: &Crm, account: i64) -> Value {
    let path = format!("/v5/loyalty/account/{account}/bonus/operations");
    let (status, body) = crm.get(&path, "").await;
    assert_eq!(status, 200, "{body}");
    body
}
