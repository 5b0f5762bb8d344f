//! The operations every entity type shares: list, get, create, partial update, delete,
//! mass create/update and mass delete, and rendering stored bodies with `meta`, references
//! and `expand`. Entity modules only supply their field rules (`model::Entity`).
//! Entities are stored through `insert`, `replace` and `remove`, which queue the webhooks
//! each write causes in the same transaction.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::{Document, ListQuery, PageRequest};

use crate::entities;
use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::filter::{self, list_filter, sort_keys, Field};
use crate::metadata;
use crate::model::{Ctx, Entity};
use crate::params::{echo_query, page_query, ListParams};
use crate::representation::{external_code, metadata_owner, parse_reference};
use crate::webhooks::{entity_deliveries, updated_fields, Change};

/// The most elements one mass request may carry.
pub const MAX_BATCH: usize = 1000;
/// How deep `expand` follows references.
const MAX_EXPAND_DEPTH: usize = 3;

fn body_of(doc: Document) -> Map<String, Value> {
    match doc.body {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A stored body as the client sees it.
pub fn render<'a>(
    ctx: &'a Ctx,
    entity: &'a dyn Entity,
    mut body: Map<String, Value>,
    expand: &'a [String],
    depth: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = MsResult<Value>> + Send + 'a>> {
    Box::pin(async move {
        let info = entity.info();
        let id = body
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        entity.decorate(ctx, &mut body, expand).await?;
        if info.attributes {
            metadata::render_values(ctx, metadata_owner(info.keyword), &mut body).await?;
        }
        for (field, keyword) in info.references() {
            let Some(stored) = body.get(field) else {
                continue;
            };
            let Some(target) = stored.get("id").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            // A field may take several types (a contract's agent); the stored type wins.
            let keyword = stored
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or(keyword)
                .to_owned();
            let keyword = keyword.as_str();
            let nested: Vec<String> = expand
                .iter()
                .filter_map(|p| {
                    p.strip_prefix(field)
                        .and_then(|rest| rest.strip_prefix('.'))
                })
                .map(str::to_owned)
                .collect();
            if let (Some(holder), Some(holder_id)) = (
                stored.get("entity").and_then(Value::as_str),
                stored.get("entityId").and_then(Value::as_str),
            ) {
                let meta = ctx.links.account_meta(holder, holder_id, &target);
                body.insert(field.into(), json!({ "meta": meta }));
                continue;
            }
            if let Some(owner) = stored.get("entity").and_then(Value::as_str) {
                let meta = ctx.links.metadata_item(owner, keyword, &target);
                body.insert(field.into(), json!({ "meta": meta }));
                continue;
            }
            let expanded = expand.iter().any(|p| p == field) && depth < MAX_EXPAND_DEPTH;
            let rendered = match (expanded, entities::by_keyword(keyword)) {
                (true, Some(target_entity)) => match ctx.find(keyword, &target).await? {
                    Some(doc) => {
                        render(ctx, target_entity, body_of(doc), &nested, depth + 1).await?
                    }
                    None => ctx.links.reference(keyword, &target),
                },
                _ => ctx.links.reference(keyword, &target),
            };
            body.insert(field.into(), rendered);
        }
        body.insert("meta".into(), ctx.links.meta(info.keyword, &id));
        Ok(Value::Object(body))
    })
}

/// Refuses `expand` paths that name no reference of the entity.
pub fn check_expand(entity: &dyn Entity, expand: &[String]) -> MsResult<()> {
    for path in expand {
        let first = path.split('.').next().unwrap_or_default();
        let nested = entity.nested_expands().contains(&path.as_str());
        if !nested && !entity.info().references().any(|(field, _)| field == first) {
            return Err(MsError::expand(path));
        }
    }
    Ok(())
}

pub async fn list(ctx: &Ctx, entity: &dyn Entity, params: &ListParams) -> MsResult<Value> {
    let info = entity.info();
    check_expand(entity, &params.expand)?;
    let mut query = ListQuery::new(ctx.scope.clone(), info.keyword).page(PageRequest::Offset {
        offset: params.offset,
        limit: params.limit as u32,
    });
    let terms = filter::parse(params.filter.as_deref())?;
    let mut attributes = std::collections::BTreeMap::new();
    if info.attributes {
        for name in terms
            .iter()
            .map(|term| term.name.clone())
            .filter(|n| n.contains("://"))
        {
            let owner = metadata_owner(info.keyword);
            if let Some((stored, ty)) = metadata::filter_field(ctx, owner, &name).await? {
                attributes.insert(name.clone(), Field { name, stored, ty });
            }
        }
    }
    query.filter = list_filter(
        &ctx.links,
        info,
        &terms,
        params.search.as_deref(),
        &attributes,
    )?;
    query.sort = sort_keys(info, params.order.as_deref())?;
    let page = ctx.core.entities.list(&query).await?;
    let size = page.total.unwrap_or_default();
    let _remembering = ctx.remembering();
    entity.prepare_page(ctx, &page.items).await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for doc in page.items {
        rows.push(render(ctx, entity, body_of(doc), &params.expand, 0).await?);
    }
    Ok(list_answer(ctx, info.keyword, params, size, rows))
}

/// A list response: `context`, `meta` (the request's href, total size, page links) and
/// the page's rows.
pub fn list_answer(
    ctx: &Ctx,
    keyword: &str,
    params: &ListParams,
    size: u64,
    rows: Vec<Value>,
) -> Value {
    let href = format!("{}/entity/{}", ctx.links.root, keyword);
    let echoed = echo_query(&params.pairs);
    let mut meta = ctx.links.collection_meta(
        if echoed.is_empty() {
            href.clone()
        } else {
            format!("{href}?{echoed}")
        },
        keyword,
        size,
        params.limit,
        params.offset,
    );
    meta.insert("metadataHref".into(), json!(ctx.links.metadata(keyword)));
    if params.offset + params.limit < size {
        let next = page_query(&params.pairs, params.offset + params.limit, params.limit);
        meta.insert("nextHref".into(), json!(format!("{href}?{next}")));
    }
    if params.offset > 0 {
        let (offset, limit) = if params.offset < params.limit {
            (0, params.offset)
        } else {
            (params.offset - params.limit, params.limit)
        };
        let previous = page_query(&params.pairs, offset, limit);
        meta.insert("previousHref".into(), json!(format!("{href}?{previous}")));
    }
    json!({ "context": ctx.links.context(), "meta": meta, "rows": rows })
}

pub async fn load(ctx: &Ctx, entity: &dyn Entity, id: &str) -> MsResult<Document> {
    ctx.core
        .entities
        .find(&ctx.scope, entity.info().keyword, id)
        .await?
        .ok_or_else(|| MsError::not_found(entity.info().keyword, id))
}

pub async fn get(ctx: &Ctx, entity: &dyn Entity, id: &str, expand: &[String]) -> MsResult<Value> {
    check_expand(entity, expand)?;
    let doc = load(ctx, entity, id).await?;
    render(ctx, entity, body_of(doc), expand, 0).await
}

/// Fields every common entity takes on create and update. `shared` starts as the entity's
/// `create` left it (catalog goods follow the catalog settings), else `true`.
async fn common_fields(
    ctx: &Ctx,
    entity: &dyn Entity,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    if creating {
        body.insert(
            "accountId".into(),
            json!(crate::seed::account_uuid(&ctx.account)),
        );
        if entity.has_owner() {
            body.insert("owner".into(), stored_reference("employee", &ctx.employee));
            body.insert(
                "group".into(),
                stored_reference("group", &crate::seed::group_id(&ctx.account)),
            );
            body.entry("shared").or_insert(json!(true));
        }
        body.insert("archived".into(), json!(false));
        body.insert("externalCode".into(), json!(external_code()));
    }
    if entity.has_owner() {
        for (field, keyword) in [("owner", "employee"), ("group", "group")] {
            if let Given::Value(target) = fields::reference(ctx, input, field, keyword).await? {
                body.insert(field.into(), stored_reference(keyword, &target.id));
            }
        }
        fields::set_bool(body, input, "shared")?;
    }
    fields::set_bool(body, input, "archived")?;
    fields::set_string(body, input, "externalCode", 255, true)?;
    body.insert("updated".into(), json!(ctx.now_text()));
    body.insert("updatedBy".into(), json!(ctx.uid));
    Ok(())
}

/// The fields the engine handles for every type: common fields and attribute values.
async fn shared_fields(
    ctx: &Ctx,
    entity: &dyn Entity,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    let info = entity.info();
    if info.common {
        common_fields(ctx, entity, body, input, creating).await?;
    }
    if info.attributes {
        let owner = metadata_owner(info.keyword);
        metadata::apply_values(ctx, owner, body, input, creating).await?;
    }
    Ok(())
}

/// `id` is read-only, but a value that is not a UUID is refused as the wrong type.
fn check_id(input: &Map<String, Value>) -> MsResult<()> {
    match input.get("id") {
        Some(Value::String(id)) if uuid::Uuid::parse_str(id).is_ok() => Ok(()),
        Some(Value::Null) | None => Ok(()),
        Some(_) => Err(MsError::wrong_type("id")),
    }
}

/// The document to store for a body, with the keys the entity keeps unique.
fn document(entity: &dyn Entity, key: twin_store::DocKey, body: Map<String, Value>) -> Document {
    let keys = entity.unique_keys(&body);
    keys.into_iter().fold(
        Document::new(key, Value::Object(body)),
        |doc, (name, value)| doc.with_lookup(name, value),
    )
}

pub async fn create(
    ctx: &Ctx,
    entity: &dyn Entity,
    input: &Map<String, Value>,
) -> MsResult<Document> {
    let body = build(ctx, entity, input).await?;
    let id = ctx.core.ids.uuid(&ctx.account, crate::DIALECT).await?;
    let stored = insert(ctx, identified(ctx, entity, body, &id.to_string())).await?;
    created(ctx, entity, &stored).await?;
    Ok(stored)
}

/// The body a create would store, checked and filled in, without its id.
async fn build(
    ctx: &Ctx,
    entity: &dyn Entity,
    input: &Map<String, Value>,
) -> MsResult<Map<String, Value>> {
    if !entity.info().writable {
        return Err(MsError::method_not_allowed("POST"));
    }
    check_id(input)?;
    let mut body = entity.create(ctx, input).await?;
    shared_fields(ctx, entity, &mut body, input, true).await?;
    Ok(body)
}

fn identified(ctx: &Ctx, entity: &dyn Entity, mut body: Map<String, Value>, id: &str) -> Document {
    body.insert("id".into(), json!(id));
    document(entity, ctx.scope.key(entity.info().keyword, id), body)
}

async fn created(ctx: &Ctx, entity: &dyn Entity, stored: &Document) -> MsResult<()> {
    let empty = Map::new();
    entity
        .after_create(ctx, stored.body.as_object().unwrap_or(&empty))
        .await
}

/// Creates an entity per input as a mass create does: each checked on its own, those
/// that pass stored in one transaction. Results in input order.
pub async fn create_all(
    ctx: &Ctx,
    entity: &dyn Entity,
    inputs: &[Map<String, Value>],
) -> MsResult<Vec<MsResult<Document>>> {
    let _remembering = ctx.remembering();
    let all: Vec<&Map<String, Value>> = inputs.iter().collect();
    entity.prepare_creates(ctx, &all).await?;
    let mut batch = Elements::default();
    for (index, input) in inputs.iter().enumerate() {
        ctx.elements_left(inputs.len() - index);
        batch.check_create(ctx, entity, input).await;
    }
    Ok(batch
        .store_creates(ctx, entity)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// A mass request's results in element order, with the bodies of the creates checked so
/// far, stored together at the end.
#[derive(Default)]
struct Elements {
    results: Vec<Option<MsResult<Document>>>,
    /// Each create's slot in `results`, and its built body.
    creates: Vec<(usize, Map<String, Value>)>,
}

impl Elements {
    /// Checks a create: its result stays open until the creates are stored, or is its error.
    async fn check_create(&mut self, ctx: &Ctx, entity: &dyn Entity, input: &Map<String, Value>) {
        match build(ctx, entity, input).await {
            Ok(body) => {
                self.creates.push((self.results.len(), body));
                self.results.push(None);
            }
            Err(error) => self.results.push(Some(Err(error))),
        }
    }

    /// Stores the checked creates together; every slot then holds its result.
    async fn store_creates(
        self,
        ctx: &Ctx,
        entity: &dyn Entity,
    ) -> MsResult<Vec<Option<MsResult<Document>>>> {
        let mut results = self.results;
        let (slots, bodies): (Vec<usize>, Vec<_>) = self.creates.into_iter().unzip();
        for (slot, result) in slots
            .into_iter()
            .zip(create_built(ctx, entity, bodies).await?)
        {
            results[slot] = Some(result);
        }
        Ok(results)
    }
}

/// Creates the built bodies in one transaction with their history and webhooks; when
/// that fails (a unique key taken), one by one, so each answers for itself.
async fn create_built(
    ctx: &Ctx,
    entity: &dyn Entity,
    bodies: Vec<Map<String, Value>>,
) -> MsResult<Vec<MsResult<Document>>> {
    if bodies.is_empty() {
        return Ok(Vec::new());
    }
    let ids = ctx
        .core
        .ids
        .uuids(&ctx.account, crate::DIALECT, bodies.len() as u32)
        .await?;
    let docs: Vec<Document> = bodies
        .into_iter()
        .zip(ids)
        .map(|(body, id)| identified(ctx, entity, body, &id.to_string()))
        .collect();
    let mut writes = Vec::with_capacity(docs.len());
    for doc in &docs {
        ctx.forget(&doc.key.kind, &doc.key.id);
        let mut write = EntityWrite::new(doc.clone(), ctx.now);
        write.deliveries =
            entity_deliveries(ctx, &doc.key.kind, &doc.key.id, &Change::Created).await?;
        writes.push(write);
    }
    let stored = match ctx.core.entities.create_many(writes).await {
        Ok(stored) => stored.into_iter().map(Ok).collect(),
        Err(_) => {
            let mut one_by_one = Vec::with_capacity(docs.len());
            for doc in docs {
                one_by_one.push(insert(ctx, doc).await);
            }
            one_by_one
        }
    };
    let mut results = Vec::with_capacity(stored.len());
    for result in stored {
        results.push(match result {
            Ok(doc) => created(ctx, entity, &doc).await.map(|()| doc),
            Err(error) => Err(error),
        });
    }
    Ok(results)
}

pub async fn update(
    ctx: &Ctx,
    entity: &dyn Entity,
    id: &str,
    input: &Map<String, Value>,
) -> MsResult<Document> {
    let info = entity.info();
    if !info.writable {
        return Err(MsError::method_not_allowed("PUT"));
    }
    check_id(input)?;
    let stored = load(ctx, entity, id).await?;
    let version = stored.version;
    let key = stored.key.clone();
    let stored = body_of(stored);
    let mut body = entity.update(ctx, &stored, input).await?;
    shared_fields(ctx, entity, &mut body, input, false).await?;
    let mut doc = document(entity, key, body);
    doc.version = version;
    let stored = replace(ctx, doc, &stored).await?;
    entity
        .after_update(ctx, stored.body.as_object().unwrap_or(&Map::new()))
        .await?;
    Ok(stored)
}

/// Every document the query matches, in one page and without counting them.
pub async fn all(ctx: &Ctx, query: ListQuery) -> MsResult<Vec<Document>> {
    let mut query = query.page(PageRequest::Offset {
        offset: 0,
        limit: u32::MAX,
    });
    query.count_total = false;
    Ok(ctx.core.entities.list(&query).await?.items)
}

/// Every entity of `kind` whose reference `field` points at `id`.
pub async fn referring(ctx: &Ctx, kind: &str, field: &str, id: &str) -> MsResult<Vec<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), kind)
        .filter(twin_store::Filter::eq(&format!("{field}.id"), id));
    all(ctx, query).await
}

