//! Bank accounts of organizations and counterparties:
//! `/entity/<organization|counterparty>/{id}/accounts[/{accountId}]`. The first account of a
//! holder is its default; making another the default unsets the previous one.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::error::{MsError, MsResult};
use crate::fields::{set_bool, set_string};
use crate::model::Ctx;
use crate::representation::ACCOUNT;

/// Types that hold bank accounts.
pub const HOLDERS: [&str; 2] = ["organization", "counterparty"];

/// The most accounts one holder has here.
const MAX_ACCOUNTS: u32 = 1000;

fn body_of(doc: Document) -> Map<String, Value> {
    doc.body.as_object().cloned().unwrap_or_default()
}

/// A holder's accounts in creation order.
pub async fn of_holder(ctx: &Ctx, holder_id: &str) -> MsResult<Vec<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), ACCOUNT)
        .filter(Filter::eq("entityId", holder_id))
        .page(PageRequest::Offset {
            offset: 0,
            limit: MAX_ACCOUNTS,
        });
    Ok(ctx.core.entities.list(&query).await?.items)
}

/// The holder's default account, if it has any.
pub async fn default_of(ctx: &Ctx, holder_id: &str) -> MsResult<Option<Map<String, Value>>> {
    Ok(of_holder(ctx, holder_id)
        .await?
        .into_iter()
        .map(body_of)
        .find(|a| a.get("isDefault") == Some(&json!(true))))
}

fn render(ctx: &Ctx, mut account: Map<String, Value>) -> Value {
    let holder = account
        .remove("entity")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let holder_id = account
        .remove("entityId")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let id = account
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    account.insert(
        "meta".into(),
        ctx.links.account_meta(&holder, &holder_id, &id),
    );
    Value::Object(account)
}

/// The `accounts` collection reference an organization or counterparty carries.
pub async fn collection(ctx: &Ctx, holder: &str, holder_id: &str) -> MsResult<Value> {
    let size = of_holder(ctx, holder_id).await?.len() as u64;
    let href = format!("{}/accounts", ctx.links.entity(holder, holder_id));
    Ok(json!({ "meta": ctx.links.collection_meta(href, ACCOUNT, size, 1000, 0) }))
}

async fn holder_exists(ctx: &Ctx, holder: &str, holder_id: &str) -> MsResult<()> {
    match ctx
        .core
        .entities
        .find(&ctx.scope, holder, holder_id)
        .await?
    {
        Some(_) => Ok(()),
        None => Err(MsError::not_found(holder, holder_id)),
    }
}

async fn load(ctx: &Ctx, holder_id: &str, id: &str) -> MsResult<Document> {
    ctx.core
        .entities
        .find(&ctx.scope, ACCOUNT, id)
        .await?
        .filter(|doc| doc.body.get("entityId").and_then(Value::as_str) == Some(holder_id))
        .ok_or_else(|| MsError::not_found(ACCOUNT, id))
}

pub async fn list(ctx: &Ctx, holder: &str, holder_id: &str) -> MsResult<Value> {
    holder_exists(ctx, holder, holder_id).await?;
    let rows: Vec<Value> = of_holder(ctx, holder_id)
        .await?
        .into_iter()
        .map(|d| render(ctx, body_of(d)))
        .collect();
    let href = format!("{}/accounts", ctx.links.entity(holder, holder_id));
    let meta = ctx
        .links
        .collection_meta(href, ACCOUNT, rows.len() as u64, 1000, 0);
    Ok(json!({ "context": ctx.links.context(), "meta": meta, "rows": rows }))
}

pub async fn get(ctx: &Ctx, holder: &str, holder_id: &str, id: &str) -> MsResult<Value> {
    holder_exists(ctx, holder, holder_id).await?;
    Ok(render(ctx, body_of(load(ctx, holder_id, id).await?)))
}

