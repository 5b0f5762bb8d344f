//! Programs and participations.

use serde_json::json;

use super::super::{assert_error, Crm};
use super::{assert_counts, join};

#[tokio::test]
async fn each_account_has_its_default_program() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/loyalty/loyalties", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pagination"]["totalCount"], 1);
    let program = &body["loyalties"][0];
    assert_eq!(program["id"], 1);
    assert_eq!(program["active"], true);
    assert_eq!(program["blocked"], false);
    assert_eq!(program["currency"], "RUB");
    assert_eq!(program["sites"], json!(["main-shop"]));
    let levels = program["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 3);
    assert_eq!(levels[0]["type"], "bonus_percent");
    assert_eq!(levels[1]["sum"], 10000);
    assert!(program.get("_rules").is_none(), "{program}");
    // Filters.
    let cases = [
        ("filter[active]=1", 1),
        ("filter[blocked]=1", 0),
        ("filter[ids][]=1", 1),
        ("filter[ids][]=2", 0),
        ("filter[sites][]=main-shop", 1),
    ]
    .map(|(query, count)| (query.to_owned(), count));
    let bad = ("filter[active]=x", "filter[active]");
    assert_counts(&crm, "/v5/loyalty/loyalties", &cases, bad).await;
    let (status, body) = crm.get("/v5/loyalty/loyalties/1", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["loyalty"]["name"], program["name"]);
    assert_eq!(
        body["requiredFields"],
        json!([{ "code": "email", "entity": "customer" }])
    );
    assert_error(
        &crm.get("/v5/loyalty/loyalties/7", "").await,
        404,
        "Not found",
        &[],
    );
    // A key without loyalty_read.
    let key = crm.add_key(&["customer_read"], &[]).await;
    let denied = crm.get_as(&key, "/v5/loyalty/loyalties", "").await;
    assert_error(&denied, 403, "Access denied.", &[]);
}

