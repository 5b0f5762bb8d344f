//! The integration flow: an application connects to an account by its email, reads its
//! client token, works with it, and deactivates it; approval at once or through the
//! approval link; the application's own integrations only.

use reqwest::Method;
use serde_json::{json, Value};

use super::{answer, assert_error, assert_invalid, Kassa, ROOT};

/// A shop account an application will connect to, with its email.
async fn shop() -> Kassa {
    let shop = Kassa::new().await;
    shop.settings(json!({ "email": format!("{}@shop.example", shop.account) }))
        .await;
    shop
}

/// `kassa`'s client with another client token.
fn with_token(kassa: &Kassa, token: &str) -> Kassa {
    Kassa {
        app: kassa.app,
        account: kassa.account.clone(),
        app_id: kassa.app_id.clone(),
        app_secret: kassa.app_secret.clone(),
        token: token.to_owned(),
    }
}

#[tokio::test]
async fn connect_read_the_token_work_and_deactivate() {
    let developer = Kassa::new().await;
    let shop = shop().await;
    let email = format!("{}@SHOP.example", shop.account);
    let created = developer
        .app_call(
            Method::POST,
            "/integrations/connect",
            Some(json!({ "email": email })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["requestConnectionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        created.body["requestConnectionUrl"],
        developer
            .app
            .url(&format!("/kassa/integrations/connect/{id}"))
            .as_str()
    );
    assert_eq!(created.body.as_object().unwrap().len(), 2);

    let read = developer
        .app_call(Method::GET, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.body["id"], id.as_str());
    assert_eq!(read.body["access"], json!([]));
    let token = read.body["clientToken"]
        .as_str()
        .expect("approved at once")
        .to_owned();

    // The token opens the shop's data to the developer's application.
    let connected = with_token(&developer, &token);
    let (status, mine) = connected.get("/cashboxes").await;
    assert_eq!(status, 200, "{mine}");
    let (_, shops) = shop.get("/cashboxes").await;
    assert_eq!(mine["items"], shops["items"], "the shop's own cashboxes");

    let other = Kassa::new().await;
    let foreign = other
        .app_call(Method::GET, &format!("/integrations/{id}"), None)
        .await;
    assert_error((foreign.status, &foreign.body), 404, "NOT_FOUND", &[]);
    let foreign = other
        .app_call(Method::DELETE, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(
        foreign.status, 404,
        "another application cannot deactivate it"
    );

    let gone = developer
        .app_call(Method::DELETE, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert_eq!(gone.body, Value::Null);
    let (status, body) = connected.get("/cashboxes").await;
    assert_error((status, &body), 403, "FORBIDDEN", &[]);
    let read = developer
        .app_call(Method::GET, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(read.body["clientToken"], Value::Null);
    let again = developer
        .app_call(Method::DELETE, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(again.status, 204, "deactivating twice is harmless");
}

#[tokio::test]
async fn manual_approval_waits_for_the_link() {
    let developer = Kassa::new().await;
    let shop = shop().await;
    shop.settings(json!({ "approveIntegrations": "manual" }))
        .await;
    let created = developer
        .app_call(
            Method::POST,
            "/integrations/connect",
            Some(json!({ "email": format!("{}@shop.example", shop.account) })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["requestConnectionId"].as_str().unwrap();
    let read = developer
        .app_call(Method::GET, &format!("/integrations/{id}"), None)
        .await;
    assert_eq!(read.body["clientToken"], Value::Null, "not approved yet");

    let link = created.body["requestConnectionUrl"].as_str().unwrap();
    let page = developer.app.client.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let read = developer
        .app_call(Method::GET, &format!("/integrations/{id}"), None)
        .await;
    let token = read.body["clientToken"].as_str().expect("approved");
    let (status, _) = with_token(&developer, token).get("/employees").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn connect_checks_the_application_and_the_email() {
    let developer = Kassa::new().await;
    let url = developer.app.url(&format!("{ROOT}/integrations/connect"));
    let bare = answer(
        developer
            .app
            .client
            .post(&url)
            .json(&json!({ "email": "a@b.ru" })),
    )
    .await;
    assert_error((bare.status, &bare.body), 401, "UNAUTHORIZED", &[]);
    let wrong = answer(
        developer
            .app
            .client
            .post(&url)
            .header("X-APP-ID", &developer.app_id)
            .header("X-APP-SECRET", "wrong")
            .json(&json!({ "email": "a@b.ru" })),
    )
    .await;
    assert_error((wrong.status, &wrong.body), 403, "FORBIDDEN", &[]);
    for (body, detail) in [
        (json!({}), "email: This value should not be blank."),
        (
            json!({ "email": "" }),
            "email: This value should not be blank.",
        ),
        (
            json!({ "email": "not an email" }),
            "email: This value is not a valid email address.",
        ),
        (
            json!({ "email": "nobody@nowhere.example" }),
            "email: User with this email was not found.",
        ),
    ] {
        let refused = developer
            .app_call(Method::POST, "/integrations/connect", Some(body))
            .await;
        assert_invalid((refused.status, &refused.body), &[detail]);
    }
    let missing = developer
        .app_call(
            Method::GET,
            "/integrations/00000000-0000-4000-8000-000000000000",
            None,
        )
        .await;
    assert_error((missing.status, &missing.body), 404, "NOT_FOUND", &[]);
}
