//! Bundle components: what a bundle is made of, written with the bundle (`components` as a
//! list) or one by one under `/entity/bundle/{id}/components`. A bundle has 1 to 50
//! components (29000), each a product, service or variant at most once (29002), never a
//! bundle, a consignment, an alcoholic or a serial-tracked product (29003).
//!
//! The bundle stores them under `components` as a map keyed by the component's assortment
//! id, each entry with the component's `id`, `assortment`, `quantity` and `position`: the
//! key keeps a good to one place in the bundle and lets a delete find the bundles using a
//! good (`engine::ensure_unused`); `position` keeps the order they were given in.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use twin_store::Document;

use crate::engine;
use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::model::Ctx;
use crate::representation::{parse_href, Target, BUNDLE_COMPONENT};

/// The most components a bundle has.
const MAX_COMPONENTS: usize = 50;

fn count_error() -> MsError {
    MsError::new(
        29000,
        "Ошибка сохранения комплекта: некорректное число компонентов",
    )
    .on("components")
}

fn duplicate_error() -> MsError {
    MsError::new(
        29002,
        "Ошибка сохранения комплекта: комплект содержит повторяющиеся компоненты",
    )
    .on("components")
}

fn kind_error() -> MsError {
    MsError::new(
        29003,
        "Ошибка сохранения комплекта: компонент комплекта не может быть комплектом, партией, алкогольным товаром или товаром на серийном учете",
    )
    .on("components")
}

async fn find(ctx: &Ctx, keyword: &str, id: &str) -> MsResult<Map<String, Value>> {
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, keyword, id)
        .await?
        .and_then(|doc| doc.body.as_object().cloned())
        .unwrap_or_default())
}

/// Refuses what may not be a component: bundles, consignments, and products (or variants
/// of products) that are alcoholic or serial-tracked.
async fn ensure_allowed(ctx: &Ctx, target: &Target) -> MsResult<()> {
    let product = match target.keyword.as_str() {
        "service" => return Ok(()),
        "product" => find(ctx, "product", &target.id).await?,
        "variant" => {
            let variant = find(ctx, "variant", &target.id).await?;
            let product = variant["product"]["id"].as_str().unwrap_or_default();
            find(ctx, "product", product).await?
        }
        _ => return Err(kind_error()),
    };
    let alcoholic = product.get("alcoholic").is_some_and(|a| !a.is_null());
    if alcoholic || product.get("isSerialTrackable") == Some(&json!(true)) {
        return Err(kind_error());
    }
    Ok(())
}

