//! Customers (individuals): create, upload, get, edit, list with the seed's filters,
//! fix-external-ids, combine and subscriptions; their history is `crate::history`.
//! A customer is stored under its integer id, with its external id as a lookup unique
//! within its site (`site` + external id: external ids are the shop's own). Corporate
//! customers (`crate::corporate`) are stored the same way under a kind of their own and
//! share what is here: the id sequence, and external ids unique across both kinds.

pub mod combine;
pub mod create;
pub mod edit;
pub mod fields;
pub mod fix;
pub mod list;
pub mod ranges;
pub mod read;

use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::error::{RetailError, RetailResult};
use crate::request::{Ctx, RetailRequest};
use crate::sites;

pub const CUSTOMER: &str = "customer";
/// Corporate customers: the kind, also their `type`.
pub const CORPORATE: &str = "customer_corporate";
/// The tombstone kind of a customer kind (`customer_combined`): what remains of a
/// customer combined into another, where it went (`combinedTo`).
pub fn combined_kind(kind: &str) -> String {
    format!("{kind}_combined")
}
/// The unique lookup of external ids.
const EXTERNAL_ID: &str = "externalId";

/// The lookup value of an external id: unique per site.
fn lookup(site: &str, external_id: &str) -> String {
    format!("{site}\u{1f}{external_id}")
}

/// The stored document of a customer body (individual or corporate, by its `type`), with
/// its external id lookup.
pub fn document(ctx: &Ctx, body: Value) -> Document {
    let kind = match body["type"].as_str() {
        Some(CORPORATE) => CORPORATE,
        _ => CUSTOMER,
    };
    keyed(ctx, kind, with_search(body))
}

/// The stored document of an entity of `kind` with an integer `id` and an external id
/// unique within its `site` (customers of either kind, orders): the lookup
/// `by_external_id` and `find_in` read.
pub fn keyed(ctx: &Ctx, kind: &str, body: Value) -> Document {
    let id = body["id"].to_string();
    let mut doc = Document::new(ctx.scope.key(kind, id), body);
    if let (Some(site), Some(external)) =
        (doc.body["site"].as_str(), doc.body["externalId"].as_str())
    {
        let value = lookup(site, external);
        doc = doc.with_lookup(EXTERNAL_ID, value);
    }
    doc
}

/// Adds `_search`: the names (a corporate customer's `nickName`), phones (also as bare
/// digits), lowercased, which `filter[name]` searches; `_tags` and `_attachedTags`: the
/// names of the tags (of the attached ones), which `filter[tags]`/`[attachedTags]` find.
fn with_search(mut body: Value) -> Value {
    let mut words: Vec<String> = ["firstName", "lastName", "patronymic", "nickName"]
        .iter()
        .filter_map(|f| body[*f].as_str().map(str::to_lowercase))
        .collect();
    for phone in body["phones"].as_array().into_iter().flatten() {
        if let Some(number) = phone["number"].as_str() {
            words.push(number.to_lowercase());
            words.push(number.chars().filter(char::is_ascii_digit).collect());
        }
    }
    let tags = body["tags"].as_array().cloned().unwrap_or_default();
    let names = |attached_only: bool| -> Value {
        tags.iter()
            .filter(|tag| !attached_only || tag["attached"] == true)
            .filter_map(|tag| tag["name"].as_str())
            .map(|name| Value::String(name.to_owned()))
            .collect()
    };
    let (all_tags, attached) = (names(false), names(true));
    if let Some(object) = body.as_object_mut() {
        object.insert("_search".into(), Value::String(words.join(" ")));
        object.insert("_tags".into(), all_tags);
        object.insert("_attachedTags".into(), attached);
    }
    body
}

