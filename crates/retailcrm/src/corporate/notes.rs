//! Notes on corporate customers.

use axum::response::Response;
use serde_json::{json, Value};
use twin_core::CoreError;
use twin_store::{Batch, Document, Expect, Write};

use crate::customers::{self, entity, id_answer, identity, CORPORATE};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::created;
use crate::request::{timestamp, Ctx, RetailRequest};

pub const NOTE: &str = "customer_corporate_note";

/// The longest note text (the seed's limit).
const MAX_TEXT: usize = 2000;

/// `POST /api/v5/customers-corporate/notes/create`: `note=<json>` (`text` of 1 to 2000
/// characters, `managerId`, `customer {id} | {externalId}`), `site`; 201 `{"id": N}`.
/// *Inferred*: notes are not fields of the customer, so they make no history record, and
/// the HTML of `text` is kept as given (its tags are not checked).
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let note = entity(request, "note")?;
    let mut problems = customers::fields::Problems::new();
    let text = note.get("text").and_then(Value::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        problems.insert("text".into(), texts::BLANK.into());
    } else if text.chars().count() > MAX_TEXT {
        problems.insert(
            "text".into(),
            "This value is too long. It should have 2000 characters or less.".into(),
        );
    }
    let manager = note.get("managerId").filter(|v| !v.is_null());
    if manager.is_some_and(|m| m.as_i64().is_none_or(|id| id <= 0)) {
        problems.insert("managerId".into(), texts::INTEGER.into());
    }
    let wanted = note.get("customer").cloned().unwrap_or(Value::Null);
    let site = crate::sites::resolve(ctx, request).await?;
    let customer = if let Some(id) = wanted["id"].as_i64() {
        ctx.core
            .entities
            .find(&ctx.scope, CORPORATE, &id.to_string())
            .await?
    } else if let Some(external) = wanted["externalId"].as_str() {
        customers::by_external_id(ctx, CORPORATE, site.as_deref(), external).await?
    } else {
        None
    };
    let customer =
        customer.filter(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()));
    if customer.is_none() {
        problems.insert("customer".into(), "Customer not found".into());
    }
    let Some(customer) = customer.filter(|_| problems.is_empty()) else {
        return Err(RetailError::entity(problems));
    };
    let id = ctx
        .core
        .store
        .next_sequence(&ctx.scope, NOTE)
        .await
        .map_err(CoreError::from)?;
    let mut body = json!({
        "id": id,
        "text": text,
        "customer": identity(&customer.body),
        "createdAt": timestamp(ctx.now),
    });
    if let Some(manager) = manager {
        body["managerId"] = manager.clone();
    }
    let doc = Document::new(ctx.scope.key(NOTE, id.to_string()), body);
    let batch = Batch::new().write(Write::Put {
        doc,
        expect: Expect::Absent,
    });
    ctx.core.store.apply(batch).await.map_err(CoreError::from)?;
    Ok(created(id_answer(&json!(id))))
}