/// Stores `value` as the document's `field`, past the entity's write rules: for fields that
/// follow other entities (a folder's path, a variant's name). The new body if it changed.
pub async fn rewrite_field(
    ctx: &Ctx,
    doc: Document,
    field: &str,
    value: Value,
) -> MsResult<Option<Map<String, Value>>> {
    if doc.body.get(field) == Some(&value) {
        return Ok(None);
    }
    let before = body_of(doc.clone());
    let mut body = before.clone();
    body.insert(field.into(), value);
    let mut updated = Document::new(doc.key, Value::Object(body.clone()));
    updated.version = doc.version;
    replace(ctx, updated, &before).await?;
    Ok(Some(body))
}

/// Which stored fields refer to which types: `(target type, using type, path of the id)`.
/// A path with `{id}` names a map keyed by the target's id (a bundle's components): any
/// entry there is a use.
const USAGES: [(&str, &str, &str); 21] = [
    ("currency", "contract", "rate.currency.id"),
    ("organization", "contract", "ownAgent.id"),
    ("counterparty", "contract", "agent.id"),
    ("state", "contract", "state.id"),
    ("account", "contract", "organizationAccount.id"),
    ("account", "contract", "agentAccount.id"),
    ("bonusprogram", "bonustransaction", "bonusProgram.id"),
    ("counterparty", "bonustransaction", "agent.id"),
    ("organization", "bonustransaction", "agent.id"),
    ("organization", "bonustransaction", "organization.id"),
    ("productfolder", "product", "productFolder.id"),
    ("productfolder", "service", "productFolder.id"),
    ("productfolder", "bundle", "productFolder.id"),
    ("uom", "product", "uom.id"),
    ("uom", "service", "uom.id"),
    ("uom", "bundle", "uom.id"),
    ("counterparty", "product", "supplier.id"),
    ("organization", "product", "supplier.id"),
    ("product", "bundle", "components.{id}"),
    ("service", "bundle", "components.{id}"),
    ("variant", "bundle", "components.{id}"),
];

