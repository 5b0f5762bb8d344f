//! `store/product-groups`: list, create, edit.

use serde_json::{json, Value};

use super::super::{assert_error, ids_of, Crm};

const CREATE: &str = "/v5/store/product-groups/create";
const LIST: &str = "/v5/store/product-groups";
const ENTITY: &str = "Errors in the entity format";

async fn create(crm: &Crm, group: Value) -> (u16, Value) {
    crm.post(CREATE, &[("productGroup", group.to_string())])
        .await
}

async fn edit(crm: &Crm, reference: &str, form: &[(&str, String)]) -> (u16, Value) {
    let path = format!("/v5/store/product-groups/{reference}/edit");
    crm.post(&path, form).await
}

async fn listed(crm: &Crm, query: &str) -> Vec<i64> {
    let body = super::listed(crm, LIST, query).await;
    ids_of(&body, "productGroup")
}

#[tokio::test]
async fn groups_are_created_with_parents_listed_and_edited() {
    let crm = Crm::new().await;
    let root = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Кухня", "externalId": "kitchen" }),
    )
    .await;
    let child = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Чайники", "externalId": "kettles",
                "parentExternalId": "kitchen", "description": "Электрические" }),
    )
    .await;
    let off = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Архив", "active": false, "parentId": root }),
    )
    .await;
    let body = super::listed(&crm, LIST, "").await;
    assert_eq!(
        body["productGroup"][1],
        json!({ "id": child, "site": "main-shop", "name": "Чайники", "externalId": "kettles",
                "parentId": root, "description": "Электрические", "active": true }),
        "{body}"
    );
    assert_eq!(body["pagination"]["totalCount"], 3, "{body}");
    assert_eq!(listed(&crm, "filter[active]=1").await, vec![root, child]);
    assert_eq!(listed(&crm, "filter[active]=0").await, vec![off]);
    assert_eq!(
        listed(&crm, &format!("filter[parentGroupId]={root}")).await,
        vec![child, off]
    );
    assert_eq!(listed(&crm, "filter[name]=чАЙ").await, vec![child]);
    assert_eq!(listed(&crm, "filter[externalId]=kitchen").await, vec![root]);
    assert_eq!(
        listed(&crm, &format!("filter[ids][]={off}&filter[ids][]={root}")).await,
        vec![root, off]
    );
    assert_eq!(
        listed(&crm, "filter[sites][]=main-shop&limit=20&page=2").await,
        Vec::<i64>::new()
    );

    // By external id (the default) within the site, then by id.
    let renamed = json!({ "name": "Электрочайники" }).to_string();
    let (status, body) = edit(
        &crm,
        "kettles",
        &[("productGroup", renamed), ("site", "main-shop".into())],
    )
    .await;
    assert_eq!((status, &body["id"]), (200, &json!(child)), "{body}");
    let moved = json!({ "parentId": null, "active": false }).to_string();
    let (status, _) = edit(
        &crm,
        &child.to_string(),
        &[("productGroup", moved), ("by", "id".into())],
    )
    .await;
    assert_eq!(status, 200);
    let body = super::listed(&crm, LIST, &format!("filter[ids][]={child}")).await;
    assert_eq!(body["productGroup"][0]["name"], "Электрочайники", "{body}");
    assert!(
        body["productGroup"][0].get("parentId").is_none(),
        "a root now: {body}"
    );
    assert_eq!(body["productGroup"][0]["active"], false, "{body}");
}

#[tokio::test]
async fn group_errors_are_the_vendors() {
    let crm = Crm::new().await;
    let root = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Root", "externalId": "root" }),
    )
    .await;
    let child = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Child", "parentId": root }),
    )
    .await;
    assert_error(
        &create(&crm, json!({ "name": "No site" })).await,
        400,
        ENTITY,
        &["site"],
    );
    assert_error(
        &create(&crm, json!({ "site": "nowhere", "name": "X" })).await,
        400,
        "Site with code \"nowhere\" not found",
        &[],
    );
    assert_error(
        &create(&crm, json!({ "site": "main-shop" })).await,
        400,
        ENTITY,
        &["name"],
    );
    assert_error(
        &create(
            &crm,
            json!({ "site": "main-shop", "name": "X", "parentId": 999 }),
        )
        .await,
        400,
        ENTITY,
        &["parentId"],
    );
    assert_error(
        &create(
            &crm,
            json!({ "site": "main-shop", "name": "X", "parentExternalId": "none" }),
        )
        .await,
        400,
        ENTITY,
        &["parentExternalId"],
    );
    assert_error(
        &create(
            &crm,
            json!({ "site": "main-shop", "name": "Again", "externalId": "root" }),
        )
        .await,
        400,
        ENTITY,
        &["externalId"],
    );
    // A group cannot go below itself.
    let cycle = json!({ "parentId": child }).to_string();
    assert_error(
        &edit(
            &crm,
            "root",
            &[("productGroup", cycle), ("site", "main-shop".into())],
        )
        .await,
        400,
        ENTITY,
        &["parentId"],
    );
    let name = json!({ "name": "Y" }).to_string();
    assert_error(
        &edit(&crm, "missing", &[("productGroup", name.clone())]).await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &edit(&crm, "1", &[("productGroup", name), ("by", "code".into())]).await,
        400,
        "Errors in the input parameters",
        &["by"],
    );
    assert_error(
        &crm.get(LIST, "limit=7").await,
        400,
        "Errors in the input parameters",
        &["limit"],
    );
    assert_error(
        &crm.get(LIST, "filter[active]=maybe&filter[ids][]=x").await,
        400,
        "Errors in the input parameters",
        &["filter[active]", "filter[ids][0]"],
    );
}

#[tokio::test]
async fn groups_need_the_store_permissions_and_stay_in_their_account_and_sites() {
    let crm = Crm::new().await;
    let group = super::add_group(
        &crm,
        json!({ "site": "main-shop", "name": "Mine", "externalId": "mine" }),
    )
    .await;
    let reader = crm.add_key(&["store_read"], &[]).await;
    let (status, _) = crm.get_as(&reader, LIST, "").await;
    assert_eq!(status, 200);
    let denied = crm
        .post_as(
            &reader,
            CREATE,
            &[(
                "productGroup",
                json!({ "site": "main-shop", "name": "X" }).to_string(),
            )],
        )
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let writer = crm.add_key(&["store_write"], &[]).await;
    assert_error(
        &crm.get_as(&writer, LIST, "").await,
        403,
        "Access denied.",
        &[],
    );

    // A key limited to another site sees none of this site's groups.
    let other_site = crm.add_key(&[], &["other-shop"]).await;
    let (_, body) = crm.get_as(&other_site, LIST, "").await;
    assert_eq!(ids_of(&body, "productGroup"), Vec::<i64>::new(), "{body}");
    let name = json!({ "name": "Theirs" }).to_string();
    let path = format!("/v5/store/product-groups/{group}/edit");
    let (status, body) = crm
        .post_as(
            &other_site,
            &path,
            &[("productGroup", name.clone()), ("by", "id".into())],
        )
        .await;
    assert_eq!(status, 403, "{body}");

    let stranger = Crm::new().await;
    assert_eq!(listed(&stranger, "").await, Vec::<i64>::new());
    let (status, _) = stranger
        .post(&path, &[("productGroup", name), ("by", "id".into())])
        .await;
    assert_eq!(status, 404);
    assert_eq!(listed(&crm, "").await, vec![group]);
}
