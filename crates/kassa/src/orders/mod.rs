//! Orders (seed "Список заказов" .. "Удаление заказа"): what a shop sells before the
//! cash register fiscalizes it. The stored body (kind `order`) is the answer plus
//! `_totalKopecks`, and is what a SELL with `orderId` reads.

mod body;

pub use body::check as check_body;

use axum::http::StatusCode;
use axum::response::Response;
use twin_store::{CmpOp, Filter, ListQuery};

use crate::crud;
use crate::error::KassaResult;
use crate::fields::{too_long, type_error};
use crate::money::Decimal;
use crate::pages;
use crate::request::{timestamp, Ctx, KassaRequest, Problems};

/// The stored kind of orders.
pub const ORDER: &str = "order";

/// `GET /v1/orders`: `id` matches the id, number or external id (exactly; at most 255
/// characters), `createdAtFrom`/`createdAtTo` (`Y-m-d H:i:s`, inclusive) the creation
/// time, `totalAmountFrom`/`totalAmountTo` (inclusive) the total.
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let (filters, problems) = list_filters(request);
    let mut query = ListQuery::new(ctx.scope.clone(), ORDER);
    if !filters.is_empty() {
        query = query.filter(Filter::And(filters));
    }
    pages::list(ctx, request, query, problems).await
}

/// The list's filters from the query, and what is wrong with them.
pub fn list_filters(request: &KassaRequest<'_>) -> (Vec<Filter>, Problems) {
    let mut problems = Problems::default();
    let mut filters = Vec::new();
    if let Some(id) = request.query("id") {
        if id.chars().count() > 255 {
            problems.add("id", &too_long(255));
        }
        let mut any = vec![
            Filter::IdIn(vec![id.to_owned()]),
            Filter::eq("externalId", id),
        ];
        if let Ok(number) = id.parse::<i64>() {
            any.push(Filter::eq("number", number));
        }
        filters.push(Filter::Or(any));
    }
    for (name, op) in [("createdAtFrom", CmpOp::Ge), ("createdAtTo", CmpOp::Le)] {
        if let Some(at) = problems.time(request, name) {
            filters.push(Filter::cmp("createdAt", op, timestamp(at)));
        }
    }
    for (name, op, up) in [
        ("totalAmountFrom", CmpOp::Ge, true),
        ("totalAmountTo", CmpOp::Le, false),
    ] {
        let Some(text) = request.query(name) else {
            continue;
        };
        match Decimal::parse(text) {
            Some(bound) => {
                filters.push(Filter::cmp("_totalKopecks", op, bound.kopecks_rounded(up)))
            }
            None => problems.add(name, &type_error("float")),
        }
    }
    (filters, problems)
}

/// `POST /v1/orders`: 201 with the order, numbered in sequence in the account, its total
/// the exact sum of its positions.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let input = body::read(ctx, request).await?;
    let id = ctx.new_id().await?;
    let number = crud::next_number(ctx, "order_number").await?;
    let order = input.order(ctx, &id, number, &timestamp(ctx.now)).await?;
    let stored = crud::create(ctx, ORDER, &id, order).await?;
    Ok(crud::answer(StatusCode::CREATED, stored.body))
}

/// `GET /v1/orders/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, ORDER, request).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `PUT /v1/orders/{id}`: overwrites everything the create sets (same checks); the id,
/// number and creation time stay.
pub async fn update(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let old = crud::stored(ctx, ORDER, request).await?;
    let input = body::read(ctx, request).await?;
    let number = old.body["number"].as_i64().unwrap_or_default();
    let created_at = old.body["createdAt"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let order = input.order(ctx, &old.key.id, number, &created_at).await?;
    let stored = crud::replace(ctx, old, order).await?;
    Ok(crud::answer(StatusCode::OK, stored.body))
}

/// `DELETE /v1/orders/{id}`: 204.
pub async fn delete(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let stored = crud::stored(ctx, ORDER, request).await?;
    crud::remove(ctx, stored).await
}
