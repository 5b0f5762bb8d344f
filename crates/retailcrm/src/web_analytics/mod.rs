//! Web analytics: batch uploads of clientIds, sources and visits, each record linked to
//! an order or a customer of the account. What they change is in the entities the vendor
//! shows: a customer's `firstClientId`/`lastClientId` and `source`, an order's `source`
//! (with history records). The records themselves are kept per account (kinds below) and
//! read through Twin's admin API (`crate::admin_extra`), as the vendor shows them only in
//! its interface. Each record is written on its own: a record that fails is left out and
//! named in the answer (`failed…`), the others stay (`answer`).

pub mod client_ids;
pub mod sources;
pub mod visits;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use twin_store::{Document, ListQuery, PageRequest};

use crate::costs::write::order_doc;
use crate::customers::{self, CORPORATE, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::{differing, field_name, Changed, Journal};
use crate::orders;
use crate::render::created;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

pub const CLIENT_ID: &str = "web_client_id";
pub const SOURCE: &str = "web_source";
pub const VISIT: &str = "web_visit";

/// What an upload takes: `(form field, member of the failed records, most records)`.
#[derive(Debug, Clone, Copy)]
pub enum Upload {
    ClientIds,
    Sources,
    Visits,
}

impl Upload {
    fn spec(self) -> (&'static str, &'static str, usize) {
        match self {
            Self::ClientIds => ("clientIds", "failedClientIds", 100),
            Self::Sources => ("sources", "failedSources", 100),
            Self::Visits => ("visits", "failedVisits", 50),
        }
    }
}

/// An upload (the seed's limits: 100 clientIds, 100 sources, 50 visits): the list,
/// then each record on its own (`client_ids::one`, ...), then `answer`.
pub async fn upload(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    what: Upload,
) -> RetailResult<Response> {
    let (name, failed, limit) = what.spec();
    let records = batch(request, name, limit)?;
    let mut failures = Vec::new();
    for (i, record) in records.iter().enumerate() {
        if !record.is_object() {
            failures.push((i, fail("", "This value should be of type object.")));
            continue;
        }
        let taken = match what {
            Upload::ClientIds => client_ids::one(ctx, record).await?,
            Upload::Sources => sources::one(ctx, record).await?,
            Upload::Visits => visits::one(ctx, record).await?,
        };
        if let Err(failure) = taken {
            failures.push((i, failure));
        }
    }
    Ok(answer(name, failed, &records, failures))
}

/// The members of a source (UTM tags).
pub const SOURCE_FIELDS: [&str; 5] = ["source", "medium", "campaign", "keyword", "content"];

/// The list in the form field `name` (a JSON array of 1 to `limit` records): 400
/// `errors[name]` otherwise (Symfony's collection text, *Inferred*).
pub fn batch(request: &RetailRequest<'_>, name: &str, limit: usize) -> RetailResult<Vec<Value>> {
    match request.document(name)? {
        Value::Array(list) if !list.is_empty() && list.len() <= limit => Ok(list),
        _ => Err(RetailError::parameter(
            name,
            &format!(
                "This collection should contain 1 element or more and {limit} elements or less."
            ),
        )),
    }
}

/// One record's problem: its field (`value`, `order`; empty for the record) and text.
pub type Failure = (String, String);

pub fn fail(field: &str, text: &str) -> Failure {
    (field.to_owned(), text.to_owned())
}

/// A text member of at most 255 characters, if given: `Err` names the problem.
pub fn short(record: &Value, field: &str) -> Result<Option<String>, Failure> {
    match &record[field] {
        Value::Null => Ok(None),
        Value::String(text) if text.chars().count() > 255 => Err(fail(field, texts::TOO_LONG)),
        Value::String(text) if text.is_empty() => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        _ => Err(fail(field, "This value should be of type string.")),
    }
}

/// A lookup's client error (not found, not reachable) as the record's failure on `field`;
/// other errors stay errors.
fn failing<T>(field: &str, result: RetailResult<T>) -> RetailResult<Result<T, Failure>> {
    match result {
        Ok(found) => Ok(Ok(found)),
        Err(error) if error.status.is_client_error() => Ok(Err(fail(field, &error.message))),
        Err(error) => Err(error),
    }
}

/// The record's `site` (checked as the `site` parameter), if given.
pub async fn site(ctx: &Ctx, record: &Value) -> RetailResult<Result<Option<String>, Failure>> {
    let Some(code) = (match short(record, "site") {
        Ok(code) => code,
        Err(failure) => return Ok(Err(failure)),
    }) else {
        return Ok(Ok(None));
    };
    Ok(failing("site", sites::check(ctx, &code).await)?.map(Some))
}

/// The order `record.order` names (`costs::write::order_doc`): `None` when not given.
pub async fn order(
    ctx: &Ctx,
    record: &Value,
    site: Option<&str>,
) -> RetailResult<Result<Option<Document>, Failure>> {
    let link = &record["order"];
    if !link.is_object() || link.as_object().is_some_and(Map::is_empty) {
        return Ok(Ok(None));
    }
    Ok(match failing("order", order_doc(ctx, link, site).await)? {
        Ok(None) => Err(fail("order", "Order not found.")),
        found => found,
    })
}

/// The customer (either kind) `record.customer` names: by `id`, else by `externalId`
/// within `site` when given. `None` when not given.
pub async fn customer(
    ctx: &Ctx,
    record: &Value,
    site: Option<&str>,
) -> RetailResult<Result<Option<Document>, Failure>> {
    let link = &record["customer"];
    let (by_id, reference) = match (link["id"].as_i64(), link["externalId"].as_str()) {
        (Some(id), _) => (true, id.to_string()),
        (None, Some(external)) => (false, external.to_owned()),
        (None, None) => return Ok(Ok(None)),
    };
    for kind in [CUSTOMER, CORPORATE] {
        match customers::find_in(ctx, kind, by_id, site, &reference).await {
            Err(error) if error.status == StatusCode::NOT_FOUND => continue,
            found => return Ok(failing("customer", found)?.map(Some)),
        }
    }
    Ok(Err(fail("customer", "Customer not found.")))
}

/// The customer a record names (`customer`), else the one its `client_id` was uploaded
/// for (`sources::owner_of`); neither given: the failure `missing`.
pub async fn owner(
    ctx: &Ctx,
    record: &Value,
    site: Option<&str>,
    client_id: Option<&str>,
    missing: &str,
) -> RetailResult<Result<Document, Failure>> {
    Ok(match customer(ctx, record, site).await? {
        Err(failure) => Err(failure),
        Ok(Some(owner)) => Ok(owner),
        Ok(None) => match client_id {
            Some(value) => sources::owner_of(ctx, value)
                .await?
                .ok_or_else(|| fail("clientId", "ClientId not found.")),
            None => Err(fail("", missing)),
        },
    })
}

/// The customer an order names (none for an order without one).
pub async fn customer_of(ctx: &Ctx, order: &Document) -> RetailResult<Option<Document>> {
    let link = &order.body["customer"];
    let Some(id) = link["id"].as_i64() else {
        return Ok(None);
    };
    let kind = if link["type"] == CORPORATE {
        CORPORATE
    } else {
        CUSTOMER
    };
    Ok(ctx
        .core
        .entities
        .find(&ctx.scope, kind, &id.to_string())
        .await?)
}

/// How records name an order: `{id, number, externalId?, site}`.
pub fn order_link(order: &Document) -> Value {
    customers::pick(&order.body, &["id", "number", "externalId", "site"])
}

/// How records name a customer: `{id, externalId?, site, type}` (the seed's
/// `SerializedEntityCustomer` of the answers).
pub fn customer_link(doc: &Document) -> Value {
    let mut link = customers::pick(&doc.body, &["id", "externalId", "site"]);
    let kind = if doc.key.kind == CORPORATE {
        "customer_corporate"
    } else {
        "customer"
    };
    link["type"] = json!(kind);
    link
}

/// The history of a change by web analytics: the clientId fields as named
/// (`first_client_id`), a source per member (`source.medium`, *Inferred*: as an address).
fn recorded(before: &Value, after: &Value) -> Vec<Changed> {
    let mut out = Vec::new();
    for (name, old, new) in differing(before, after) {
        match name.as_str() {
            "source" => out.extend(
                differing(&old, &new)
                    .into_iter()
                    .map(|(member, was, now)| (format!("source.{member}"), was, now, None)),
            ),
            "firstClientId" | "lastClientId" => out.push((field_name(&name), old, new, None)),
            _ => {}
        }
    }
    out
}

/// Stores a customer or an order whose clientId or source fields changed (`body`), with
/// its history records, into `journal`.
pub fn update(journal: &mut Journal<'_>, ctx: &Ctx, before: &Document, body: Value) {
    let changed = recorded(&before.body, &body);
    let (mut doc, entity, snapshot) = if before.key.kind == orders::ORDER {
        let doc = orders::document(ctx, body);
        let snapshot = orders::snapshot(&doc.body);
        (doc, "order", snapshot)
    } else {
        let doc = customers::document(ctx, body);
        let snapshot = customers::identity(&doc.body);
        (doc, "customer", snapshot)
    };
    doc.version = before.version;
    journal.update_fields(before, doc, entity, snapshot, changed);
}

/// The list filters on a source's tags by name, exact (the seed: "the name of the
/// elements are specified"): `filter[sourceName]` on `source.source`, `mediumName`,
/// `campaignName`, `keywordName`, `adContentName` (`source.content`); orders and
/// customers.
pub fn source_filters(
    filter: &Value,
    problems: &mut std::collections::BTreeMap<String, String>,
) -> Vec<twin_store::Filter> {
    [
        ("sourceName", "source"),
        ("mediumName", "medium"),
        ("campaignName", "campaign"),
        ("keywordName", "keyword"),
        ("adContentName", "content"),
    ]
    .into_iter()
    .filter_map(|(name, member)| {
        let text = crate::customers::list::short_text(filter, name, problems)?;
        Some(twin_store::Filter::eq(&format!("source.{member}"), text))
    })
    .collect()
}

/// The source members of `record` (strings of at most 255 characters); `Err` names a
/// problem. Empty when none is given.
pub fn source_of(record: &Value) -> Result<Map<String, Value>, Failure> {
    let mut source = Map::new();
    for field in SOURCE_FIELDS {
        if let Some(text) = short(record, field)? {
            source.insert(field.into(), json!(text));
        }
    }
    Ok(source)
}

/// The answer of an upload: 201 `{"success": true, failed: []}` when every record was
/// taken; else 460 `{"success": false, "errorMsg", "errors": ["name[i][field]: text"],
/// failed: [the records as given]}` (the vendor's upload status, as `orders/upload`).
pub fn answer(
    name: &str,
    failed: &str,
    records: &[Value],
    failures: Vec<(usize, Failure)>,
) -> Response {
    let left_out: Vec<Value> = failures.iter().map(|(i, _)| records[*i].clone()).collect();
    if failures.is_empty() {
        let mut body = json!({});
        body[failed] = json!([]);
        return created(success(body));
    }
    let errors: Vec<String> = failures
        .iter()
        .map(|(i, (field, text))| match field.as_str() {
            "" => format!("{name}[{i}]: {text}"),
            field => format!("{name}[{i}][{field}]: {text}"),
        })
        .collect();
    let mut body = json!({
        "success": false,
        "errorMsg": "Errors occurred during the uploading",
        "errors": errors,
    });
    body[failed] = Value::Array(left_out);
    let status = StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}

/// The account's records of `kind`, in id order (Twin's admin view), at most 1000.
pub async fn stored(ctx: &Ctx, kind: &str) -> RetailResult<Vec<Value>> {
    let query = ListQuery::new(ctx.scope.clone(), kind).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let page = ctx.core.entities.list(&query).await?;
    let mut items: Vec<Value> = page.items.into_iter().map(|d| d.body).collect();
    items.sort_by_key(|b| b["id"].as_i64());
    Ok(items)
}

/// A new record of `kind` with the next id of its sequence.
pub async fn record(ctx: &Ctx, kind: &str, mut body: Map<String, Value>) -> RetailResult<Document> {
    let id = ctx.next_id(kind).await?;
    body.insert("id".into(), json!(id));
    Ok(Document::new(
        ctx.scope.key(kind, id.to_string()),
        Value::Object(body),
    ))
}