/// The `assortment` of a component's write, checked.
async fn assortment(ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Given<Target>> {
    let allowed = ["product", "service", "variant", "bundle", "consignment"];
    let given = fields::reference_to(ctx, input, "assortment", &allowed).await?;
    if let Given::Value(target) = &given {
        ensure_allowed(ctx, target).await?;
    }
    Ok(given)
}

/// The `quantity` of a component's write: more than zero (3003).
fn quantity(input: &Map<String, Value>) -> MsResult<Option<f64>> {
    match fields::number(input, "quantity")? {
        Given::Value(quantity) if quantity <= 0.0 => Err(MsError::new(
            3003,
            "Ошибка сохранения объекта: поле 'quantity' должно быть больше нуля",
        )
        .on("quantity")),
        Given::Value(quantity) => Ok(Some(quantity)),
        _ => Ok(None),
    }
}

fn object(element: &Value) -> MsResult<&Map<String, Value>> {
    element.as_object().ok_or_else(|| {
        MsError::new(
            3012,
            "Ошибка валидации: для поля 'components' массив элементов не должен содержать атомарный тип или null",
        )
        .on("components")
    })
}

async fn new_id(ctx: &Ctx) -> MsResult<String> {
    Ok(ctx
        .core
        .ids
        .uuid(&ctx.account, crate::DIALECT)
        .await?
        .to_string())
}

/// One stored component.
fn stored(id: &str, target: &Target, quantity: f64, position: usize) -> Value {
    json!({
        "id": id,
        "assortment": stored_reference(&target.keyword, &target.id),
        "quantity": quantity,
        "position": position,
    })
}

/// The stored components of a bundle write's whole list (`current` being the bundle's
/// current ones): a component whose good stays keeps its id.
async fn from_input(
    ctx: &Ctx,
    given: &Value,
    current: &Map<String, Value>,
) -> MsResult<Map<String, Value>> {
    let Value::Array(elements) = given else {
        return Err(MsError::wrong_type("components"));
    };
    if elements.is_empty() || elements.len() > MAX_COMPONENTS {
        return Err(count_error());
    }
    let mut components = Map::new();
    for (position, element) in elements.iter().enumerate() {
        let element = object(element)?;
        let Given::Value(target) = assortment(ctx, element).await? else {
            return Err(MsError::required("assortment"));
        };
        if components.contains_key(&target.id) {
            return Err(duplicate_error());
        }
        let id = match current.get(&target.id).and_then(|c| c["id"].as_str()) {
            Some(id) => id.to_owned(),
            None => new_id(ctx).await?,
        };
        let quantity = quantity(element)?.unwrap_or(1.0);
        components.insert(target.id.clone(), stored(&id, &target, quantity, position));
    }
    Ok(components)
}

/// `components` of a bundle's write: the whole new list. A new bundle needs one (29000).
pub async fn set(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    let given = match input.get("components") {
        None | Some(Value::Null) if creating => return Err(count_error()),
        None | Some(Value::Null) => return Ok(()),
        Some(given) => given,
    };
    let current = body
        .get("components")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let components = from_input(ctx, given, &current).await?;
    body.insert("components".into(), Value::Object(components));
    Ok(())
}

/// The components in the order they were given.
fn ordered(components: &Map<String, Value>) -> Vec<&Value> {
    let mut all: Vec<&Value> = components.values().collect();
    all.sort_by_key(|c| c["position"].as_u64().unwrap_or_default());
    all
}

fn render_one(ctx: &Ctx, bundle_id: &str, component: &Value) -> Value {
    let id = component["id"].as_str().unwrap_or_default();
    let keyword = component["assortment"]["type"].as_str().unwrap_or_default();
    let target = component["assortment"]["id"].as_str().unwrap_or_default();
    json!({
        "meta": {
            "href": format!("{}/components/{id}", ctx.links.entity("bundle", bundle_id)),
            "type": BUNDLE_COMPONENT,
            "mediaType": "application/json",
        },
        "id": id,
        "accountId": crate::seed::account_uuid(&ctx.account),
        "assortment": ctx.links.reference(keyword, target),
        "quantity": component["quantity"],
    })
}

fn collection_meta(ctx: &Ctx, bundle_id: &str, size: usize) -> Map<String, Value> {
    let href = format!("{}/components", ctx.links.entity("bundle", bundle_id));
    ctx.links
        .collection_meta(href, BUNDLE_COMPONENT, size as u64, 1000, 0)
}

/// A bundle's `components` as the client sees them: the collection with its rows, as in
/// every vendor example of a bundle.
pub fn render(ctx: &Ctx, bundle_id: &str, components: &Map<String, Value>) -> Value {
    let rows: Vec<Value> = ordered(components)
        .into_iter()
        .map(|c| render_one(ctx, bundle_id, c))
        .collect();
    json!({ "meta": collection_meta(ctx, bundle_id, rows.len()), "rows": rows })
}

/// The stored bundle and its components.
async fn load(ctx: &Ctx, bundle_id: &str) -> MsResult<(Document, Map<String, Value>)> {
    let doc = ctx
        .core
        .entities
        .find(&ctx.scope, "bundle", bundle_id)
        .await?
        .ok_or_else(|| MsError::not_found("bundle", bundle_id))?;
    let components = doc.body["components"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    Ok((doc, components))
}

/// Stores the bundle with these components.
async fn save(ctx: &Ctx, doc: Document, components: Map<String, Value>) -> MsResult<()> {
    if components.is_empty() || components.len() > MAX_COMPONENTS {
        return Err(count_error());
    }
    let before = doc.body.as_object().cloned().unwrap_or_default();
    let mut body = before.clone();
    body.insert("components".into(), Value::Object(components));
    body.insert("updated".into(), json!(ctx.now_text()));
    let mut updated = Document::new(doc.key, Value::Object(body));
    updated.version = doc.version;
    engine::replace(ctx, updated, &before).await?;
    Ok(())
}

/// The key (assortment id) of the component with `id`.
fn key_of(components: &Map<String, Value>, id: &str) -> MsResult<String> {
    components
        .iter()
        .find(|(_, c)| c["id"] == json!(id))
        .map(|(key, _)| key.clone())
        .ok_or_else(|| MsError::not_found(BUNDLE_COMPONENT, id))
}

/// `GET /entity/bundle/{id}/components`.
pub async fn list(ctx: &Ctx, bundle_id: &str) -> MsResult<Value> {
    let (_, components) = load(ctx, bundle_id).await?;
    let rows: Vec<Value> = ordered(&components)
        .into_iter()
        .map(|c| render_one(ctx, bundle_id, c))
        .collect();
    let meta = collection_meta(ctx, bundle_id, rows.len());
    Ok(json!({ "context": ctx.links.context(), "meta": meta, "rows": rows }))
}

/// `GET /entity/bundle/{id}/components/{componentId}`.
pub async fn get(ctx: &Ctx, bundle_id: &str, id: &str) -> MsResult<Value> {
    let (_, components) = load(ctx, bundle_id).await?;
    let key = key_of(&components, id)?;
    Ok(render_one(ctx, bundle_id, &components[key.as_str()]))
}

async fn add(ctx: &Ctx, bundle_id: &str, input: &Map<String, Value>) -> MsResult<Value> {
    let (doc, mut components) = load(ctx, bundle_id).await?;
    let Given::Value(target) = assortment(ctx, input).await? else {
        return Err(MsError::required("assortment"));
    };
    if components.contains_key(&target.id) {
        return Err(duplicate_error());
    }
    let position = components
        .values()
        .filter_map(|c| c["position"].as_u64())
        .max()
        .map_or(0, |last| last as usize + 1);
    let component = stored(
        &new_id(ctx).await?,
        &target,
        quantity(input)?.unwrap_or(1.0),
        position,
    );
    let rendered = render_one(ctx, bundle_id, &component);
    components.insert(target.id, component);
    save(ctx, doc, components).await?;
    Ok(rendered)
}

/// `PUT /entity/bundle/{id}/components/{componentId}`: its good and quantity.
pub async fn update(
    ctx: &Ctx,
    bundle_id: &str,
    id: &str,
    input: &Map<String, Value>,
) -> MsResult<Value> {
    let (doc, mut components) = load(ctx, bundle_id).await?;
    let key = key_of(&components, id)?;
    let mut component = components.remove(&key).unwrap_or_default();
    let mut new_key = key;
    if let Given::Value(target) = assortment(ctx, input).await? {
        if components.contains_key(&target.id) {
            return Err(duplicate_error());
        }
        component["assortment"] = stored_reference(&target.keyword, &target.id);
        new_key = target.id;
    }
    if let Some(quantity) = quantity(input)? {
        component["quantity"] = json!(quantity);
    }
    let rendered = render_one(ctx, bundle_id, &component);
    components.insert(new_key, component);
    save(ctx, doc, components).await?;
    Ok(rendered)
}

/// `POST /entity/bundle/{id}/components`: one component or an array of them (elements
/// with `meta` update that component).
pub async fn add_many(ctx: &Ctx, bundle_id: &str, body: Value) -> MsResult<(StatusCode, Value)> {
    crate::engine::create_or_update_each(
        ctx,
        body,
        |input| async move { add(ctx, bundle_id, &input).await },
        |id, input| async move { update(ctx, bundle_id, &id, &input).await },
    )
    .await
}

/// `DELETE /entity/bundle/{id}/components/{componentId}`; the last one cannot go (29000).
pub async fn delete(ctx: &Ctx, bundle_id: &str, id: &str) -> MsResult<()> {
    let (doc, mut components) = load(ctx, bundle_id).await?;
    let key = key_of(&components, id)?;
    components.remove(&key);
    save(ctx, doc, components).await
}

/// `POST /entity/bundle/{id}/components/delete`: every listed component goes, or none.
pub async fn delete_many(ctx: &Ctx, bundle_id: &str, body: Value) -> MsResult<()> {
    let Value::Array(elements) = body else {
        return Err(MsError::new(2026, "Ожидается массив объектов"));
    };
    let (doc, mut components) = load(ctx, bundle_id).await?;
    for element in &elements {
        let href = element
            .get("meta")
            .and_then(|m| m.get("href"))
            .and_then(Value::as_str)
            .ok_or_else(|| MsError::new(2014, "Не указан объект meta"))?;
        let target = parse_href(&ctx.links, href)?;
        if target.keyword != BUNDLE_COMPONENT || target.owner_id.as_deref() != Some(bundle_id) {
            return Err(MsError::new(
                3033,
                format!("Ошибка валидации: Удаляемая дочерняя сущность с id = '{}' принадлежит другой родительской сущности", target.id),
            ));
        }
        let key = key_of(&components, &target.id)?;
        components.remove(&key);
    }
    save(ctx, doc, components).await
}
