//! Combining customers into one.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Expect, Write};

use super::{combined_kind, document, identity, taken, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// The most customers one call combines.
const MAX: usize = 50;

pub fn id_of(value: &Value) -> Option<i64> {
    value["id"]
        .as_i64()
        .or_else(|| value["id"].as_str().and_then(|s| s.parse().ok()))
}

/// `POST /api/v5/customers/combine`: `customers=[{"id": N}, ...]` (at most 50) are
/// combined into `resultCustomer={"id": M}`: its fields win every conflict, it gains the
/// others' phones, and the others are removed, each with a history record `deleted` whose
/// `combinedTo` names the result. The vendor does it asynchronously; Twin has done it
/// when it answers `{"success": true}` (*Inferred*: the same history, sooner).
pub async fn combine(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (result, combined) = load_all(ctx, request, CUSTOMER).await?;
    let mut body = result.body.clone();
    let mut phones: Vec<Value> = body["phones"].as_array().cloned().unwrap_or_default();
    for doc in &combined {
        for phone in doc.body["phones"].as_array().into_iter().flatten() {
            if !phones.iter().any(|p| p["number"] == phone["number"]) {
                phones.push(phone.clone());
            }
        }
    }
    if !phones.is_empty() {
        body["phones"] = Value::Array(phones);
    }
    let mut journal = Journal::new(ctx).await?;
    let target = identity(&result.body);
    retire(ctx, &mut journal, &target, &combined);
    let mut doc = document(ctx, body);
    doc.version = result.version;
    journal.update(&result, doc, "customer", target.clone());
    journal.commit(taken).await?;
    Ok(ok(success(json!({}))))
}

/// The customers of `kind` a combine names: `resultCustomer` and those of `customers`,
/// checked (400 for a missing id, the result among the others, one not found).
pub async fn load_all(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    kind: &str,
) -> RetailResult<(Document, Vec<Document>)> {
    let Value::Array(list) = request.document("customers")? else {
        return Err(RetailError::parameter(
            "customers",
            "This value should be of type array.",
        ));
    };
    let result = request.document("resultCustomer")?;
    let mut problems = BTreeMap::new();
    if list.is_empty() || list.len() > MAX {
        problems.insert(
            "customers".to_owned(),
            "This collection should contain 1 element or more and 50 elements or less.".to_owned(),
        );
    }
    let result_id = id_of(&result);
    if result_id.is_none() {
        problems.insert("resultCustomer[id]".to_owned(), texts::BLANK.to_owned());
    }
    let mut ids = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match id_of(item) {
            Some(id) if Some(id) == result_id => {
                problems.insert(
                    format!("customers[{i}][id]"),
                    "The result customer cannot be combined into itself.".to_owned(),
                );
            }
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => {
                problems.insert(format!("customers[{i}][id]"), texts::BLANK.to_owned());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let missing = "Customer not found";
    let result_id = result_id.unwrap_or_default();
    let result = load(ctx, kind, result_id, "resultCustomer[id]", missing).await?;
    let mut combined = Vec::new();
    for (i, id) in ids.into_iter().enumerate() {
        let field = format!("customers[{i}][id]");
        combined.push(load(ctx, kind, id, &field, missing).await?);
    }
    Ok((result, combined))
}

/// Removes the combined customers, each with its record `deleted` naming `target` as
/// `combinedTo`, and leaves a tombstone that answers later reads with it.
pub fn retire(ctx: &Ctx, journal: &mut Journal<'_>, target: &Value, combined: &[Document]) {
    retire_named(ctx, journal, ("customer", identity), target, combined);
}

/// How a retired entity is named in its `deleted` record: the record's member and the
/// snapshot put there (`("customer", identity)`, `("order", orders::snapshot)`).
pub type Named = (&'static str, fn(&Value) -> Value);

/// `retire` of any entity combined into another (customers, orders): the tombstone
/// answers later reads (`find_in`: 404, `state: "removed"`, `combinedTo`).
pub fn retire_named(
    ctx: &Ctx,
    journal: &mut Journal<'_>,
    named: Named,
    target: &Value,
    combined: &[Document],
) {
    let (member, snapshot) = named;
    for doc in combined {
        let extra = Map::from_iter([("combinedTo".to_owned(), target.clone())]);
        journal.delete(doc, member, snapshot(&doc.body), extra);
        let mut tombstone = json!({ "combinedTo": target, "id": doc.body["id"] });
        if let Some(external) = doc.body.get("externalId") {
            tombstone["externalId"] = external.clone();
        }
        let key = ctx
            .scope
            .key(combined_kind(&doc.key.kind), doc.key.id.clone());
        journal.raw(Write::Put {
            doc: Document::new(key, tombstone),
            expect: Expect::Any,
        });
    }
}

/// An entity of `kind` a combine names by its id: 400 `errors[field] = not_found` when
/// there is none the key reaches.
pub async fn load(
    ctx: &Ctx,
    kind: &str,
    id: i64,
    field: &str,
    not_found: &str,
) -> RetailResult<Document> {
    match ctx
        .core
        .entities
        .find(&ctx.scope, kind, &id.to_string())
        .await?
    {
        Some(doc) if ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()) => Ok(doc),
        _ => Err(RetailError::parameter(field, not_found)),
    }
}
