//! The list filters on managers, tags, discount cards, legal names, notes and contact
//! e-mails, with the seed's checks; `addTags`/`removeTags` on customer edit.

use serde_json::json;

use super::{assert_error, ids, ids_of, Crm};

#[tokio::test]
async fn customers_filter_by_managers_tags_card_and_legal_name() {
    let crm = Crm::new().await;
    let a = crm
        .create(json!({ "externalId": "f-a", "managerId": 2, "tags": ["vip", "new   one", { "name": "опт", "attached": true }], "discountCardNumber": "CARD-1" }))
        .await;
    let b = crm
        .create(json!({ "externalId": "f-b", "managerId": 5, "tags": ["vip"], "contragent": { "contragentType": "legal-entity", "legalName": "ООО Ромашка" } }))
        .await;
    let c = crm
        .create(json!({ "externalId": "f-c", "managerId": 3, "tags": [{ "name": "grey" }, { "name": "vip", "attached": true }] }))
        .await;
    let list = |query: &'static str| {
        let crm = &crm;
        async move {
            let (status, body) = crm.get("/v5/customers", query).await;
            assert_eq!(status, 200, "{query}: {body}");
            ids(&body)
        }
    };
    assert_eq!(
        list("filter[managers][]=2&filter[managers][]=3").await,
        [a, c]
    );
    assert_eq!(list("filter[managerGroups][]=courier").await, [b]);
    assert_eq!(list("filter[managerGroups][]=manager").await, [a, c]);
    assert_eq!(
        list("filter[managerGroups][]=manager&filter[managers][]=3").await,
        [c]
    );
    assert_eq!(list("filter[discountCardNumber]=CARD-1").await, [a]);
    assert_eq!(
        list("filter[discountCardNumber]=CARD").await,
        Vec::<i64>::new()
    );
    assert_eq!(list("filter[contragentName]=ромашка").await, [b]);
    // Tags: all of them (AND).
    assert_eq!(list("filter[tags][]=vip").await, [a, b, c]);
    assert_eq!(list("filter[tags][]=vip&filter[tags][]=опт").await, [a]);
    // A tag's colour is not its name.
    assert_eq!(list("filter[tags][]=grey").await, [c]);
    // Two consecutive spaces are allowed.
    assert_eq!(list("filter[tags][]=new  one").await, Vec::<i64>::new());
    // Attached tags: any of them (OR).
    assert_eq!(list("filter[attachedTags][]=опт").await, [a]);
    assert_eq!(
        list("filter[attachedTags][]=опт&filter[attachedTags][]=vip").await,
        [a, c]
    );
    // Filters on data Twin does not keep are accepted and not applied.
    assert_eq!(
        list("filter[notes]=x&filter[attachments]=2&filter[tasksCounts]=1&filter[mgChannels][]=3")
            .await,
        [a, b, c]
    );
}

#[tokio::test]
async fn customer_filters_are_checked() {
    let crm = Crm::new().await;
    let bad = crm
        .get(
            "/v5/customers",
            "filter[managers][]=x&filter[managerGroups][]=nobody&filter[tags][]=&filter[attachedTags][]=a%20%20%20b&filter[attachments]=4&filter[tasksCounts]=0",
        )
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &[
            "filter[attachedTags][0]",
            "filter[attachments]",
            "filter[managerGroups][0]",
            "filter[managers][0]",
            "filter[tags][0]",
            "filter[tasksCounts]",
        ],
    );
    let twice = crm
        .get("/v5/customers", "filter[tags][]=a&filter[tags][]=a")
        .await;
    assert_error(
        &twice,
        400,
        "Errors in the input parameters",
        &["filter[tags]"],
    );
    let long = crm
        .get(
            "/v5/customers",
            &format!("filter[discountCardNumber]={}", "1".repeat(256)),
        )
        .await;
    assert_error(
        &long,
        400,
        "Errors in the input parameters",
        &["filter[discountCardNumber]"],
    );
}