fn apply(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    set_string(body, input, "accountNumber", 255, true)?;
    for field in ["bankName", "bankLocation", "correspondentAccount", "bic"] {
        set_string(body, input, field, 255, false)?;
    }
    set_bool(body, input, "isDefault")
}

/// Unsets the default flag of the holder's other accounts.
async fn clear_other_defaults(ctx: &Ctx, holder_id: &str, keep: &str) -> MsResult<()> {
    for doc in of_holder(ctx, holder_id).await? {
        if doc.key.id != keep && doc.body.get("isDefault") == Some(&json!(true)) {
            let mut updated = doc.clone();
            updated.body["isDefault"] = json!(false);
            ctx.core
                .entities
                .update(EntityWrite::new(updated, ctx.now))
                .await?;
        }
    }
    Ok(())
}

pub async fn create(
    ctx: &Ctx,
    holder: &str,
    holder_id: &str,
    input: &Map<String, Value>,
) -> MsResult<Value> {
    holder_exists(ctx, holder, holder_id).await?;
    if !input.contains_key("accountNumber") {
        return Err(MsError::required("accountNumber"));
    }
    let first = of_holder(ctx, holder_id).await?.is_empty();
    let mut body = Map::new();
    body.insert("isDefault".into(), json!(first));
    apply(&mut body, input)?;
    let id = ctx
        .core
        .ids
        .uuid(&ctx.account, crate::DIALECT)
        .await?
        .to_string();
    body.insert("id".into(), json!(id));
    body.insert(
        "accountId".into(),
        json!(crate::seed::account_uuid(&ctx.account)),
    );
    body.insert("updated".into(), json!(ctx.now_text()));
    body.insert("entity".into(), json!(holder));
    body.insert("entityId".into(), json!(holder_id));
    let doc = Document::new(ctx.scope.key(ACCOUNT, id.clone()), Value::Object(body));
    let stored = ctx
        .core
        .entities
        .create(EntityWrite::new(doc, ctx.now))
        .await?;
    if stored.body.get("isDefault") == Some(&json!(true)) {
        clear_other_defaults(ctx, holder_id, &id).await?;
    }
    Ok(render(ctx, body_of(stored)))
}

pub async fn update(
    ctx: &Ctx,
    holder: &str,
    holder_id: &str,
    id: &str,
    input: &Map<String, Value>,
) -> MsResult<Value> {
    holder_exists(ctx, holder, holder_id).await?;
    let stored = load(ctx, holder_id, id).await?;
    let mut body = body_of(stored.clone());
    apply(&mut body, input)?;
    body.insert("updated".into(), json!(ctx.now_text()));
    let mut doc = Document::new(stored.key, Value::Object(body));
    doc.version = stored.version;
    let saved = ctx
        .core
        .entities
        .update(EntityWrite::new(doc, ctx.now))
        .await?;
    if saved.body.get("isDefault") == Some(&json!(true)) {
        clear_other_defaults(ctx, holder_id, id).await?;
    }
    Ok(render(ctx, body_of(saved)))
}

pub async fn delete(ctx: &Ctx, holder: &str, holder_id: &str, id: &str) -> MsResult<()> {
    holder_exists(ctx, holder, holder_id).await?;
    load(ctx, holder_id, id).await?;
    crate::engine::ensure_unused(ctx, ACCOUNT, id).await?;
    ctx.core
        .entities
        .delete(&ctx.scope, ACCOUNT, id, ctx.now)
        .await?;
    Ok(())
}

/// An object creates one account; an array creates or (with `meta`) updates several.
pub async fn create_many(
    ctx: &Ctx,
    holder: &str,
    holder_id: &str,
    body: Value,
) -> MsResult<(StatusCode, Value)> {
    crate::engine::create_or_update_each(
        ctx,
        body,
        |input| async move { create(ctx, holder, holder_id, &input).await },
        |id, input| async move { update(ctx, holder, holder_id, &id, &input).await },
    )
    .await
}