/// How many blockers a 1028 answer lists at most.
const MAX_DEPENDENCIES: u32 = 10;

/// The filter for entities whose `path` refers to `id`.
fn usage_filter(path: &str, id: &str) -> twin_store::Filter {
    if path.contains("{id}") {
        twin_store::Filter::IsEmpty {
            path: twin_store::Filter::path(&path.replace("{id}", id)),
            empty: false,
        }
    } else {
        twin_store::Filter::eq(path, id)
    }
}

/// Refuses to delete an entity others still refer to (409, code 1028, with the blockers).
/// What goes with an entity instead (a product's variants) is not listed here: its
/// `before_delete` removes it.
pub async fn ensure_unused(ctx: &Ctx, keyword: &str, id: &str) -> MsResult<()> {
    let mut dependencies = Vec::new();
    for (_, using, path) in USAGES.iter().filter(|(target, _, _)| *target == keyword) {
        let query = ListQuery::new(ctx.scope.clone(), *using)
            .filter(usage_filter(path, id))
            .page(PageRequest::Offset {
                offset: 0,
                limit: MAX_DEPENDENCIES,
            });
        for doc in ctx.core.entities.list(&query).await?.items {
            dependencies.push(ctx.links.meta(using, &doc.key.id));
        }
    }
    if dependencies.is_empty() {
        return Ok(());
    }
    Err(MsError::in_use(keyword, id, dependencies))
}

