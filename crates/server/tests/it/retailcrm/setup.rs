//! Custom fields (definitions and their values on customers) and integration modules.

use serde_json::{json, Value};

use super::{assert_error, ids, Crm};

pub(super) async fn define(crm: &Crm, entity: &str, field: Value) -> (u16, Value) {
    crm.post(
        &format!("/v5/custom-fields/{entity}/create"),
        &[("customField", field.to_string())],
    )
    .await
}

#[tokio::test]
async fn custom_fields_are_created_with_defaults_and_checked() {
    let crm = Crm::new().await;
    let (status, body) = define(
        &crm,
        "customer",
        json!({ "name": "Размер", "code": "size", "type": "integer" }),
    )
    .await;
    assert_eq!(
        (status, body),
        (201, json!({ "success": true, "code": "size" }))
    );
    let taken = define(
        &crm,
        "customer",
        json!({ "name": "Другой", "code": "size", "type": "string" }),
    )
    .await;
    assert_error(&taken, 400, "Errors in the entity format", &["code"]);
    // The same code on another entity is another field.
    let (status, _) = define(
        &crm,
        "order",
        json!({ "name": "Размер", "code": "size", "type": "string", "displayArea": "delivery" }),
    )
    .await;
    assert_eq!(status, 201);
    let bad = define(
        &crm,
        "customer",
        json!({ "code": "9x", "type": "color", "inList": "maybe",
        "displayArea": "payment", "ordering": -1 }),
    )
    .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["code", "displayArea", "inList", "name", "ordering", "type"],
    );
    let dictionary = define(
        &crm,
        "company",
        json!({ "name": "Тип", "code": "kind", "type": "dictionary" }),
    )
    .await;
    assert_error(
        &dictionary,
        400,
        "Errors in the entity format",
        &["dictionary"],
    );
    let default = define(
        &crm,
        "customer",
        json!({ "name": "Дата", "code": "since", "type": "date", "default": "soon" }),
    )
    .await;
    assert_error(&default, 400, "Errors in the entity format", &["default"]);
    let entity = define(
        &crm,
        "product",
        json!({ "name": "x", "code": "x", "type": "string" }),
    )
    .await;
    assert_error(&entity, 400, "Errors in the input parameters", &["entity"]);
    let missing = crm.post("/v5/custom-fields/customer/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'customField' is missing", &[]);
    let other = crm.add_key(&["customer_write"], &[]).await;
    let denied = crm
        .post_as(&other, "/v5/custom-fields/customer/create", &[])
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
}

