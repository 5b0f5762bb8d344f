//! Customers: create, upload, get, edit, list with filters, fix-external-ids, combine,
//! subscriptions.

use serde_json::{json, Value};

use super::{assert_error, ids, Crm};

fn doc(value: Value) -> String {
    value.to_string()
}

#[tokio::test]
async fn create_then_get_by_external_id_or_id() {
    let crm = Crm::new().await;
    let (status, body) = crm
        .post(
            "/v5/customers/create",
            &[
                ("site", "main-shop".into()),
                (
                    "customer",
                    doc(json!({
                        "externalId": "c-1", "firstName": "Иван", "lastName": "Петров",
                        "email": "ivan@example.com", "phones": [{ "number": "+7 (900) 111-22-33" }],
                        "address": { "city": "Москва", "region": "Московская", "text": "ул. Ленина, 1" },
                        "vip": true, "createdAt": "2024-03-01 10:00:00", "birthday": "1990-05-01",
                        "sex": "male", "customFields": { "size": 42 }, "tags": ["gold"],
                        "unknownField": "ignored",
                    })),
                ),
            ],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["success"], true);
    let id = body["id"].as_i64().unwrap();
    let (status, body) = crm.get("/v5/customers/c-1", "").await;
    assert_eq!(status, 200, "{body}");
    let customer = &body["customer"];
    assert_eq!(customer["id"], id);
    assert_eq!(customer["type"], "customer");
    assert_eq!(customer["site"], "main-shop");
    assert_eq!(customer["createdAt"], "2024-03-01 10:00:00");
    assert_eq!(customer["vip"], true);
    assert_eq!(customer["bad"], false);
    assert_eq!(
        customer["contragent"],
        json!({ "contragentType": "individual" })
    );
    assert_eq!(
        customer["phones"],
        json!([{ "number": "+7 (900) 111-22-33" }])
    );
    assert_eq!(customer["customFields"], json!({ "size": 42 }));
    assert_eq!(customer["tags"][0]["name"], "gold");
    assert!(customer.get("unknownField").is_none() && customer.get("_search").is_none());
    let (_, by_id) = crm
        .get(&format!("/v5/customers/{id}"), "by=id&site=main-shop")
        .await;
    assert_eq!(by_id["customer"], *customer);

    assert_error(
        &crm.get("/v5/customers/nope", "").await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &crm.get("/v5/customers/abc", "by=id").await,
        404,
        "Not found",
        &[],
    );
    let bad_by = crm.get("/v5/customers/c-1", "by=name").await;
    assert_error(&bad_by, 400, "Errors in the input parameters", &["by"]);
}

#[tokio::test]
async fn create_checks_the_document() {
    let crm = Crm::new().await;
    let answer = crm
        .post(
            "/v5/customers/create",
            &[(
                "customer",
                doc(json!({
                    "email": "not-an-email", "vip": "maybe", "createdAt": "yesterday",
                    "sex": "other", "phones": [{ "number": "" }],
                    "contragent": { "contragentType": "company" },
                })),
            )],
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the entity format",
        &[
            "contragent[contragentType]",
            "createdAt",
            "email",
            "phones[0][number]",
            "sex",
            "vip",
        ],
    );
    crm.create(json!({ "externalId": "dup" })).await;
    let dup = crm
        .post(
            "/v5/customers/create",
            &[("customer", doc(json!({ "externalId": "dup" })))],
        )
        .await;
    assert_error(&dup, 400, "Errors in the entity format", &["externalId"]);
}

