//! Orders' rules beyond create/edit: contragent types and their fields (orders,
//! customers, companies), the customer an order finds or makes, the list's further
//! filters.

use serde_json::{json, Value};

use super::setup::define;
use super::{assert_error, external_ids_of, Crm};

/// The members of a contragent, sorted.
fn members(contragent: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = contragent
        .as_object()
        .unwrap_or_else(|| panic!("{contragent}"))
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

#[tokio::test]
async fn contragent_types_keep_only_their_fields() {
    let crm = Crm::new().await;
    let requisites = json!({ "legalName": "ООО Ромашка", "INN": "7700000000", "KPP": "770101001",
        "OGRN": "1027700000000", "OGRNIP": "304770000000000", "certificateNumber": "77-1",
        "certificateDate": "2020-01-01", "bank": "Банк" });
    let mut individual = requisites.clone();
    individual["contragentType"] = json!("individual");
    let body = crm
        .create_order(json!({ "externalId": "i", "contragent": individual }))
        .await;
    assert_eq!(
        body["order"]["contragent"],
        json!({ "contragentType": "individual" })
    );
    let mut legal = requisites.clone();
    legal["contragentType"] = json!("legal-entity");
    let body = crm
        .create_order(json!({ "externalId": "c", "contragent": legal }))
        .await;
    assert_eq!(
        members(&body["order"]["contragent"]),
        ["INN", "KPP", "OGRN", "bank", "contragentType", "legalName"]
    );
    let (_, page) = crm.get("/v5/orders/history", "").await;
    let since = page["history"].as_array().unwrap().last().unwrap()["id"].clone();
    // To an entrepreneur: its requisites come, the legal entity's go.
    let entrepreneur = json!({ "contragentType": "entrepreneur", "OGRNIP": "304770000000000",
                               "certificateNumber": "77-1", "KPP": "770101001" });
    let (status, edited) = crm
        .post(
            "/v5/orders/c/edit",
            &[("order", json!({ "contragent": entrepreneur }).to_string())],
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        members(&edited["order"]["contragent"]),
        [
            "INN",
            "OGRNIP",
            "bank",
            "certificateNumber",
            "contragentType",
            "legalName"
        ]
    );
    let (_, page) = crm
        .get("/v5/orders/history", &format!("filter[sinceId]={since}"))
        .await;
    let records: Vec<(&str, &Value, &Value)> = page["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["field"].as_str().unwrap(), &r["oldValue"], &r["newValue"]))
        .collect();
    assert_eq!(
        records,
        vec![
            ("contragent.kpp", &json!("770101001"), &Value::Null),
            ("contragent.ogrn", &json!("1027700000000"), &Value::Null),
            ("contragent.ogrnip", &Value::Null, &json!("304770000000000")),
            (
                "contragent.certificate_number",
                &Value::Null,
                &json!("77-1")
            ),
            (
                "contragent.contragent_type",
                &json!("legal-entity"),
                &json!("entrepreneur")
            ),
        ]
    );
    // Without a type the stored one stays, and the members not given stay.
    let (_, edited) = crm
        .post(
            "/v5/orders/c/edit",
            &[(
                "order",
                json!({ "contragent": { "legalName": "ИП Иванов", "OGRN": "1" } }).to_string(),
            )],
        )
        .await;
    let contragent = &edited["order"]["contragent"];
    assert_eq!(contragent["contragentType"], "entrepreneur");
    assert_eq!(contragent["legalName"], "ИП Иванов");
    assert_eq!(contragent["INN"], "7700000000");
    assert!(contragent.get("OGRN").is_none(), "{contragent}");
    let bad = crm
        .post(
            "/v5/orders/c/edit",
            &[(
                "order",
                json!({ "contragent": { "contragentType": "company" } }).to_string(),
            )],
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["contragent[contragentType]"],
    );
}

#[tokio::test]
async fn customers_and_companies_follow_the_same_contragent_rules() {
    let crm = Crm::new().await;
    let id = crm
        .create(
            json!({ "externalId": "k", "contragent": { "contragentType": "legal-entity",
            "INN": "1", "OGRNIP": "2", "certificateDate": "2020-01-01" } }),
        )
        .await;
    let (_, got) = crm.get("/v5/customers/k", "").await;
    assert_eq!(
        got["customer"]["contragent"],
        json!({ "contragentType": "legal-entity", "INN": "1" })
    );
    let (status, _) = crm
        .post(
            "/v5/customers/k/edit",
            &[(
                "customer",
                json!({ "contragent": { "contragentType": "individual" } }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 200);
    let (_, got) = crm.get(&format!("/v5/customers/{id}"), "by=id").await;
    assert_eq!(
        got["customer"]["contragent"],
        json!({ "contragentType": "individual" })
    );
    let corporate = json!({ "externalId": "corp", "nickName": "Corp", "companies": [
        { "externalId": "co", "name": "ИП", "contragent": { "contragentType": "entrepreneur",
          "INN": "3", "KPP": "4", "OGRN": "5", "OGRNIP": "6" } } ] });
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/create",
            &[("customerCorporate", corporate.to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, companies) = crm.get("/v5/customers-corporate/corp/companies", "").await;
    assert_eq!(
        companies["companies"][0]["contragent"],
        json!({ "contragentType": "entrepreneur", "INN": "3", "OGRNIP": "6" })
    );
}

/// The id of the customer an order was linked to, and how many customers the account has.
async fn linked_to(crm: &Crm, order: Value) -> (Value, Value) {
    let body = crm.create_order(order).await;
    let (_, all) = crm.get("/v5/customers", "").await;
    (
        body["order"]["customer"]["id"].clone(),
        all["pagination"]["totalCount"].clone(),
    )
}

#[tokio::test]
async fn an_order_finds_its_customer_or_makes_one() {
    let crm = Crm::new().await;
    let known = crm
        .create(
            json!({ "externalId": "known", "firstName": "Вера", "email": "Vera@Example.com",
                        "phones": [{ "number": "+7 (900) 111-22-33" }], "browserId": "b-1" }),
        )
        .await;
    let other = crm
        .create(json!({ "firstName": "Глеб", "email": "gleb@example.com" }))
        .await;
    // A customer of another site with the same phone is not this site's.
    let second = crm.add_key(&[], &["second-shop"]).await;
    let (status, body) = crm
        .post_as(
            &second,
            "/v5/customers/create",
            &[
                (
                    "customer",
                    json!({ "phones": [{ "number": "89004445566" }] }).to_string(),
                ),
                ("site", "second-shop".to_owned()),
            ],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let count = |n: i64| json!(n);
    let (_, all) = crm.get("/v5/customers", "").await;
    let before = all["pagination"]["totalCount"].as_i64().unwrap();
    for (order, customer) in [
        (json!({ "customer": { "id": known } }), known),
        (json!({ "customer": { "externalId": "known" } }), known),
        (json!({ "customer": { "browserId": "b-1" } }), known),
        // Found by phone: the same digits written otherwise, the same last ten.
        (
            json!({ "phone": "8 900 111 22 33", "email": "gleb@example.com" }),
            known,
        ),
        // Found by e-mail, in any case.
        (
            json!({ "email": "GLEB@example.COM", "phone": "+7 999 000-00-00" }),
            other,
        ),
    ] {
        let (id, total) = linked_to(&crm, order.clone()).await;
        assert_eq!(id, customer, "{order}");
        assert_eq!(total, count(before), "no new customer for {order}");
    }
    let found = crm.create_order(json!({ "phone": "+79001112233" })).await;
    assert_eq!(
        found["order"]["firstName"], "Вера",
        "contacts come from the customer"
    );
    // Nothing matches: a new customer from the order's contact fields.
    let (id, total) = linked_to(
        &crm,
        json!({ "firstName": "Новый", "phone": "+7 900 444-55-66", "email": "new@example.com" }),
    )
    .await;
    assert_eq!(total, count(before + 1));
    let (_, made) = crm.get(&format!("/v5/customers/{id}"), "by=id").await;
    assert_eq!(made["customer"]["firstName"], "Новый");
    assert_eq!(made["customer"]["email"], "new@example.com");
    assert_eq!(made["customer"]["site"], "main-shop");
    // The next order with that e-mail finds it.
    let (again, _) = linked_to(&crm, json!({ "email": "new@example.com" })).await;
    assert_eq!(again, id);
    let missing = crm
        .post(
            "/v5/orders/create",
            &[
                (
                    "order",
                    json!({ "customer": { "browserId": "none" } }).to_string(),
                ),
                ("site", "main-shop".to_owned()),
            ],
        )
        .await;
    assert_error(&missing, 400, "Errors in the entity format", &["customer"]);
}

#[tokio::test]
async fn list_filters_on_contragents_delivery_products_and_customers() {
    let crm = Crm::new().await;
    let gift = json!({ "name": "Подарок", "code": "gift", "type": "string" });
    assert_eq!(define(&crm, "order", gift).await.0, 201);
    crm.create(json!({ "externalId": "vip", "vip": true }))
        .await;
    crm.create_order(
        json!({ "externalId": "f-1", "customer": { "externalId": "vip" }, "countryIso": "RU",
            "statusComment": "Позвонить утром",
            "contragent": { "contragentType": "legal-entity", "legalName": "ООО Ромашка",
                "INN": "7701", "KPP": "7702", "BIK": "0445", "corrAccount": "301", "bankAccount": "407" },
            "delivery": { "code": "courier", "date": "2024-02-10", "cost": 300, "netCost": 200,
                "address": { "index": "443001", "metro": "Гагаринская", "notes": "Домофон 12" } },
            "items": [{ "productName": "Чайник", "initialPrice": 1000, "purchasePrice": 600,
                        "offer": { "article": "KT-1" } }] }),
    )
    .await;
    crm.create_order(
        json!({ "externalId": "f-2", "firstName": "Б", "countryIso": "KZ",
            "contragent": { "contragentType": "entrepreneur", "INN": "7799" },
            "delivery": { "date": "2024-02-12", "cost": 0, "netCost": 50, "address": { "index": "050000" } },
            "customFields": { "gift": "yes" },
            "items": [{ "productName": "Чашка", "initialPrice": 100, "purchasePrice": 40 }] }),
    )
    .await;
    crm.create_order(json!({ "externalId": "f-3", "firstName": "В", "managerId": 2 }))
        .await;
    let cases: [(&str, &[&str]); 33] = [
        ("filter[contragentTypes][]=legal-entity", &["f-1"]),
        ("filter[contragentTypes][]=enterpreneur", &["f-2"]),
        (
            "filter[contragentTypes][]=individual&filter[contragentTypes][]=entrepreneur",
            &["f-2", "f-3"],
        ),
        ("filter[contragentInn]=7701", &["f-1"]),
        ("filter[contragentInn]=770", &[]),
        ("filter[contragentKpp]=7702", &["f-1"]),
        ("filter[contragentBik]=0445", &["f-1"]),
        ("filter[contragentCorrAccount]=301", &["f-1"]),
        ("filter[contragentBankAccount]=407", &["f-1"]),
        ("filter[countries][]=KZ", &["f-2"]),
        ("filter[statusComment]=УТРОМ", &["f-1"]),
        ("filter[index]=443", &["f-1"]),
        ("filter[metro]=гагар", &["f-1"]),
        ("filter[deliveryAddressNotes]=ДОМОФОН", &["f-1"]),
        ("filter[deliveryDateFrom]=2024-02-11", &["f-2"]),
        ("filter[deliveryDateTo]=2024-02-10", &["f-1"]),
        (
            "filter[deliveryDateFrom]=2024-02-10&filter[deliveryDateTo]=2024-02-12",
            &["f-1", "f-2"],
        ),
        ("filter[product]=чайн", &["f-1"]),
        ("filter[product]=kt-1", &["f-1"]),
        ("filter[product]=ЧАШ", &["f-2"]),
        ("filter[minPurchaseSumm]=500", &["f-1"]),
        ("filter[maxPurchaseSumm]=50", &["f-2", "f-3"]),
        ("filter[minPrepaySumm]=0", &["f-1", "f-2", "f-3"]),
        ("filter[maxPrepaySumm]=-1", &[]),
        ("filter[minDeliveryCost]=100", &["f-1"]),
        ("filter[maxDeliveryCost]=100", &["f-2"]),
        ("filter[minDeliveryNetCost]=60", &["f-1"]),
        ("filter[maxDeliveryNetCost]=100", &["f-2"]),
        ("filter[vip]=1", &["f-1"]),
        ("filter[vip]=0", &["f-2", "f-3"]),
        ("filter[bad]=true", &[]),
        ("filter[customFields][gift]=yes", &["f-2"]),
        ("filter[managerGroups][]=manager", &["f-3"]),
    ];
    for (query, expected) in cases {
        let (status, body) = crm.get("/v5/orders", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(external_ids_of(&body, "orders"), expected, "{query}");
        assert_eq!(body["pagination"]["totalCount"], expected.len(), "{query}");
    }
    let bad = crm
        .get(
            "/v5/orders",
            "filter[contragentInn]=abc&filter[minDeliveryCost]=x&filter[deliveryDateFrom]=10.02.2024\
             &filter[contragentTypes][]=alien&filter[vip]=maybe",
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &[
            "filter[contragentInn]",
            "filter[contragentTypes][0]",
            "filter[deliveryDateFrom]",
            "filter[minDeliveryCost]",
            "filter[vip]",
        ],
    );
    // Another account's key sees none of them.
    let stranger = Crm::new().await;
    let (_, none) = stranger.get("/v5/orders", "filter[vip]=1").await;
    assert_eq!(none["pagination"]["totalCount"], 0);
}
