//! `POST /api/v5/files/{id}/edit`: the name and the attachments.

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::Document;

use super::{find, indexed};
use crate::customers::fields::Problems;
use crate::customers::{entity, pick, public};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::put;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::web_analytics::{customer, order};

/// `POST /api/v5/files/{id}/edit` (companion): `file=<json>` with `filename` (1 to 255
/// characters) and/or `attachment` (`[{order: {id | externalId | number, site?}} |
/// {customer: {id | externalId, site?}}]`). The seed: "All required links are passed in
/// file[attachment][]. Links not mentioned in this field will be deleted"; an
/// `attachment` left out keeps the links (*Inferred*). Each link is found as web
/// analytics finds orders and customers (the key must reach its site); kept as `{order:
/// {id, number, externalId?, site}}`, `{customer: {id, externalId?, site}}`. Problems:
/// 400 `Errors in the entity format` with `filename`, `attachment[i]` (*Inferred*
/// texts). 200 `{"success": true, "file": {...}}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let before = find(ctx, request.arg()).await?;
    let changes = entity(request, "file")?;
    let mut body = before.body.clone();
    let mut problems = Problems::new();
    match changes.get("filename") {
        None => {}
        Some(Value::String(name)) if name.trim().is_empty() => {
            problems.insert("filename".into(), texts::BLANK.into());
        }
        Some(Value::String(name)) if name.chars().count() > 255 => {
            problems.insert("filename".into(), texts::TOO_LONG.into());
        }
        Some(Value::String(name)) => body["filename"] = json!(name),
        Some(_) => {
            problems.insert("filename".into(), texts::BLANK.into());
        }
    }
    match changes.get("attachment") {
        None => {}
        Some(Value::Array(links)) => {
            body["attachment"] = Value::Array(attachment(ctx, links, &mut problems).await?);
        }
        Some(_) => {
            problems.insert(
                "attachment".into(),
                "This value should be of type array.".into(),
            );
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let body = indexed(body);
    let mut doc = Document::new(before.key.clone(), body);
    doc.version = before.version;
    let file = public(&doc.body);
    put(ctx, doc, Some(&before)).await?;
    Ok(ok(success(json!({ "file": file }))))
}

/// The links of `attachment`, each once; a problem per link not found.
async fn attachment(
    ctx: &Ctx,
    links: &[Value],
    problems: &mut Problems,
) -> RetailResult<Vec<Value>> {
    let mut kept: Vec<Value> = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let (name, found) = if link["order"].is_object() {
            let site = link["order"]["site"].as_str();
            ("order", order(ctx, link, site).await?)
        } else if link["customer"].is_object() {
            let site = link["customer"]["site"].as_str();
            ("customer", customer(ctx, link, site).await?)
        } else {
            problems.insert(
                format!("attachment[{i}]"),
                "One of the fields order or customer should be specified.".into(),
            );
            continue;
        };
        let doc = match found {
            Ok(Some(doc)) => doc,
            Ok(None) => {
                problems.insert(format!("attachment[{i}][{name}]"), texts::BLANK.into());
                continue;
            }
            Err((_, text)) => {
                problems.insert(format!("attachment[{i}][{name}]"), text);
                continue;
            }
        };
        let fields: &[&str] = if name == "order" {
            &["id", "number", "externalId", "site"]
        } else {
            &["id", "externalId", "site"]
        };
        let mut one = json!({});
        one[name] = pick(&doc.body, fields);
        if !kept.contains(&one) {
            kept.push(one);
        }
    }
    Ok(kept)
}
