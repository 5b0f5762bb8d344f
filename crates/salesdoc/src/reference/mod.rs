//! The generic reference engine the reference methods share (and the documents of later
//! parts reuse): records of one kind stored per account and filial, numbered `d0_N`
//! (`SD_id`), shown with the filial's prefix as `CS_id` (`F1-d0_N`; without a filial,
//! the same as `SD_id`), found by `CS_id` → `SD_id` → `code_1C` (not unique: the first,
//! lowest-numbered match), created when nothing matches, with their create and update
//! dates for `period` and `sort`.
//!
//! A kind is its [`RefKind`] (key, fields read and shown) and its [`rules::Rules`], data
//! for what sets it apart: how new records are numbered, whether an item without
//! identifiers creates one, whether GETs show `code_1C`, and its [`link::Link`]s to
//! records of other kinds. Every SET stores through [`upsert::StoreRecord`] (plain and
//! ruled kinds through [`upsert::Ruled`], kinds with more to do through their own
//! storer, reusing `identify`, `Target`, `save`), every GET through [`list::get_with`].

pub mod link;
pub mod list;
pub mod named;
pub mod rules;
pub mod upsert;

pub use link::nested;

use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest, SortKey};

use crate::batch;
use crate::error::SdResult;
use crate::request::Ctx;

/// Reads a SET item's own fields over the stored ones (none: a new record): the
/// record's fields, or the item's errors.
pub type ReadFields =
    fn(&Map<String, Value>, Option<&Map<String, Value>>) -> Result<Map<String, Value>, Vec<String>>;

/// One kind of reference: its key (the stored kind, the request group and the answer
/// member), how a record's own fields are read from a SET item and shown in a GET.
#[derive(Clone, Copy)]
pub struct RefKind {
    pub key: &'static str,
    /// The record's fields after applying a SET item to the stored ones (none: a new
    /// record), or the item's errors.
    pub read: ReadFields,
    /// The record's fields as a GET shows them, after the identifiers.
    pub render: fn(&Map<String, Value>) -> Map<String, Value>,
}

/// A stored record.
#[derive(Debug, Clone)]
pub struct Record {
    pub doc: Document,
    pub sd_id: String,
    pub code_1c: Option<String>,
    pub fields: Map<String, Value>,
}

impl Record {
    pub fn from_doc(doc: Document) -> Self {
        let body = &doc.body;
        Self {
            sd_id: doc.key.id.clone(),
            code_1c: body["code_1C"].as_str().map(str::to_owned),
            fields: body["fields"].as_object().cloned().unwrap_or_default(),
            doc,
        }
    }

    /// The record's `CS_id` in the request's filial.
    pub fn cs_id(&self, ctx: &Ctx) -> String {
        cs_id(ctx, &self.sd_id)
    }

    /// `{CS_id, SD_id, code_1C}` as a SET answer lists it.
    pub fn ids(&self, ctx: &Ctx) -> Map<String, Value> {
        batch::ids(
            Some(&self.cs_id(ctx)),
            Some(&self.sd_id),
            self.code_1c.as_deref(),
        )
    }

    /// `{CS_id, SD_id, code_1C, name}`: how documents show the cashbox, category or
    /// client they name.
    pub fn named_ids(&self, ctx: &Ctx) -> Value {
        let mut shown = self.ids(ctx);
        let name = self.fields.get("name").cloned().unwrap_or(Value::Null);
        shown.insert("name".into(), name);
        Value::Object(shown)
    }

    /// The record as a GET shows it.
    pub fn render(&self, ctx: &Ctx, kind: &RefKind) -> Value {
        let mut shown = self.ids(ctx);
        shown.extend((kind.render)(&self.fields));
        Value::Object(shown)
    }
}

/// `F1-d0_N` in a filial, `d0_N` without one.
pub fn cs_id(ctx: &Ctx, sd_id: &str) -> String {
    match ctx.prefix() {
        Some(prefix) => format!("{prefix}-{sd_id}"),
        None => sd_id.to_owned(),
    }
}

/// The `SD_id` a `CS_id` names in the request's filial: the filial's prefix (any case)
/// stripped; `None` when it carries another prefix.
pub fn sd_of_cs(ctx: &Ctx, cs_id: &str) -> Option<String> {
    match (ctx.prefix(), cs_id.split_once('-')) {
        (Some(prefix), Some((given, sd))) if given.eq_ignore_ascii_case(prefix) => {
            Some(sd.to_owned())
        }
        (None, None) => Some(cs_id.to_owned()),
        _ => None,
    }
}

