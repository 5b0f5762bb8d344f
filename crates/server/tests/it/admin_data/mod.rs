//! The admin API behind the console's data browser, charts, seeding and webhook
//! subscriptions, through HTTP after writes through the dialects' own APIs.

mod browse;
mod jobs;
mod links;
mod stats;
mod subscriptions;

use reqwest::Method;
use serde_json::Value;
use twin_testkit::TestApp;

/// `GET /admin/api{path}`: status and JSON body.
async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    twin_testkit::answer(app.admin(Method::GET, path))
        .await
        .into()
}

/// A problem document's status, checked to be one.
async fn problem_status(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> u16 {
    let mut request = app.admin(method, path);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = twin_testkit::answer(request).await;
    assert_eq!(
        answer.headers["content-type"], "application/problem+json",
        "{path}: {}",
        answer.body
    );
    assert_eq!(answer.body["status"], answer.status, "{}", answer.body);
    answer.status
}
