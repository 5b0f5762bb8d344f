//! Currencies: the base one and the additional ones, created and edited by the seed's
//! rules; errors, permissions and isolation.

use serde_json::json;

use super::costs::{cost, create_cost};
use super::{other, post_doc, post_doc_as};
use crate::retailcrm::{assert_error, Crm};

const ENTITY: &str = "Errors in the entity format";

async fn currencies(crm: &Crm) -> serde_json::Value {
    let (status, body) = crm.get("/v5/reference/currencies", "").await;
    assert_eq!(status, 200, "{body}");
    body["currencies"].clone()
}

#[tokio::test]
async fn additional_currencies_are_created_and_edited() {
    let crm = Crm::new().await;
    assert_eq!(
        currencies(&crm).await,
        json!([{ "id": 1, "code": "RUB", "isBase": true }])
    );
    let (status, body) = post_doc(
        &crm,
        "/reference/currencies/create",
        "currency",
        json!({ "code": "USD", "isAutoConvert": false, "manualConvertNominal": 1, "manualConvertValue": 92.5 }),
    )
    .await;
    assert_eq!((status, body), (201, json!({ "success": true, "id": 2 })));
    let (status, body) = post_doc(
        &crm,
        "/reference/currencies/create",
        "currency",
        json!({ "code": "EUR", "isAutoConvert": true, "autoConvertExtraPercent": 3 }),
    )
    .await;
    assert_eq!((status, body), (201, json!({ "success": true, "id": 3 })));
    assert_eq!(
        currencies(&crm).await,
        json!([
            { "id": 1, "code": "RUB", "isBase": true },
            { "id": 2, "code": "USD", "isBase": false, "isAutoConvert": false,
              "manualConvertNominal": 1, "manualConvertValue": 92.5 },
            { "id": 3, "code": "EUR", "isBase": false, "isAutoConvert": true,
              "autoConvertExtraPercent": 3 },
        ])
    );
    // EUR turns to manual conversion: the extra percent goes, a rate is needed.
    let (status, body) = post_doc(
        &crm,
        "/reference/currencies/3/edit",
        "currency",
        json!({ "isAutoConvert": false, "manualConvertNominal": 10, "manualConvertValue": 1000 }),
    )
    .await;
    assert_eq!((status, body), (200, json!({ "success": true, "id": 3 })));
    assert_eq!(
        currencies(&crm).await[2],
        json!({ "id": 3, "code": "EUR", "isBase": false, "isAutoConvert": false,
                "manualConvertNominal": 10, "manualConvertValue": 1000 })
    );
    // The base currency changes its code only; new costs are in it.
    let (status, _) = post_doc(
        &crm,
        "/reference/currencies/1/edit",
        "currency",
        json!({ "code": "KZT" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(currencies(&crm).await[0]["code"], "KZT");
    let id = create_cost(&crm, cost("rent", 1.0)).await;
    let (_, body) = crm.get(&format!("/v5/costs/{id}"), "").await;
    assert_eq!(body["cost"]["currency"], "KZT");
}

async fn edit(crm: &Crm, id: i64, doc: serde_json::Value) -> (u16, serde_json::Value) {
    post_doc(
        crm,
        &format!("/reference/currencies/{id}/edit"),
        "currency",
        doc,
    )
    .await
}

#[tokio::test]
async fn currency_rules_are_kept() {
    let crm = Crm::new().await;
    let create = |doc| post_doc(&crm, "/reference/currencies/create", "currency", doc);
    let answer = create(json!({})).await;
    assert_error(
        &answer,
        400,
        ENTITY,
        &["code", "isAutoConvert", "manualConvertValue"],
    );
    let answer = create(json!({ "code": "RUB", "isAutoConvert": true })).await;
    assert_error(&answer, 400, ENTITY, &["code"]);
    assert_eq!(
        answer.1["errors"]["code"],
        "A currency with this code already exists."
    );
    let answer = create(json!({ "code": "usd", "isAutoConvert": "often",
                                "autoConvertExtraPercent": 300 }))
    .await;
    assert_error(
        &answer,
        400,
        ENTITY,
        &[
            "autoConvertExtraPercent",
            "code",
            "isAutoConvert",
            "manualConvertValue",
        ],
    );
    let answer = create(json!({ "code": "USD", "isAutoConvert": false,
                                "manualConvertNominal": 0, "manualConvertValue": -1 }))
    .await;
    assert_error(
        &answer,
        400,
        ENTITY,
        &["manualConvertNominal", "manualConvertValue"],
    );
    let (status, _) = create(json!({ "code": "USD", "isAutoConvert": true })).await;
    assert_eq!(status, 201);
    let answer = create(json!({ "code": "USD", "isAutoConvert": true })).await;
    assert_error(&answer, 400, ENTITY, &["code"]);

    let answer = edit(&crm, 1, json!({ "isAutoConvert": false })).await;
    assert_error(&answer, 400, ENTITY, &["isAutoConvert"]);
    let answer = edit(&crm, 1, json!({ "code": "USD" })).await;
    assert_error(&answer, 400, ENTITY, &["code"]);
    // USD converts automatically, which a GBP base does not allow.
    let answer = edit(&crm, 1, json!({ "code": "GBP" })).await;
    assert_error(&answer, 400, ENTITY, &["code"]);
    let answer = edit(&crm, 2, json!({ "code": "CNY" })).await;
    assert_error(&answer, 400, ENTITY, &["code"]);
    assert_error(
        &edit(&crm, 99, json!({ "code": "CNY" })).await,
        404,
        "Not found",
        &[],
    );

    let (status, _) = edit(
        &crm,
        2,
        json!({ "isAutoConvert": false, "manualConvertValue": 90 }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = edit(&crm, 1, json!({ "code": "GBP" })).await;
    assert_eq!(status, 200, "no automatic conversion left");
    let answer = create(json!({ "code": "EUR", "isAutoConvert": true })).await;
    assert_error(&answer, 400, ENTITY, &["isAutoConvert"]);
}

#[tokio::test]
async fn currencies_need_their_permissions_and_stay_in_their_account() {
    let crm = Crm::new().await;
    let reader = crm.add_key(&["reference_read"], &[]).await;
    let doc = json!({ "code": "USD", "isAutoConvert": true });
    let answer = post_doc_as(
        &crm,
        &reader,
        "/reference/currencies/create",
        "currency",
        doc.clone(),
    )
    .await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let answer = post_doc_as(
        &crm,
        &reader,
        "/reference/currencies/1/edit",
        "currency",
        doc.clone(),
    )
    .await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let writer = crm.add_key(&["reference_write"], &[]).await;
    let answer = crm.get_as(&writer, "/v5/reference/currencies", "").await;
    assert_error(&answer, 403, "Access denied.", &[]);
    let (status, _) = post_doc(&crm, "/reference/currencies/create", "currency", doc).await;
    assert_eq!(status, 201);
    let stranger = other().await;
    assert_eq!(
        currencies(&stranger).await,
        json!([{ "id": 1, "code": "RUB", "isBase": true }])
    );
    let answer = post_doc(
        &stranger,
        "/reference/currencies/2/edit",
        "currency",
        json!({}),
    )
    .await;
    assert_error(&answer, 404, "Not found", &[]);
}
