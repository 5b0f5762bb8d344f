//! The order family (DIGEST §3.4): sales orders (type 1, `setOrder` 12.1, `getOrder`
//! 9.26), client returns (type 2, "shelf returns", `setOrderDefect` 12.5,
//! `getOrderDefect` 9.27) and exchanges (type 3, seeded in admin, `getOrderReplace`
//! 9.28), with `setStatus` (12.3), `setDeletedOrder` (12.2), `syncOrder` (12.6) and
//! `setCode` (12.4).
//!
//! The three kinds share one numbering (`d0_N`), as the vendor keeps them in one table
//! with a type: an `SD_id` names one document of the family, so syncOrder finds it
//! without being told its kind. Each document is stored with its status and lines; what
//! it does to stock and to the client's balance is derived from them on every write
//! ([`effects`]): its stock lines (while not cancelled) and its client transaction
//! (while Delivered or Closed) are replaced in the document's own transaction, so a
//! status change, an edit or a cancellation rewrites them and never leaves a
//! compensating row behind.

mod code;
mod defect;
mod effects;
mod get;
mod lines;
mod set;
mod status;
mod sync;
mod totals;

pub use code::set_code;
pub use defect::{get_defects, get_replaces, set_defects, Returns};
pub use get::{day_summa, get_orders};
pub use set::{set_orders, Orders};
pub use status::{set_deleted, set_status};
pub use sync::sync_orders;

use serde_json::Value;

use crate::reference::rules::d0;
use crate::reference::upsert::{allocate, Target};
use crate::reference::Record;
use crate::request::Ctx;
use crate::values::text;

/// The stored kinds.
pub const ORDER: &str = "order";
pub const DEFECT: &str = "orderDefect";
pub const REPLACE: &str = "orderReplace";
/// The numbering the three kinds share.
const FAMILY_SEQUENCE: &str = "orderFamily";

/// The cancelled status: a cancelled document holds no stock and owes nothing.
pub const CANCELLED: i64 = 5;

/// One kind of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Order,
    Defect,
    Replace,
}

impl Family {
    pub fn key(self) -> &'static str {
        match self {
            Family::Order => ORDER,
            Family::Defect => DEFECT,
            Family::Replace => REPLACE,
        }
    }

    /// The documented `type`.
    pub fn type_code(self) -> i64 {
        match self {
            Family::Order => 1,
            Family::Defect => 2,
            Family::Replace => 3,
        }
    }

    /// getStoreLog's (and setCode's) name of the kind.
    pub fn log_type(self) -> &'static str {
        match self {
            Family::Order => "Order",
            Family::Defect => "OrderDefect",
            Family::Replace => "OrderReplace",
        }
    }

    pub const ALL: [Family; 3] = [Family::Order, Family::Defect, Family::Replace];
}

/// Where a family document is written: over `existing`, or a new one numbered in the
/// family's shared series.
pub async fn target<'a>(
    ctx: &Ctx,
    existing: Option<&'a Record>,
) -> crate::error::SdResult<Target<'a>> {
    Ok(match existing {
        Some(found) => Target::Existing(found),
        None => {
            let n = allocate(ctx, FAMILY_SEQUENCE).await?;
            Target::New { n, sd_id: d0(n) }
        }
    })
}

/// A status as sent (a number or numeric string): `Ok(None)` when absent, `Err` with the
/// item's error when it is not 1–5.
pub fn status_of(value: Option<&Value>) -> Result<Option<i64>, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    match value
        .as_i64()
        .or_else(|| text(value)?.parse().ok())
        .filter(|s| (1..=5).contains(s))
    {
        Some(status) => Ok(Some(status)),
        None => Err("status must be one of 1, 2, 3, 4, 5".into()),
    }
}

/// The stored status of a family document.
pub fn stored_status(record: &Record) -> i64 {
    record.fields["status"].as_i64().unwrap_or(1)
}
