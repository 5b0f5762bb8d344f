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
    let by_id = request.by_id()?;
    edit_customer(ctx, &before, changes, by_id, None).await
}

/// An edit of the customer `before` with the document `changes`, by the API's rules
/// (`by_id`: the document may set the external id), made by the request's key or, with
/// `user`, by that CRM user (an admin edit: history records `source: "user"`).
pub async fn edit_customer(
    ctx: &Ctx,
    before: &twin_store::Document,
    mut changes: Map<String, Value>,
    by_id: bool,
    user: Option<i64>,
) -> RetailResult<Response> {
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    // The identity stays: the path names the customer, `fix-external-ids` changes it.
    for fixed in ["id", "site", "createdAt", "type"] {
        changes.remove(fixed);
    }
    if !by_id {
        changes.remove("externalId");
    }
    tag_changes(&mut changes, &mut body, &mut problems);
    apply(&changes, &mut body, &mut problems);
    Definitions::load(ctx, super::CUSTOMER)
        .await?
        .check(&changes, &mut body, &mut problems);
    finish(ctx, user, before, body, problems).await
}

/// `addTags` / `removeTags` (lists of tag names) of a customer edit: not with `tags`
/// (the seed's rule), each name lowercase, without whitespace other than inner plain
/// spaces (the seed's rule; the texts are *Inferred*). The named tags are removed, then
/// the added ones not there yet are appended (`attached: false`).
pub fn tag_changes(
    changes: &mut Map<String, Value>,
    body: &mut Map<String, Value>,
    problems: &mut Problems,
) {
    let add = changes.remove("addTags").filter(|v| !v.is_null());
    let remove = changes.remove("removeTags").filter(|v| !v.is_null());
    if add.is_none() && remove.is_none() {
        return;
    }
    if changes.contains_key("tags") {
        problems.insert(
            "tags".into(),
            "The fields addTags and removeTags cannot be used together with the field tags.".into(),
        );
        return;
    }
    let mut read = |name: &str, value: Option<Value>| -> Vec<String> {
        let Some(value) = value else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            problems.insert(name.into(), texts::CHOICE.into());
            return Vec::new();
        };
        let mut names = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(tag) if tag_name_fits(tag) => names.push(tag.to_owned()),
                Some(_) => {
                    problems.insert(
                        format!("{name}[{i}]"),
                        "The tag must be lowercase, without whitespace at its ends or other than spaces."
                            .into(),
                    );
                }
                None => {
                    problems.insert(format!("{name}[{i}]"), texts::BLANK.into());
                }
            }
        }
        names
    };
    let add = read("addTags", add);
    let remove = read("removeTags", remove);
    let mut tags: Vec<Value> = body
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    tags.retain(|tag| !remove.iter().any(|r| tag["name"] == r.as_str()));
    for name in add {
        if !tags.iter().any(|tag| tag["name"] == name.as_str()) {
            tags.push(json!({ "name": name, "color": "grey", "attached": false }));
        }
    }
    body.insert("tags".into(), Value::Array(tags));
}

/// A tag name `addTags`/`removeTags` take: not empty, lowercase, plain inner spaces only.
fn tag_name_fits(tag: &str) -> bool {
    !tag.is_empty()
        && tag.trim() == tag
        && tag.to_lowercase() == tag
        && tag.chars().all(|c| c == ' ' || !c.is_whitespace())
}

/// The end of an edit of either kind: the document's problems as a 400, else `body`
/// stored over `before` (an external id set to `null` removed); `{"id": N}`. `user`: the
/// CRM user making it (admin), else the request's key.
pub async fn finish(
    ctx: &Ctx,
    user: Option<i64>,
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
    save(ctx, user, before, Value::Object(body)).await?;
    Ok(ok(id_answer(&before.body["id"])))
}

/// Stores `body` over `before` with its history records (by `user`, else the key).
pub async fn save(
    ctx: &Ctx,
    user: Option<i64>,
    before: &twin_store::Document,
    body: Value,
) -> RetailResult<()> {
    let mut doc = document(ctx, body);
    doc.version = before.version;
    let snapshot = identity(&doc.body);
    let mut journal = Journal::of(ctx, user).await?;
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
    save(ctx, None, &before, body).await?;
    Ok(ok(crate::request::success(json!({}))))
}