#[tokio::test]
async fn customer_values_follow_their_definitions_and_filters_use_them() {
    let crm = Crm::new().await;
    for (code, kind) in [
        ("size", "integer"),
        ("visit", "datetime"),
        ("promo", "boolean"),
        ("mail", "email"),
    ] {
        let (status, _) = define(
            &crm,
            "customer",
            json!({ "name": code, "code": code, "type": kind }),
        )
        .await;
        assert_eq!(status, 201);
    }
    let a = crm
        .create(json!({ "externalId": "a", "customFields":
        { "size": "42", "visit": "2024-03-01 10:00:00", "promo": "1", "free": "anything" } }))
        .await;
    let b = crm.create(json!({ "externalId": "b", "customFields": { "size": 7, "visit": "2024-03-02 23:00:00", "promo": false } })).await;
    let (_, body) = crm.get("/v5/customers/a", "").await;
    assert_eq!(
        body["customer"]["customFields"],
        json!({ "size": 42, "visit": "2024-03-01 10:00:00", "promo": true, "free": "anything" })
    );

    let wrong = crm
        .post(
            "/v5/customers/create",
            &[(
                "customer",
                json!({ "customFields":
        { "size": "big", "visit": "today", "promo": "perhaps", "mail": "nobody" } })
                .to_string(),
            )],
        )
        .await;
    assert_error(
        &wrong,
        400,
        "Errors in the entity format",
        &[
            "customFields[mail]",
            "customFields[promo]",
            "customFields[size]",
            "customFields[visit]",
        ],
    );
    let edit = crm
        .post(
            "/v5/customers/b/edit",
            &[(
                "customer",
                json!({ "customFields": { "size": 1.5 } }).to_string(),
            )],
        )
        .await;
    assert_error(
        &edit,
        400,
        "Errors in the entity format",
        &["customFields[size]"],
    );

    // An edit keeps the typed value, and its history record names the field.
    let (status, _) = crm
        .post(
            "/v5/customers/b/edit",
            &[(
                "customer",
                json!({ "customFields": { "size": "8" } }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200);
    let (_, history) = crm
        .get("/v5/customers/history", &format!("filter[customerId]={b}"))
        .await;
    let last = history["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            last["field"].clone(),
            last["oldValue"].clone(),
            last["newValue"].clone()
        ),
        (json!("custom_size"), json!(7), json!(8))
    );

    for (query, expected) in [
        ("filter[customFields][size][min]=10", vec![a]),
        ("filter[customFields][size][max]=10", vec![b]),
        ("filter[customFields][size]=42", vec![a]),
        // A datetime field's date bounds are whole days.
        ("filter[customFields][visit][max]=2024-03-02", vec![a, b]),
        ("filter[customFields][visit][min]=2024-03-02", vec![b]),
        ("filter[customFields][promo]=1", vec![a]),
        ("filter[customFields][free]=anything", vec![a]),
    ] {
        let (status, body) = crm.get("/v5/customers", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(ids(&body), expected, "{query}");
    }
    let bad = crm
        .get("/v5/customers", "filter[customFields][size][min]=many")
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[customFields][size][min]"],
    );
}

#[tokio::test]
async fn integration_modules_are_created_edited_and_change_the_key_scopes() {
    let crm = Crm::new().await;
    let module = json!({ "code": "twin-telephony", "name": "Телефония", "logo": "https://m.example/logo.svg",
        "baseUrl": "https://m.example", "clientId": "client-1", "availableCountries": ["RU"],
        "actions": { "activity": "/activity" }, "integrations": { "telephony": { "makeCallUrl": "/call" } } });
    let path = "/v5/integration-modules/twin-telephony";
    let (status, body) = crm
        .post(
            &format!("{path}/edit"),
            &[("integrationModule", module.to_string())],
        )
        .await;
    assert_eq!(
        (status, body),
        (201, json!({ "success": true, "info": {} }))
    );
    let (status, _) = crm
        .post(
            &format!("{path}/edit"),
            &[("integrationModule", json!({ "active": false }).to_string())],
        )
        .await;
    assert_eq!(status, 200);
    let new = crm
        .post(
            "/v5/integration-modules/other/edit",
            &[(
                "integrationModule",
                json!({ "baseUrl": "ftp://x", "active": "no" }).to_string(),
            )],
        )
        .await;
    assert_error(
        &new,
        400,
        "Errors in the entity format",
        &["active", "availableCountries", "baseUrl", "logo", "name"],
    );
    let code = crm
        .post(
            &format!("{path}/edit"),
            &[("integrationModule", json!({ "code": "else" }).to_string())],
        )
        .await;
    assert_error(&code, 400, "Errors in the entity format", &["code"]);

    let scopes = json!({ "scopes": ["customer_read", "integration_write"] });
    let unknown = crm
        .post(
            "/v5/integration-modules/ghost/update-scopes",
            &[("requires", scopes.to_string())],
        )
        .await;
    assert_error(&unknown, 404, "Not found", &[]);
    let bad = crm
        .post(
            &format!("{path}/update-scopes"),
            &[("requires", json!({ "scopes": ["fly"] }).to_string())],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["requires[scopes][0]"],
    );
    let empty = crm
        .post(
            &format!("{path}/update-scopes"),
            &[("requires", json!({}).to_string())],
        )
        .await;
    assert_error(
        &empty,
        400,
        "Errors in the input parameters",
        &["requires[scopes]"],
    );
    let (status, body) = crm
        .post(
            &format!("{path}/update-scopes"),
            &[("requires", scopes.to_string())],
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({ "success": true, "apiKey": crm.key }))
    );
    let (_, body) = crm
        .get("/api/credentials".trim_start_matches("/api"), "")
        .await;
    assert_eq!(
        body["scopes"],
        json!(["customer_read", "integration_write"])
    );
    assert_error(&crm.get("/v5/users", "").await, 403, "Access denied.", &[]);
}
