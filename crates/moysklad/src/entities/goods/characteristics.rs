//! Variant characteristics (`/entity/variant/metadata[/characteristics[/{id}]]`): the
//! names variants give values for, always of type `string` and never required, unique by
//! name. The vendor documents listing, creating (one or many) and reading them, nothing
//! more. A variant's `characteristics` element names one by `id`, `meta` or `name`.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::{Document, ListQuery, PageRequest};

use crate::error::{MsError, MsResult};
use crate::fields::{self, Given};
use crate::model::Ctx;
use crate::representation::{parse_href, ATTRIBUTE, CHARACTERISTIC};

/// The most characteristics an account holds here.
const MAX_ITEMS: u32 = 1000;

fn body_of(doc: Document) -> Map<String, Value> {
    doc.body.as_object().cloned().unwrap_or_default()
}

/// Every characteristic, in creation order.
async fn all(ctx: &Ctx) -> MsResult<Vec<Map<String, Value>>> {
    let query = ListQuery::new(ctx.scope.clone(), CHARACTERISTIC).page(PageRequest::Offset {
        offset: 0,
        limit: MAX_ITEMS,
    });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page.items.into_iter().map(body_of).collect())
}

/// The `meta` of a characteristic.
pub fn meta(ctx: &Ctx, id: &str) -> Value {
    json!({
        "href": format!("{}/characteristics/{id}", ctx.links.metadata("variant")),
        "type": ATTRIBUTE,
        "mediaType": "application/json",
    })
}

fn render(ctx: &Ctx, mut item: Map<String, Value>) -> Value {
    let id = item
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    item.insert("meta".into(), meta(ctx, &id));
    Value::Object(item)
}

/// `GET /entity/variant/metadata`.
pub async fn metadata(ctx: &Ctx) -> MsResult<Value> {
    let rows: Vec<Value> = all(ctx)
        .await?
        .into_iter()
        .map(|c| render(ctx, c))
        .collect();
    Ok(json!({
        "meta": { "href": ctx.links.metadata("variant"), "mediaType": "application/json" },
        "characteristics": rows,
    }))
}

/// `GET /entity/variant/metadata/characteristics`.
pub async fn list(ctx: &Ctx) -> MsResult<Value> {
    let rows: Vec<Value> = all(ctx)
        .await?
        .into_iter()
        .map(|c| render(ctx, c))
        .collect();
    let href = format!("{}/characteristics", ctx.links.metadata("variant"));
    let meta = ctx
        .links
        .collection_meta(href, ATTRIBUTE, rows.len() as u64, 1000, 0);
    Ok(json!({ "context": ctx.links.context(), "meta": meta, "rows": rows }))
}

async fn load(ctx: &Ctx, id: &str) -> MsResult<Map<String, Value>> {
    ctx.core
        .entities
        .find(&ctx.scope, CHARACTERISTIC, id)
        .await?
        .map(body_of)
        .ok_or_else(|| MsError::not_found(ATTRIBUTE, id))
}

/// `GET /entity/variant/metadata/characteristics/{id}`.
pub async fn get(ctx: &Ctx, id: &str) -> MsResult<Value> {
    Ok(render(ctx, load(ctx, id).await?))
}

async fn create(ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Value> {
    let name = match fields::string(input, "name", 255)? {
        Given::Value(name) if !name.trim().is_empty() => name,
        _ => return Err(MsError::required("name")),
    };
    if all(ctx).await?.iter().any(|c| c["name"] == json!(name)) {
        return Err(MsError::not_unique("name"));
    }
    let id = ctx
        .core
        .ids
        .uuid(&ctx.account, crate::DIALECT)
        .await?
        .to_string();
    let body = json!({ "id": id, "name": name, "type": "string", "required": false });
    let doc = Document::new(ctx.scope.key(CHARACTERISTIC, id), body);
    let stored = ctx
        .core
        .entities
        .create(EntityWrite::new(doc, ctx.now))
        .await?;
    Ok(render(ctx, body_of(stored)))
}

/// `POST /entity/variant/metadata/characteristics` with one object or an array of them.
/// Characteristics cannot be changed, so array elements with `meta` are refused.
pub async fn create_many(ctx: &Ctx, body: Value) -> MsResult<(StatusCode, Value)> {
    crate::engine::create_or_update_each(
        ctx,
        body,
        |input| async move { create(ctx, &input).await },
        |_, _| async { Err(MsError::method_not_allowed("PUT")) },
    )
    .await
}

/// The characteristic a variant's `characteristics` element names: by `id`, by the href
/// in `meta`, else by `name`.
pub async fn resolve(ctx: &Ctx, element: &Map<String, Value>) -> MsResult<Map<String, Value>> {
    if let Some(id) = element.get("id").and_then(Value::as_str) {
        return load(ctx, id).await.map_err(|e| e.on("characteristics"));
    }
    let href = element
        .get("meta")
        .and_then(|m| m.get("href"))
        .and_then(Value::as_str);
    if let Some(href) = href {
        let target = parse_href(&ctx.links, href)?;
        if target.keyword != CHARACTERISTIC {
            return Err(MsError::new(
                1060,
                format!("Неверный тип '{}' в поле 'characteristics'", target.keyword),
            )
            .on("characteristics"));
        }
        return load(ctx, &target.id)
            .await
            .map_err(|e| e.on("characteristics"));
    }
    let Some(name) = element.get("name").and_then(Value::as_str) else {
        return Err(MsError::new(
            3000,
            "Ошибка сохранения объекта: у характеристики не указаны ни 'id', ни 'name'",
        )
        .on("characteristics"));
    };
    all(ctx)
        .await?
        .into_iter()
        .find(|c| c["name"] == json!(name))
        .ok_or_else(|| {
            MsError::bad_value(
                "characteristics",
                &format!("характеристика '{name}' не найдена"),
            )
        })
}
