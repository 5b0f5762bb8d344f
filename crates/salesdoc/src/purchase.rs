//! Goods receipts: `setPurchase` (11.3) and `getPurchase` (9.43). A purchase brings its
//! `products` into its `store` at its `date`: one ledger line (+ quantity) per product,
//! posted with the document in one transaction and named `Purchase` in getStoreLog. An
//! update (the document found by `CS_id` / `SD_id` / `code_1C`) replaces its lines, so
//! stock follows the edited quantities; lowering them below what was since taken out is
//! refused as any stock-lowering document is.
//!
//! getPurchase lists one item per document under `warehouse` (the vendor's key): the
//! warehouse's identifiers and name, then `date`, `updated`, `purchase_id` (the
//! document's `CS_id`), `priceType`, `shipper` and `detail` (with `amount` = quantity ×
//! price). Filters: `filter.period.date` (the document date), `filter.period.dateUpdate`
//! and `filter.store`; a store that matches nothing gives an empty page (*Inferred*).
//!
//! *Inferred* (the docs are silent): price types carry no purchase/sale type here, so
//! any price type of the filial is taken; no default supplier is seeded, so a purchase
//! without `shipper` shows `shipper: null`; no method writes suppliers, so a `shipper`
//! named by `code_1C` that is not found is created with that code (numbered plainly,
//! `"1"`, as the docs show suppliers; named by its `name` or else its code), as
//! setProduct creates the categories it names, while one named only by `CS_id` /
//! `SD_id` and not found fails the item; an identifier that finds no document creates
//! one carrying its `code_1C`; a bare `date` is the day's first second.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::Line;
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{save, set_with, Refused, StoreRecord, Target};
use crate::reference::{cs_id, find_in, Ids, Record};
use crate::render::page;
use crate::request::Ctx;
use crate::shipper::{KEY as SHIPPER, SHIPPER_RULES};
use crate::stock_doc::identified;
use crate::stock_doc::optional;
use crate::stock_doc::{
    document_date, document_filters, linked, non_negative, product_lines, save_posted,
    shown_detail, shown_store, DocumentKind,
};
use crate::values::{number, text};
use crate::warehouse;

/// The stored kind and the SET group.
pub const KEY: &str = "purchase";
/// getStoreLog's name for purchase lines.
pub const LOG_TYPE: &str = "Purchase";
const PURCHASE: DocumentKind = DocumentKind {
    key: KEY,
    log_type: LOG_TYPE,
};
const PRICE_TYPE: &str = "priceType";

/// setPurchase's way of storing one document.
struct Purchases;

/// `setPurchase` (11.3).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &Purchases).await
}

/// The supplier a purchase names.
enum Supplier {
    Found(Record),
    /// Named by a `code_1C` that finds none: created when the purchase is stored.
    New(Ids, Map<String, Value>),
    None,
}

/// The item's `shipper`: found, to create, or none (absent, or refused with an error).
async fn supplier(
    ctx: &Ctx,
    item: &Map<String, Value>,
    errors: &mut Vec<String>,
) -> Result<Supplier, Refused> {
    let Some(named) = item.get(SHIPPER).and_then(Value::as_object) else {
        return Ok(
            match linked(ctx, item, SHIPPER, SHIPPER, false, errors).await? {
                Some(found) => Supplier::Found(found),
                None => Supplier::None,
            },
        );
    };
    let ids = Ids::of(named);
    if let Some(found) = find_in(ctx, SHIPPER, &ids).await? {
        return Ok(Supplier::Found(found));
    }
    let Some(code) = ids.code_1c.clone() else {
        linked(ctx, item, SHIPPER, SHIPPER, false, errors).await?;
        return Ok(Supplier::None);
    };
    let name = named.get("name").and_then(text).unwrap_or(code);
    let mut fields = Map::new();
    fields.insert("name".into(), Value::from(name));
    fields.insert("active".into(), Value::Bool(true));
    Ok(Supplier::New(ids, fields))
}

impl StoreRecord for Purchases {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, KEY, record).await?;
        let mut errors = Vec::new();
        let date = document_date(item, &mut errors);
        let price_type = linked(ctx, item, PRICE_TYPE, PRICE_TYPE, true, &mut errors).await?;
        let store = linked(ctx, item, "store", warehouse::KEY, true, &mut errors).await?;
        let shipper = supplier(ctx, item, &mut errors).await?;
        let mut detail = Vec::new();
        let mut received = Vec::new();
        let lines = product_lines(ctx, item, &mut errors, |line, errors| {
            let quantity = non_negative(line.item, &line.at, "quantity", true, errors);
            let price = non_negative(line.item, &line.at, "price", true, errors);
            let dates = [
                optional(line.item, "mfg_date"),
                optional(line.item, "exp_date"),
            ];
            Some((quantity?, price?, dates))
        })
        .await?;
        for (product, (quantity, price, [mfg_date, exp_date])) in lines {
            detail.push(json!({
                "product": product.sd_id,
                "quantity": number(quantity),
                "price": number(price),
                "mfg_date": mfg_date,
                "exp_date": exp_date,
            }));
            received.push((product.sd_id, quantity));
        }
        let (Some(date), Some(price_type), Some(store), true) =
            (date, price_type, store, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let shipper = match shipper {
            Supplier::Found(record) => Some(record),
            Supplier::New(ids, fields) => {
                let target = Target::of(ctx, SHIPPER, &SHIPPER_RULES, None).await?;
                Some(save(ctx, SHIPPER, &ids, target, fields).await?)
            }
            Supplier::None => None,
        };
        let mut fields = Map::new();
        fields.insert("date".into(), Value::from(date.as_str()));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("priceType".into(), Value::Object(price_type.ids(ctx)));
        fields.insert("store".into(), Value::Object(store.ids(ctx)));
        let shipper = shipper.map(|s| {
            let mut shown = s.ids(ctx);
            let name = s.fields.get("name").cloned().unwrap_or(Value::Null);
            shown.insert("name".into(), name);
            Value::Object(shown)
        });
        fields.insert(SHIPPER.into(), shipper.unwrap_or(Value::Null));
        fields.insert("detail".into(), Value::from(detail));
        let target = Target::of(ctx, KEY, &Rules::PLAIN, existing.as_ref()).await?;
        let lines = received
            .into_iter()
            .filter(|(_, quantity)| *quantity != 0.0)
            .map(|(product, quantity)| Line {
                warehouse: store.sd_id.clone(),
                product,
                date: date.clone(),
                quantity,
            })
            .collect();
        save_posted(ctx, &PURCHASE, &ids, target, fields, lines).await
    }
}

/// `getPurchase` (9.43).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let Some(filters) = document_filters(ctx, envelope, &["store"]).await? else {
        return Ok(page(
            warehouse::KEY,
            Vec::new(),
            listing.limit,
            0,
            listing.page,
        ));
    };
    let (documents, total) = listing.fetch(ctx, KEY, filters).await?;
    let mut items = Vec::new();
    for document in documents {
        let fields = &document.fields;
        let mut shown = shown_store(ctx, &fields["store"]).await?;
        shown.insert("date".into(), fields["date"].clone());
        shown.insert("updated".into(), document.doc.body["updated"].clone());
        shown.insert(
            "purchase_id".into(),
            Value::from(cs_id(ctx, &document.sd_id)),
        );
        shown.insert("priceType".into(), fields["priceType"].clone());
        shown.insert(SHIPPER.into(), fields[SHIPPER].clone());
        let detail = shown_detail(ctx, &fields["detail"], true).await?;
        shown.insert("detail".into(), Value::from(detail));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(warehouse::KEY, items, total))
}
