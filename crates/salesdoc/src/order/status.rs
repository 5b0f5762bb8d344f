//! `setStatus` (12.3) and `setDeletedOrder` (12.2): an existing order's status changed
//! (with `dateShipment`, its document date), with every side effect: stock lines go
//! when it is cancelled and come back (checked) when it is reopened, the client debit
//! exists while it is Delivered or Closed. Neither creates orders: an item that finds
//! none is refused. The docs impose no transitions, so any status 1–5 may follow any
//! other (DIGEST §3.4). Cancelling a cancelled order succeeds and writes nothing.

use axum::response::Response;
use serde_json::{Map, Value};

use super::effects::save;
use super::set::moment;
use super::{status_of, stored_status, Family, CANCELLED, ORDER};
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target};
use crate::reference::{Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::identified;

/// Gives `found` the `status` (and `date_document`), its effects rewritten; a document
/// already there is left as is.
pub async fn restatus(
    ctx: &Ctx,
    family: Family,
    ids: &Ids,
    found: &Record,
    status: i64,
    date_document: Option<String>,
) -> Result<Record, Refused> {
    let date_member = match family {
        Family::Order => "dateDocument",
        Family::Defect | Family::Replace => "dateLoad",
    };
    let unchanged = stored_status(found) == status
        && date_document
            .as_deref()
            .is_none_or(|d| found.fields[date_member].as_str() == Some(d));
    if unchanged
        && ids
            .code_1c
            .as_deref()
            .is_none_or(|c| found.code_1c.as_deref() == Some(c))
    {
        return Ok(found.clone());
    }
    let mut fields: Map<String, Value> = found.fields.clone();
    fields.insert("status".into(), Value::from(status));
    if let Some(date) = date_document {
        fields.insert(date_member.into(), Value::from(date));
    }
    save(ctx, family, ids, Target::Existing(found), fields).await
}

/// The order an item names: refused when none.
async fn found_order(ctx: &Ctx, record: &Value) -> Result<(Map<String, Value>, Record), Refused> {
    let (item, _, found) = identified(ctx, ORDER, record).await?;
    match found {
        Some(order) => Ok((item.clone(), order)),
        None => Err(Refused::Item(vec!["Order not found".into()])),
    }
}

/// The identifiers that found a document, without a code (a status change never
/// relinks 1C).
fn keep_code() -> Ids {
    Ids::default()
}

struct Statuses;

impl StoreRecord for Statuses {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, order) = found_order(ctx, record).await?;
        let mut errors = Vec::new();
        let status = match status_of(item.get("status")) {
            Ok(Some(status)) => Some(status),
            Ok(None) => {
                errors.push("status is required".into());
                None
            }
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let shipment = moment(&item, "dateShipment", &mut errors);
        let (Some(status), true) = (status, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        restatus(ctx, Family::Order, &keep_code(), &order, status, shipment).await
    }
}

/// `setStatus` (12.3): `data.order`.
pub async fn set_status(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, ORDER, &Statuses).await
}

struct Cancellations;

impl StoreRecord for Cancellations {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (_, order) = found_order(ctx, record).await?;
        restatus(ctx, Family::Order, &keep_code(), &order, CANCELLED, None).await
    }
}

/// `setDeletedOrder` (12.2): `data.deletedOrder`.
pub async fn set_deleted(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, "deletedOrder", &Cancellations).await
}
