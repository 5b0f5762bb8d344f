//! Calls uploaded by a telephony: stored per account, linked to the user (by id or by the
//! extension code of the account's telephony module) and to the customer with the phone,
//! shown in Twin's admin API; duplicates by external id; the documented errors,
//! permission and isolation. And `statistic/update` with its 60-second retry timeout.

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, Crm};

/// A telephony module whose extension 101 is user 3 and whose number +7 495 000-00-00
/// is the store `main-shop`.
async fn with_telephony(crm: &Crm) {
    let module = json!({ "code": "tel", "name": "Телефония", "logo": "https://m.example/logo.svg",
        "baseUrl": "https://m.example", "availableCountries": ["RU"],
        "integrations": { "telephony": {
            "additionalCodes": [{ "userId": 3, "code": "101" }],
            "externalPhones": [{ "siteCode": "main-shop", "externalPhone": "+7 495 000-00-00" }] } } });
    let form = [("integrationModule", module.to_string())];
    let (status, body) = crm.post("/v5/integration-modules/tel/edit", &form).await;
    assert_eq!(status, 201, "{body}");
}

async fn upload(crm: &Crm, calls: Value) -> (u16, Value) {
    crm.post(
        "/v5/telephony/calls/upload",
        &[("calls", calls.to_string())],
    )
    .await
}

async fn stored(crm: &Crm) -> Vec<Value> {
    let (status, body) = crm.admin_call(Method::GET, "/calls", None).await;
    assert_eq!(status, 200, "{body}");
    body["calls"].as_array().unwrap().clone()
}

#[tokio::test]
async fn calls_are_stored_linked_and_shown_to_the_admin() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-04-01T09:00:00Z" }))
        .await;
    with_telephony(&crm).await;
    let customer = crm
        .create(json!({ "externalId": "call-c", "firstName": "Лев", "phones": [{ "number": "8 (903) 555-44-33" }] }))
        .await;
    let calls = json!([
        { "date": "2024-04-01 11:00:00", "type": "in", "phone": "+79035554433", "code": "101",
          "result": "answered", "duration": 95, "durationWaiting": 5, "externalId": "pbx-1",
          "recordUrl": "https://pbx.example/rec/1.mp3", "externalPhone": "+74950000000" },
        { "date": "2024-04-01 11:05:00", "type": "out", "phone": "+79990001122", "userId": 2,
          "result": "no answer", "site": "main-shop" },
    ]);
    let (status, body) = upload(&crm, calls).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "success": true, "processedCallsCount": 2, "duplicateCalls": [] })
    );
    let all = stored(&crm).await;
    assert_eq!(all.len(), 2);
    let first = all[0].clone();
    assert_eq!(
        first,
        json!({ "id": first["id"], "date": "2024-04-01 11:00:00", "type": "in",
                "phone": "+79035554433", "code": "101", "userId": 3, "result": "answered",
                "duration": 95, "durationWaiting": 5, "externalId": "pbx-1",
                "recordUrl": "https://pbx.example/rec/1.mp3", "externalPhone": "+74950000000",
                "site": "main-shop", "createdAt": "2024-04-01 12:00:00",
                "customer": { "id": customer, "externalId": "call-c", "site": "main-shop" } })
    );
    assert_eq!(all[1]["userId"], 2);
    assert!(all[1].get("customer").is_none(), "{}", all[1]);
    // A known external id is not created again; it is named in duplicateCalls.
    let again = json!([
        { "date": "2024-04-01 12:00:00", "type": "in", "phone": "1", "userId": 2, "externalId": "pbx-1" },
        { "date": "2024-04-01 12:00:00", "type": "in", "phone": "2", "userId": 2, "externalId": "pbx-2" },
        { "date": "2024-04-01 12:00:00", "type": "in", "phone": "3", "userId": 2, "externalId": "pbx-2" },
    ]);
    let (status, body) = upload(&crm, again).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["processedCallsCount"], 1);
    assert_eq!(body["duplicateCalls"], json!(["pbx-1", "pbx-2"]));
    assert_eq!(stored(&crm).await.len(), 3);
}

