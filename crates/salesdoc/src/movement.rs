//! Transfers between warehouses: `setMovement` (11.4) and `getMovement` (9.44). A
//! transfer takes its `products` out of `storeFrom` and into `storeTo` at its `date`:
//! both lines of every product in one posting, so the move is atomic (getStoreLog names
//! them `Exchange`, one `document_id`). The source's stock is checked: a transfer that
//! would take it below zero is refused per record with the ledger's shortage text.
//! Transfers are create only: a `code_1C` (required) or another identifier that finds
//! a stored transfer fails the item.
//!
//! getMovement lists `{CS_id, SD_id, code_1C, date, from_store, to_store, detail}` under
//! `movement`, the stores as `{CS_id, SD_id, code_1C, name}` and the lines as `{CS_id,
//! SD_id, code_1C, quantity}`. Filters: `filter.period.date`, `filter.include` and
//! `filter.type` (absent: regular transfers, type 1; `vansel`: van-sale ones, type 2,
//! which setVsExchange will write).
//!
//! *Inferred* (the docs are silent): the same warehouse as source and destination
//! fails the item; `quantity` is required and not negative, a zero line moves nothing;
//! a `filter.type` other than `vansel` is a 400.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{find_in, Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::optional;
use crate::stock_doc::{
    document_date, document_filters, linked, moved_lines, non_negative, product_lines, save_posted,
    shown_detail, shown_store, DocumentKind,
};
use crate::values::number;
use crate::warehouse;

/// The stored kind and the SET group and GET answer.
pub const KEY: &str = "movement";
/// getStoreLog's name for transfer lines.
pub const LOG_TYPE: &str = "Exchange";
pub const MOVEMENT: DocumentKind = DocumentKind {
    key: KEY,
    log_type: LOG_TYPE,
};
/// The stored type of a regular transfer, and of a van-sale one (setVsExchange's).
const REGULAR: i64 = 1;
pub const VANSEL: i64 = 2;

/// setMovement's way of storing one transfer.
struct Movements;

/// `setMovement` (11.4).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &Movements).await
}

impl StoreRecord for Movements {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let ids = Ids::of(item);
        let mut errors = Vec::new();
        match &ids.code_1c {
            None => errors.push("code_1C is required".into()),
            Some(code) => {
                if find_in(ctx, KEY, &ids).await?.is_some() {
                    errors.push(format!(
                        "The movement {code} already exists: transfers cannot be edited"
                    ));
                }
            }
        }
        let date = document_date(item, &mut errors);
        let from = linked(ctx, item, "storeFrom", warehouse::KEY, true, &mut errors).await?;
        let to = linked(ctx, item, "storeTo", warehouse::KEY, true, &mut errors).await?;
        if let (Some(from), Some(to)) = (&from, &to) {
            if from.sd_id == to.sd_id {
                errors.push("storeFrom and storeTo must be different warehouses".into());
            }
        }
        let moved = product_lines(ctx, item, &mut errors, |line, errors| {
            non_negative(line.item, &line.at, "quantity", true, errors)
        })
        .await?;
        let (Some(date), Some(from), Some(to), true) = (date, from, to, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        let mut lines = Vec::new();
        let mut detail = Vec::new();
        for (product, quantity) in moved {
            detail.push(json!({ "product": product.sd_id, "quantity": number(quantity) }));
            if quantity == 0.0 {
                continue;
            }
            lines.extend(moved_lines(
                &from.sd_id,
                &to.sd_id,
                &product.sd_id,
                &date,
                quantity,
            ));
        }
        let mut fields = Map::new();
        fields.insert("type".into(), Value::from(REGULAR));
        fields.insert("date".into(), Value::from(date.as_str()));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("storeFrom".into(), Value::Object(from.ids(ctx)));
        fields.insert("storeTo".into(), Value::Object(to.ids(ctx)));
        fields.insert("detail".into(), Value::from(detail));
        let target = Target::of(ctx, KEY, &Rules::PLAIN, None).await?;
        save_posted(ctx, &MOVEMENT, &ids, target, fields, lines).await
    }
}

/// The transfer type `filter.type` asks for.
fn type_filter(envelope: &Envelope) -> SdResult<Filter> {
    let kind = match envelope.filter().get("type") {
        None | Some(Value::Null) => REGULAR,
        Some(Value::String(t)) if t.eq_ignore_ascii_case("vansel") => VANSEL,
        Some(_) => {
            return Err(SdError::bad_request(
                "params.filter.type must be vansel or absent",
            ))
        }
    };
    Ok(Filter::eq("fields.type", kind))
}

/// `getMovement` (9.44).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Honoured)?;
    let mut filters = document_filters(ctx, envelope, &[])
        .await?
        .unwrap_or_default();
    filters.push(type_filter(envelope)?);
    let (documents, total) = listing.fetch(ctx, KEY, filters).await?;
    let mut items = Vec::new();
    for document in documents {
        let fields = &document.fields;
        let mut shown = document.ids(ctx);
        shown.insert("date".into(), fields["date"].clone());
        let from = shown_store(ctx, &fields["storeFrom"]).await?;
        shown.insert("from_store".into(), Value::Object(from));
        let to = shown_store(ctx, &fields["storeTo"]).await?;
        shown.insert("to_store".into(), Value::Object(to));
        let detail = shown_detail(ctx, &fields["detail"], false).await?;
        shown.insert("detail".into(), Value::from(detail));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(KEY, items, total))
}
