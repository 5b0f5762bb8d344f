//! The web console through HTTP, as a browser uses it: signing in, then each page's HTML.
//! (The same pages driven by a real browser: `browser.rs`.)

mod browser;
mod charts;
mod controls;
mod data;
mod faults;
mod home;
mod requests;
mod seeding;
mod sign_in;
mod webhooks;

use reqwest::Method;
use twin_testkit::TestApp;

/// A console page's HTML, asserting it answered 200 as an HTML page.
pub async fn page(app: &TestApp, path: &str) -> String {
    let response = app
        .console(Method::GET, path)
        .send()
        .await
        .expect("console page");
    assert_eq!(response.status(), 200, "GET /console{path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{path} is HTML"
    );
    response.text().await.expect("page text")
}
