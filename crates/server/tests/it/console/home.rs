//! The home page: health, accounts and each credential with a curl line.

use serde_json::json;
use twin_testkit::sqlite_app;

#[tokio::test]
async fn home_shows_health_and_each_credential_with_a_curl_line() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let key = format!("{account}-key");
    app.credential(
        &account,
        json!({ "dialect": "retailcrm", "type": "api_key", "key": key }),
    )
    .await;
    app.credential(
        &account,
        json!({ "dialect": "moysklad", "type": "password", "login": format!("admin@{account}"), "password": "pw<&>" }),
    )
    .await;
    let html = super::page(app, "/").await;
    assert!(
        html.contains("<span class=\"ok\">answering</span>"),
        "store health"
    );
    assert!(html.contains(&format!("Account {account}")));
    assert!(html.contains(&format!(
        "curl -H &#39;X-API-KEY: {key}&#39; {}/api/credentials",
        app.base
    )));
    assert!(
        html.contains("pw&lt;&amp;&gt;") && !html.contains("pw<&>"),
        "secrets are shown, escaped"
    );
    assert!(
        html.contains(&format!("data-copy=\"{key}\"")),
        "a copy button per secret"
    );
}
