//! SMS verification: checks started in Twin's admin API with a known code, confirmed and
//! asked after through the API; wrong and expired codes on Twin's clock, permissions and
//! isolation.

use reqwest::Method;
use serde_json::{json, Value};

use super::{other, post_doc, post_doc_as};
use crate::retailcrm::{assert_error, Crm};

async fn start(crm: &Crm, body: Value) -> (String, String) {
    let (status, answer) = crm
        .admin_call(Method::POST, "/verification/sms", Some(body))
        .await;
    assert_eq!(status, 200, "{answer}");
    (
        answer["checkId"].as_str().unwrap().to_owned(),
        answer["code"].as_str().unwrap().to_owned(),
    )
}

async fn confirm(crm: &Crm, check: &str, code: &str) -> (u16, Value) {
    post_doc(
        crm,
        "/verification/sms/confirm",
        "verification",
        json!({ "checkId": check, "code": code }),
    )
    .await
}

#[tokio::test]
async fn a_check_is_confirmed_with_its_code() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-06-01T09:00:00Z" }))
        .await;
    let (check, code) = start(&crm, json!({ "actionType": "confirm_loyalty_charge" })).await;
    assert_eq!(code.len(), 4, "{code}");
    let expected = json!({ "checkId": check, "actionType": "confirm_loyalty_charge",
                           "createdAt": "2024-06-01 12:00:00", "expiredAt": "2024-06-01 12:05:00" });
    let (status, body) = crm
        .get(&format!("/v5/verification/sms/{check}/status"), "")
        .await;
    assert_eq!(
        (status, body),
        (200, json!({ "success": true, "verification": expected }))
    );

    let wrong = if code == "0000" { "1111" } else { "0000" };
    assert_error(
        &confirm(&crm, &check, wrong).await,
        400,
        "Invalid verification code",
        &[],
    );
    crm.clock(json!({ "action": "advance", "seconds": 30 }))
        .await;
    let (status, body) = confirm(&crm, &check, &code).await;
    let mut verified = expected.clone();
    verified["verifiedAt"] = json!("2024-06-01 12:00:30");
    assert_eq!(
        (status, body),
        (200, json!({ "success": true, "verification": verified }))
    );
    let (_, body) = crm
        .get(&format!("/v5/verification/sms/{check}/status"), "")
        .await;
    assert_eq!(body["verification"], verified);
    let again = confirm(&crm, &check, &code).await;
    assert_error(&again, 400, "The verification is already confirmed", &[]);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-06-01T09:00:00Z" }))
        .await;
    let (check, code) = start(&crm, json!({ "code": "4321", "expiresIn": 60 })).await;
    assert_eq!(code, "4321");
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let answer = confirm(&crm, &check, "4321").await;
    assert_error(&answer, 400, "The verification code has expired", &[]);
    let (_, body) = crm
        .get(&format!("/v5/verification/sms/{check}/status"), "")
        .await;
    assert_eq!(body["verification"]["actionType"], "verify_loyalty_account");
    assert!(body["verification"].get("verifiedAt").is_none(), "{body}");
}

#[tokio::test]
async fn verification_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let answer = crm.post("/v5/verification/sms/confirm", &[]).await;
    assert_error(&answer, 400, "Parameter 'verification' is missing", &[]);
    let answer = post_doc(&crm, "/verification/sms/confirm", "verification", json!({})).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["checkId", "code"],
    );
    assert_error(
        &confirm(&crm, "no-such-check", "1234").await,
        404,
        "Not found",
        &[],
    );
    let answer = crm
        .get("/v5/verification/sms/no-such-check/status", "")
        .await;
    assert_error(&answer, 404, "Not found", &[]);
    for body in [
        json!({ "actionType": "pay" }),
        json!({ "code": "12a" }),
        json!({ "expiresIn": 0 }),
    ] {
        let (status, answer) = crm
            .admin_call(Method::POST, "/verification/sms", Some(body))
            .await;
        assert_eq!(status, 400, "{answer}");
    }
}

#[tokio::test]
async fn verification_needs_its_permissions_and_stays_in_its_account() {
    let crm = Crm::new().await;
    let (check, code) = start(&crm, json!({})).await;
    let reader = crm.add_key(&["verification_read"], &[]).await;
    let doc = json!({ "checkId": check, "code": code });
    let answer = post_doc_as(
        &crm,
        &reader,
        "/verification/sms/confirm",
        "verification",
        doc,
    )
    .await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let status_path = format!("/v5/verification/sms/{check}/status");
    let (status, _) = crm.get_as(&reader, &status_path, "").await;
    assert_eq!(status, 200);
    let writer = crm.add_key(&["verification_write"], &[]).await;
    assert_error(
        &crm.get_as(&writer, &status_path, "").await,
        403,
        "Access denied.",
        &[],
    );

    let stranger = other().await;
    assert_error(&stranger.get(&status_path, "").await, 404, "Not found", &[]);
    assert_error(
        &confirm(&stranger, &check, &code).await,
        404,
        "Not found",
        &[],
    );
    let (status, _) = confirm(&crm, &check, &code).await;
    assert_eq!(status, 200, "the stranger changed nothing");
}
