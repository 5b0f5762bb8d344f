//! Tasks: the CRM's to-dos for a user or a group (`performer`), perhaps about a customer
//! or an order, perhaps a call back (`phone`). The list and the history are the seed's
//! methods; create, get and edit are the companions the vendor's clients call
//! (`tasks/create`, `tasks/{id}`, `tasks/{id}/edit`). A task is stored under its integer
//! id with `_site`, the site of what it is about, which limits who sees it: a key limited
//! to some sites sees only tasks about nothing or about their customers and orders
//! (*Inferred*: the seed limits the search of customers and orders to the key's sites).

pub mod list;
pub mod write;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::Document;

use crate::customers::public;
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

pub const TASK: &str = "task";

/// The stored document of a task body.
fn document(ctx: &Ctx, body: Value) -> Document {
    let id = body["id"].to_string();
    Document::new(ctx.scope.key(TASK, id), body)
}

/// Whether the key may see the task: it is about nothing, or about a reachable site.
fn visible(ctx: &Ctx, body: &Value) -> bool {
    body["_site"]
        .as_str()
        .is_none_or(|site| ctx.may_reach(site))
}

/// The task with this id: 404 when there is none, 403 when it is about a site the key
/// does not reach.
pub async fn find(ctx: &Ctx, reference: &str) -> RetailResult<Document> {
    let id = reference
        .parse::<i64>()
        .map_err(|_| RetailError::not_found())?;
    let doc = ctx
        .core
        .entities
        .find(&ctx.scope, TASK, &id.to_string())
        .await?
        .ok_or_else(RetailError::not_found)?;
    if !visible(ctx, &doc.body) {
        let site = doc.body["_site"].as_str().unwrap_or_default();
        return Err(RetailError::site_denied(site));
    }
    Ok(doc)
}

/// `GET /api/v5/tasks/{id}` (companion): `{"task": {...}}`; 404 for an id that names no
/// task of the account.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    Ok(ok(success(json!({ "task": public(&doc.body) }))))
}
