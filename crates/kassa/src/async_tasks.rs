//! How an async operation runs: its tasks, one after another, on the account's clock.
//! Nothing runs in the background: an operation's state is a function of its creation
//! time and the account's current time, worked out when it is read, and stored once it
//! settles (every task finished, failed or canceled). So tests drive it with the admin
//! clock, and a frozen clock keeps it where it is.
//!
//! Timeline (*inferred*): the first task starts `QUEUED` after creation, each task runs
//! `RUNS`, the next starts when it finishes. A task that fails leaves the remaining ones
//! `CANCELED` and the operation `FAILED` (the seed's rule).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::request::{parse_time, timestamp};

const QUEUED: Duration = Duration::seconds(1);
const RUNS: Duration = Duration::seconds(2);

/// The operation types of the seed.
pub const TYPES: [&str; 11] = [
    "PRODUCT_EXPORT_TO_FILE_OPERATION",
    "PRODUCT_IMPORT_FROM_FILE_OPERATION",
    "PRODUCT_GROUP_IMPORT_FROM_AQSI_OPERATION",
    "PRODUCT_GROUP_IMPORT_FROM_EVOTOR_OPERATION",
    "PRODUCT_GROUP_EXPORT_TO_AQSI_OPERATION",
    "PRODUCT_GROUP_EXPORT_TO_EVOTOR_OPERATION",
    "PRODUCT_MASS_EDITING_OPERATION",
    "PRODUCT_IMPORT_FROM_AQSI_OPERATION",
    "PRODUCT_IMPORT_FROM_EVOTOR_OPERATION",
    "PRODUCT_EXPORT_TO_AQSI_OPERATION",
    "PRODUCT_EXPORT_TO_EVOTOR_OPERATION",
];

/// The task that exports products to a file: its details list them.
pub const EXPORT_TO_FILE: &str = "PRODUCT_EXPORT_TO_FILE_TASK";

/// Why an import from a file fails: the public API has no way to upload one.
pub const NO_FILE: &str = "Файл для импорта не загружен";

/// The message of a task failed on purpose (the account setting `kassa.asyncFailure`).
pub const INJECTED: &str = "Ошибка выполнения задачи";

/// What a task says when it completes (other than the export to a file).
const DONE: &str = "Задача успешно выполнена";

/// The tasks of an operation type (*inferred*): the seed shows
/// `PRODUCT_EXPORT_TO_FILE_OPERATION` → `PRODUCT_EXPORT_TO_FILE_TASK`; every type runs
/// its namesake task, and a group transfer moves the categories, then their products.
pub fn tasks_of(kind: &str) -> Vec<String> {
    let stem = kind.trim_end_matches("_OPERATION");
    let own = format!("{stem}_TASK");
    match stem.strip_prefix("PRODUCT_GROUP_") {
        Some(transfer) => vec![own, format!("PRODUCT_{transfer}_TASK")],
        None => vec![own],
    }
}

/// A new task, waiting.
pub fn new_task(id: String, kind: &str, at: &str) -> Value {
    json!({
        "id": id,
        "createdAt": at,
        "updatedAt": at,
        "startedAt": null,
        "finishedAt": null,
        "status": "CREATED",
        "type": kind,
        "message": "",
        "details": [],
    })
}

/// The operation `stored` as of `now`, and whether it has settled. A stored body that
/// settled is returned as it is. `_failure` (when stored) is the index and message of
/// the task that fails.
pub fn progress(stored: &Value, now: DateTime<Utc>) -> (Value, bool) {
    let mut operation = stored.clone();
    if operation["_settled"] == true {
        return (operation, true);
    }
    let created = stored["createdAt"]
        .as_str()
        .and_then(parse_time)
        .unwrap_or(now);
    let failing = stored["_failure"]["index"].as_u64().map(|i| i as usize);
    let message = stored["_failure"]["message"].as_str().unwrap_or_default();
    let tasks = operation["asyncTasks"]
        .as_array_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut failed_at = None;
    let mut done = 0;
    let mut started = 0;
    let mut updated = created;
    let mut progressed = Vec::with_capacity(tasks.len());
    for (index, mut task) in tasks.into_iter().enumerate() {
        let start = created + QUEUED + RUNS * index as i32;
        let end = start + RUNS;
        if let Some(at) = failed_at {
            set(&mut task, "CANCELED", None, Some(at));
            done += 1;
        } else if now >= end {
            if failing == Some(index) {
                set(&mut task, "FAILED", Some(start), Some(end));
                task["message"] = json!(message);
                failed_at = Some(end);
            } else {
                set(&mut task, "COMPLETED", Some(start), Some(end));
                if task["type"] != EXPORT_TO_FILE {
                    task["details"] = json!([DONE]);
                }
            }
            updated = end;
            done += 1;
            started += 1;
        } else if now >= start {
            set(&mut task, "IN_PROGRESS", Some(start), None);
            updated = start;
            started += 1;
        }
        progressed.push(task);
    }
    let total = progressed.len();
    let status = match () {
        _ if failed_at.is_some() => "FAILED",
        _ if done == total => "COMPLETED",
        _ if started == 0 => "CREATED",
        _ => "IN_PROGRESS",
    };
    operation["asyncTasks"] = Value::Array(progressed);
    operation["status"] = json!(status);
    operation["updatedAt"] = json!(timestamp(updated));
    let settled = done == total;
    if settled {
        operation["_settled"] = json!(true);
    }
    (operation, settled)
}

/// Sets a task's status and times; `updatedAt` is its latest change.
fn set(
    task: &mut Value,
    status: &str,
    started: Option<DateTime<Utc>>,
    finished: Option<DateTime<Utc>>,
) {
    task["status"] = json!(status);
    task["startedAt"] = json!(started.map(timestamp));
    task["finishedAt"] = json!(finished.map(timestamp));
    if let Some(at) = finished.or(started) {
        task["updatedAt"] = json!(timestamp(at));
    }
}