#[tokio::test]
async fn a_bad_call_refuses_the_upload_with_its_problems() {
    let crm = Crm::new().await;
    with_telephony(&crm).await;
    let params = "Errors in the input parameters";
    let missing = crm.post("/v5/telephony/calls/upload", &[]).await;
    assert_error(&missing, 400, "Parameter 'calls' is missing", &[]);
    assert_error(&upload(&crm, json!([])).await, 400, params, &["calls"]);
    let many: Vec<Value> = (0..51).map(|_| json!({})).collect();
    assert_error(&upload(&crm, json!(many)).await, 400, params, &["calls"]);
    let bad = json!([
        { "date": "2024-04-01 11:00:00", "type": "in", "phone": "1", "code": "999" },
        { "date": "01.04.2024", "type": "sideways", "phone": "2", "userId": 77, "result": "maybe" },
        { "date": "2024-04-01 11:00:00", "type": "out", "phone": "3", "userId": 2,
          "duration": 5, "durationWaiting": 5, "recordUrl": "https://x.example/a.ogg" },
        { "type": "in" },
    ]);
    let answer = upload(&crm, bad).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &[
            "calls[0][code]",
            "calls[1][date]",
            "calls[1][result]",
            "calls[1][type]",
            "calls[1][userId]",
            "calls[2][duration]",
            "calls[2][recordUrl]",
            "calls[3][code]",
            "calls[3][date]",
            "calls[3][phone]",
        ],
    );
    assert_eq!(
        answer.1["errors"]["calls[0][code]"],
        "Extension code not found."
    );
    assert_eq!(answer.1["errors"]["calls[1][userId]"], "User not found.");
    // Nothing of a refused upload is kept.
    assert_eq!(stored(&crm).await.len(), 0);
    let call = json!([{ "date": "2024-04-01 11:00:00", "type": "in", "phone": "1", "userId": 2, "site": "nowhere" }]);
    assert_error(
        &upload(&crm, call).await,
        400,
        "Site with code \"nowhere\" not found",
        &[],
    );
}

#[tokio::test]
async fn calls_need_the_permission_and_stay_in_their_account() {
    let crm = Crm::new().await;
    let reader = crm.add_key(&["telephony_read"], &[]).await;
    let call = json!([{ "date": "2024-04-01 11:00:00", "type": "in", "phone": "1", "userId": 2 }]);
    let form = [("calls", call.to_string())];
    let denied = crm
        .post_as(&reader, "/v5/telephony/calls/upload", &form)
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    assert_eq!(upload(&crm, call.clone()).await.0, 200);
    // Another account has its own calls: none of these, and its codes are its own.
    let other = Crm::new().await;
    assert_eq!(stored(&other).await.len(), 0);
    assert_eq!(stored(&crm).await.len(), 1);
    with_telephony(&crm).await;
    let by_code =
        json!([{ "date": "2024-04-01 11:00:00", "type": "in", "phone": "1", "code": "101" }]);
    assert_eq!(upload(&crm, by_code.clone()).await.0, 200);
    let answer = upload(&other, by_code).await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &["calls[0][code]"],
    );
}

#[tokio::test]
async fn statistic_update_answers_and_refuses_a_retry_within_a_minute() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-04-01T09:00:00Z" }))
        .await;
    let (status, body) = crm.get("/v5/statistic/update", "").await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    crm.clock(json!({ "action": "advance", "seconds": 59 }))
        .await;
    let answer = crm.get("/v5/statistic/update", "").await;
    assert_error(
        &answer,
        400,
        "Statistics can be updated once in 60 seconds",
        &[],
    );
    crm.clock(json!({ "action": "advance", "seconds": 1 }))
        .await;
    assert_eq!(crm.get("/v5/statistic/update", "").await.0, 200);
    // The timeout is the account's: another account updates at once.
    let other = Crm::new().await;
    assert_eq!(other.get("/v5/statistic/update", "").await.0, 200);
    let reader = crm.add_key(&["analytics_read"], &[]).await;
    let denied = crm.get_as(&reader, "/v5/statistic/update", "").await;
    assert_error(&denied, 403, "Access denied.", &[]);
}
