//! A type's metadata: `GET /entity/<type>/metadata`, user-defined attributes (доп. поля)
//! with their definitions' CRUD and their values on entities, and states (statuses).
//!
//! Definitions and states are stored in the account's MoySklad data as kinds
//! `attributemetadata` and `state`, each naming the type it belongs to. Attribute values
//! are stored on the entity as `{"<definition id>": value}` under `attributes`, so lists
//! can filter by them, and rendered as the vendor's array.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, set_string, stored_reference, Given};
use crate::model::{Ctx, EntityInfo, FieldType};
use crate::representation::{
    format_time, metadata_owner, parse_href, parse_time, ATTRIBUTE, STATE,
};

/// Attribute types with a scalar value.
const SCALAR_TYPES: [&str; 8] = [
    "string", "text", "link", "time", "file", "boolean", "double", "long",
];
/// Types of entities an attribute may refer to.
const ENTITY_TYPES: [&str; 8] = [
    "contract",
    "counterparty",
    "project",
    "store",
    "employee",
    "product",
    "productfolder",
    "customentity",
];
const STATE_TYPES: [&str; 3] = ["Regular", "Successful", "Unsuccessful"];

/// The largest number of definitions or states one type holds here.
const MAX_ITEMS: u32 = 1000;

fn body_of(doc: Document) -> Map<String, Value> {
    doc.body.as_object().cloned().unwrap_or_default()
}

/// A type's definitions of `kind`, in creation order.
pub async fn items(ctx: &Ctx, owner: &str, kind: &str) -> MsResult<Vec<Map<String, Value>>> {
    let query = ListQuery::new(ctx.scope.clone(), kind)
        .filter(Filter::eq("entity", owner))
        .page(PageRequest::Offset {
            offset: 0,
            limit: MAX_ITEMS,
        });
    Ok(ctx
        .list_remembered(kind, owner, &query)
        .await?
        .into_iter()
        .map(body_of)
        .collect())
}

fn render_item(ctx: &Ctx, kind: &str, mut item: Map<String, Value>) -> Value {
    let owner = item
        .remove("entity")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let id = item
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    item.insert("meta".into(), ctx.links.metadata_item(&owner, kind, &id));
    if kind == STATE {
        item.insert("entityType".into(), json!(owner));
        item.insert(
            "accountId".into(),
            json!(crate::seed::account_uuid(&ctx.account)),
        );
    }
    Value::Object(item)
}

/// `GET /entity/<type>/metadata`. Attributes are those of the type's metadata owner
/// (services and bundles show the product's).
pub async fn describe(ctx: &Ctx, info: &EntityInfo, expand: &[String]) -> MsResult<Value> {
    let mut body = Map::new();
    body.insert(
        "meta".into(),
        json!({ "href": ctx.links.metadata(info.keyword), "mediaType": "application/json" }),
    );
    if info.attributes {
        let owner = metadata_owner(info.keyword);
        let definitions = items(ctx, owner, ATTRIBUTE).await?;
        let href = format!("{}/attributes", ctx.links.metadata(owner));
        let meta = ctx
            .links
            .collection_meta(href, ATTRIBUTE, definitions.len() as u64, 1000, 0);
        let mut attributes = json!({ "meta": meta });
        if expand.iter().any(|p| p == "attributes") {
            attributes["rows"] = definitions
                .into_iter()
                .map(|d| render_item(ctx, ATTRIBUTE, d))
                .collect();
        }
        body.insert("attributes".into(), attributes);
    }
    if info.states {
        let states = items(ctx, info.keyword, STATE).await?;
        body.insert(
            "states".into(),
            states
                .into_iter()
                .map(|s| render_item(ctx, STATE, s))
                .collect(),
        );
    }
    body.insert("createShared".into(), json!(true));
    Ok(Value::Object(body))
}

