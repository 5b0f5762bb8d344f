//! Tasks as the vendor's clients drive them: create, get, edit, the list and its filters,
//! the task history polled by `sinceId` with exact records, the documented errors,
//! permissions and isolation.

use serde_json::{json, Value};

use super::{assert_error, ids_of, Crm};

/// 2024-03-01 12:00:00 Moscow time.
const START: &str = "2024-03-01T09:00:00Z";

async fn frozen() -> Crm {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    crm
}

async fn create(crm: &Crm, task: Value) -> (u16, Value) {
    crm.post("/v5/tasks/create", &[("task", task.to_string())])
        .await
}

async fn created(crm: &Crm, task: Value) -> i64 {
    let (status, body) = create(crm, task).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

async fn edit(crm: &Crm, id: i64, task: Value) -> (u16, Value) {
    let path = format!("/v5/tasks/{id}/edit");
    crm.post(&path, &[("task", task.to_string())]).await
}

async fn task(crm: &Crm, id: i64) -> Value {
    let (status, body) = crm.get(&format!("/v5/tasks/{id}"), "").await;
    assert_eq!(status, 200, "{body}");
    body["task"].clone()
}

async fn listed(crm: &Crm, query: &str) -> Vec<i64> {
    let (status, body) = crm.get("/v5/tasks", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    ids_of(&body, "tasks")
}

async fn history(crm: &Crm, query: &str) -> Vec<Value> {
    let (status, body) = crm.get("/v5/tasks/history", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert!(body["generatedAt"].is_string(), "{body}");
    body["history"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_task_is_created_read_edited_and_its_history_has_the_exact_records() {
    let crm = frozen().await;
    let customer = crm
        .create(json!({ "externalId": "t-c", "firstName": "Вера", "phones": [{ "number": "+7 900 111-22-33" }] }))
        .await;
    let id = created(
        &crm,
        json!({ "text": "Перезвонить", "commentary": "после обеда", "datetime": "2024-03-02 10:30",
                "performerId": 2, "customer": { "externalId": "t-c" }, "phone": "+79001112233",
                "phoneSite": "main-shop" }),
    )
    .await;
    let shown = task(&crm, id).await;
    assert_eq!(
        shown,
        json!({ "id": id, "text": "Перезвонить", "commentary": "после обеда",
                "datetime": "2024-03-02 10:30", "createdAt": "2024-03-01 12:00:00",
                "complete": false, "performer": 2, "performerType": "user",
                "customer": { "type": "customer", "id": customer, "externalId": "t-c", "site": "main-shop" },
                "phone": "+79001112233", "phoneSite": "main-shop" })
    );
    crm.clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let (status, body) = edit(
        &crm,
        id,
        json!({ "id": id, "text": "Перезвонить Вере", "complete": true, "commentary": null }),
    )
    .await;
    assert_eq!(
        (status, &body),
        (200, &json!({ "success": true, "id": id }))
    );
    // An edit that changes nothing leaves no record.
    assert_eq!(edit(&crm, id, json!({ "complete": true })).await.0, 200);
    let shown = task(&crm, id).await;
    assert_eq!(shown["complete"], true);
    assert_eq!(shown["completedAt"], "2024-03-01 12:01:00");
    assert!(shown.get("commentary").is_none(), "{shown}");

    let records = history(&crm, "limit=100").await;
    let key = json!({ "id": 1, "current": true });
    let strip = |r: &Value| {
        let mut r = r.clone();
        r.as_object_mut().unwrap().remove("id");
        r
    };
    let full = json!({ "id": id, "text": "Перезвонить", "commentary": "после обеда",
        "datetime": "2024-03-02 10:30", "createdAt": "2024-03-01 12:00:00", "complete": false,
        "performer": 2, "performerType": "user",
        "customer": { "type": "customer", "id": customer, "externalId": "t-c", "site": "main-shop" },
        "phone": "+79001112233", "phoneSite": "main-shop" });
    let changed = |field: &str, old: Value, new: Value| {
        json!({ "createdAt": "2024-03-01 12:01:00", "source": "api", "apiKey": key,
                "field": field, "oldValue": old, "newValue": new, "task": { "id": id } })
    };
    assert_eq!(
        records.iter().map(strip).collect::<Vec<_>>(),
        vec![
            json!({ "createdAt": "2024-03-01 12:00:00", "created": true, "source": "api",
                    "apiKey": key, "field": "id", "oldValue": null, "newValue": id, "task": full }),
            changed("commentary", json!("после обеда"), Value::Null),
            changed("complete", json!(false), json!(true)),
            changed("completed_at", Value::Null, json!("2024-03-01 12:01:00")),
            changed("text", json!("Перезвонить"), json!("Перезвонить Вере")),
        ]
    );
    // A poller by sinceId sees each record once; taskId narrows to one task.
    let first = records[0]["id"].as_i64().unwrap();
    let after = history(&crm, &format!("filter[sinceId]={first}")).await;
    assert_eq!(after.len(), 4);
    let other = created(&crm, json!({ "text": "Другая", "performerId": 3 })).await;
    let of_other = history(&crm, &format!("filter[taskId]={other}")).await;
    assert_eq!(of_other.len(), 1);
    assert_eq!(of_other[0]["task"]["id"], other);
    assert_error(
        &crm.get("/v5/tasks/history", "filter[sinceId]=abc").await,
        400,
        "Errors in the input parameters",
        &["filter[sinceId]"],
    );
}

#[tokio::test]
async fn create_and_edit_refuse_what_the_seed_refuses() {
    let crm = frozen().await;
    assert_error(
        &crm.post("/v5/tasks/create", &[]).await,
        400,
        "Parameter 'task' is missing",
        &[],
    );
    let entity = "Errors in the entity format";
    assert_error(
        &create(&crm, json!({})).await,
        400,
        entity,
        &["performerId", "text"],
    );
    // The date must be in the future, in `Y-m-d H:i`.
    let past = json!({ "text": "x", "performerId": 2, "datetime": "2024-03-01 11:59" });
    let answer = create(&crm, past).await;
    assert_error(&answer, 400, entity, &["datetime"]);
    assert_eq!(
        answer.1["errors"]["datetime"],
        "The date must be in the future."
    );
    let bad = json!({ "text": "x", "performerId": 2, "datetime": "2024-03-05" });
    assert_error(&create(&crm, bad).await, 400, entity, &["datetime"]);
    // The performer is a user, or a group with performerType.
    let answer = create(&crm, json!({ "text": "x", "performerId": 99 })).await;
    assert_error(&answer, 400, entity, &["performerId"]);
    assert_eq!(answer.1["errors"]["performerId"], "User not found.");
    let group = created(
        &crm,
        json!({ "text": "всем", "performerId": 2, "performerType": "group" }),
    )
    .await;
    assert_eq!(task(&crm, group).await["performerType"], "group");
    let answer = create(
        &crm,
        json!({ "text": "x", "performerId": 9, "performerType": "group" }),
    )
    .await;
    assert_eq!(answer.1["errors"]["performerId"], "Group not found.");
    // A link needs something to find by; one not found is no link.
    let answer = create(
        &crm,
        json!({ "text": "x", "performerId": 2, "customer": {} }),
    )
    .await;
    assert_error(&answer, 400, entity, &["customer"]);
    let lost = created(
        &crm,
        json!({ "text": "x", "performerId": 2, "customer": { "id": 424242 }, "order": { "number": "nope" } }),
    )
    .await;
    let shown = task(&crm, lost).await;
    assert!(
        shown.get("customer").is_none() && shown.get("order").is_none(),
        "{shown}"
    );
    // phoneSite names a site of the account.
    let answer = create(
        &crm,
        json!({ "text": "x", "performerId": 2, "phoneSite": "nowhere" }),
    )
    .await;
    assert_error(&answer, 400, "Site with code \"nowhere\" not found", &[]);
    // Edit: a missing task is 404; an overdue task needs a new date or completion.
    assert_error(
        &edit(&crm, 999_999, json!({ "text": "y" })).await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &crm.get("/v5/tasks/999999", "").await,
        404,
        "Not found",
        &[],
    );
    let due = created(
        &crm,
        json!({ "text": "срок", "performerId": 2, "datetime": "2024-03-01 13:00" }),
    )
    .await;
    crm.clock(json!({ "action": "advance", "seconds": 7200 }))
        .await;
    let answer = edit(&crm, due, json!({ "text": "срок!" })).await;
    assert_error(&answer, 400, entity, &["datetime"]);
    let later = json!({ "text": "срок!", "datetime": "2024-03-02 09:00" });
    assert_eq!(edit(&crm, due, later).await.0, 200);
    let shown = task(&crm, due).await;
    assert_eq!(
        (shown["text"].clone(), shown["datetime"].clone()),
        (json!("срок!"), json!("2024-03-02 09:00"))
    );
    assert_error(
        &edit(&crm, due, json!({ "complete": "maybe" })).await,
        400,
        entity,
        &["complete"],
    );
}

#[tokio::test]
async fn an_order_link_brings_its_customer_and_the_list_filters_as_documented() {
    let crm = frozen().await;
    let customer = crm
        .create(
            json!({ "firstName": "Глеб", "lastName": "Орлов", "email": "gleb@example.com",
                        "phones": [{ "number": "+7 901 000-00-01" }] }),
        )
        .await;
    let order = crm
        .create_order(
            json!({ "externalId": "t-o", "number": "T-1", "customer": { "id": customer } }),
        )
        .await;
    let order_id = order["id"].as_i64().unwrap();
    let a = created(
        &crm,
        json!({ "text": "Уточнить доставку", "performerId": 2, "order": { "externalId": "t-o" },
                "datetime": "2024-03-03 10:00" }),
    )
    .await;
    let shown = task(&crm, a).await;
    assert_eq!(
        shown["order"],
        json!({ "id": order_id, "number": "T-1", "externalId": "t-o", "site": "main-shop" })
    );
    assert_eq!(shown["customer"]["id"], customer);
    let b = created(
        &crm,
        json!({ "text": "Отчёт", "performerId": 3, "datetime": "2024-03-10 10:00" }),
    )
    .await;
    let c = created(
        &crm,
        json!({ "text": "Позвонить", "performerId": 3, "complete": true }),
    )
    .await;

    assert_eq!(listed(&crm, "").await, vec![a, b, c]);
    assert_eq!(
        listed(&crm, &format!("filter[ids][]={a}&filter[ids][]={c}")).await,
        vec![a, c]
    );
    let none = Vec::new();
    for (query, expected) in [
        ("filter[performers][]=3", vec![b, c]),
        ("filter[status]=completed", vec![c]),
        ("filter[status]=performing", vec![a, b]),
        ("filter[customer]=орлов", vec![a]),
        ("filter[customer]=gleb@example", vec![a]),
        ("filter[customer]=79010000001", vec![a]),
        ("filter[orderNumber]=T-1", vec![a]),
        ("filter[text]=ОТЧЁТ", vec![b]),
        ("filter[dateFrom]=2024-03-04", vec![b]),
        ("filter[dateTo]=2024-03-03", vec![a]),
        ("filter[completedAtFrom]=2024-03-01", vec![c]),
        ("filter[createdAtTo]=2024-02-29", none.clone()),
        ("filter[creators][]=1", none.clone()),
    ] {
        assert_eq!(listed(&crm, query).await, expected, "{query}");
    }
    let (status, body) = crm.get("/v5/tasks", "limit=20&page=2").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["pagination"],
        json!({ "limit": 20, "totalCount": 3, "currentPage": 2, "totalPageCount": 1 })
    );
    for (query, field) in [
        ("filter[status]=done", "filter[status]"),
        ("limit=7", "limit"),
        ("filter[dateFrom]=soon", "filter[dateFrom]"),
        ("filter[performers][]=x", "filter[performers][0]"),
    ] {
        let answer = crm.get("/v5/tasks", query).await;
        assert_error(&answer, 400, "Errors in the input parameters", &[field]);
    }
}

#[tokio::test]
async fn permissions_and_isolation() {
    let crm = frozen().await;
    let id = created(&crm, json!({ "text": "своё", "performerId": 2 })).await;
    let reader = crm.add_key(&["task_read"], &[]).await;
    assert_eq!(crm.get_as(&reader, "/v5/tasks", "").await.0, 200);
    let form = [("task", json!({ "text": "x", "performerId": 2 }).to_string())];
    assert_error(
        &crm.post_as(&reader, "/v5/tasks/create", &form).await,
        403,
        "Access denied.",
        &[],
    );
    let path = format!("/v5/tasks/{id}/edit");
    assert_error(
        &crm.post_as(&reader, &path, &form).await,
        403,
        "Access denied.",
        &[],
    );
    let writer = crm.add_key(&["task_write"], &[]).await;
    for path in ["/v5/tasks", "/v5/tasks/history", &format!("/v5/tasks/{id}")] {
        assert_error(
            &crm.get_as(&writer, path, "").await,
            403,
            "Access denied.",
            &[],
        );
    }
    // Another account's key sees none of it and changes nothing.
    let other = Crm::new().await;
    assert_eq!(listed(&other, "").await, Vec::<i64>::new());
    assert_eq!(history(&other, "").await, Vec::<Value>::new());
    assert_error(
        &other.get(&format!("/v5/tasks/{id}"), "").await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &edit(&other, id, json!({ "text": "чужое" })).await,
        404,
        "Not found",
        &[],
    );
    assert_eq!(task(&crm, id).await["text"], "своё");
}

#[tokio::test]
async fn a_key_limited_to_a_site_sees_tasks_about_nothing_or_about_its_site() {
    let crm = frozen().await;
    let customer = crm
        .create(json!({ "externalId": "t-s", "firstName": "Ирина" }))
        .await;
    let about = created(
        &crm,
        json!({ "text": "о клиенте", "performerId": 2, "customer": { "id": customer } }),
    )
    .await;
    let free = created(&crm, json!({ "text": "просто", "performerId": 2 })).await;
    // A key's sites exist once it is used (Twin makes them).
    let limited = crm.add_key(&[], &["other-shop"]).await;
    let (status, body) = crm.get_as(&limited, "/v5/tasks", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids_of(&body, "tasks"), vec![free]);
    let (status, _) = crm
        .get_as(&limited, &format!("/v5/tasks/{about}"), "")
        .await;
    assert_eq!(status, 403);
    let (status, _) = crm.get_as(&limited, &format!("/v5/tasks/{free}"), "").await;
    assert_eq!(status, 200);
}
