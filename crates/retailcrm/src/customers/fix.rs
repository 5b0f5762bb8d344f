//! Writing back the shop's ids of customers the CRM created.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};

use super::{document, identity, taken, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// `POST /api/v5/customers/fix-external-ids`: `customers=[{"id": N, "externalId": "..."}]`;
/// all of them change together (one history record `external_id` each), or none when one
/// names no customer or an id already taken. *Inferred*: the error keys
/// (`customers[i][id]`).
pub async fn fix_external_ids(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    fix_of(ctx, request, CUSTOMER, "customers").await
}

/// `fix-external-ids` of a customer kind, whose list comes in the form field `param`.
pub async fn fix_of(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    kind: &str,
    param: &str,
) -> RetailResult<Response> {
    let spec = Fixed {
        kind,
        param,
        entity: "customer",
        not_found: "Customer not found",
        document,
        snapshot: identity,
        taken,
    };
    fix_entities(ctx, request, &spec).await
}

/// What `fix_entities` needs of an entity kind with external ids per site.
pub struct Fixed<'a> {
    pub kind: &'a str,
    /// The form field of the list (`customers`, `orders`).
    pub param: &'a str,
    /// The member naming the entity in history records (`customer`, `order`).
    pub entity: &'a str,
    pub not_found: &'a str,
    pub document: fn(&Ctx, Value) -> twin_store::Document,
    pub snapshot: fn(&Value) -> Value,
    pub taken: fn(&str) -> crate::error::RetailError,
}

/// `fix-external-ids` of any kind: `<param>=[{id, externalId}]`, all or none.
pub async fn fix_entities(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    spec: &Fixed<'_>,
) -> RetailResult<Response> {
    let (kind, param) = (spec.kind, spec.param);
    let Value::Array(list) = request.document(param)? else {
        return Err(RetailError::parameter(
            param,
            "This value should be of type array.",
        ));
    };
    let mut problems = BTreeMap::new();
    let mut changes = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let id = item["id"]
            .as_i64()
            .or_else(|| item["id"].as_str().and_then(|s| s.parse().ok()));
        let external = match &item["externalId"] {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let Some(id) = id else {
            problems.insert(format!("{param}[{i}][id]"), texts::BLANK.to_owned());
            continue;
        };
        let Some(external) = external else {
            problems.insert(format!("{param}[{i}][externalId]"), texts::BLANK.to_owned());
            continue;
        };
        match ctx
            .core
            .entities
            .find(&ctx.scope, kind, &id.to_string())
            .await?
        {
            Some(doc) if ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()) => {
                changes.push((doc, external));
            }
            _ => {
                problems.insert(format!("{param}[{i}][id]"), spec.not_found.to_owned());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut journal = Journal::new(ctx).await?;
    for (before, external) in changes {
        let mut body = before.body.clone();
        body["externalId"] = json!(external);
        let mut doc = (spec.document)(ctx, body);
        doc.version = before.version;
        let snapshot = (spec.snapshot)(&doc.body);
        journal.update(&before, doc, spec.entity, snapshot);
    }
    journal.commit(spec.taken).await?;
    Ok(ok(success(json!({}))))
}
