//! The change history of customers, as the vendor's integrations poll it: records in id
//! order, `filter[sinceId]` for "everything after what I have", ranges of dates, one
//! customer. Records are the core history's entries of the kind (see `journal`), so ids
//! never repeat and grow in commit order.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Change, HistoryQuery};

use crate::customers::{self, CORPORATE, CUSTOMER};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};

/// The largest id filter the seed allows (`{range: {>=0, <=4294967295}}`).
const MAX_ID: i64 = 4_294_967_295;

/// An id filter: an integer in the seed's range, else a problem.
fn id_filter(filter: &Value, name: &str, problems: &mut BTreeMap<String, String>) -> Option<i64> {
    let text = filter[name].as_str().filter(|t| !t.is_empty())?;
    match text.parse::<i64>() {
        Ok(id) if (0..=MAX_ID).contains(&id) => Some(id),
        Ok(_) => {
            problems.insert(
                format!("filter[{name}]"),
                texts::POSITIVE_OR_ZERO.to_owned(),
            );
            None
        }
        Err(_) => {
            problems.insert(format!("filter[{name}]"), texts::INTEGER.to_owned());
            None
        }
    }
}

/// A record as the API shows it: its id and time, then what the journal kept, with
/// `apiKey.current` telling whether the asking key made the change.
fn record(ctx: &Ctx, change: Change) -> Value {
    let mut record = json!({ "id": change.id, "createdAt": timestamp(change.at) });
    let current = change.data["_credential"] == ctx.credential.id.as_str();
    if let (Value::Object(out), Value::Object(data)) = (&mut record, change.data) {
        for (name, value) in data {
            if !name.starts_with('_') {
                out.insert(name, value);
            }
        }
    }
    if record["apiKey"].is_object() {
        record["apiKey"]["current"] = json!(current);
    }
    record
}

/// `GET /api/v5/customers/history`: `filter[sinceId]` (records after it),
/// `filter[customerId]`, `filter[customerExternalId]`, `filter[startDate]` and
/// `filter[endDate]` (`Y-m-d H:i:s`, inclusive), `limit` and `page`; with `generatedAt`
/// and `pagination`.
pub async fn customers(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    of_kind(ctx, request, CUSTOMER).await
}

/// `GET /api/v5/orders/history`: the customers' filters and records, of orders:
/// `filter[orderId]`, `filter[orderExternalId]`.
pub async fn orders(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let names = ("orderId", Some("orderExternalId"));
    of_kind_named(ctx, request, crate::orders::ORDER, names).await
}

/// `GET /api/v5/customers-corporate/history`: the same filters and records as the
/// customers' history, of corporate customers (their addresses, companies and contact
/// persons included).
pub async fn corporate(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    of_kind(ctx, request, CORPORATE).await
}

async fn of_kind(ctx: &Ctx, request: &RetailRequest<'_>, kind: &str) -> RetailResult<Response> {
    let names = ("customerId", Some("customerExternalId"));
    of_kind_named(ctx, request, kind, names).await
}

/// `GET /api/v5/tasks/history`: `filter[sinceId]`, `filter[taskId]`,
/// `filter[startDate]`, `filter[endDate]`, `limit`, `page`; the records of
/// `crate::tasks` (a creation with the whole task under `task`).
pub async fn tasks(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    of_kind_named(ctx, request, crate::tasks::TASK, ("taskId", None)).await
}

/// The history of `kind`; `names`: the filters of one entity (its id, its external id
/// when it has one).
async fn of_kind_named(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    kind: &str,
    names: (&str, Option<&str>),
) -> RetailResult<Response> {
    let (id_name, external_name) = names;
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let since = id_filter(filter, "sinceId", &mut problems);
    let customer = id_filter(filter, id_name, &mut problems);
    let mut dates = [None, None];
    for (slot, name) in dates.iter_mut().zip(["startDate", "endDate"]) {
        if let Some(text) = filter[name].as_str().filter(|t| !t.is_empty()) {
            match parse_time(text).filter(|_| text.len() == 19) {
                Some(at) => *slot = Some(at),
                None => {
                    problems.insert(format!("filter[{name}]"), texts::DATETIME.to_owned());
                }
            }
        }
    }
    let external = external_name.and_then(|name| filter[name].as_str().filter(|t| !t.is_empty()));
    if external.is_some_and(|t| t.chars().count() > 255) {
        let name = external_name.unwrap_or_default();
        problems.insert(format!("filter[{name}]"), texts::TOO_LONG.into());
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let generated_at = timestamp(ctx.now);
    let mut entity = customer.map(|id| id.to_string());
    if let Some(external) = external {
        // The external id names a live customer; none means no records.
        let found = customers::by_external_id(ctx, kind, None, external).await?;
        match (found, &entity) {
            (Some(doc), None) => entity = Some(doc.key.id),
            (Some(doc), Some(id)) if doc.key.id == *id => {}
            _ => return Ok(empty(paging, generated_at)),
        }
    }
    let query = HistoryQuery {
        kind: Some(kind.to_owned()),
        entity_id: entity,
        since_id: since,
        from: dates[0],
        // The end is inclusive to the second.
        to: dates[1].map(|at| at + chrono::Duration::milliseconds(999)),
        offset: paging.offset(),
        limit: paging.limit,
        ..HistoryQuery::new(ctx.scope.clone())
    };
    let page = ctx.core.entities.history(&query).await?;
    let total = page.total.unwrap_or_default();
    let history: Vec<Value> = page.items.into_iter().map(|c| record(ctx, c)).collect();
    Ok(ok(success(json!({
        "generatedAt": generated_at,
        "history": history,
        "pagination": paging.pagination(total),
    }))))
}

fn empty(paging: crate::request::Paging, generated_at: String) -> Response {
    ok(success(json!({
        "generatedAt": generated_at,
        "history": [],
        "pagination": paging.pagination(0),
    })))
}
