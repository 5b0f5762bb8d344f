//! Costs: the account's expenses, each of a cost item (`crate::cost_refs`), for a period,
//! in the base currency, for one or more sites, optionally for an order or a user. Kept
//! with an integer id from a per-account sequence. A key limited to sites sees the costs
//! of at least one site it reaches; naming another is 403 (as for customers).

pub mod list;
pub mod write;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Batch, Document, Expect, Write};

use crate::customers::public;
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

pub const COST: &str = "cost";

/// The cost with this id: 404 when there is none, 403 when the key reaches none of its
/// sites.
pub async fn find(ctx: &Ctx, id: &str) -> RetailResult<Document> {
    crate::sites::numbered_within(ctx, COST, id, ("sites", false)).await
}

/// `GET /api/v5/costs/{id}` (the Python client's companion): `{"cost": {...}}`.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    Ok(ok(success(json!({ "cost": public(&doc.body) }))))
}

/// `POST /api/v5/costs/{id}/delete` (companion): `{"success": true}`; 404/403 as `get`.
pub async fn delete(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    remove(ctx, vec![doc]).await?;
    Ok(ok(success(json!({}))))
}

/// `POST /api/v5/costs/delete` (companion): `ids=<json list of integers>`. Removes the
/// costs it finds (and the key reaches); `{"count": N, "notRemovedIds": [...]}` names the
/// others (the vendor's answer, read from its clients). Not a list of integers: 400
/// `errors.ids`/`errors["ids[i]"]` (*Inferred* texts).
pub async fn delete_many(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let ids = match request.document("ids")? {
        Value::Array(ids) if !ids.is_empty() => ids,
        _ => return Err(RetailError::parameter("ids", crate::error::texts::BLANK)),
    };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id.as_i64() else {
            return Err(RetailError::parameter(
                &format!("ids[{i}]"),
                crate::error::texts::INTEGER,
            ));
        };
        match find(ctx, &id.to_string()).await {
            Ok(doc) if !found.iter().any(|d: &Document| d.key == doc.key) => found.push(doc),
            Ok(_) => {}
            Err(_) => missing.push(id),
        }
    }
    let count = found.len();
    remove(ctx, found).await?;
    Ok(ok(success(
        json!({ "count": count, "notRemovedIds": missing }),
    )))
}

/// Deletes these costs in one transaction; a concurrent change is a 400 to repeat.
async fn remove(ctx: &Ctx, docs: Vec<Document>) -> RetailResult<()> {
    let mut batch = Batch::new();
    for doc in docs {
        batch.writes.push(Write::Delete {
            key: doc.key,
            expect: Expect::Version(doc.version),
        });
    }
    if batch.writes.is_empty() {
        return Ok(());
    }
    crate::journal::apply(ctx, batch).await
}
