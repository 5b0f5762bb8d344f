//! Async operations: created with their tasks, then run on the account's clock (driven
//! here with the admin clock): CREATED → IN_PROGRESS → COMPLETED task after task; a
//! failing task fails the operation and cancels the tasks after it. The export lists the
//! account's products.

use serde_json::{json, Value};

use super::fixtures::id_of;
use super::{assert_error, assert_invalid, ids, Kassa};

const START: &str = "2024-01-01T09:00:00Z";

/// A fresh account with its clock frozen at `START` (12:00 Moscow time).
async fn frozen() -> Kassa {
    let kassa = Kassa::new().await;
    kassa
        .clock(json!({ "action": "freeze", "at": START }))
        .await;
    kassa
}

async fn create(kassa: &Kassa, kind: &str) -> Value {
    let (status, body) = kassa
        .post("/async-operations", json!({ "type": kind }))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The operation after moving the clock on by `seconds`.
async fn after(kassa: &Kassa, id: &str, seconds: i64) -> Value {
    kassa
        .clock(json!({ "action": "advance", "seconds": seconds }))
        .await;
    let (status, body) = kassa.get(&format!("/async-operations/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The statuses of the operation and of its tasks.
fn statuses(operation: &Value) -> (String, Vec<String>) {
    let tasks = operation["asyncTasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["status"].as_str().unwrap().to_owned())
        .collect();
    (operation["status"].as_str().unwrap().to_owned(), tasks)
}

fn expect(operation: &Value, status: &str, tasks: &[&str]) {
    let tasks: Vec<String> = tasks.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        statuses(operation),
        (status.to_owned(), tasks),
        "{operation}"
    );
}

#[tokio::test]
async fn export_runs_on_the_clock_and_lists_the_products() {
    let kassa = frozen().await;
    let (_, category) = kassa
        .post("/product-categories", json!({ "name": "Одежда" }))
        .await;
    for (name, article, price) in [
        ("Футболка", json!("12345678"), 100.0),
        ("Носки", Value::Null, 99.9),
    ] {
        let (status, body) = kassa
            .post(
                "/products",
                json!({ "name": name, "categoryId": category["id"], "type": "PRODUCT",
                        "article": article, "price": price, "uom": 1, "paymentObject": 0 }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let created = create(&kassa, "PRODUCT_EXPORT_TO_FILE_OPERATION").await;
    let id = id_of(&created);
    let task = created["asyncTasks"][0]["id"].clone();
    let at = "2024-01-01T12:00:00+03:00";
    assert_eq!(
        created,
        json!({
            "id": id, "createdAt": at, "updatedAt": at, "status": "CREATED",
            "type": "PRODUCT_EXPORT_TO_FILE_OPERATION",
            "asyncTasks": [{
                "id": task, "createdAt": at, "updatedAt": at, "startedAt": null, "finishedAt": null,
                "status": "CREATED", "type": "PRODUCT_EXPORT_TO_FILE_TASK", "message": "", "details": []
            }]
        })
    );
    let running = after(&kassa, &id, 1).await;
    expect(&running, "IN_PROGRESS", &["IN_PROGRESS"]);
    let started = "2024-01-01T12:00:01+03:00";
    assert_eq!(running["updatedAt"], started);
    assert_eq!(running["asyncTasks"][0]["startedAt"], started);
    assert_eq!(running["asyncTasks"][0]["updatedAt"], started);
    assert_eq!(running["asyncTasks"][0]["finishedAt"], Value::Null);
    let still = after(&kassa, &id, 1).await;
    expect(&still, "IN_PROGRESS", &["IN_PROGRESS"]);

    let done = after(&kassa, &id, 1).await;
    let finished = "2024-01-01T12:00:03+03:00";
    assert_eq!(
        done,
        json!({
            "id": id, "createdAt": at, "updatedAt": finished, "status": "COMPLETED",
            "type": "PRODUCT_EXPORT_TO_FILE_OPERATION",
            "asyncTasks": [{
                "id": task, "createdAt": at, "updatedAt": finished, "startedAt": started,
                "finishedAt": finished, "status": "COMPLETED", "type": "PRODUCT_EXPORT_TO_FILE_TASK",
                "message": "",
                "details": ["Выгружено позиций номенклатуры: 2", "1;Футболка;12345678;100", "2;Носки;;99.9"]
            }]
        })
    );
    // Settled: later products and time change nothing.
    kassa
        .post(
            "/products",
            json!({ "name": "Шарф", "categoryId": category["id"], "type": "PRODUCT",
                    "price": 5, "uom": 1, "paymentObject": 0 }),
        )
        .await;
    assert_eq!(after(&kassa, &id, 3600).await, done);
    let (status, list) = kassa.get("/async-operations").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"], json!([done]));
    assert_eq!(list["nextCursor"], Value::Null);
}

#[tokio::test]
async fn tasks_run_one_after_another() {
    let kassa = frozen().await;
    let created = create(&kassa, "PRODUCT_GROUP_IMPORT_FROM_EVOTOR_OPERATION").await;
    let id = id_of(&created);
    let types: Vec<&str> = created["asyncTasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "PRODUCT_GROUP_IMPORT_FROM_EVOTOR_TASK",
            "PRODUCT_IMPORT_FROM_EVOTOR_TASK"
        ]
    );
    expect(&created, "CREATED", &["CREATED", "CREATED"]);
    expect(
        &after(&kassa, &id, 1).await,
        "IN_PROGRESS",
        &["IN_PROGRESS", "CREATED"],
    );
    let second = after(&kassa, &id, 2).await;
    expect(&second, "IN_PROGRESS", &["COMPLETED", "IN_PROGRESS"]);
    assert_eq!(
        second["asyncTasks"][0]["details"],
        json!(["Задача успешно выполнена"])
    );
    assert_eq!(
        second["asyncTasks"][1]["startedAt"],
        "2024-01-01T12:00:03+03:00"
    );
    let done = after(&kassa, &id, 2).await;
    expect(&done, "COMPLETED", &["COMPLETED", "COMPLETED"]);
    assert_eq!(done["updatedAt"], "2024-01-01T12:00:05+03:00");
    assert_eq!(
        done["asyncTasks"][1]["finishedAt"],
        "2024-01-01T12:00:05+03:00"
    );
}

#[tokio::test]
async fn a_failed_task_fails_the_operation_and_cancels_the_rest() {
    let kassa = frozen().await;
    kassa
        .settings(json!({ "asyncFailure": "PRODUCT_GROUP_EXPORT_TO_AQSI_TASK" }))
        .await;
    let created = create(&kassa, "PRODUCT_GROUP_EXPORT_TO_AQSI_OPERATION").await;
    let id = id_of(&created);
    expect(
        &after(&kassa, &id, 1).await,
        "IN_PROGRESS",
        &["IN_PROGRESS", "CREATED"],
    );
    let failed = after(&kassa, &id, 2).await;
    expect(&failed, "FAILED", &["FAILED", "CANCELED"]);
    let (first, rest) = (&failed["asyncTasks"][0], &failed["asyncTasks"][1]);
    assert_eq!(first["message"], "Ошибка выполнения задачи");
    assert_eq!(first["finishedAt"], "2024-01-01T12:00:03+03:00");
    assert_eq!(rest["startedAt"], Value::Null);
    assert_eq!(rest["finishedAt"], "2024-01-01T12:00:03+03:00");
    assert_eq!(failed["updatedAt"], "2024-01-01T12:00:03+03:00");
    assert_eq!(after(&kassa, &id, 60).await, failed);

    // A later task failing leaves the earlier ones done.
    kassa
        .settings(json!({ "asyncFailure": ["PRODUCT_EXPORT_TO_EVOTOR_TASK"] }))
        .await;
    let created = create(&kassa, "PRODUCT_GROUP_EXPORT_TO_EVOTOR_OPERATION").await;
    let id = id_of(&created);
    expect(
        &after(&kassa, &id, 5).await,
        "FAILED",
        &["COMPLETED", "FAILED"],
    );

    // An import from a file fails: the API cannot upload the file.
    kassa.settings(json!({ "asyncFailure": null })).await;
    let created = create(&kassa, "PRODUCT_IMPORT_FROM_FILE_OPERATION").await;
    let id = id_of(&created);
    let failed = after(&kassa, &id, 3).await;
    expect(&failed, "FAILED", &["FAILED"]);
    assert_eq!(
        failed["asyncTasks"][0]["message"],
        "Файл для импорта не загружен"
    );
}

#[tokio::test]
async fn async_operation_problems_pages_and_isolation() {
    let kassa = frozen().await;
    let (status, body) = kassa.post("/async-operations", json!({})).await;
    assert_invalid((status, &body), &["type: This value should not be blank."]);
    let (status, body) = kassa
        .post(
            "/async-operations",
            json!({ "type": "PRODUCT_EXPORT_TO_FILE_TASK" }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &["type: The value you selected is not a valid choice."],
    );
    let mut created = Vec::new();
    for kind in [
        "PRODUCT_MASS_EDITING_OPERATION",
        "PRODUCT_IMPORT_FROM_AQSI_OPERATION",
        "PRODUCT_EXPORT_TO_AQSI_OPERATION",
    ] {
        let operation = create(&kassa, kind).await;
        assert_eq!(
            operation["asyncTasks"][0]["type"],
            kind.replace("_OPERATION", "_TASK")
        );
        created.push(id_of(&operation));
    }
    let (status, page) = kassa.get("/async-operations?limit=2").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(ids(&page), created[..2].to_vec());
    assert_eq!(page["nextCursor"], json!(created[2]));
    let (status, body) = kassa.get("/async-operations?limit=51").await;
    assert_invalid(
        (status, &body),
        &["limit: This value should be between 1 and 50."],
    );

    let other = Kassa::new().await;
    let (status, body) = other
        .get(&format!("/async-operations/{}", created[0]))
        .await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let (_, list) = other.get("/async-operations").await;
    assert_eq!(ids(&list), Vec::<String>::new());
    let (status, body) = kassa.get("/async-operations/42").await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
}