/// `GET /entity/<type>/metadata/attributes`.
pub async fn list_attributes(ctx: &Ctx, owner: &str) -> MsResult<Value> {
    let definitions = items(ctx, owner, ATTRIBUTE).await?;
    let href = format!("{}/attributes", ctx.links.metadata(owner));
    let meta = ctx
        .links
        .collection_meta(href, ATTRIBUTE, definitions.len() as u64, 1000, 0);
    let rows: Vec<Value> = definitions
        .into_iter()
        .map(|d| render_item(ctx, ATTRIBUTE, d))
        .collect();
    Ok(json!({ "context": ctx.links.context(), "meta": meta, "rows": rows }))
}

pub async fn load(ctx: &Ctx, owner: &str, kind: &str, id: &str) -> MsResult<Document> {
    let found = ctx.core.entities.find(&ctx.scope, kind, id).await?;
    found
        .filter(|doc| doc.body.get("entity").and_then(Value::as_str) == Some(owner))
        .ok_or_else(|| MsError::not_found(kind, id))
}

pub async fn get(ctx: &Ctx, owner: &str, kind: &str, id: &str) -> MsResult<Value> {
    Ok(render_item(
        ctx,
        kind,
        body_of(load(ctx, owner, kind, id).await?),
    ))
}

/// The rules of each kind's fields, on create (`stored` empty) and update.
fn apply(
    kind: &str,
    stored: &Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<Map<String, Value>> {
    let creating = stored.is_empty();
    let mut body = stored.clone();
    if creating && !input.contains_key("name") {
        return Err(MsError::required("name"));
    }
    set_string(&mut body, input, "name", 255, true)?;
    if kind == ATTRIBUTE {
        match fields::string(input, "type", 64)? {
            Given::Value(ty) if !creating && stored.get("type") != Some(&json!(ty)) => {
                return Err(MsError::immutable("type"))
            }
            Given::Value(ty)
                if !SCALAR_TYPES.contains(&ty.as_str()) && !ENTITY_TYPES.contains(&ty.as_str()) =>
            {
                return Err(MsError::bad_value("type", "неизвестный тип доп. поля"))
            }
            Given::Value(ty) => {
                body.insert("type".into(), json!(ty));
            }
            _ if creating => return Err(MsError::required("type")),
            _ => {}
        }
        if creating {
            body.insert("required".into(), json!(false));
            body.insert("show".into(), json!(true));
        }
        set_bool(&mut body, input, "required")?;
        set_bool(&mut body, input, "show")?;
        set_string(&mut body, input, "description", 4096, false)?;
        let ty = body.get("type").and_then(Value::as_str).unwrap_or_default();
        if body.get("required") == Some(&json!(true)) && (ty == "file" || ty == "boolean") {
            return Err(MsError::bad_value(
                "required",
                "поле этого типа не может быть обязательным",
            ));
        }
    } else {
        match fields::integer(input, "color")? {
            Given::Value(color) if !(0..=0xFFFF_FFFF).contains(&color) => {
                return Err(MsError::bad_value("color", "цвет задается числом ARGB"))
            }
            Given::Value(color) => {
                body.insert("color".into(), json!(color));
            }
            _ if creating => return Err(MsError::required("color")),
            _ => {}
        }
        match fields::string(input, "stateType", 32)? {
            Given::Value(ty) if !STATE_TYPES.contains(&ty.as_str()) => {
                return Err(MsError::bad_value(
                    "stateType",
                    "допустимые значения: Regular, Successful, Unsuccessful",
                ))
            }
            Given::Value(ty) => {
                body.insert("stateType".into(), json!(ty));
            }
            _ if creating => {
                body.insert("stateType".into(), json!("Regular"));
            }
            _ => {}
        }
    }
    Ok(body)
}

pub async fn create(
    ctx: &Ctx,
    owner: &str,
    kind: &str,
    input: &Map<String, Value>,
) -> MsResult<Value> {
    let mut body = apply(kind, &Map::new(), input)?;
    let id = ctx
        .core
        .ids
        .uuid(&ctx.account, crate::DIALECT)
        .await?
        .to_string();
    body.insert("id".into(), json!(id));
    body.insert("entity".into(), json!(owner));
    ctx.forget(kind, &id);
    let doc = Document::new(ctx.scope.key(kind, id), Value::Object(body));
    let stored = ctx
        .core
        .entities
        .create(EntityWrite::new(doc, ctx.now))
        .await?;
    Ok(render_item(ctx, kind, body_of(stored)))
}

pub async fn update(
    ctx: &Ctx,
    owner: &str,
    kind: &str,
    id: &str,
    input: &Map<String, Value>,
) -> MsResult<Value> {
    let stored = load(ctx, owner, kind, id).await?;
    ctx.forget(kind, id);
    let mut doc = Document::new(stored.key.clone(), Value::Null);
    doc.version = stored.version;
    doc.body = Value::Object(apply(kind, &body_of(stored), input)?);
    let saved = ctx
        .core
        .entities
        .update(EntityWrite::new(doc, ctx.now))
        .await?;
    Ok(render_item(ctx, kind, body_of(saved)))
}

pub async fn delete(ctx: &Ctx, owner: &str, kind: &str, id: &str) -> MsResult<()> {
    load(ctx, owner, kind, id).await?;
    ctx.forget(kind, id);
    crate::engine::ensure_unused(ctx, kind, id).await?;
    ctx.core
        .entities
        .delete(&ctx.scope, kind, id, ctx.now)
        .await?;
    Ok(())
}

/// Object or array bodies of `POST .../attributes` and `.../states`.
pub async fn create_many(
    ctx: &Ctx,
    owner: &str,
    kind: &str,
    body: Value,
) -> MsResult<(StatusCode, Value)> {
    crate::engine::create_or_update_each(
        ctx,
        body,
        |input| async move { create(ctx, owner, kind, &input).await },
        |id, input| async move { update(ctx, owner, kind, &id, &input).await },
    )
    .await
}

/// `POST .../attributes/delete`: every listed definition goes, or none.
pub async fn delete_many(ctx: &Ctx, owner: &str, kind: &str, body: Value) -> MsResult<()> {
    let Value::Array(elements) = body else {
        return Err(MsError::new(2026, "Ожидается массив объектов"));
    };
    let mut ids = Vec::with_capacity(elements.len());
    for element in &elements {
        let href = element
            .get("meta")
            .and_then(|m| m.get("href"))
            .and_then(Value::as_str)
            .ok_or_else(|| MsError::new(2014, "Не указан объект meta"))?;
        let target = parse_href(&ctx.links, href)?;
        load(ctx, owner, kind, &target.id).await?;
        ids.push(target.id);
    }
    for id in ids {
        delete(ctx, owner, kind, &id).await?;
    }
    Ok(())
}

/// Applies `attributes: [{meta, value}]` of a write to the stored value map, checking each
/// value against its definition.
pub async fn apply_values(
    ctx: &Ctx,
    keyword: &str,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    let definitions = items(ctx, keyword, ATTRIBUTE).await?;
    let mut values = body
        .get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    match input.get("attributes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(given)) => {
            for element in given {
                let href = element
                    .get("meta")
                    .and_then(|m| m.get("href"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        MsError::new(2014, "Не указан объект meta в доп. поле").on("attributes")
                    })?;
                let target = parse_href(&ctx.links, href)?;
                if target.keyword != ATTRIBUTE {
                    return Err(
                        MsError::new(14003, format!("Неизвестное доп. поле: {href}"))
                            .on("attributes"),
                    );
                }
                if target.owner.as_deref() != Some(keyword) {
                    return Err(MsError::new(
                        14000,
                        format!("Доп. поле {href} принадлежит другой сущности"),
                    )
                    .on("attributes"));
                }
                let definition = definitions
                    .iter()
                    .find(|d| d.get("id").and_then(Value::as_str) == Some(target.id.as_str()))
                    .ok_or_else(|| {
                        MsError::new(14003, format!("Неизвестное доп. поле: {href}"))
                            .on("attributes")
                    })?;
                match element.get("value") {
                    None | Some(Value::Null) => {
                        values.remove(&target.id);
                    }
                    Some(value) => {
                        let stored = attribute_value(ctx, definition, value).await?;
                        values.insert(target.id.clone(), stored);
                    }
                }
            }
        }
        Some(_) => return Err(MsError::wrong_type("attributes")),
    }
    if creating {
        for definition in &definitions {
            let id = definition
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if definition.get("required") == Some(&json!(true)) && !values.contains_key(id) {
                let name = definition
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                return Err(MsError::new(
                    14009,
                    format!("Не указано значение обязательного доп. поля '{name}'"),
                )
                .on("attributes"));
            }
        }
    }
    if values.is_empty() {
        body.remove("attributes");
    } else {
        body.insert("attributes".into(), Value::Object(values));
    }
    Ok(())
}