pub async fn delete(ctx: &Ctx, entity: &dyn Entity, id: &str) -> MsResult<()> {
    let info = entity.info();
    if !info.writable {
        return Err(MsError::method_not_allowed("DELETE"));
    }
    let stored = load(ctx, entity, id).await?;
    ensure_unused(ctx, info.keyword, id).await?;
    entity.before_delete(ctx, &body_of(stored)).await?;
    remove(ctx, info.keyword, id).await
}

/// Stores a new entity, with the webhooks its creation causes.
pub async fn insert(ctx: &Ctx, doc: Document) -> MsResult<Document> {
    ctx.forget(&doc.key.kind, &doc.key.id);
    let mut write = EntityWrite::new(doc, ctx.now);
    write.deliveries = entity_deliveries(
        ctx,
        &write.doc.key.kind,
        &write.doc.key.id,
        &Change::Created,
    )
    .await?;
    Ok(ctx.core.entities.create(write).await?)
}

/// Stores a changed entity read as `before` (`doc.version` is the version read), with the
/// webhooks the update causes.
pub async fn replace(ctx: &Ctx, doc: Document, before: &Map<String, Value>) -> MsResult<Document> {
    ctx.forget(&doc.key.kind, &doc.key.id);
    let after = doc.body.as_object().cloned().unwrap_or_default();
    let change = Change::Updated(updated_fields(before, &after));
    let mut write = EntityWrite::new(doc, ctx.now);
    write.deliveries =
        entity_deliveries(ctx, &write.doc.key.kind, &write.doc.key.id, &change).await?;
    Ok(ctx.core.entities.update(write).await?)
}