#[tokio::test]
async fn edit_changes_the_given_fields() {
    let crm = Crm::new().await;
    let id = crm
        .create(json!({ "externalId": "e-1", "firstName": "Анна", "email": "a@example.com" }))
        .await;
    let (status, body) = crm
        .post(
            "/v5/customers/e-1/edit",
            &[("customer", doc(json!({ "externalId": "e-1", "lastName": "Смирнова", "email": null, "bad": true })))],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "success": true, "id": id }));
    let (_, body) = crm.get("/v5/customers/e-1", "").await;
    assert_eq!(body["customer"]["firstName"], "Анна");
    assert_eq!(body["customer"]["lastName"], "Смирнова");
    assert_eq!(body["customer"]["bad"], true);
    assert!(body["customer"].get("email").is_none(), "{body}");
    // By id the document may change the external id.
    let (status, _) = crm
        .post(
            &format!("/v5/customers/{id}/edit"),
            &[
                ("by", "id".into()),
                ("customer", doc(json!({ "externalId": "e-2" }))),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        crm.get("/v5/customers/e-2", "").await.1["customer"]["id"],
        id
    );
    let missing = crm
        .post("/v5/customers/zzz/edit", &[("customer", "{}".into())])
        .await;
    assert_error(&missing, 404, "Not found", &[]);
    let invalid = crm
        .post(
            "/v5/customers/e-2/edit",
            &[("customer", doc(json!({ "email": "x" })))],
        )
        .await;
    assert_error(&invalid, 400, "Errors in the entity format", &["email"]);
}

#[tokio::test]
async fn list_filters() {
    let crm = Crm::new().await;
    let a = crm
        .create(json!({
            "externalId": "a", "firstName": "Ольга", "lastName": "Иванова", "email": "olga@shop.ru",
            "phones": [{ "number": "+7 900 555-01-01" }], "address": { "city": "Казань", "region": "Татарстан" },
            "vip": true, "createdAt": "2024-01-10 12:00:00",
            "customFields": { "size": 40, "birth": "1990-01-01", "color": "red" },
        }))
        .await;
    let b = crm
        .create(json!({
            "externalId": "b", "firstName": "Пётр", "email": "petr@mail.com", "bad": true,
            "address": { "city": "Москва" }, "createdAt": "2024-02-10 12:00:00",
            "contragent": { "contragentType": "legal-entity", "legalName": "ООО Ромашка" },
            "customFields": { "size": 50, "birth": "1985-06-01", "color": "blue" },
        }))
        .await;
    let c = crm
        .create(json!({
            "externalId": "c", "firstName": "Ольгерд", "createdAt": "2024-03-10 12:00:00",
            "contragent": { "contragentType": "entrepreneur" },
        }))
        .await;
    let by_ids = format!("filter[ids][]={a}&filter[ids][]={c}");
    let cases: Vec<(&str, Vec<i64>)> = vec![
        ("", vec![a, b, c]),
        (&by_ids, vec![a, c]),
        ("filter[externalIds][]=b", vec![b]),
        // Lists with explicit indices, as some PHP-style encoders send them.
        (
            "filter[externalIds][1]=c&filter[externalIds][0]=a",
            vec![a, c],
        ),
        ("filter[name]=ольг", vec![a, c]),
        ("filter[name]=Иванова", vec![a]),
        ("filter[name]=5550101", vec![a]),
        ("filter[name]=555-01", vec![a]),
        ("filter[email]=MAIL.com", vec![b]),
        ("filter[city]=казань", vec![a]),
        ("filter[region]=Татар", vec![a]),
        ("filter[sites][]=main-shop", vec![a, b, c]),
        ("filter[vip]=1", vec![a]),
        ("filter[vip]=0", vec![b, c]),
        ("filter[bad]=true", vec![b]),
        ("filter[contragentTypes][]=legal-entity", vec![b]),
        (
            "filter[contragentTypes][]=enterpreneur&filter[contragentTypes][]=individual",
            vec![a, c],
        ),
        ("filter[dateFrom]=2024-02-10", vec![b, c]),
        ("filter[dateTo]=2024-02-10", vec![a, b]),
        (
            "filter[dateFrom]=2024-01-11&filter[dateTo]=2024-03-01",
            vec![b],
        ),
        ("filter[customFields][size][min]=45", vec![b]),
        ("filter[customFields][size][max]=45", vec![a]),
        (
            "filter[customFields][size][min]=40&filter[customFields][size][max]=50",
            vec![a, b],
        ),
        ("filter[customFields][birth][min]=1989-01-01", vec![a]),
        (
            "filter[customFields][color][]=red&filter[customFields][color][]=green",
            vec![a],
        ),
        ("filter[customFields][color]=blue", vec![b]),
    ];
    for (query, expected) in cases {
        let (status, body) = crm.get("/v5/customers", query).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(ids(&body), expected, "{query}");
        assert_eq!(body["pagination"]["totalCount"], expected.len(), "{query}");
    }
    let bad = crm
        .get(
            "/v5/customers",
            "filter[ids][]=x&filter[vip]=maybe&filter[contragentTypes][]=alien&filter[dateFrom]=10.01.2024",
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &[
            "filter[contragentTypes][0]",
            "filter[dateFrom]",
            "filter[ids][0]",
            "filter[vip]",
        ],
    );
    let unknown_site = crm.get("/v5/customers", "filter[sites][]=nowhere").await;
    assert_eq!(unknown_site.0, 400);
}

