//! The account's reference lists the vendor's cabinet keeps and the API reads: cash
//! registers (`GET /v1/cashboxes`, `GET /v1/cashboxes/{id}`), counterparties
//! (`GET /v1/counterparties`), employees (`GET /v1/employees`) and cash-movement
//! categories (`GET /v1/cash-movement-categories`). Seeded per account (`seed`); more
//! cash registers are added through admin.

use axum::response::{IntoResponse, Response};
use serde_json::Value;
use twin_store::{Filter, ListQuery, TextMode};

use crate::error::{KassaError, KassaResult};
use crate::pages;
use crate::render::public;
use crate::request::{Ctx, KassaRequest, Problems};
use crate::seed::{CASHBOX, CASH_MOVEMENT_CATEGORY, COUNTERPARTY, EMPLOYEE};

const STATUSES: [&str; 2] = ["ACTIVE", "INACTIVE"];

/// A list of `kind` narrowed by the `status` parameter (`ACTIVE`, `INACTIVE`).
async fn by_status(ctx: &Ctx, request: &KassaRequest<'_>, kind: &str) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut query = ListQuery::new(ctx.scope.clone(), kind);
    if let Some(status) = problems.choice(request, "status", &STATUSES) {
        query = query.filter(Filter::eq("status", status));
    }
    pages::list(ctx, request, query, problems).await
}

/// `GET /v1/cashboxes`.
pub async fn cashboxes(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    by_status(ctx, request, CASHBOX).await
}

/// `GET /v1/cashboxes/{id}`.
pub async fn cashbox(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let id = request.uuid()?;
    let doc = ctx
        .core
        .entities
        .find(&ctx.scope, CASHBOX, id)
        .await?
        .ok_or_else(KassaError::not_found)?;
    Ok(axum::Json(public(doc.body)).into_response())
}

/// `GET /v1/employees`.
pub async fn employees(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    by_status(ctx, request, EMPLOYEE).await
}

/// `GET /v1/counterparties`: `search` matches the name, INN or phone (case-insensitive,
/// anywhere in the text; at most 255 characters).
pub async fn counterparties(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut query = ListQuery::new(ctx.scope.clone(), COUNTERPARTY);
    if let Some(search) = request.query("search") {
        if search.chars().count() > 255 {
            problems.add(
                "search",
                "This value is too long. It should have 255 characters or less.",
            );
        }
        let text = |field: &str| Filter::Text {
            path: Filter::path(field),
            mode: TextMode::Contains,
            text: search.to_owned(),
            case_insensitive: true,
        };
        query = query.filter(Filter::Or(vec![text("name"), text("inn"), text("phone")]));
    }
    pages::list(ctx, request, query, problems).await
}

/// `GET /v1/cash-movement-categories`: `type` (`IN`, `OUT`) keeps the categories usable
/// for that movement.
pub async fn cash_movement_categories(
    ctx: &Ctx,
    request: &KassaRequest<'_>,
) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut query = ListQuery::new(ctx.scope.clone(), CASH_MOVEMENT_CATEGORY);
    if let Some(kind) = problems.choice(request, "type", &["IN", "OUT"]) {
        query = query.filter(Filter::Holds {
            path: Filter::path("types"),
            text: kind.to_owned(),
        });
    }
    pages::list(ctx, request, query, problems).await
}

/// A stored reference by id, for the operations and orders that name one.
pub async fn find(ctx: &Ctx, kind: &str, id: &str) -> KassaResult<Option<Value>> {
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, kind, id)
        .await?
        .map(|doc| doc.body))
}
