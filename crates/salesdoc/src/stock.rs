//! Stock read from the ledger: `getStock` (9.24), the current stock grouped by
//! warehouse, and `getStockForDate` (9.25), one warehouse's stock at a moment summed
//! over its ledger lines.
//!
//! getStock pages over (warehouse, product) cells holding stock (zero ones left out;
//! `total` counts cells), grouped by warehouse in the page, warehouses of every type
//! included (DIGEST §2.3). `params.store` and `params.category` (directly under
//! `params`) name a warehouse and a product category by `CS_id` / `SD_id` / `code_1C`;
//! one that matches nothing gives an empty page (*Inferred*). getStockForDate needs
//! `params.date` (a bare date: up to the day's end) and `params.store` (400 when missing,
//! no date, or no such warehouse; *Inferred* texts), echoes both as sent, and lists the
//! products with stock other than zero by product number.

use std::collections::HashMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::ledger::read::{cells, stock_at};
use crate::reference::list::Listing;
use crate::reference::named::render_name_active;
use crate::reference::{by_sd_in, find_in, Ids, Record};
use crate::render::{ok, page};
use crate::request::Ctx;
use crate::values::{period_bound, text, Bound};
use crate::warehouse;

const PRODUCT: &str = "product";
const CATEGORY: &str = "productCategory";

/// The record of the kind `key` that `params.<member>` names in `place`: `None` when
/// the member is absent, `Some(None)` when it names nothing.
async fn named_in(
    place: &Ctx,
    envelope: &Envelope,
    member: &str,
    key: &str,
) -> SdResult<Option<Option<Record>>> {
    let Some(named) = envelope.params.get(member).and_then(Value::as_object) else {
        return Ok(None);
    };
    let ids = Ids::of(named);
    if ids.is_empty() {
        return Ok(Some(None));
    }
    Ok(Some(find_in(place, key, &ids).await?))
}

/// The products of a category (head office), by `SD_id`.
async fn products_of(head_office: &Ctx, category: &Record) -> SdResult<Vec<Value>> {
    let filter = vec![Filter::eq("fields.category.SD_id", category.sd_id.as_str())];
    let listing = Listing {
        limit: u32::MAX,
        page: 1,
        filters: Vec::new(),
        sort: Vec::new(),
    };
    let (products, _) = listing.fetch(head_office, PRODUCT, filter).await?;
    Ok(products.into_iter().map(|p| Value::from(p.sd_id)).collect())
}

/// `getStock` (9.24).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let head_office = ctx.head_office();
    let mut filters = Vec::new();
    let empty = || page(warehouse::KEY, Vec::new(), listing.limit, 0, listing.page);
    match named_in(ctx, envelope, "store", warehouse::KEY).await? {
        None => {}
        Some(None) => return Ok(empty()),
        Some(Some(store)) => filters.push(Filter::eq("warehouse", store.sd_id)),
    }
    match named_in(&head_office, envelope, "category", CATEGORY).await? {
        None => {}
        Some(None) => return Ok(empty()),
        Some(Some(category)) => {
            let products = products_of(&head_office, &category).await?;
            if products.is_empty() {
                return Ok(empty());
            }
            filters.push(Filter::In {
                path: Filter::path("product"),
                values: products,
            });
        }
    }
    let offset = (listing.page - 1).saturating_mul(u64::from(listing.limit));
    let (cells, total) = cells(ctx, filters, offset, listing.limit).await?;
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    let mut products: HashMap<String, Option<Record>> = HashMap::new();
    for cell in cells {
        if !products.contains_key(&cell.product) {
            let found = by_sd_in(&head_office, PRODUCT, &cell.product).await?;
            products.insert(cell.product.clone(), found);
        }
        let product = products[&cell.product].as_ref();
        let mut shown = match product {
            Some(record) => record.ids(&head_office),
            None => crate::batch::ids(Some(&cell.product), Some(&cell.product), None),
        };
        let fields = product.map(|p| p.fields.clone()).unwrap_or_default();
        shown.extend(render_name_active(&fields));
        shown.insert("quantity".into(), json!(cell.quantity));
        match groups.last_mut() {
            Some((sd_id, items)) if *sd_id == cell.warehouse => items.push(Value::Object(shown)),
            _ => groups.push((cell.warehouse, vec![Value::Object(shown)])),
        }
    }
    let mut items = Vec::new();
    for (sd_id, products) in groups {
        let store = by_sd_in(ctx, warehouse::KEY, &sd_id).await?;
        let mut shown = match &store {
            Some(record) => record.ids(ctx),
            None => crate::batch::ids(None, Some(&sd_id), None),
        };
        let fields = store.map(|s| s.fields).unwrap_or_default();
        shown.extend(render_name_active(&fields));
        shown.insert("products".into(), Value::from(products));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(warehouse::KEY, items, total))
}

/// A required parameter: 400 when absent (*Inferred* text).
fn required<'a>(envelope: &'a Envelope, name: &str) -> SdResult<&'a Value> {
    envelope
        .params
        .get(name)
        .filter(|v| !v.is_null())
        .ok_or_else(|| SdError::bad_request(format!("params.{name} is required")))
}

/// Product `SD_id`s in number order (`d0_2` before `d0_10`).
fn by_number(sd_id: &str) -> (usize, &str) {
    (sd_id.len(), sd_id)
}

/// `getStockForDate` (9.25).
pub async fn get_for_date(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let date = required(envelope, "date")?.clone();
    let until = text(&date)
        .and_then(|raw| period_bound(&raw, Bound::End))
        .ok_or_else(|| SdError::bad_request("params.date is not a valid date"))?;
    let store_given = required(envelope, "store")?.clone();
    let store = match named_in(ctx, envelope, "store", warehouse::KEY).await? {
        Some(Some(store)) => store,
        Some(None) | None => return Err(SdError::bad_request("params.store not found")),
    };
    let mut stock: Vec<(String, f64)> = stock_at(ctx, &store.sd_id, Some(&until))
        .await?
        .into_iter()
        .collect();
    stock.sort_by(|a, b| by_number(&a.0).cmp(&by_number(&b.0)));
    let head_office = ctx.head_office();
    let mut shown = Vec::new();
    for (sd_id, amount) in stock {
        let product = by_sd_in(&head_office, PRODUCT, &sd_id).await?;
        let code = product.and_then(|p| p.code_1c);
        let mut row = Map::new();
        row.insert("SD_id".into(), Value::from(sd_id));
        row.insert("code_1C".into(), code.map_or(Value::Null, Value::from));
        row.insert("amount".into(), json!(amount));
        shown.push(Value::Object(row));
    }
    Ok(ok(json!({
        "status": true,
        "result": { "date": date, "store": store_given, "stock": shown },
    })))
}