/// The customer as the API shows it: without Twin's own fields.
pub fn public(body: &Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `{id, externalId?, site}`: how history records and `combinedTo` name a customer.
pub fn identity(body: &Value) -> Value {
    pick(body, &["id", "externalId", "site"])
}

/// The members `fields` of `body` that are there (not null), in that order: how records
/// name an entity or a part of one.
pub fn pick(body: &Value, fields: &[&str]) -> Value {
    let mut out = Map::new();
    for field in fields {
        if !body[field].is_null() {
            out.insert((*field).to_owned(), body[field].clone());
        }
    }
    Value::Object(out)
}

/// The customer a path names (`by` = `externalId` or `id`), within the request's site
/// when it names one. A customer combined into another answers 404 with `combinedTo`.
pub async fn find(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    reference: &str,
) -> RetailResult<Document> {
    find_of(ctx, CUSTOMER, request, reference).await
}

/// `find` for a customer kind (`CUSTOMER`, `CORPORATE`).
pub async fn find_of(
    ctx: &Ctx,
    kind: &str,
    request: &RetailRequest<'_>,
    reference: &str,
) -> RetailResult<Document> {
    let by_id = request.by_id()?;
    let site = sites::resolve(ctx, request).await?;
    find_in(ctx, kind, by_id, site.as_deref(), reference).await
}

/// The customer of `kind` that `reference` names (its id when `by_id`, else its external
/// id), within `site` when given; one since combined into another is 404 with `state:
/// "removed"` and `combinedTo`.
pub async fn find_in(
    ctx: &Ctx,
    kind: &str,
    by_id: bool,
    site: Option<&str>,
    reference: &str,
) -> RetailResult<Document> {
    let found = if by_id {
        ctx.numbered(kind, reference).await?
    } else {
        by_external_id(ctx, kind, site, reference).await?
    };
    if let Some(doc) = found {
        let doc_site = doc.body["site"].as_str().unwrap_or_default();
        if !ctx.may_reach(doc_site) {
            return Err(RetailError::site_denied(doc_site));
        }
        if site.is_none_or(|s| s == doc_site) {
            return Ok(doc);
        }
    }
    Err(combined(ctx, kind, by_id, reference).await?)
}

/// The live customer of `kind` with this external id, in `site` when given (else the
/// first one the key reaches).
pub async fn by_external_id(
    ctx: &Ctx,
    kind: &str,
    site: Option<&str>,
    external_id: &str,
) -> RetailResult<Option<Document>> {
    if let Some(site) = site {
        return Ok(ctx
            .core
            .entities
            .find_by(&ctx.scope, kind, EXTERNAL_ID, &lookup(site, external_id))
            .await?);
    }
    let query = ListQuery::new(ctx.scope.clone(), kind)
        .filter(Filter::eq("externalId", external_id))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 100,
        });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page
        .items
        .into_iter()
        .find(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default())))
}

/// Whether a customer of either kind has this external id in the site: the seed wants
/// them unique across individuals and corporate customers.
pub async fn external_id_taken(ctx: &Ctx, site: &str, external_id: &str) -> RetailResult<bool> {
    for kind in [CUSTOMER, CORPORATE] {
        if by_external_id(ctx, kind, Some(site), external_id)
            .await?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// 404; for an entity combined into another (a customer, an order) also `state:
/// "removed"` (the seed: reading or editing a removed one "returns state=removed in the
/// answer") and `combinedTo`, the entity it went into.
async fn combined(
    ctx: &Ctx,
    kind: &str,
    by_id: bool,
    reference: &str,
) -> RetailResult<RetailError> {
    let tombstones = combined_kind(kind);
    let tombstone = if by_id {
        ctx.core
            .entities
            .find(&ctx.scope, &tombstones, reference)
            .await?
    } else {
        let query = ListQuery::new(ctx.scope.clone(), tombstones)
            .filter(Filter::eq("externalId", reference))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 1,
            });
        ctx.core.entities.list(&query).await?.items.pop()
    };
    Ok(match tombstone {
        Some(doc) => RetailError::not_found()
            .with("state", json!("removed"))
            .with("combinedTo", doc.body["combinedTo"].clone()),
        None => RetailError::not_found(),
    })
}

/// The entity document of a write (`customer=<json>`): an object, else 400.
pub fn entity(request: &RetailRequest<'_>, name: &str) -> RetailResult<Map<String, Value>> {
    match request.document(name)? {
        Value::Object(map) => Ok(map),
        _ => Err(RetailError::bad_request(format!(
            "Parameter '{name}' must be a JSON object"
        ))),
    }
}

/// The error of an external id already taken in the site. *Inferred* text.
pub fn taken(_: &str) -> RetailError {
    RetailError::entity(
        [(
            "externalId".to_owned(),
            "Customer with the same externalId already exists.".to_owned(),
        )]
        .into(),
    )
}

/// `{"id": N}` of an answer, with the envelope.
pub fn id_answer(id: &Value) -> Value {
    crate::request::success(json!({ "id": id }))
}