/// Deletes an entity, with the webhooks its deletion causes.
pub async fn remove(ctx: &Ctx, keyword: &str, id: &str) -> MsResult<()> {
    ctx.forget(keyword, id);
    let deliveries = entity_deliveries(ctx, keyword, id, &Change::Deleted).await?;
    ctx.core
        .entities
        .delete_with(&ctx.scope, keyword, id, ctx.now, deliveries)
        .await?;
    Ok(())
}

fn elements(body: Value) -> MsResult<Vec<Value>> {
    let Value::Array(items) = body else {
        return Err(MsError::new(2026, "Ожидается массив объектов"));
    };
    if items.is_empty() {
        return Err(MsError::empty_batch());
    }
    if items.len() > MAX_BATCH {
        return Err(MsError::new(
            2007,
            "Превышено максимальное количество элементов в массиве (1000)",
        )
        .with_status(StatusCode::PAYLOAD_TOO_LARGE));
    }
    Ok(items)
}

/// The answer to a mass operation: 200 with per-element results in request order (an
/// entity, or an error object where that element failed), as the vendor's spec describes
/// it; only when every element failed, the first failure's status.
pub fn mass_answer(results: Vec<MsResult<Value>>) -> (StatusCode, Value) {
    let status = match results.iter().find_map(|r| r.as_ref().err()) {
        Some(error) if results.iter().all(Result::is_err) => error.status,
        _ => StatusCode::OK,
    };
    let items = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|error| error.body()))
        .collect();
    (status, Value::Array(items))
}

