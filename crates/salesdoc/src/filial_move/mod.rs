//! Movements between filials: `setMovingToFilial` (11.6, immediate), the draft flow of
//! `setMovementBetweenFilial` (11.7) and `setMovementFilialPending` (11.8), its approval
//! in admin (`admin`), and `getMovementBetweenFilial` (9.46), which lists both kinds in
//! every status. All need `filial.filial_id`: a movement lives in the filial it leaves.
//!
//! A movement is one document (kind `filialMovement`) with a `status`: `draft` →
//! `pending` (setMovementFilialPending; also from `rejected`) → `approved`, `rejected` or
//! `cancelled` (the receiving side's answer, admin only: API V2 has no method for it).
//! setMovingToFilial writes one already `approved` (`legacy`). Stock moves when a
//! movement is approved, and only then: its products leave `storeFrom` (getStoreLog
//! `PurchaseRefund`, checked as any stock-lowering document) and enter `storeTo` in the
//! destination filial (`Purchase` there), both in one transaction (`post`).
//!
//! *Inferred* (the docs are silent): a line's `price` is the one given, else the price
//! type's listed one, else 0; without `priceType` a draft takes the filial's first price
//! type (the docs' "TYPE=1": price types carry no type here), none leaves it `null`.

pub mod admin;
mod get;
mod set;

pub use get::get;
pub use set::{set_draft, set_moving, set_pending};

use serde_json::{json, Map, Value};
use twin_store::{Document, Write};

use crate::error::{SdError, SdResult};
use crate::filials::{self, Filial};
use crate::ledger::{self, Line, Negative, Owner, Posting};
use crate::reference::upsert::Refused;
use crate::reference::Record;
use crate::request::Ctx;

/// The stored kind.
pub const KIND: &str = "filialMovement";
/// getStoreLog's names: the source's lines, and the destination's.
const OUT_LOG: &str = "PurchaseRefund";
const IN_LOG: &str = "Purchase";

pub const DRAFT: &str = "draft";
pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";
pub const CANCELLED: &str = "cancelled";

/// The request's filial: the methods of movements between filials need one.
pub fn required_filial(ctx: &Ctx) -> SdResult<&Filial> {
    ctx.filial
        .as_ref()
        .ok_or_else(|| SdError::bad_request("filial.filial_id is required for this method"))
}

/// The destination filial `movingTo.filialId` names (its id or prefix): another filial
/// of the account, or the item's error.
pub fn destination(
    ctx: &Ctx,
    moving_to: &Map<String, Value>,
    errors: &mut Vec<String>,
) -> Option<Filial> {
    let Some(wanted) = moving_to.get("filialId").and_then(crate::values::text) else {
        errors.push("movingTo.filialId is required".into());
        return None;
    };
    match filials::resolve(&ctx.account, Some(&wanted)) {
        Ok(Some(found))
            if Some(found.filial_id.as_str())
                == ctx.filial.as_ref().map(|f| f.filial_id.as_str()) =>
        {
            errors.push("movingTo.filialId: the movement must go to another filial".into());
            None
        }
        Ok(found) => found,
        Err(error) => {
            errors.push(format!("movingTo.filialId: {}", error.message));
            None
        }
    }
}

/// The destination filial a stored movement names.
pub fn stored_destination(ctx: &Ctx, fields: &Map<String, Value>) -> Option<Filial> {
    let id = fields["toFilial"].as_str()?;
    filials::resolve(&ctx.account, Some(id)).ok().flatten()
}

/// A movement's lines: `{product, quantity, price}` per product.
pub fn detail_row(product: &Record, quantity: f64, price: f64) -> Value {
    json!({
        "product": product.sd_id,
        "quantity": crate::values::number(quantity),
        "price": crate::values::number(price),
    })
}

/// Commits `document` (the movement, approved) with its stock: `detail` out of
/// `store_from` in the request's filial and into `store_to` in `target`, at `date`, one
/// transaction; refused when the source lacks stock (as the account's check says).
pub async fn post(
    ctx: &Ctx,
    target: &Ctx,
    movement: &MovedStock<'_>,
    document: Write,
    read: &[Document],
) -> Result<(), Refused> {
    let out = |store: &str, sign: f64| -> Vec<Line> {
        movement
            .detail
            .iter()
            .filter_map(|row| {
                let quantity = row["quantity"].as_f64()?;
                Some(Line {
                    warehouse: store.to_owned(),
                    product: row["product"].as_str()?.to_owned(),
                    date: movement.date.to_owned(),
                    quantity: sign * quantity,
                })
            })
            .collect()
    };
    let owner = |log_type| Owner {
        log_type,
        kind: KIND,
        sd_id: movement.sd_id.to_owned(),
    };
    let incoming = out(movement.store_to, 1.0);
    let mut writes = vec![document];
    let receipt = Posting {
        owner: owner(IN_LOG),
        lines: incoming,
        negative: Negative::Allow,
    };
    writes.extend(ledger::writes(target, receipt).await?);
    let posting = Posting {
        owner: owner(OUT_LOG),
        lines: out(movement.store_from, -1.0),
        negative: Negative::checked(ctx),
    };
    ledger::post(ctx, posting, writes, read).await
}

/// What an approved movement moves: its `SD_id`, date, lines and both warehouses (by
/// `SD_id`).
pub struct MovedStock<'a> {
    pub sd_id: &'a str,
    pub date: &'a str,
    pub detail: &'a [Value],
    pub store_from: &'a str,
    pub store_to: &'a str,
}
