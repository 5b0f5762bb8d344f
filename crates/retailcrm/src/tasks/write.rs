//! Writing tasks: `tasks/create` and `tasks/{id}/edit`, the companions the vendor's
//! clients call (`task=<json>`, `site`), one reading of the task document for both. Each
//! write records the task's history (`tasks/history`) in the same transaction.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};
use twin_store::Document;

use super::{document, find};
use crate::costs::write::order_doc;
use crate::customers::combine::id_of;
use crate::customers::fields::{boolean, checked_text, Problems};
use crate::customers::{self, entity, pick, public, CORPORATE, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::{created, ok};
use crate::request::{success, timestamp, zone, Ctx, RetailRequest};
use crate::{sites, users};

/// The seed's format of `task[datetime]`: `Y-m-d H:i`.
const DATETIME: &str = "%Y-%m-%d %H:%M";
/// A date that is not in the future. *Inferred* text.
const NOT_FUTURE: &str = "The date must be in the future.";
/// An overdue task edited without a new date nor completion. *Inferred* text.
const OVERDUE: &str = "The task is overdue: give it a new date or complete it.";
/// A performer that is no user (no group). *Inferred* texts, as costs word theirs.
const NO_USER: &str = "User not found.";
const NO_GROUP: &str = "Group not found.";

fn now(ctx: &Ctx) -> NaiveDateTime {
    ctx.now.with_timezone(&zone()).naive_local()
}

/// What a link finds: a customer or order not found, or of a site the key does not
/// reach, is no link (the seed: "relation will not be set"), not an error.
fn unless_missing(found: RetailResult<Option<Document>>) -> RetailResult<Option<Document>> {
    match found {
        Err(e) if matches!(e.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN) => Ok(None),
        other => other,
    }
}

/// The customer `link` names: by `id`, else `externalId` (within `link[site]`, else the
/// request's `site`, else any site the key reaches); `type: "customer_corporate"` for a
/// corporate one.
async fn customer(ctx: &Ctx, link: &Value, site: Option<&str>) -> RetailResult<Option<Document>> {
    let kind = if link["type"] == CORPORATE {
        CORPORATE
    } else {
        CUSTOMER
    };
    let found = if let Some(id) = id_of(link) {
        customers::find_in(ctx, kind, true, None, &id.to_string()).await
    } else if let Some(external) = link["externalId"].as_str() {
        let site = link["site"].as_str().or(site);
        customers::find_in(ctx, kind, false, site, external).await
    } else {
        return Ok(None);
    };
    unless_missing(found.map(Some))
}

/// How a task names its customer: `{type, id, externalId?, site}`.
fn customer_link(body: &Value) -> Value {
    pick(body, &["type", "id", "externalId", "site"])
}

/// Links the customer and the order the document names, the order's customer with the
/// order (the seed); one given without anything to find it by is a problem, one not
/// found no link. `null` unlinks. `_site` follows what the task is about.
async fn links(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    task: &mut Map<String, Value>,
    site: Option<&str>,
    problems: &mut Problems,
) -> RetailResult<()> {
    let named = |link: &Value, fields: &[&str]| fields.iter().any(|f| !link[*f].is_null());
    match doc.get("customer") {
        None => {}
        Some(Value::Null) => {
            task.remove("customer");
        }
        Some(link) if !named(link, &["id", "externalId"]) => {
            problems.insert("customer".into(), texts::BLANK.into());
        }
        Some(link) => match customer(ctx, link, site).await? {
            Some(found) => {
                task.insert("customer".into(), customer_link(&found.body));
            }
            None => {
                task.remove("customer");
            }
        },
    }
    match doc.get("order") {
        None => {}
        Some(Value::Null) => {
            task.remove("order");
        }
        Some(link) if !named(link, &["id", "externalId", "number"]) => {
            problems.insert("order".into(), texts::BLANK.into());
        }
        Some(link) => match unless_missing(order_doc(ctx, link, site).await)? {
            Some(found) => {
                let order = &found.body;
                task.insert(
                    "order".into(),
                    pick(order, &["id", "number", "externalId", "site"]),
                );
                if order["customer"].is_object() {
                    task.insert("customer".into(), customer_link(&order["customer"]));
                }
            }
            None => {
                task.remove("order");
            }
        },
    }
    let about = task
        .get("order")
        .or(task.get("customer"))
        .and_then(|link| link["site"].as_str())
        .map(str::to_owned);
    match about {
        Some(site) => task.insert("_site".into(), json!(site)),
        None => task.remove("_site"),
    };
    Ok(())
}

/// The performer: `performerId`, a user, or a group with `performerType: "group"`.
fn performer(doc: &Map<String, Value>, task: &mut Map<String, Value>, problems: &mut Problems) {
    let Some(given) = doc.get("performerId") else {
        return;
    };
    let kind = doc
        .get("performerType")
        .and_then(Value::as_str)
        .unwrap_or("user");
    let id = given
        .as_i64()
        .or_else(|| given.as_str().and_then(|s| s.parse().ok()));
    let Some(id) = id else {
        problems.insert("performerId".into(), texts::INTEGER.into());
        return;
    };
    let exists = match kind {
        "user" => users::by_id(id).is_some(),
        "group" => users::is_group(id),
        _ => {
            problems.insert("performerType".into(), texts::CHOICE.into());
            return;
        }
    };
    if !exists {
        let text = if kind == "group" { NO_GROUP } else { NO_USER };
        problems.insert("performerId".into(), text.into());
        return;
    }
    task.insert("performer".into(), json!(id));
    task.insert("performerType".into(), json!(kind));
}

/// Reads the fields `doc` gives over `task` (a stored task, or a fresh one), recording
/// problems by field; fields Twin does not know are ignored. `null` clears `commentary`,
/// `datetime`, `phone`, `phoneSite`, `customer` and `order`.
async fn read(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    task: &mut Map<String, Value>,
    site: Option<&str>,
    problems: &mut Problems,
) -> RetailResult<()> {
    for (name, value) in doc {
        let name = name.as_str();
        if value.is_null() && matches!(name, "commentary" | "datetime" | "phone" | "phoneSite") {
            task.remove(name);
            continue;
        }
        match name {
            "text" | "commentary" => match value.as_str() {
                Some(t) if name == "commentary" || !t.trim().is_empty() => {
                    task.insert(name.into(), json!(t));
                }
                _ => {
                    problems.insert(name.into(), texts::BLANK.into());
                }
            },
            "datetime" => {
                let at = value
                    .as_str()
                    .and_then(|t| NaiveDateTime::parse_from_str(t, DATETIME).ok());
                match at {
                    Some(at) if at > now(ctx) => {
                        task.insert(name.into(), json!(at.format(DATETIME).to_string()));
                    }
                    Some(_) => {
                        problems.insert(name.into(), NOT_FUTURE.into());
                    }
                    None => {
                        problems.insert(name.into(), texts::DATETIME.into());
                    }
                }
            }
            "complete" => match boolean(value) {
                Some(done) => {
                    if done && task.get("complete") != Some(&json!(true)) {
                        task.insert("completedAt".into(), json!(timestamp(ctx.now)));
                    } else if !done {
                        task.remove("completedAt");
                    }
                    task.insert(name.into(), json!(done));
                }
                None => {
                    problems.insert(name.into(), texts::BOOLEAN.into());
                }
            },
            "phone" => {
                if let Some(phone) = checked_text(problems, name, value) {
                    task.insert(name.into(), phone);
                }
            }
            "phoneSite" => match value.as_str() {
                Some(code) => {
                    task.insert(name.into(), json!(sites::check(ctx, code).await?));
                }
                None => {
                    problems.insert(name.into(), texts::CHOICE.into());
                }
            },
            _ => {}
        }
    }
    performer(doc, task, problems);
    links(ctx, doc, task, site, problems).await
}

/// `POST /api/v5/tasks/create` (companion): `task=<json>`, `site` (for a customer or
/// order named by external id). `text` and `performerId` are required; `datetime`
/// (`Y-m-d H:i`) must be in the future. 201 `{"success": true, "id"}`; the history gets
/// one record `created` with the whole task. A task made through the API has no
/// `creator` (*Inferred*: a key is no user).
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "task")?;
    let site = sites::resolve(ctx, request).await?;
    let mut task = Map::new();
    task.insert("complete".into(), json!(false));
    let mut problems = Problems::new();
    read(ctx, &doc, &mut task, site.as_deref(), &mut problems).await?;
    for (given, stored) in [("text", "text"), ("performerId", "performer")] {
        if !task.contains_key(stored) && !problems.contains_key(given) {
            problems.insert(given.into(), texts::BLANK.into());
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = ctx.next_id(super::TASK).await?;
    task.insert("id".into(), json!(id));
    task.insert("createdAt".into(), json!(timestamp(ctx.now)));
    let body = Value::Object(task);
    let mut journal = Journal::new(ctx).await?;
    journal.create(document(ctx, body.clone()), "task", public(&body));
    journal.commit(|_| RetailError::internal()).await?;
    Ok(created(success(json!({ "id": id }))))
}

/// `POST /api/v5/tasks/{id}/edit` (companion): `task=<json>` (the Python client puts the
/// id in it too; the path's counts), `site`. Changes the fields given; a task not
/// completed whose date has passed needs a new date or `complete: true` (the seed). 200
/// `{"success": true, "id"}`; one history record per changed field, naming `task {id}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let before = find(ctx, request.arg()).await?;
    let doc = entity(request, "task")?;
    let site = sites::resolve(ctx, request).await?;
    let mut task = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read(ctx, &doc, &mut task, site.as_deref(), &mut problems).await?;
    let overdue = task
        .get("datetime")
        .and_then(Value::as_str)
        .and_then(|t| NaiveDateTime::parse_from_str(t, DATETIME).ok())
        .is_some_and(|at| at <= now(ctx));
    if overdue && task.get("complete") != Some(&json!(true)) && !doc.contains_key("datetime") {
        problems.insert("datetime".into(), OVERDUE.into());
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = task["id"].clone();
    let body = Value::Object(task);
    let mut journal = Journal::new(ctx).await?;
    let snapshot = pick(&body, &["id"]);
    journal.update(&before, document(ctx, body), "task", snapshot);
    journal.commit(|_| RetailError::internal()).await?;
    Ok(ok(success(json!({ "id": id }))))
}
