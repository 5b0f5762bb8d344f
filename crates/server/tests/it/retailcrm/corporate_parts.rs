//! The addresses, companies and contact persons of corporate customers, and the
//! corporate history's filters.

use serde_json::{json, Value};

use super::corporate::fields;
use super::{assert_error, ids_of, Crm};

fn form(name: &'static str, doc: Value) -> Vec<(&'static str, String)> {
    vec![(name, doc.to_string())]
}

#[tokio::test]
async fn addresses_are_created_edited_and_listed_with_history() {
    let crm = Crm::new().await;
    let corp = crm.create_corporate(json!({ "externalId": "ca" })).await;
    let path = "/v5/customers-corporate/ca/addresses";
    let (status, body) = crm
        .post(
            &format!("{path}/create"),
            &form(
                "address",
                json!({ "externalId": "hq", "name": "HQ", "city": "Казань" }),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let hq = body["id"].as_i64().unwrap();
    let mut by_id = form(
        "address",
        json!({ "name": "Store", "region": "Татарстан", "isMain": true }),
    );
    by_id.push(("by", "id".into()));
    let (status, body) = crm
        .post(
            &format!("/v5/customers-corporate/{corp}/addresses/create"),
            &by_id,
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let store = body["id"].as_i64().unwrap();
    let bad = crm
        .post(
            &format!("{path}/create"),
            &form("address", json!({ "cityId": "x" })),
        )
        .await;
    assert_error(&bad, 400, "Errors in the entity format", &["cityId"]);
    let dup = crm
        .post(
            &format!("{path}/create"),
            &form("address", json!({ "externalId": "hq" })),
        )
        .await;
    assert_error(&dup, 400, "Errors in the entity format", &["externalId"]);
    assert_error(
        &crm.post(
            "/v5/customers-corporate/none/addresses/create",
            &form("address", json!({})),
        )
        .await,
        404,
        "Not found",
        &[],
    );

    let (status, body) = crm
        .post(
            &format!("{path}/hq/edit"),
            &form("address", json!({ "city": "Казань-2" })),
        )
        .await;
    assert_eq!((status, &body["id"]), (200, &json!(hq)), "{body}");
    let mut edit = form("address", json!({ "flat": "5" }));
    edit.push(("entityBy", "id".into()));
    let (status, _) = crm.post(&format!("{path}/{store}/edit"), &edit).await;
    assert_eq!(status, 200);
    assert_error(
        &crm.post(&format!("{path}/nope/edit"), &form("address", json!({})))
            .await,
        404,
        "Not found",
        &[],
    );
    let mut wrong = form("address", json!({}));
    wrong.push(("entityBy", "code".into()));
    assert_error(
        &crm.post(&format!("{path}/hq/edit"), &wrong).await,
        400,
        "Errors in the input parameters",
        &["entityBy"],
    );

    let (_, list) = crm.get(path, "filter[city]=казань").await;
    assert_eq!(ids_of(&list, "addresses"), [hq]);
    assert_eq!(list["addresses"][0]["isMain"], false);
    let (_, list) = crm.get(path, &format!("filter[ids][]={store}")).await;
    assert_eq!(list["addresses"][0]["isMain"], true);
    assert_eq!(list["pagination"]["totalCount"], 1);

    let history = crm.corporate_history(corp).await;
    assert_eq!(
        fields(&history),
        [
            "id",
            "address",
            "main_address",
            "address",
            "main_address",
            "address.city",
            "address.text",
            "address.flat",
            "address.text"
        ]
    );
    assert_eq!(history[5]["oldValue"], "Казань");
    assert_eq!(history[5]["newValue"], "Казань-2");
    assert_eq!(
        history[5]["address"],
        json!({ "id": hq, "externalId": "hq", "name": "HQ", "isMain": false })
    );
    assert_eq!(history[4]["newValue"]["id"], store);
    // The corporate history: sinceId, the customer by external id, and paging.
    let since = history[3]["id"].as_i64().unwrap();
    let (_, page) = crm
        .get(
            "/v5/customers-corporate/history",
            &format!("filter[sinceId]={since}&filter[customerExternalId]=ca"),
        )
        .await;
    assert_eq!(page["history"].as_array().unwrap().len(), 5);
    assert!(page["generatedAt"].is_string());
    assert_error(
        &crm.get("/v5/customers-corporate/history", "filter[sinceId]=x")
            .await,
        400,
        "Errors in the input parameters",
        &["filter[sinceId]"],
    );
    // Individual customers' history has none of them.
    let (_, individuals) = crm.get("/v5/customers/history", "").await;
    assert_eq!(individuals["history"], json!([]));
}

#[tokio::test]
async fn companies_are_created_edited_and_listed_with_history() {
    let crm = Crm::new().await;
    let corp = crm
        .create_corporate(
            json!({ "externalId": "cc", "addresses": [{ "externalId": "a", "city": "Омск" }] }),
        )
        .await;
    let path = "/v5/customers-corporate/cc/companies";
    let (status, body) = crm
        .post(
            &format!("{path}/create"),
            &form(
                "company",
                json!({
                    "externalId": "c1", "name": "First", "address": { "externalId": "a" },
                    "contragent": { "contragentType": "legal-entity", "legalName": "ООО Первая" },
                }),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let first = body["id"].as_i64().unwrap();
    let bad = crm
        .post(
            &format!("{path}/create"),
            &form(
                "company",
                json!({ "contragent": { "contragentType": "alien" }, "address": { "id": 999 } }),
            ),
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["address", "contragent[contragentType]"],
    );
    let (status, _) = crm
        .post(
            &format!("{path}/c1/edit"),
            &form("company", json!({ "brand": "Brand", "contragent": { "contragentType": "legal-entity", "legalName": "ООО Первая+" } })),
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = crm.get(path, "").await;
    let company = &list["companies"][0];
    assert_eq!(
        (company["id"].as_i64(), &company["isMain"]),
        (Some(first), &json!(true))
    );
    assert_eq!(company["address"]["city"], "Омск");
    assert_eq!(company["brand"], "Brand");
    let history = crm.corporate_history(corp).await;
    assert_eq!(
        fields(&history),
        [
            "id",
            "address",
            "company",
            "main_company",
            "company.brand",
            "company.contragent.legal_name"
        ]
    );
    assert_eq!(
        history[5]["company"],
        json!({ "id": first, "externalId": "c1", "name": "First", "isMain": true })
    );
}

#[tokio::test]
async fn contacts_link_customers_as_contact_persons() {
    let crm = Crm::new().await;
    let corp = crm
        .create_corporate(
            json!({ "externalId": "ct", "companies": [{ "externalId": "k", "name": "K" }] }),
        )
        .await;
    let person = crm
        .create(json!({ "externalId": "person-1", "firstName": "Анна" }))
        .await;
    let path = "/v5/customers-corporate/ct/contacts";
    let (status, body) = crm
        .post(
            &format!("{path}/create"),
            &form("contact", json!({ "customer": { "externalId": "person-1" }, "companies": [{ "company": { "externalId": "k" } }] })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let contact = body["id"].as_i64().unwrap();
    let again = crm
        .post(
            &format!("{path}/create"),
            &form("contact", json!({ "customer": { "id": person } })),
        )
        .await;
    assert_error(&again, 400, "Errors in the entity format", &["customer"]);
    let nobody = crm
        .post(
            &format!("{path}/create"),
            &form("contact", json!({ "customer": { "id": 777_777 } })),
        )
        .await;
    assert_error(&nobody, 400, "Errors in the entity format", &["customer"]);
    let (_, list) = crm.get(path, "").await;
    let link = &list["contacts"][0];
    assert_eq!(link["id"], contact);
    assert_eq!(link["isMain"], true);
    assert_eq!(link["customer"]["externalId"], "person-1");
    assert_eq!(link["companies"][0]["company"]["externalId"], "k");
    // Edit by the contact person's external id, then by its id.
    let (status, _) = crm
        .post(
            &format!("{path}/person-1/edit"),
            &form("contact", json!({ "companies": [] })),
        )
        .await;
    assert_eq!(status, 200);
    let mut by_id = form("contact", json!({ "isMain": false }));
    by_id.push(("entityBy", "id".into()));
    let (status, _) = crm.post(&format!("{path}/{person}/edit"), &by_id).await;
    assert_eq!(status, 200);
    let bad = crm
        .post(
            &format!("{path}/person-1/edit"),
            &form(
                "contact",
                json!({ "companies": [{ "company": { "id": 5555 } }] }),
            ),
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["companies[0][company]"],
    );
    let (_, list) = crm.get(path, "").await;
    assert_eq!(list["contacts"][0]["isMain"], false);
    assert_eq!(list["contacts"][0]["companies"], json!([]));

    let (_, got) = crm.get("/v5/customers/person-1", "").await;
    assert_eq!(got["customer"]["isContact"], true);
    let (_, own) = crm
        .get(
            "/v5/customers/history",
            &format!("filter[customerId]={person}"),
        )
        .await;
    assert_eq!(
        fields(own["history"].as_array().unwrap()),
        ["id", "is_contact"]
    );
    let history = crm.corporate_history(corp).await;
    assert_eq!(
        fields(&history),
        [
            "id",
            "company",
            "contact",
            "main_customer_contact",
            "contact.companies",
            "main_customer_contact"
        ]
    );
}
