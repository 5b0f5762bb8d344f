//! Operations of a cash register: created through the API as `DRAFT`, run by the
//! simulated device (`crate::device`) to `COMPLETE` or `FAIL`. This module answers the
//! list, get, retry and cash-movement edit; `create` validates and queues new ones.
//!
//! A stored operation is the public object plus Twin's bookkeeping: `_plan` (what the
//! device will do, amounts in kopecks), `_orderId` and `_positionIds` (for the `orderId`
//! filter and for returns), `_claimedAt` (when a worker took it).

mod create;
mod details;
mod receipt;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter, ListQuery};

use crate::crud;
use crate::device::queue;
use crate::error::{texts, KassaError, KassaResult};
use crate::fields::Fields;
use crate::pages;
use crate::references;
use crate::request::{timestamp, Ctx, KassaRequest, Problems};
use crate::seed::{CASH_MOVEMENT_CATEGORY, OPERATION_TYPES};
use crate::writes::Changes;

pub use create::create;

/// The stored kind of operations.
pub const KIND: &str = "operation";

pub const STATUSES: [&str; 4] = ["DRAFT", "IN_PROGRESS", "COMPLETE", "FAIL"];

/// At most this many ids in `operationIds[]`.
const MAX_IDS: usize = 50;

/// `GET /v1/operations`: filters `status`, `operationType`, `cashboxId`, `createdById`,
/// `orderId`, `cashMovementCategoryId`, `createdAtFrom`/`createdAtTo` and `operationIds[]`.
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut filters = Vec::new();
    if let Some(status) = problems.choice(request, "status", &STATUSES) {
        filters.push(Filter::eq("status", status));
    }
    if let Some(kind) = problems.choice(request, "operationType", &OPERATION_TYPES) {
        filters.push(Filter::eq("operationType", kind));
    }
    for (name, path) in [
        ("cashboxId", "cashboxId"),
        ("createdById", "createdById"),
        ("orderId", "_orderId"),
        ("cashMovementCategoryId", "details.cashMovementCategoryId"),
    ] {
        if let Some(id) = problems.uuid(request, name) {
            filters.push(Filter::eq(path, id));
        }
    }
    // `createdAt` is stored in one offset, so its text sorts as the time does.
    for (name, op) in [("createdAtFrom", CmpOp::Ge), ("createdAtTo", CmpOp::Le)] {
        if let Some(at) = problems.time(request, name) {
            filters.push(Filter::cmp("createdAt", op, timestamp(at)));
        }
    }
    let ids = request.query_list("operationIds");
    if !ids.is_empty() {
        if ids.len() > MAX_IDS {
            problems.add(
                "operationIds",
                "This collection should contain 50 elements or less.",
            );
        }
        for (index, id) in ids.iter().enumerate() {
            if uuid::Uuid::parse_str(id).is_err() {
                problems.add(&format!("operationIds[{index}]"), texts::UUID);
            }
        }
        filters.push(Filter::IdIn(
            ids.iter().map(|id| (*id).to_owned()).collect(),
        ));
    }
    let mut query = ListQuery::new(ctx.scope.clone(), KIND);
    if !filters.is_empty() {
        query = query.filter(Filter::And(filters));
    }
    pages::list(ctx, request, query, problems).await
}

/// `GET /v1/operations/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = crud::stored(ctx, KIND, request).await?;
    Ok(crud::answer(StatusCode::OK, doc.body))
}

/// `POST /v1/operations/{id}/retry`: only a `FAIL` operation; it goes back to `DRAFT`
/// with no message and waits for its cash register again, behind the ones queued.
pub async fn retry(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = crud::stored(ctx, KIND, request).await?;
    if doc.body["status"] != "FAIL" {
        return Err(KassaError::field(
            "id",
            "Only an operation in status FAIL can be retried.",
        ));
    }
    let mut body = doc.body.clone();
    body["status"] = json!("DRAFT");
    body["message"] = Value::Null;
    let cashbox = body["cashboxId"].as_str().unwrap_or_default().to_owned();
    let applied = Changes::new(ctx.now)
        .update(&doc, body)
        .raw(queue::enqueue(&ctx.account.id, &doc.key.id, &cashbox))
        .apply(ctx.core.store.as_ref())
        .await?;
    let saved = applied.documents.into_iter().flatten().next();
    Ok(crud::answer(
        StatusCode::OK,
        saved.map(|doc| doc.body).unwrap_or_default(),
    ))
}

/// `PATCH /v1/operations/cash-movement/{id}`: a `CASH_IN` or `CASH_OUT` operation's
/// category (which must exist and allow the movement) and comment (≤ 255 characters);
/// both nullable, a field left out stays as it is (*inferred*).
pub async fn edit_cash_movement(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = crud::stored(ctx, KIND, request).await?;
    let direction = match doc.body["operationType"].as_str() {
        Some("CASH_IN") => "IN",
        Some("CASH_OUT") => "OUT",
        _ => {
            return Err(KassaError::field(
                "id",
                "Only CASH_IN and CASH_OUT operations can be edited.",
            ))
        }
    };
    let input = request.json()?;
    let fields = Fields::new(&input);
    let mut problems = Problems::default();
    let mut body = doc.body.clone();
    if input.contains_key("cashMovementCategoryId") {
        let category = fields.uuid(&mut problems, "cashMovementCategoryId", false);
        if let Some(id) = &category {
            check_category(ctx, &fields, &mut problems, id, direction).await?;
        }
        body["details"]["cashMovementCategoryId"] = json!(category);
    }
    if input.contains_key("comment") {
        body["details"]["comment"] = json!(fields.text(&mut problems, "comment", false, 255));
    }
    problems.into_result()?;
    if body == doc.body {
        return Ok(crud::answer(StatusCode::OK, body));
    }
    let saved = crud::replace(ctx, doc, body).await?;
    Ok(crud::answer(StatusCode::OK, saved.body))
}

/// A cash-movement category must exist and allow the movement (`IN` or `OUT`).
async fn check_category(
    ctx: &Ctx,
    fields: &Fields<'_>,
    problems: &mut Problems,
    id: &str,
    direction: &str,
) -> KassaResult<()> {
    let name = "cashMovementCategoryId";
    match references::find(ctx, CASH_MOVEMENT_CATEGORY, id).await? {
        None => fields.problem(problems, name, texts::NOT_FOUND),
        Some(category)
            if !category["types"]
                .as_array()
                .is_some_and(|types| types.iter().any(|t| t == direction)) =>
        {
            fields.problem(problems, name, texts::CATEGORY_TYPE)
        }
        Some(_) => {}
    }
    Ok(())
}