#[tokio::test]
async fn a_customer_joins_and_is_activated() {
    let crm = Crm::new().await;
    let (customer, account) = join(&crm, "l-1").await;
    let (status, body) = crm.get(&format!("/v5/loyalty/account/{account}"), "").await;
    assert_eq!(status, 200, "{body}");
    let got = &body["loyaltyAccount"];
    assert_eq!(got["active"], true);
    assert_eq!(got["status"], "activated");
    assert_eq!(got["loyalty"], json!({ "id": 1, "currency": "RUB" }));
    assert_eq!(got["customer"]["id"], customer);
    assert_eq!(got["customer"]["externalId"], "l-1");
    assert_eq!(got["customer"]["firstName"], "Анна");
    assert_eq!(got["phoneNumber"], "+79990000000");
    assert_eq!(got["amount"], 0.0);
    assert_eq!(got["ordersSum"], 0.0);
    assert_eq!(got["nextLevelSum"], 10000.0);
    assert_eq!(got["level"]["id"], 1);
    assert_eq!(got["level"]["privilegeSize"], 5.0);
    assert!(got["createdAt"].is_string() && got["activatedAt"].is_string());

    // Without the e-mail the program requires: inactive, with a warning.
    let plain = crm.create(json!({ "externalId": "l-2" })).await;
    let form = |customer: serde_json::Value, extra: serde_json::Value| {
        let mut doc = json!({ "customer": customer, "cardNumber": "1111 2222" });
        doc.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        vec![("loyaltyAccount", doc.to_string())]
    };
    let (status, body) = crm
        .post(
            "/v5/loyalty/account/create",
            &form(json!({ "externalId": "l-2" }), json!({})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["loyaltyAccount"]["active"], false);
    assert!(body["loyaltyAccount"].get("activatedAt").is_none());
    assert_eq!(body["warnings"].as_array().unwrap().len(), 1, "{body}");
    let second = body["loyaltyAccount"]["id"].as_i64().unwrap();
    let path = format!("/v5/loyalty/account/{second}/activate");
    let refused = crm.post(&path, &[]).await;
    assert_error(
        &refused,
        400,
        "The participation cannot be activated",
        &["email"],
    );
    let (status, _) = crm
        .post(
            &format!("/v5/customers/{plain}/edit"),
            &[
                ("by", "id".into()),
                ("customer", json!({ "email": "p@example.com" }).to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = crm.post(&path, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["loyaltyAccount"]["active"], true);
    assert!(body["loyaltyAccount"]["activatedAt"].is_string());
    let again = crm.post(&path, &[]).await;
    assert_eq!(again.0, 400, "{}", again.1);

    // The documented errors.
    let crm = &crm;
    let create = |doc: serde_json::Value| async move {
        crm.post(
            "/v5/loyalty/account/create",
            &[("loyaltyAccount", doc.to_string())],
        )
        .await
    };
    let entity = "Errors in the entity format";
    let taken = create(json!({ "customer": { "id": customer }, "phoneNumber": "1" })).await;
    assert_error(&taken, 400, entity, &["customer"]);
    let unknown = create(json!({ "customer": { "id": 999_999 }, "phoneNumber": "1" })).await;
    assert_error(&unknown, 400, entity, &["customer"]);
    let fresh = crm.create(json!({ "externalId": "l-3" })).await;
    let bare = create(json!({ "customer": { "id": fresh } })).await;
    assert_error(&bare, 400, entity, &["phoneNumber"]);
    let missing = crm.post("/v5/loyalty/account/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'loyaltyAccount' is missing", &[]);
    assert_error(
        &crm.get("/v5/loyalty/account/999", "").await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &crm.post("/v5/loyalty/account/999/activate", &[]).await,
        404,
        "Not found",
        &[],
    );
}

#[tokio::test]
async fn participations_are_edited_listed_and_isolated() {
    let crm = Crm::new().await;
    let (customer, account) = join(&crm, "e-1").await;
    join(&crm, "e-2").await;
    let path = format!("/v5/loyalty/account/{account}/edit");
    let (status, body) = crm
        .post(
            &path,
            &[(
                "loyaltyAccount",
                json!({ "cardNumber": "4444", "loyaltyLevelId": 3 }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["loyaltyAccount"]["cardNumber"], "4444");
    assert_eq!(body["loyaltyAccount"]["level"]["id"], 3);
    let bad = crm
        .post(
            &path,
            &[("loyaltyAccount", json!({ "loyaltyLevelId": 9 }).to_string())],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["loyaltyLevelId"],
    );

    let (status, body) = crm.get("/v5/loyalty/accounts", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pagination"]["totalCount"], 2);
    let cases = [
        (format!("filter[customerId]={customer}"), 1),
        ("filter[customerExternalId]=e-2".to_owned(), 1),
        ("filter[cardNumber]=4444".to_owned(), 1),
        ("filter[status]=activated".to_owned(), 2),
        ("filter[status]=not_confirmed".to_owned(), 0),
        ("filter[loyalties][]=1".to_owned(), 2),
    ];
    let bad = ("filter[status]=x", "filter[status]");
    assert_counts(&crm, "/v5/loyalty/accounts", &cases, bad).await;

    // Another account's key sees none of it and changes nothing.
    let other = Crm::new().await;
    let get = format!("/v5/loyalty/account/{account}");
    assert_error(
        &other.get_as(&other.key, &get, "").await,
        404,
        "Not found",
        &[],
    );
    let credit = format!("/v5/loyalty/account/{account}/bonus/credit");
    let refused = other.post(&credit, &[("amount", "10".into())]).await;
    assert_error(&refused, 404, "Not found", &[]);
    let (_, body) = other.get("/v5/loyalty/accounts", "").await;
    assert_eq!(body["pagination"]["totalCount"], 0);
    // A key of another site, and a key without loyalty_write.
    let site_key = crm.add_key(&[], &["other-shop"]).await;
    let denied = crm.get_as(&site_key, &get, "").await;
    assert_eq!(denied.0, 403, "{}", denied.1);
    let reader = crm.add_key(&["loyalty_read"], &[]).await;
    let denied = crm
        .post_as(&reader, &credit, &[("amount", "1".into())])
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let denied = crm.post_as(&reader, &path, &[]).await;
    assert_error(&denied, 403, "Access denied.", &[]);
}
