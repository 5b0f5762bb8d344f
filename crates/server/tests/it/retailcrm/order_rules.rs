//! Orders' rules beyond create/edit: combining orders (and what a removed order or
//! customer answers), contragent types and their fields, the customer an order finds or
//! makes, the list's further filters.

use serde_json::{json, Value};

use super::{assert_error, external_ids_of, Crm};

/// Creates an order in `main-shop` (named: some tests add another site).
async fn create(crm: &Crm, order: Value) -> Value {
    let form = [
        ("order", order.to_string()),
        ("site", "main-shop".to_owned()),
    ];
    let (status, body) = crm.post("/v5/orders/create", &form).await;
    assert_eq!(status, 201, "{body}");
    body
}

/// `orders/combine` of `order` into `result` with `technique` (none: the default).
async fn combine(
    crm: &Crm,
    order: &Value,
    result: &Value,
    technique: Option<&str>,
) -> (u16, Value) {
    let mut form = vec![
        ("order", json!({ "id": order }).to_string()),
        ("resultOrder", json!({ "id": result }).to_string()),
    ];
    if let Some(technique) = technique {
        form.push(("technique", technique.to_owned()));
    }
    crm.post("/v5/orders/combine", &form).await
}

/// A result order (`A` × 2 at 100, offer `a`) and an order to combine into it (`A` × 3,
/// `B` × 1 at 10): their ids.
async fn pair(crm: &Crm, n: u32) -> (Value, Value) {
    let result = create(
        crm,
        json!({ "externalId": format!("r-{n}"), "items": [
            { "productName": "A", "initialPrice": 100, "quantity": 2, "offer": { "externalId": "a" } },
        ]}),
    )
    .await;
    let order = create(
        crm,
        json!({ "externalId": format!("o-{n}"), "items": [
            { "productName": "A!", "initialPrice": 90, "quantity": 3, "offer": { "externalId": "a" } },
            { "productName": "B", "initialPrice": 10, "quantity": 1 },
        ]}),
    )
    .await;
    (order["id"].clone(), result["id"].clone())
}