/// Mass create/update: elements with `meta.href` update that entity, others are created.
pub async fn mass(
    ctx: &Ctx,
    entity: &dyn Entity,
    body: Value,
    expand: &[String],
) -> MsResult<(StatusCode, Value)> {
    let items = elements(body)?;
    let keyword = entity.info().keyword;
    let _remembering = ctx.remembering();
    let creates: Vec<&Map<String, Value>> = items
        .iter()
        .filter_map(Value::as_object)
        .filter(|input| !input.contains_key("meta"))
        .collect();
    entity.prepare_creates(ctx, &creates).await?;
    // Updates run in element order; creates are checked in order and stored together.
    let count = items.len();
    let mut batch = Elements::default();
    for (index, item) in items.into_iter().enumerate() {
        ctx.elements_left(count - index);
        let Value::Object(input) = item else {
            batch.results.push(Some(Err(MsError::new(
                2016,
                "Элемент массива должен быть объектом",
            ))));
            continue;
        };
        if input.contains_key("meta") {
            let updated = match parse_reference(
                &ctx.links,
                &Value::Object(input.clone()),
                "meta",
                &[keyword],
            ) {
                Ok(target) => update(ctx, entity, &target.id, &input).await,
                Err(error) => Err(error),
            };
            batch.results.push(Some(updated));
            continue;
        }
        batch.check_create(ctx, entity, &input).await;
    }
    let results = batch.store_creates(ctx, entity).await?;
    let stored: Vec<Document> = results
        .iter()
        .filter_map(|result| result.as_ref().and_then(|r| r.as_ref().ok()).cloned())
        .collect();
    entity.prepare_page(ctx, &stored).await?;
    let mut answers = Vec::with_capacity(results.len());
    for result in results.into_iter().flatten() {
        answers.push(match result {
            Ok(doc) => render(ctx, entity, body_of(doc), expand, 0).await,
            Err(error) => Err(error),
        });
    }
    Ok(mass_answer(answers))
}

