//! Corporate customers: create, upload, get, edit, list, fix-external-ids, combine,
//! notes, and their history.

use serde_json::{json, Value};

use super::{assert_error, Crm};

impl Crm {
    /// Creates a corporate customer from a JSON document; returns its id.
    pub async fn create_corporate(&self, corporate: Value) -> i64 {
        let (status, body) = self
            .post(
                "/v5/customers-corporate/create",
                &[("customerCorporate", corporate.to_string())],
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().expect("id")
    }

    /// The corporate customer's history records.
    pub async fn corporate_history(&self, id: i64) -> Vec<Value> {
        let (status, body) = self
            .get(
                "/v5/customers-corporate/history",
                &format!("filter[customerId]={id}&limit=100"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["history"].as_array().cloned().unwrap_or_default()
    }
}

/// The `field` of each record.
pub fn fields(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["field"].as_str().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn create_with_addresses_and_companies_then_get() {
    let crm = Crm::new().await;
    let id = crm
        .create_corporate(json!({
            "externalId": "corp-1", "nickName": "ООО Ромашка", "vip": true,
            "customFields": { "segment": "b2b" }, "tags": ["key"],
            "addresses": [
                { "externalId": "a-1", "name": "Офис", "city": "Москва", "street": "Тверская", "house": "1" },
                { "externalId": "a-2", "text": "Склад, Химки", "isMain": true },
            ],
            "companies": [{
                "externalId": "co-1", "name": "Ромашка", "address": { "externalId": "a-1" },
                "contragent": { "contragentType": "legal-entity", "INN": "7700000000", "bankAccount": "40702" },
            }],
        }))
        .await;
    let (status, body) = crm.get("/v5/customers-corporate/corp-1", "").await;
    assert_eq!(status, 200, "{body}");
    let corp = &body["customerCorporate"];
    assert_eq!(corp["id"], id);
    assert_eq!(corp["type"], "customer_corporate");
    assert_eq!(corp["site"], "main-shop");
    assert_eq!(corp["nickName"], "ООО Ромашка");
    assert_eq!(corp["vip"], true);
    assert_eq!(corp["bad"], false);
    assert_eq!(corp["mainAddress"]["externalId"], "a-2");
    assert_eq!(corp["mainCompany"]["name"], "Ромашка");
    assert!(corp.get("_search").is_none() && corp.get("addresses").is_none());
    let (_, by_id) = crm
        .get(&format!("/v5/customers-corporate/{id}"), "by=id")
        .await;
    assert_eq!(by_id["customerCorporate"], *corp);

    let (status, list) = crm
        .get("/v5/customers-corporate/corp-1/addresses", "")
        .await;
    assert_eq!(status, 200, "{list}");
    let addresses = list["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 2);
    assert_eq!(addresses[0]["text"], "Москва, Тверская, 1");
    assert_eq!(addresses[0]["isMain"], false);
    assert_eq!(addresses[1]["isMain"], true);
    let (_, companies) = crm
        .get("/v5/customers-corporate/corp-1/companies", "")
        .await;
    let company = &companies["companies"][0];
    assert_eq!(company["isMain"], true);
    assert_eq!(company["active"], true);
    assert_eq!(company["address"]["city"], "Москва");
    assert_eq!(company["contragent"]["bankAccount"], "40702");

    let history = crm.corporate_history(id).await;
    assert_eq!(fields(&history), ["id", "address", "address", "company"]);
    assert_eq!(history[0]["created"], true);
    assert_eq!(history[0]["customer"]["nickName"], "ООО Ромашка");
    assert_eq!(
        history[2]["address"],
        json!({ "id": addresses[1]["id"], "externalId": "a-2", "isMain": true })
    );
    assert_eq!(history[1]["oldValue"], Value::Null);
    assert_eq!(history[1]["customer"]["externalId"], "corp-1");

    assert_error(
        &crm.get("/v5/customers-corporate/nope", "").await,
        404,
        "Not found",
        &[],
    );
    // Individual customers are not corporate ones, and the external id is taken by both.
    let person = crm.create(json!({ "externalId": "p-1" })).await;
    assert_error(
        &crm.get(&format!("/v5/customers-corporate/{person}"), "by=id")
            .await,
        404,
        "Not found",
        &[],
    );
    let clash = crm
        .post(
            "/v5/customers-corporate/create",
            &[(
                "customerCorporate",
                json!({ "externalId": "p-1" }).to_string(),
            )],
        )
        .await;
    assert_error(&clash, 400, "Errors in the entity format", &["externalId"]);
    let clash = crm
        .post(
            "/v5/customers/create",
            &[("customer", json!({ "externalId": "corp-1" }).to_string())],
        )
        .await;
    assert_error(&clash, 400, "Errors in the entity format", &["externalId"]);
}

#[tokio::test]
async fn create_checks_the_document() {
    let crm = Crm::new().await;
    let missing = crm.post("/v5/customers-corporate/create", &[]).await;
    assert_error(
        &missing,
        400,
        "Parameter 'customerCorporate' is missing",
        &[],
    );
    let bad = crm
        .post(
            "/v5/customers-corporate/create",
            &[(
                "customerCorporate",
                json!({
                    "vip": "maybe", "nickName": "x".repeat(256),
                    "addresses": [{ "floor": "high" }],
                    "companies": [{ "active": "no", "address": { "externalId": "none" } }],
                })
                .to_string(),
            )],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &[
            "addresses[0][floor]",
            "companies[0][active]",
            "companies[0][address]",
            "nickName",
            "vip",
        ],
    );
    let (_, list) = crm.get("/v5/customers-corporate", "").await;
    assert_eq!(list["pagination"]["totalCount"], 0);
}

#[tokio::test]
async fn edit_list_upload_and_fix_external_ids() {
    let crm = Crm::new().await;
    let id = crm
        .create_corporate(json!({ "externalId": "e-1", "nickName": "Alpha" }))
        .await;
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/e-1/edit",
            &[(
                "customerCorporate",
                json!({ "nickName": "Alpha Trade", "bad": true, "externalId": "ignored" })
                    .to_string(),
            )],
        )
        .await;
    assert_eq!((status, &body["id"]), (200, &json!(id)), "{body}");
    let bad = crm
        .post(
            "/v5/customers-corporate/e-1/edit",
            &[("customerCorporate", json!({ "vip": 7 }).to_string())],
        )
        .await;
    assert_error(&bad, 400, "Errors in the entity format", &["vip"]);
    assert_error(
        &crm.post(
            "/v5/customers-corporate/none/edit",
            &[("customerCorporate", "{}".into())],
        )
        .await,
        404,
        "Not found",
        &[],
    );
    let history = crm.corporate_history(id).await;
    assert_eq!(fields(&history), ["id", "bad", "nick_name"]);
    assert_eq!(history[2]["oldValue"], "Alpha");
    assert_eq!(history[2]["newValue"], "Alpha Trade");

    let (status, up) = crm
        .post(
            "/v5/customers-corporate/upload",
            &[(
                "customersCorporate",
                json!([{ "externalId": "u-1", "nickName": "Beta" }, { "nickName": "Gamma" }, { "vip": "x" }])
                    .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 460, "{up}");
    assert_eq!(
        up["errors"],
        json!(["customersCorporate[2][vip]: This value should be of type boolean."])
    );
    let uploaded = up["uploadedCustomers"].as_array().unwrap();
    assert_eq!(uploaded[0]["externalId"], "u-1");
    let gamma = uploaded[1]["id"].as_i64().unwrap();

    let (_, list) = crm
        .get("/v5/customers-corporate", "filter[name]=trade")
        .await;
    assert_eq!(super::ids_of(&list, "customersCorporate"), [id]);
    let (_, list) = crm
        .get(
            "/v5/customers-corporate",
            "filter[bad]=1&filter[sites][]=main-shop",
        )
        .await;
    assert_eq!(super::ids_of(&list, "customersCorporate"), [id]);
    let (_, list) = crm.get("/v5/customers-corporate", "limit=50").await;
    assert_eq!(list["pagination"]["totalCount"], 3);
    assert_error(
        &crm.get("/v5/customers-corporate", "limit=7").await,
        400,
        "Errors in the input parameters",
        &["limit"],
    );

    let fix = |list: Value| ("customersCorporate", list.to_string());
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/fix-external-ids",
            &[fix(json!([{ "id": gamma, "externalId": "g-1" }]))],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, got) = crm.get("/v5/customers-corporate/g-1", "").await;
    assert_eq!(got["customerCorporate"]["id"], gamma);
    let unknown = crm
        .post(
            "/v5/customers-corporate/fix-external-ids",
            &[fix(json!([{ "id": 999_999, "externalId": "z" }]))],
        )
        .await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["customersCorporate[0][id]"],
    );
    let history = crm.corporate_history(gamma).await;
    assert_eq!(fields(&history), ["id", "external_id"]);
}

#[tokio::test]
async fn combine_moves_the_parts_and_removes_the_others() {
    let crm = Crm::new().await;
    let result = crm
        .create_corporate(json!({ "externalId": "r", "addresses": [{ "text": "Main st" }] }))
        .await;
    let other = crm
        .create_corporate(json!({
            "externalId": "o", "addresses": [{ "externalId": "oa", "text": "Side st" }],
            "companies": [{ "name": "Other Ltd" }],
        }))
        .await;
    let combine = |customers: Value, result: Value| {
        [
            ("customers", customers.to_string()),
            ("resultCustomer", result.to_string()),
        ]
    };
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/combine",
            &combine(json!([{ "id": other }]), json!({ "id": result })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let gone = crm.get("/v5/customers-corporate/o", "").await;
    assert_error(&gone, 404, "Not found", &[]);
    assert_eq!(gone.1["combinedTo"]["id"], result);
    let (_, addresses) = crm.get("/v5/customers-corporate/r/addresses", "").await;
    let texts: Vec<(&Value, &Value)> = addresses["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (&a["text"], &a["isMain"]))
        .collect();
    assert_eq!(
        texts,
        [
            (&json!("Main st"), &json!(true)),
            (&json!("Side st"), &json!(false))
        ]
    );
    let history = crm.corporate_history(result).await;
    assert_eq!(
        fields(&history),
        ["id", "address", "address", "company", "main_company"]
    );
    let removed = crm.corporate_history(other).await;
    assert_eq!(removed.last().unwrap()["deleted"], true);
    assert_eq!(removed.last().unwrap()["combinedTo"]["externalId"], "r");
    let again = crm
        .post(
            "/v5/customers-corporate/combine",
            &combine(json!([{ "id": result }]), json!({ "id": result })),
        )
        .await;
    assert_error(
        &again,
        400,
        "Errors in the input parameters",
        &["customers[0][id]"],
    );
}

#[tokio::test]
async fn notes_are_created_for_a_corporate_customer() {
    let crm = Crm::new().await;
    let id = crm.create_corporate(json!({ "externalId": "n-1" })).await;
    let note = |note: Value| [("note", note.to_string())];
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/notes/create",
            &note(json!({ "text": "<p>Call back</p>", "customer": { "externalId": "n-1" } })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["id"].as_i64().is_some());
    let (status, _) = crm
        .post(
            "/v5/customers-corporate/notes/create",
            &note(json!({ "text": "by id", "customer": { "id": id }, "managerId": 3 })),
        )
        .await;
    assert_eq!(status, 201);
    let bad = crm
        .post(
            "/v5/customers-corporate/notes/create",
            &note(json!({ "text": "", "customer": { "id": 424_242 } })),
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["customer", "text"],
    );
    let long = crm
        .post(
            "/v5/customers-corporate/notes/create",
            &note(json!({ "text": "x".repeat(2001), "customer": { "id": id } })),
        )
        .await;
    assert_error(&long, 400, "Errors in the entity format", &["text"]);
    // Notes are not fields of the customer: no history.
    assert_eq!(fields(&crm.corporate_history(id).await), ["id"]);
}