fn quantities(order: &Value) -> Vec<(String, f64)> {
    order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["productName"].as_str().unwrap().to_owned(),
                i["quantity"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn combine_merges_items_by_technique_and_removes_the_order() {
    let crm = Crm::new().await;
    for (n, technique, a, total) in [
        (1, None, 2.0, 210.0),
        (2, Some("ours"), 2.0, 210.0),
        (3, Some("summ"), 5.0, 510.0),
        (4, Some("theirs"), 3.0, 310.0),
    ] {
        let (order, result) = pair(&crm, n).await;
        let answer = combine(&crm, &order, &result, technique).await;
        assert_eq!(answer, (200, json!({ "success": true })), "{technique:?}");
        let (_, got) = crm.get(&format!("/v5/orders/r-{n}"), "").await;
        let got = &got["order"];
        let expected = vec![("A".to_owned(), a), ("B".to_owned(), 1.0)];
        assert_eq!(quantities(got), expected, "{technique:?}");
        assert_eq!(got["totalSumm"], total, "{technique:?}");
        // The removed order: 404 with `state: removed` and where it went.
        let target = json!({ "id": result, "externalId": format!("r-{n}"), "site": "main-shop",
                             "status": "new" });
        for (path, query) in [
            (format!("/v5/orders/o-{n}"), ""),
            (format!("/v5/orders/{order}"), "by=id"),
        ] {
            let gone = crm.get(&path, query).await;
            assert_error(&gone, 404, "Not found", &[]);
            assert_eq!(gone.1["state"], "removed");
            assert_eq!(gone.1["combinedTo"], target);
        }
        let edit = crm
            .post(
                &format!("/v5/orders/o-{n}/edit"),
                &[("order", json!({ "firstName": "X" }).to_string())],
            )
            .await;
        assert_error(&edit, 404, "Not found", &[]);
        assert_eq!(edit.1["state"], "removed");
        assert_eq!(edit.1["combinedTo"], target);
        // It is combined once: naming it again finds no order.
        let again = combine(&crm, &order, &result, None).await;
        assert_error(
            &again,
            400,
            "Errors in the input parameters",
            &["order[id]"],
        );
    }
    let (_, list) = crm.get("/v5/orders", "").await;
    assert_eq!(list["pagination"]["totalCount"], 4, "{list}");
}

#[tokio::test]
async fn combine_history_has_the_removal_then_the_results_items() {
    let crm = Crm::new().await;
    let (order, result) = pair(&crm, 1).await;
    let (_, before) = crm.get("/v5/orders/history", "").await;
    let since = before["history"].as_array().unwrap().last().unwrap()["id"].clone();
    let (_, was) = crm.get("/v5/orders/o-1", "").await;
    let b_item = was["order"]["items"][1].clone();
    combine(&crm, &order, &result, Some("summ")).await;
    let (_, page) = crm
        .get("/v5/orders/history", &format!("filter[sinceId]={since}"))
        .await;
    let records = page["history"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{page}");
    let target = json!({ "id": result, "externalId": "r-1", "site": "main-shop", "status": "new" });
    let removed = &records[0];
    assert_eq!(removed["deleted"], true);
    assert_eq!(removed["field"], "id");
    assert_eq!(removed["oldValue"], order);
    assert_eq!(removed["newValue"], Value::Null);
    assert_eq!(
        removed["order"],
        json!({ "id": order, "externalId": "o-1", "site": "main-shop", "status": "new" })
    );
    assert_eq!(removed["combinedTo"], target);
    assert_eq!(records[1]["field"], "order_product.quantity");
    assert_eq!(
        (&records[1]["oldValue"], &records[1]["newValue"]),
        (&json!(2.0), &json!(5.0))
    );
    assert_eq!(records[1]["order"], target);
    assert_eq!(records[2]["field"], "order_product");
    assert_eq!(records[2]["oldValue"], Value::Null);
    let (_, now) = crm.get("/v5/orders/r-1", "").await;
    let added = &now["order"]["items"][1];
    assert_ne!(added["id"], b_item["id"], "a new item of the result");
    assert_eq!(records[2]["newValue"], json!({ "id": added["id"] }));
    assert_eq!(records[2]["item"]["productName"], "B");
    let (_, one) = crm
        .get("/v5/orders/history", &format!("filter[orderId]={order}"))
        .await;
    assert_eq!(
        one["history"].as_array().unwrap().len(),
        2,
        "created, deleted"
    );
}

#[tokio::test]
async fn combine_errors_permission_and_isolation() {
    let crm = Crm::new().await;
    let (order, result) = pair(&crm, 1).await;
    let missing = crm
        .post(
            "/v5/orders/combine",
            &[("resultOrder", json!({ "id": result }).to_string())],
        )
        .await;
    assert_error(&missing, 400, "Parameter 'order' is missing", &[]);
    let blank = crm
        .post(
            "/v5/orders/combine",
            &[
                ("order", json!({}).to_string()),
                ("resultOrder", json!({ "id": "x" }).to_string()),
                ("technique", "mine".to_owned()),
            ],
        )
        .await;
    assert_error(
        &blank,
        400,
        "Errors in the input parameters",
        &["order[id]", "resultOrder[id]", "technique"],
    );
    let itself = combine(&crm, &result, &result, None).await;
    assert_error(
        &itself,
        400,
        "Errors in the input parameters",
        &["resultOrder[id]"],
    );
    let unknown = combine(&crm, &json!(999_999), &result, None).await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["order[id]"],
    );
    assert_eq!(unknown.1["errors"]["order[id]"], "Order not found");
    let unknown = combine(&crm, &order, &json!(999_999), None).await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["resultOrder[id]"],
    );

    let reader = crm.add_key(&["order_read"], &[]).await;
    let form = [
        ("order", json!({ "id": order }).to_string()),
        ("resultOrder", json!({ "id": result }).to_string()),
    ];
    let denied = crm.post_as(&reader, "/v5/orders/combine", &form).await;
    assert_error(&denied, 403, "Access denied.", &[]);
    // A key of another site, and another account, reach neither order.
    let elsewhere = crm.add_key(&[], &["other-shop"]).await;
    let hidden = crm.post_as(&elsewhere, "/v5/orders/combine", &form).await;
    assert_eq!(hidden.0, 400, "{}", hidden.1);
    let stranger = Crm::new().await;
    let hidden = stranger.post("/v5/orders/combine", &form).await;
    assert_error(
        &hidden,
        400,
        "Errors in the input parameters",
        &["order[id]"],
    );
    let (status, _) = crm.get("/v5/orders/o-1", "").await;
    assert_eq!(status, 200, "untouched");
}

#[tokio::test]
async fn a_combined_customer_answers_state_removed() {
    let crm = Crm::new().await;
    let result = crm.create(json!({ "externalId": "keep" })).await;
    let other = crm.create(json!({ "externalId": "gone" })).await;
    let (status, _) = crm
        .post(
            "/v5/customers/combine",
            &[
                ("customers", json!([{ "id": other }]).to_string()),
                ("resultCustomer", json!({ "id": result }).to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let target = json!({ "id": result, "externalId": "keep", "site": "main-shop" });
    let get = crm.get("/v5/customers/gone", "").await;
    let edit = crm
        .post(
            &format!("/v5/customers/{other}/edit"),
            &[("customer", "{}".to_owned()), ("by", "id".to_owned())],
        )
        .await;
    for answer in [get, edit] {
        assert_error(&answer, 404, "Not found", &[]);
        assert_eq!(answer.1["state"], "removed");
        assert_eq!(answer.1["combinedTo"], target);
    }
    // A customer that never was: no state.
    let (_, never) = crm.get("/v5/customers/never", "").await;
    assert!(never.get("state").is_none(), "{never}");
}

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
    let body = create(&crm, json!({ "externalId": "i", "contragent": individual })).await;
    assert_eq!(
        body["order"]["contragent"],
        json!({ "contragentType": "individual" })
    );
    let mut legal = requisites.clone();
    legal["contragentType"] = json!("legal-entity");
    let body = create(&crm, json!({ "externalId": "c", "contragent": legal })).await;
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
    let body = create(crm, order).await;
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
    let found = create(&crm, json!({ "phone": "+79001112233" })).await;
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
    crm.create(json!({ "externalId": "vip", "vip": true }))
        .await;
    create(
        &crm,
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
    create(
        &crm,
        json!({ "externalId": "f-2", "firstName": "Б", "countryIso": "KZ",
            "contragent": { "contragentType": "entrepreneur", "INN": "7799" },
            "delivery": { "date": "2024-02-12", "cost": 0, "netCost": 50, "address": { "index": "050000" } },
            "customFields": { "gift": "yes" },
            "items": [{ "productName": "Чашка", "initialPrice": 100, "purchasePrice": 40 }] }),
    )
    .await;
    create(
        &crm,
        json!({ "externalId": "f-3", "firstName": "В", "managerId": 2 }),
    )
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
