//! Signing in with the admin token and what a browser without it gets.

use reqwest::Method;
use twin_testkit::{console_client, sqlite_app};

#[tokio::test]
async fn pages_send_strangers_to_sign_in_and_remember_where_they_went() {
    let app = sqlite_app();
    let response = console_client()
        .get(app.url("/console/requests?dialect=moysklad"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/console/login?next=%2Fconsole%2Frequests%3Fdialect%3Dmoysklad"
    );
    // A wrong cookie is no better than none.
    let response = console_client()
        .get(app.url("/console/"))
        .header("cookie", "twin_console=guess")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn the_admin_token_signs_in_and_sign_out_forgets_it() {
    let app = sqlite_app();
    let form = console_client()
        .get(app.url("/console/login?next=/console/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(form.contains("name=\"token\"") && form.contains("value=\"/console/data\""));

    let wrong = console_client()
        .post(app.url("/console/login"))
        .form(&[("token", "not-it"), ("next", "/console/data")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert!(wrong.text().await.unwrap().contains("not the admin token"));

    let right = console_client()
        .post(app.url("/console/login"))
        .form(&[
            ("token", app.admin_token.as_str()),
            ("next", "/console/data"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/console/data");
    let cookie = right.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap().to_owned();
    let home = console_client()
        .get(app.url("/console/"))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(
        home.status(),
        200,
        "the cookie set at sign-in opens the console"
    );

    let out = app.console(Method::POST, "/logout").send().await.unwrap();
    assert_eq!(out.status(), 303);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
}

#[tokio::test]
async fn sign_in_never_sends_the_browser_to_another_site() {
    let app = sqlite_app();
    for next in [
        "https://evil.example/",
        "//evil.example/console/",
        "/admin/api/accounts",
    ] {
        let response = console_client()
            .post(app.url("/console/login"))
            .form(&[("token", app.admin_token.as_str()), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/console/", "next={next}");
    }
}

#[tokio::test]
async fn assets_are_served_and_unknown_pages_are_404_pages() {
    let app = sqlite_app();
    let css = console_client()
        .get(app.url("/console/assets/console.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let missing = app
        .console(Method::GET, "/no-such-page")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("<h1>Not found</h1>"));
}
