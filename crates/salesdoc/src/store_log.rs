//! `getStoreLog` (9.40 / 15.2): the ledger lines of one warehouse (`params.storeId`, an
//! `SD_id`) dated from `params.from` to `params.to` (a bare `to` up to the day's end),
//! by date then as posted, optionally only of `params.documents` (log types) and
//! `params.products` (product `SD_id`s). The answer is the bare array `[{product_id,
//! document, document_id, date, quantity}]`, + receipt, − issue. Its hours (20:00–07:00)
//! and rate are in `limits`.
//!
//! *Inferred* (the docs are silent): a missing `storeId`, `from` or `to`, a bound that is
//! no date, or a `storeId` naming no warehouse of the filial is a 400; `documents` and
//! `products` that are no arrays are ignored.

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{CmpOp, Filter};

use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::ledger::read::lines_where;
use crate::reference::by_sd_in;
use crate::render::ok;
use crate::request::Ctx;
use crate::values::{period_bound, text, Bound};
use crate::warehouse;

/// A required text parameter: 400 when absent.
fn required(envelope: &Envelope, name: &str) -> SdResult<String> {
    envelope
        .params
        .get(name)
        .and_then(text)
        .ok_or_else(|| SdError::bad_request(format!("params.{name} is required")))
}

/// A date bound in the stored format, 400 when it is no date.
fn bound(envelope: &Envelope, name: &str, end: Bound) -> SdResult<String> {
    period_bound(&required(envelope, name)?, end)
        .ok_or_else(|| SdError::bad_request(format!("params.{name} is not a valid date")))
}

/// The strings of an array parameter, `None` when absent or no array.
fn strings(envelope: &Envelope, name: &str) -> Option<Vec<Value>> {
    let items = envelope.params.get(name)?.as_array()?;
    Some(items.iter().filter_map(text).map(Value::from).collect())
}

/// `getStoreLog` (9.40).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let store = required(envelope, "storeId")?;
    let from = bound(envelope, "from", Bound::Start)?;
    let to = bound(envelope, "to", Bound::End)?;
    if by_sd_in(ctx, warehouse::KEY, &store).await?.is_none() {
        return Err(SdError::bad_request("params.storeId not found"));
    }
    let mut filters = vec![
        Filter::eq("warehouse", store),
        Filter::cmp("date", CmpOp::Ge, from),
        Filter::cmp("date", CmpOp::Le, to),
    ];
    for (param, path) in [("documents", "document"), ("products", "product")] {
        if let Some(values) = strings(envelope, param) {
            filters.push(Filter::In {
                path: Filter::path(path),
                values,
            });
        }
    }
    let rows: Vec<Value> = lines_where(ctx, filters)
        .await?
        .into_iter()
        .map(|line| {
            json!({
                "product_id": line.product,
                "document": line.document,
                "document_id": line.document_id,
                "date": line.date,
                "quantity": line.quantity,
            })
        })
        .collect();
    Ok(ok(json!({ "status": true, "result": rows })))
}
