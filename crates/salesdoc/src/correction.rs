//! Stock corrections: `setCorrection` (11.11) and `getCorrection` (9.42). A correction
//! changes its `warehouse`'s stock by each product's `quantity` (+ increase, − decrease)
//! at its `date` (default: now): one `StoreCorrector` line per product, as setStock's
//! inventories, which share the stored kind (`type`: `correction` or `inventory`) and so
//! are listed here too. The resulting stock must not go below zero: the ledger refuses
//! the record with its shortage text. `data` is the bare array (a `data.correction`
//! group is read as well), and the answer lists the corrections under `correction`
//! (DIGEST's decision).
//!
//! Create only: an item carrying `SD_id` or `CS_id`, or a `code_1C` that finds a stored
//! correction, fails (*Inferred* texts).
//!
//! getCorrection lists `{CS_id, SD_id, code_1C, date, comment, type, store {CS_id, SD_id,
//! code_1C, name}, items [{CS_id, SD_id, code_1C, product_name, quantity, price}]}`
//! under `correction` (an inventory's `quantity` is its difference). Filters:
//! `filter.period.date`, `filter.period.dateUpdate`, `filter.store`.
//!
//! *Inferred* (the docs are silent): a correction without `comment` shows `""`, a line
//! without `price` shows `0` (the sample's types: a text and a number, as a database
//! column's defaults); `quantity` is required and may be any number (zero
//! moves nothing); a line may carry a `price` (not negative), kept for getCorrection;
//! an item is all or nothing; a product listed twice fails it.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::Line;
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{store_group, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{by_sd_in, find_in, Ids, Record};
use crate::render::page;
use crate::request::Ctx;
use crate::stock_count::{CORRECTION, LOG_TYPE};
use crate::stock_doc::date_or_now;
use crate::stock_doc::{
    document_filters, linked, non_negative, optional, product_lines, required_number, save_posted,
    shown_store, DocumentKind, PRODUCT,
};
use crate::values::number;
use crate::warehouse;

const CORRECTIONS: DocumentKind = DocumentKind {
    key: CORRECTION,
    log_type: LOG_TYPE,
};
/// The type getCorrection shows for a correction.
const TYPE: &str = "correction";

/// setCorrection's way of storing one correction.
struct Corrections;

/// `setCorrection` (11.11).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let records = match &envelope.data {
        Value::Array(records) => records.as_slice(),
        other => crate::batch::group(other, CORRECTION)?,
    };
    Ok(store_group(ctx, &Corrections, records)
        .await?
        .answer(CORRECTION))
}

/// The item's `quantity`: any number, required.
fn delta(item: &Map<String, Value>, at: &str, errors: &mut Vec<String>) -> Option<f64> {
    required_number(item, at, "quantity", errors)
}

impl StoreRecord for Corrections {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let ids = Ids::of(item);
        let mut errors = Vec::new();
        if ids.sd_id.is_some() || ids.cs_id.is_some() {
            errors.push("Corrections cannot be edited: send no SD_id or CS_id".into());
        } else if let Some(code) = &ids.code_1c {
            if find_in(ctx, CORRECTION, &ids).await?.is_some() {
                errors.push(format!("The correction {code} already exists"));
            }
        }
        let date = date_or_now(ctx, item, &mut errors);
        let store = linked(ctx, item, "warehouse", warehouse::KEY, true, &mut errors).await?;
        let changes = product_lines(ctx, item, &mut errors, |line, errors| {
            let quantity = delta(line.item, &line.at, errors);
            let price = non_negative(line.item, &line.at, "price", false, errors);
            Some((quantity?, price.map_or(Value::Null, number)))
        })
        .await?;
        let (Some(date), Some(store), true) = (date, store, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        let head_office = ctx.head_office();
        let mut items = Vec::new();
        let mut lines = Vec::new();
        for (product, (quantity, price)) in changes {
            items.push(json!({
                "product": product.ids(&head_office),
                "product_name": product.fields.get("name").cloned().unwrap_or(Value::Null),
                "quantity": number(quantity),
                "price": price,
            }));
            if quantity != 0.0 {
                lines.push(Line {
                    warehouse: store.sd_id.clone(),
                    product: product.sd_id,
                    date: date.clone(),
                    quantity,
                });
            }
        }
        let mut fields = Map::new();
        fields.insert("type".into(), Value::from(TYPE));
        fields.insert("date".into(), Value::from(date.as_str()));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("store".into(), Value::Object(store.ids(ctx)));
        fields.insert("items".into(), Value::from(items));
        let target = Target::of(ctx, CORRECTION, &Rules::PLAIN, None).await?;
        save_posted(ctx, &CORRECTIONS, &ids, target, fields, lines).await
    }
}

/// A stored item as getCorrection shows it: the product as it is now.
async fn shown_item(head_office: &Ctx, item: &Value) -> SdResult<Value> {
    let sd_id = item["product"]["SD_id"].as_str().unwrap_or_default();
    let product = by_sd_in(head_office, PRODUCT, sd_id).await?;
    let mut shown = match &product {
        Some(record) => record.ids(head_office),
        None => crate::batch::ids(Some(sd_id), Some(sd_id), None),
    };
    let name = product.and_then(|p| p.fields.get("name").cloned());
    shown.insert("product_name".into(), name.unwrap_or(Value::Null));
    shown.insert("quantity".into(), item["quantity"].clone());
    let price = item.get("price").filter(|p| !p.is_null());
    shown.insert("price".into(), price.cloned().unwrap_or_else(|| json!(0.0)));
    Ok(Value::Object(shown))
}

/// `getCorrection` (9.42).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let Some(filters) = document_filters(ctx, envelope, &["store"]).await? else {
        return Ok(page(CORRECTION, Vec::new(), listing.limit, 0, listing.page));
    };
    let (documents, total) = listing.fetch(ctx, CORRECTION, filters).await?;
    let head_office = ctx.head_office();
    let mut shown = Vec::new();
    for document in documents {
        let fields = &document.fields;
        let mut row = document.ids(ctx);
        for member in ["date", "comment", "type"] {
            let value = fields.get(member).filter(|v| !v.is_null());
            row.insert(member.into(), value.cloned().unwrap_or_else(|| json!("")));
        }
        let store = shown_store(ctx, &fields["store"]).await?;
        row.insert("store".into(), Value::Object(store));
        let mut items = Vec::new();
        for item in fields["items"].as_array().into_iter().flatten() {
            items.push(shown_item(&head_office, item).await?);
        }
        row.insert("items".into(), Value::from(items));
        shown.push(Value::Object(row));
    }
    Ok(listing.answer(CORRECTION, shown, total))
}
