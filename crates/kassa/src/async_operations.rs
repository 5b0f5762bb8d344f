//! Async operations (seed "Список асинхронных операций", "Создание асинхронной операции",
//! "Просмотр асинхронной операции"), on `/v1/async-operations`: batches of tasks over the
//! nomenclature, which run on the account's clock (see `async_tasks`).
//!
//! Failures: an import from a file always fails (the API cannot upload one), and the
//! account setting `kassa.asyncFailure` (a task type, or a list of them) makes those
//! tasks fail. *Inferred.*

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use twin_core::entities::EntityWrite;
use twin_core::CoreError;
use twin_store::{Document, ListQuery, PageRequest};

use crate::async_tasks::{new_task, progress, tasks_of, EXPORT_TO_FILE, INJECTED, NO_FILE, TYPES};
use crate::crud;
use crate::error::KassaResult;
use crate::fields::Fields;
use crate::pages::{self, PageParams};
use crate::products::PRODUCT;
use crate::render::public;
use crate::request::{timestamp, Ctx, KassaRequest, Problems};
use crate::DIALECT;

/// The stored kind of async operations.
pub const ASYNC_OPERATION: &str = "async_operation";

/// Products read per page when exporting them.
const EXPORT_PAGE: u32 = 500;

/// `GET /v1/async-operations`: the account's operations as they stand now.
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let params = PageParams::read(request, &mut problems);
    problems.into_result()?;
    let query = ListQuery::new(ctx.scope.clone(), ASYNC_OPERATION);
    let (docs, next) = pages::fetch(ctx, query, &params).await?;
    let mut items = Vec::with_capacity(docs.len());
    for doc in docs {
        items.push(public(current(ctx, doc).await?));
    }
    Ok(crud::answer(StatusCode::OK, pages::body(items, next)))
}

/// `POST /v1/async-operations`: 200 with the operation and its tasks, all `CREATED`.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let body = request.json()?;
    let mut problems = Problems::default();
    let kind = Fields::new(&body).choice(&mut problems, "type", &TYPES, true);
    problems.into_result()?;
    let kind = kind.unwrap_or_default();
    let id = ctx.new_id().await?;
    let at = timestamp(ctx.now);
    let kinds = tasks_of(&kind);
    let mut tasks = Vec::with_capacity(kinds.len());
    for task in &kinds {
        tasks.push(new_task(ctx.new_id().await?, task, &at));
    }
    let operation = json!({
        "id": id,
        "createdAt": at,
        "updatedAt": at,
        "status": "CREATED",
        "type": kind,
        "asyncTasks": tasks,
        "_failure": failure(ctx, &kinds),
    });
    let stored = crud::create(ctx, ASYNC_OPERATION, &id, operation).await?;
    let answer = current(ctx, stored).await?;
    Ok(crud::answer(StatusCode::OK, answer))
}

/// `GET /v1/async-operations/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, ASYNC_OPERATION, request).await?;
    let answer = current(ctx, stored).await?;
    Ok(crud::answer(StatusCode::OK, answer))
}

/// Which task fails, and why: `{"index", "message"}`, or `null`.
fn failure(ctx: &Ctx, kinds: &[String]) -> Value {
    let injected: Vec<&str> = match ctx.account.setting(DIALECT, "asyncFailure") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    kinds
        .iter()
        .enumerate()
        .find_map(|(index, kind)| {
            if injected.contains(&kind.as_str()) {
                Some(json!({ "index": index, "message": INJECTED }))
            } else if kind == "PRODUCT_IMPORT_FROM_FILE_TASK" {
                Some(json!({ "index": index, "message": NO_FILE }))
            } else {
                None
            }
        })
        .unwrap_or(Value::Null)
}

/// The operation as of the account's clock; stored when it has just settled.
async fn current(ctx: &Ctx, doc: Document) -> KassaResult<Value> {
    let (mut operation, settled) = progress(&doc.body, ctx.now);
    if settled && doc.body["_settled"] == true {
        return Ok(operation);
    }
    for task in operation["asyncTasks"].as_array_mut().into_iter().flatten() {
        if task["type"] == EXPORT_TO_FILE && task["status"] == "COMPLETED" {
            task["details"] = json!(export(ctx).await?);
        }
    }
    if settled {
        let mut settle = Document::new(doc.key, operation.clone());
        settle.version = doc.version;
        match ctx
            .core
            .entities
            .update(EntityWrite::new(settle, ctx.now))
            .await
        {
            // Another read settled it at the same moment, the same way.
            Ok(_) | Err(CoreError::Conflict(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(operation)
}

/// The export's details: how many products, then one line per product
/// (`code;name;article;price`), in the order they were created.
async fn export(ctx: &Ctx) -> KassaResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    loop {
        let mut query = ListQuery::new(ctx.scope.clone(), PRODUCT).page(PageRequest::Offset {
            offset,
            limit: EXPORT_PAGE,
        });
        query.count_total = false;
        let page = ctx.core.entities.list(&query).await?.items;
        let full = page.len() == EXPORT_PAGE as usize;
        for doc in page {
            let product = &doc.body;
            lines.push(format!(
                "{};{};{};{}",
                product["code"],
                product["name"].as_str().unwrap_or_default(),
                product["article"].as_str().unwrap_or_default(),
                product["price"],
            ));
        }
        if !full {
            break;
        }
        offset += u64::from(EXPORT_PAGE);
    }
    let mut details = vec![format!("Выгружено позиций номенклатуры: {}", lines.len())];
    details.extend(lines);
    Ok(details)
}
