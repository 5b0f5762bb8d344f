//! Changes to one customer: its fields (`edit`) and its mailing subscriptions.

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::fields::{apply, boolean, Problems};
use super::{document, entity, find, id_answer, identity, taken};
use crate::custom_fields::Definitions;
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{timestamp, Ctx, RetailRequest};

/// `POST /api/v5/customers/{externalId}/edit`: `customer=<json>` with the fields to
/// change (`null` clears one), `by`, `site`; `{"id": N}`. Each changed field is one
/// history record.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let changes = entity(request, "customer")?;
    let before = find(ctx, request, request.arg()).await?;
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    // The identity stays: the path names the customer, `fix-external-ids` changes it.
    let mut changes = changes;
    for fixed in ["id", "site", "createdAt", "type"] {
        changes.remove(fixed);
    }
    if request.by_id()? {
        // With `by=id` the document may set the external id.
    } else {
        changes.remove("externalId");
    }
    apply(&changes, &mut body, &mut problems);
    Definitions::load(ctx, super::CUSTOMER)
        .await?
        .check(&changes, &mut body, &mut problems);
    finish(ctx, &before, body, problems).await
}

/// The end of an edit of either kind: the document's problems as a 400, else `body`
/// stored over `before` (an external id set to `null` removed); `{"id": N}`.
pub async fn finish(
    ctx: &Ctx,
    before: &twin_store::Document,
    mut body: Map<String, Value>,
    problems: Problems,
) -> RetailResult<Response> {
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    if body.get("externalId").is_some_and(Value::is_null) {
        body.remove("externalId");
    }
    save(ctx, before, Value::Object(body)).await?;
    Ok(ok(id_answer(&before.body["id"])))
}

/// Stores `body` over `before` with its history records.
pub async fn save(ctx: &Ctx, before: &twin_store::Document, body: Value) -> RetailResult<()> {
    let mut doc = document(ctx, body);
    doc.version = before.version;
    let snapshot = identity(&doc.body);
    let mut journal = Journal::new(ctx).await?;
    journal.update(before, doc, "customer", snapshot);
    journal.commit(taken).await?;
    Ok(())
}

/// The channels of mailings. *Inferred*: the seed names the field, not its values.
const CHANNELS: [&str; 3] = ["email", "sms", "waba"];

/// `POST /api/v5/customers/{externalId}/subscriptions`: `subscriptions=<json list>` (the
/// Python client's form) or `customer={"subscriptions": [...]}` (the seed's), each
/// `{channel, subscription?, subscribed, messageId?}`. A missing `subscription` applies to
/// every subscription of the channel. Kept in `customerSubscriptions`.
pub async fn subscriptions(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let list = match request.text("subscriptions") {
        Some(_) => request.document("subscriptions")?,
        None => entity(request, "customer")?
            .remove("subscriptions")
            .unwrap_or(Value::Null),
    };
    let Some(list) = list.as_array() else {
        return Err(RetailError::parameter("subscriptions", texts::BLANK));
    };
    let before = find(ctx, request, request.arg()).await?;
    let mut current: Vec<Value> = before.body["customerSubscriptions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut problems = Problems::new();
    for (i, item) in list.iter().enumerate() {
        let channel = item["channel"].as_str().filter(|c| CHANNELS.contains(c));
        let subscribed = boolean(&item["subscribed"]);
        let code = item["subscription"].as_str().unwrap_or("default");
        match (channel, subscribed) {
            (Some(channel), Some(subscribed)) => {
                current.retain(|s| {
                    !(s["subscription"]["channel"] == channel
                        && (item["subscription"].is_null() || s["subscription"]["code"] == code))
                });
                current.push(json!({
                    "subscription": { "channel": channel, "code": code },
                    "subscribed": subscribed,
                    "changedAt": timestamp(ctx.now),
                    "messageId": item.get("messageId").cloned().unwrap_or(Value::Null),
                }));
            }
            (None, _) => {
                problems.insert(format!("subscriptions[{i}][channel]"), texts::CHOICE.into());
            }
            (_, None) => {
                problems.insert(
                    format!("subscriptions[{i}][subscribed]"),
                    texts::BOOLEAN.into(),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut body = before.body.clone();
    body["customerSubscriptions"] = Value::Array(current);
    save(ctx, &before, body).await?;
    Ok(ok(crate::request::success(json!({}))))
}