/// The filter of a kind's records in the request's filial.
pub fn in_filial(ctx: &Ctx) -> Filter {
    Filter::eq("filial", ctx.filial_id())
}

/// The record of the kind stored as `key` with this `SD_id` in the request's filial (by
/// the kind's name alone, so one kind finds another's records: visits their clients).
pub async fn by_sd_in(ctx: &Ctx, key: &str, sd_id: &str) -> SdResult<Option<Record>> {
    let doc = ctx.core.store.get(&ctx.scope.key(key, sd_id)).await?;
    Ok(doc
        .filter(|doc| doc.body["filial"].as_str() == Some(ctx.filial_id()))
        .map(Record::from_doc))
}

/// The first (lowest-numbered) record of the kind stored as `key` with this `code_1C` in
/// the request's filial.
pub async fn by_code_in(ctx: &Ctx, key: &str, code_1c: &str) -> SdResult<Option<Record>> {
    first_where(ctx, key, vec![Filter::eq("code_1C", code_1c)]).await
}

/// The first (lowest-numbered) record of the kind stored as `key` in the request's
/// filial that matches every filter.
pub async fn first_where(ctx: &Ctx, key: &str, filters: Vec<Filter>) -> SdResult<Option<Record>> {
    Ok(records_where(ctx, key, filters, 1)
        .await?
        .into_iter()
        .next())
}

/// The first `limit` records (lowest-numbered) of the kind stored as `key` in the
/// request's filial that match every filter.
pub async fn records_where(
    ctx: &Ctx,
    key: &str,
    filters: Vec<Filter>,
    limit: u32,
) -> SdResult<Vec<Record>> {
    let mut all = vec![in_filial(ctx)];
    all.extend(filters);
    let query = ListQuery::new(ctx.scope.clone(), key)
        .filter(Filter::And(all))
        .sort(SortKey::asc("n"))
        .page(PageRequest::Offset { offset: 0, limit });
    let page = ctx.core.store.list(&query).await?;
    Ok(page.items.into_iter().map(Record::from_doc).collect())
}

/// The identifiers a SET item or a nested reference gives (empty ones are absent).
#[derive(Debug, Clone, Default)]
pub struct Ids {
    pub cs_id: Option<String>,
    pub sd_id: Option<String>,
    pub code_1c: Option<String>,
}

impl Ids {
    pub fn of(item: &Map<String, Value>) -> Self {
        let get = |name: &str| item.get(name).and_then(crate::values::text);
        Self {
            cs_id: get("CS_id"),
            sd_id: get("SD_id"),
            code_1c: get("code_1C"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.cs_id.is_none() && self.sd_id.is_none() && self.code_1c.is_none()
    }
}

/// The record the identifiers find: `CS_id` first, then `SD_id`, then `code_1C`.
pub async fn find(ctx: &Ctx, kind: &RefKind, ids: &Ids) -> SdResult<Option<Record>> {
    find_in(ctx, kind.key, ids).await
}

/// [`find`] for the kind stored as `key`.
pub async fn find_in(ctx: &Ctx, key: &str, ids: &Ids) -> SdResult<Option<Record>> {
    if let Some(sd) = ids.cs_id.as_deref().and_then(|cs| sd_of_cs(ctx, cs)) {
        if let Some(found) = by_sd_in(ctx, key, &sd).await? {
            return Ok(Some(found));
        }
    }
    if let Some(sd) = &ids.sd_id {
        if let Some(found) = by_sd_in(ctx, key, sd).await? {
            return Ok(Some(found));
        }
    }
    match &ids.code_1c {
        Some(code) => by_code_in(ctx, key, code).await,
        None => Ok(None),
    }
}

/// A stored body: the number (for order), the filial, the 1C code, the dates and the
/// kind's own fields.
pub fn body(
    n: i64,
    ctx: &Ctx,
    code_1c: Option<&str>,
    created: &str,
    updated: &str,
    fields: Map<String, Value>,
) -> Value {
    json!({
        "n": n,
        "filial": ctx.filial_id(),
        "code_1C": code_1c,
        "created": created,
        "updated": updated,
        "fields": fields,
    })
}
