//! Users, user groups and the responsible manager of a phone.

use serde_json::json;

use super::{assert_error, Crm};

fn user_ids(body: &serde_json::Value) -> Vec<i64> {
    body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn users_are_listed_filtered_and_read() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/users", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(user_ids(&body), [1, 2, 3, 4, 5]);
    assert_eq!(
        body["pagination"],
        json!({ "limit": 20, "totalCount": 5, "currentPage": 1, "totalPageCount": 1 })
    );
    let (_, body) = crm
        .get("/v5/users", "filter[email]=ANNA.smirnova@example.ru")
        .await;
    assert_eq!(user_ids(&body), [2]);
    // Only users online count for a status: Olga (4) is free but offline.
    let (_, body) = crm.get("/v5/users", "filter[status]=free").await;
    assert_eq!(user_ids(&body), [1, 2]);
    let (_, body) = crm.get("/v5/users", "filter[status]=dinner&limit=50").await;
    assert_eq!(user_ids(&body), [5]);
    let bad = crm.get("/v5/users", "filter[status]=sleeping").await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["filter[status]"],
    );
    let long = crm
        .get("/v5/users", &format!("filter[email]={}", "a".repeat(256)))
        .await;
    assert_error(
        &long,
        400,
        "Errors in the input parameters",
        &["filter[email]"],
    );

    let (status, body) = crm.get("/v5/users/2", "").await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["firstName"], "Анна");
    assert_eq!(
        body["user"]["groups"],
        json!([{ "id": 2, "name": "Менеджеры", "code": "manager" }])
    );
    assert_error(&crm.get("/v5/users/99", "").await, 404, "Not found", &[]);
    assert_error(&crm.get("/v5/users/abc", "").await, 404, "Not found", &[]);
    let other = crm.add_key(&["customer_read"], &[]).await;
    assert_error(
        &crm.get_as(&other, "/v5/users", "").await,
        403,
        "Access denied.",
        &[],
    );
}

#[tokio::test]
async fn user_groups_are_listed_in_pages() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/v5/user-groups", "").await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["director", "manager", "courier"]);
    assert_eq!(body["groups"][2]["isDeliveryMen"], true);
    let (_, body) = crm.get("/v5/user-groups", "page=2").await;
    assert_eq!(body["groups"], json!([]));
    assert_eq!(body["pagination"]["currentPage"], 2);
    let bad = crm.get("/v5/user-groups", "page=0").await;
    assert_error(&bad, 400, "Errors in the input parameters", &["page"]);
}

#[tokio::test]
async fn the_responsible_manager_of_a_phone() {
    let crm = Crm::new().await;
    let free = crm
        .create(
            json!({ "externalId": "a", "firstName": "Пётр", "managerId": 2,
                                  "phones": [{ "number": "+7 (900) 111-22-33" }] }),
        )
        .await;
    crm.create(
        json!({ "externalId": "b", "managerId": 3, "phones": [{ "number": "89001112244" }] }),
    )
    .await;
    let manager = "/v5/telephony/manager";

    // Another spelling of the same number finds the customer; Anna is online and free.
    let (status, body) = crm.get(manager, "phone=89001112233&details=1").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["manager"],
        json!({ "id": 2, "firstName": "Анна", "lastName": "Смирнова",
                                        "patronymic": "Олеговна", "email": "anna.smirnova@example.ru" })
    );
    assert_eq!(body["customer"]["id"], free);
    assert_eq!(body["customer"]["firstName"], "Пётр");
    assert_eq!(
        body["links"],
        json!({ "customerLink": format!("/customers/{free}") })
    );

    // Without details: no customer, no links. Sergey is busy: no manager unless ignoreStatus.
    let (_, body) = crm.get(manager, "phone=%2B79001112244&details=0").await;
    assert_eq!(body, json!({ "success": true }));
    let (_, body) = crm
        .get(manager, "phone=%2B79001112244&ignoreStatus=True")
        .await;
    assert_eq!(body["manager"]["id"], 3);

    let (_, body) = crm.get(manager, "phone=0000&details=1").await;
    assert_eq!(
        body,
        json!({ "success": true, "links": {
        "newCustomerLink": "/customers/add?phone=0000", "newOrderLink": "/orders/add?phone=0000" } })
    );
    let bad = crm.get(manager, "details=maybe").await;
    assert_error(
        &bad,
        400,
        "Errors in the input parameters",
        &["details", "phone"],
    );
}