#[tokio::test]
async fn list_pages() {
    let crm = Crm::new().await;
    let customers: Vec<Value> = (0..25)
        .map(|i| json!({ "externalId": format!("p{i}") }))
        .collect();
    let (status, body) = crm
        .post(
            "/v5/customers/upload",
            &[("customers", Value::Array(customers).to_string())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["uploadedCustomers"].as_array().unwrap().len(), 25);
    assert_eq!(body["uploadedCustomers"][0]["externalId"], "p0");
    let (_, page) = crm.get("/v5/customers", "page=2").await;
    assert_eq!(
        page["pagination"],
        json!({ "limit": 20, "totalCount": 25, "currentPage": 2, "totalPageCount": 2 })
    );
    assert_eq!(page["customers"].as_array().unwrap().len(), 5);
    assert_eq!(page["customers"][0]["externalId"], "p20");
}

#[tokio::test]
async fn upload_reports_what_it_left_out() {
    let crm = Crm::new().await;
    crm.create(json!({ "externalId": "taken" })).await;
    let list = json!([{ "externalId": "u1" }, { "externalId": "taken" }, { "email": "bad" }, { "externalId": "u1" }]);
    let (status, body) = crm
        .post("/v5/customers/upload", &[("customers", list.to_string())])
        .await;
    assert_eq!(status, 460, "{body}");
    assert_eq!(body["success"], false);
    assert_eq!(body["uploadedCustomers"].as_array().unwrap().len(), 1);
    assert_eq!(body["errors"].as_array().unwrap().len(), 3, "{body}");
    let too_many: Vec<Value> = (0..51).map(|_| json!({})).collect();
    let answer = crm
        .post(
            "/v5/customers/upload",
            &[("customers", Value::Array(too_many).to_string())],
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["customers"],
    );
}

#[tokio::test]
async fn fix_external_ids_writes_back_the_shops_ids() {
    let crm = Crm::new().await;
    let one = crm.create(json!({ "firstName": "Без id" })).await;
    let two = crm.create(json!({ "firstName": "Тоже" })).await;
    let fixes =
        json!([{ "id": one, "externalId": "shop-1" }, { "id": two, "externalId": "shop-2" }]);
    let (status, body) = crm
        .post(
            "/v5/customers/fix-external-ids",
            &[("customers", fixes.to_string())],
        )
        .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    assert_eq!(
        crm.get("/v5/customers/shop-2", "").await.1["customer"]["id"],
        two
    );
    let unknown = json!([{ "id": 999_999, "externalId": "x" }, { "id": one }]);
    let answer = crm
        .post(
            "/v5/customers/fix-external-ids",
            &[("customers", unknown.to_string())],
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["customers[0][id]", "customers[1][externalId]"],
    );
    // The shop's id is unique in the site.
    let clash = json!([{ "id": one, "externalId": "shop-2" }]);
    let answer = crm
        .post(
            "/v5/customers/fix-external-ids",
            &[("customers", clash.to_string())],
        )
        .await;
    assert_error(&answer, 400, "Errors in the entity format", &["externalId"]);
}

#[tokio::test]
async fn combine_keeps_the_result_and_points_at_it() {
    let crm = Crm::new().await;
    let result = crm
        .create(json!({ "externalId": "main", "firstName": "Главный", "phones": [{ "number": "111" }] }))
        .await;
    let other = crm
        .create(json!({ "externalId": "dup", "firstName": "Дубль", "phones": [{ "number": "222" }, { "number": "111" }] }))
        .await;
    let (status, body) = crm
        .post(
            "/v5/customers/combine",
            &[
                ("customers", json!([{ "id": other }]).to_string()),
                ("resultCustomer", json!({ "id": result }).to_string()),
            ],
        )
        .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let (_, kept) = crm.get("/v5/customers/main", "").await;
    assert_eq!(kept["customer"]["firstName"], "Главный");
    assert_eq!(
        kept["customer"]["phones"],
        json!([{ "number": "111" }, { "number": "222" }])
    );
    let gone = crm.get("/v5/customers/dup", "").await;
    assert_error(&gone, 404, "Not found", &[]);
    let target = json!({ "id": result, "externalId": "main", "site": "main-shop" });
    assert_eq!(gone.1["combinedTo"], target);
    assert_eq!(
        crm.get(&format!("/v5/customers/{other}"), "by=id").await.1["combinedTo"],
        target
    );

    let into_itself = crm
        .post(
            "/v5/customers/combine",
            &[
                ("customers", json!([{ "id": result }]).to_string()),
                ("resultCustomer", json!({ "id": result }).to_string()),
            ],
        )
        .await;
    assert_error(
        &into_itself,
        400,
        "Errors in the input parameters",
        &["customers[0][id]"],
    );
    let unknown = crm
        .post(
            "/v5/customers/combine",
            &[
                ("customers", json!([{ "id": other }]).to_string()),
                ("resultCustomer", json!({ "id": result }).to_string()),
            ],
        )
        .await;
    assert_error(
        &unknown,
        400,
        "Errors in the input parameters",
        &["customers[0][id]"],
    );
}

#[tokio::test]
async fn subscriptions_are_kept_per_channel() {
    let crm = Crm::new().await;
    crm.create(json!({ "externalId": "s" })).await;
    let subscriptions = json!([{ "channel": "email", "subscribed": false }, { "channel": "sms", "subscription": "promo", "subscribed": true }]);
    let (status, body) = crm
        .post(
            "/v5/customers/s/subscriptions",
            &[("subscriptions", subscriptions.to_string())],
        )
        .await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let (_, body) = crm.get("/v5/customers/s", "").await;
    let kept = body["customer"]["customerSubscriptions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(kept.len(), 2);
    assert_eq!(
        kept[0]["subscription"],
        json!({ "channel": "email", "code": "default" })
    );
    assert_eq!(kept[0]["subscribed"], false);
    assert_eq!(
        kept[1]["subscription"],
        json!({ "channel": "sms", "code": "promo" })
    );
    // The seed's form: inside the customer document.
    let seed_form = json!({ "subscriptions": [{ "channel": "email", "subscribed": true }] });
    let (status, _) = crm
        .post(
            "/v5/customers/s/subscriptions",
            &[("customer", seed_form.to_string())],
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = crm.get("/v5/customers/s", "").await;
    let kept = body["customer"]["customerSubscriptions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[1]["subscription"]["channel"], "email");
    assert_eq!(kept[1]["subscribed"], true);
    let bad = json!([{ "channel": "pigeon", "subscribed": true }, { "channel": "email" }]);
    let answer = crm
        .post(
            "/v5/customers/s/subscriptions",
            &[("subscriptions", bad.to_string())],
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["subscriptions[0][channel]", "subscriptions[1][subscribed]"],
    );
}