/// A value as stored, checked against the definition's type.
async fn attribute_value(
    ctx: &Ctx,
    definition: &Map<String, Value>,
    value: &Value,
) -> MsResult<Value> {
    let ty = definition
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = definition
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("attributes");
    let wrong =
        || MsError::new(2028, format!("Неверное значение доп. поля '{name}'")).on("attributes");
    Ok(match ty {
        "string" | "text" | "link" => json!(value.as_str().ok_or_else(wrong)?),
        "time" => json!(format_time(
            parse_time(value.as_str().ok_or_else(wrong)?).ok_or_else(wrong)?
        )),
        "boolean" => json!(value.as_bool().ok_or_else(wrong)?),
        "long" => json!(value.as_i64().ok_or_else(wrong)?),
        "double" => json!(value.as_f64().ok_or_else(wrong)?),
        "file" => {
            return Err(MsError::new(2028, "Файловые доп. поля не поддерживаются").on("attributes"))
        }
        keyword => {
            let input = Map::from_iter([("value".to_owned(), value.clone())]);
            match fields::reference(ctx, &input, "value", keyword).await? {
                Given::Value(target) => stored_reference(keyword, &target.id),
                _ => return Err(wrong()),
            }
        }
    })
}

/// The stored value map as the vendor's array, in definition order.
pub async fn render_values(
    ctx: &Ctx,
    keyword: &str,
    body: &mut Map<String, Value>,
) -> MsResult<()> {
    let Some(Value::Object(values)) = body.remove("attributes") else {
        return Ok(());
    };
    let definitions = items(ctx, keyword, ATTRIBUTE).await?;
    let mut rendered = Vec::new();
    for definition in definitions {
        let id = definition
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(value) = values.get(&id) else {
            continue;
        };
        let ty = definition
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let value = match value.get("id").and_then(Value::as_str) {
            Some(target) if ENTITY_TYPES.contains(&ty.as_str()) => ctx.links.reference(&ty, target),
            _ => value.clone(),
        };
        rendered.push(json!({
            "meta": ctx.links.metadata_item(keyword, ATTRIBUTE, &id),
            "id": id,
            "name": definition.get("name").cloned().unwrap_or(Value::Null),
            "type": ty,
            "value": value,
        }));
    }
    body.insert("attributes".into(), Value::Array(rendered));
    Ok(())
}

/// The filter field for `filter=<definition href><op><value>`.
pub async fn filter_field(
    ctx: &Ctx,
    keyword: &str,
    href: &str,
) -> MsResult<Option<(String, FieldType)>> {
    let Ok(target) = parse_href(&ctx.links, href) else {
        return Ok(None);
    };
    if target.keyword != ATTRIBUTE || target.owner.as_deref() != Some(keyword) {
        return Ok(None);
    }
    let Some(definition) = ctx
        .core
        .entities
        .find(&ctx.scope, ATTRIBUTE, &target.id)
        .await?
    else {
        return Ok(None);
    };
    let ty = match definition
        .body
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
    {
        "string" | "text" | "link" => FieldType::Str,
        "time" => FieldType::Time,
        "boolean" => FieldType::Bool,
        "long" => FieldType::Int,
        "double" => FieldType::Float,
        "file" => return Ok(None),
        other => match ENTITY_TYPES.iter().find(|keyword| **keyword == other) {
            Some(keyword) => FieldType::Ref(keyword),
            None => return Ok(None),
        },
    };
    Ok(Some((format!("attributes.{}", target.id), ty)))
}
