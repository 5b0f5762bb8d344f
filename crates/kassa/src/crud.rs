//! What the account's own records (orders, categories, products, async operations) share:
//! reading one by the path's id, storing it with its history, and answering its public
//! body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use twin_core::entities::EntityWrite;
use twin_core::CoreError;
use twin_store::{Document, ListQuery};

use crate::error::{KassaError, KassaResult};
use crate::render::public;
use crate::request::{Ctx, KassaRequest};

/// The record of `kind` the path names: 404 when the id is no UUID or names nothing in
/// the account.
pub async fn stored(ctx: &Ctx, kind: &str, request: &KassaRequest<'_>) -> KassaResult<Document> {
    let id = request.uuid()?;
    ctx.core
        .entities
        .find(&ctx.scope, kind, id)
        .await?
        .ok_or_else(KassaError::not_found)
}

/// The first record `query` finds.
pub async fn first(ctx: &Ctx, query: &ListQuery) -> KassaResult<Option<Document>> {
    Ok(ctx
        .core
        .entities
        .list(query)
        .await?
        .items
        .into_iter()
        .next())
}

/// The answer: the body without Twin's bookkeeping.
pub fn answer(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(public(body))).into_response()
}

/// Stores a new record.
pub async fn create(ctx: &Ctx, kind: &str, id: &str, body: Value) -> KassaResult<Document> {
    let doc = Document::new(ctx.scope.key(kind, id), body);
    Ok(ctx
        .core
        .entities
        .create(EntityWrite::new(doc, ctx.now))
        .await?)
}

/// Overwrites `old` with `body` (a concurrent change in between is a conflict).
pub async fn replace(ctx: &Ctx, old: Document, body: Value) -> KassaResult<Document> {
    let mut doc = Document::new(old.key, body);
    doc.version = old.version;
    Ok(ctx
        .core
        .entities
        .update(EntityWrite::new(doc, ctx.now))
        .await?)
}

/// Deletes `doc`: 204.
pub async fn remove(ctx: &Ctx, doc: Document) -> KassaResult<Response> {
    ctx.core
        .entities
        .delete(&ctx.scope, &doc.key.kind, &doc.key.id, ctx.now)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The account's next number in the sequence `name` (order numbers, product codes).
pub async fn next_number(ctx: &Ctx, name: &str) -> KassaResult<i64> {
    ctx.core
        .store
        .next_sequence(&ctx.scope, name)
        .await
        .map_err(|error| CoreError::from(error).into())
}