pub async fn mass_delete(
    ctx: &Ctx,
    entity: &dyn Entity,
    body: Value,
) -> MsResult<(StatusCode, Value)> {
    mass_delete_of(ctx, body, &[entity.info().keyword]).await
}

/// Deletes each element's entity, of any of the `allowed` types (the assortment deletes
/// goods of five types), answering per element.
pub async fn mass_delete_of(
    ctx: &Ctx,
    body: Value,
    allowed: &[&str],
) -> MsResult<(StatusCode, Value)> {
    let items = elements(body)?;
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let result = async {
            let target = parse_reference(&ctx.links, &item, "meta", allowed)?;
            let entity = entities::by_keyword(&target.keyword)
                .ok_or_else(|| MsError::unknown_type(&target.keyword))?;
            delete(ctx, entity, &target.id).await?;
            Ok(json!({ "info": format!(
                "Сущность '{}' с UUID: {} успешно удалена",
                target.keyword, target.id
            ) }))
        }
        .await;
        results.push(result);
    }
    Ok(mass_answer(results))
}

/// `POST` bodies that take an object (create one) or an array whose elements with `meta`
/// update and the others create, answered like other mass operations.
pub async fn create_or_update_each<C, CF, U, UF>(
    ctx: &Ctx,
    body: Value,
    create: C,
    update: U,
) -> MsResult<(StatusCode, Value)>
where
    C: Fn(Map<String, Value>) -> CF,
    CF: std::future::Future<Output = MsResult<Value>>,
    U: Fn(String, Map<String, Value>) -> UF,
    UF: std::future::Future<Output = MsResult<Value>>,
{
    match body {
        Value::Object(input) => Ok((StatusCode::OK, create(input).await?)),
        Value::Array(elements) => {
            let mut results = Vec::with_capacity(elements.len());
            for element in elements {
                let result = match element {
                    Value::Object(input) => {
                        match input
                            .get("meta")
                            .and_then(|m| m.get("href"))
                            .and_then(Value::as_str)
                        {
                            Some(href) => match crate::representation::parse_href(&ctx.links, href)
                            {
                                Ok(target) => update(target.id, input).await,
                                Err(error) => Err(error),
                            },
                            None => create(input).await,
                        }
                    }
                    _ => Err(MsError::new(2016, "Элемент массива должен быть объектом")),
                };
                results.push(result);
            }
            Ok(mass_answer(results))
        }
        _ => Err(MsError::not_object()),
    }
}