#[tokio::test]
async fn corporate_customers_filter_by_managers_tags_notes_and_contact_email() {
    let crm = Crm::new().await;
    let a = crm
        .create_corporate(json!({ "externalId": "cf-a", "managerId": 2, "tags": ["опт"], "discountCardNumber": "D-7" }))
        .await;
    let b = crm
        .create_corporate(json!({ "externalId": "cf-b", "managerId": 1, "tags": [{ "name": "опт", "attached": true }, "vip"] }))
        .await;
    let person = crm
        .create(json!({ "externalId": "cf-person", "email": "Buyer@Example.com" }))
        .await;
    assert!(person > 0);
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/cf-b/contacts/create",
            &[(
                "contact",
                json!({ "customer": { "externalId": "cf-person" } }).to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = crm
        .post(
            "/v5/customers-corporate/notes/create",
            &[(
                "note",
                json!({ "text": "<p>Звонить после обеда</p>", "customer": { "id": a } })
                    .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let list = |query: &'static str| {
        let crm = &crm;
        async move {
            let (status, body) = crm.get("/v5/customers-corporate", query).await;
            assert_eq!(status, 200, "{query}: {body}");
            ids_of(&body, "customersCorporate")
        }
    };
    assert_eq!(list("filter[managers][]=1").await, [b]);
    assert_eq!(list("filter[managerGroups][]=manager").await, [a]);
    assert_eq!(list("filter[managerGroups][]=director").await, [b]);
    assert_eq!(list("filter[discountCardNumber]=D-7").await, [a]);
    assert_eq!(list("filter[tags][]=опт").await, [a, b]);
    assert_eq!(list("filter[tags][]=опт&filter[tags][]=vip").await, [b]);
    assert_eq!(list("filter[attachedTags][]=опт").await, [b]);
    assert_eq!(list("filter[notes]=обеда").await, [a]);
    assert_eq!(list("filter[notes]=ужина").await, Vec::<i64>::new());
    assert_eq!(list("filter[email]=buyer@example").await, [b]);
    assert_eq!(list("filter[email]=nobody@").await, Vec::<i64>::new());
    let bad = crm
        .get("/v5/customers-corporate", "filter[managers][]=two")
        .await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[managers][0]"],
    );
}

#[tokio::test]
async fn add_tags_and_remove_tags_change_the_tags_with_history() {
    let crm = Crm::new().await;
    let id = crm
        .create(json!({ "externalId": "t-1", "tags": ["old", "keep"] }))
        .await;
    let edit = |customer: serde_json::Value| {
        let crm = &crm;
        async move {
            crm.post(
                "/v5/customers/t-1/edit",
                &[("customer", customer.to_string())],
            )
            .await
        }
    };
    let (status, body) =
        edit(json!({ "addTags": ["new tag", "keep"], "removeTags": ["old"] })).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = crm.get("/v5/customers/t-1", "").await;
    let names: Vec<&str> = body["customer"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["keep", "new tag"]);
    let (_, body) = crm
        .get(
            "/v5/customers/history",
            &format!("filter[customerId]={id}&limit=100"),
        )
        .await;
    let last = body["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["field"], "tags", "{last}");
    assert_eq!(last["oldValue"].as_array().unwrap().len(), 2);
    assert_eq!(last["newValue"][1]["name"], "new tag");
    // Not together with `tags`; lowercase, no whitespace at the ends or other than spaces.
    let both = edit(json!({ "tags": ["a"], "addTags": ["b"] })).await;
    assert_error(&both, 400, "Errors in the entity format", &["tags"]);
    let bad = edit(json!({ "addTags": ["Upper", " edge", "ok"], "removeTags": ["tab\tx"] })).await;
    assert_error(
        &bad,
        400,
        "Errors in the entity format",
        &["addTags[0]", "addTags[1]", "removeTags[0]"],
    );
    // Removing a tag the customer has not is no change.
    let (status, _) = edit(json!({ "removeTags": ["absent"] })).await;
    assert_eq!(status, 200);
}
