//! Fault rules (`/admin/api/faults`) through HTTP: each dialect's injected 429 compared
//! with the one its real limiter answers, 5xx and timeouts in the vendor's shape, count
//! and probability, what a rule matches, latency, dropped connections, the admin API's
//! checks, and a vendor client meeting the 429.
//!
//! Rules are global to a server: on the shared one every rule here names its test's own
//! account; rules that match every account run on a private server.

mod admin;
mod clients;
mod drop;
mod rules;
mod vendors;

use reqwest::Method;
use serde_json::Value;
use twin_testkit::TestApp;

/// Adds a rule, failing the test unless it is created; the rule as answered.
pub async fn add_rule(app: &TestApp, rule: Value) -> Value {
    let answer = twin_testkit::answer(app.admin(Method::POST, "/faults").json(&rule)).await;
    assert_eq!(answer.status, 201, "rule {rule}: {}", answer.body);
    answer.body
}

/// A rule as the admin API shows it now.
pub async fn rule(app: &TestApp, id: &Value) -> Value {
    let id = id.as_str().expect("rule id");
    let answer = twin_testkit::answer(app.admin(Method::GET, &format!("/faults/{id}"))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}
