//! Prices: `setPrice` (10.13, without filial) and `getPrice` (9.9, in the request's
//! filial). A price belongs to one product and one price type; setting it again replaces
//! it (one price per pair, its update date moved). The currency is the price type's.
//!
//! setPrice finds the product (`CS_id` / `SD_id` / `code_1C`; never created: one that
//! matches nothing fails the item) and the price type (found without filial, as the
//! method has none), and needs `priceType.price`, a number of 0 or more (*Inferred*);
//! `priceType` may also be a list, one price per price type (*Inferred*). `document_1C`
//! is kept with the price. The answer lists the products.
//!
//! getPrice answers a bare array of `{product, price}` for the price type
//! `params.priceType` names, without pagination (as documented); `period` and `sort`
//! apply to the prices' dates. A missing `params.priceType` → 400; one that matches no
//! price type answers an empty list (*Inferred*: the documented example names
//! `F1-d0_1` without a filial and is shown answering).

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Batch, DocKey, Document, Expect, Filter, ListQuery, PageRequest, Write};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::price_type::PRICE_TYPE;
use crate::product::PRODUCT;
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{self, identify, Refused, StoreRecord};
use crate::reference::{find, Ids, Record};
use crate::render::ok;
use crate::request::Ctx;
use crate::values::datetime;

/// The stored kind of prices.
const KIND: &str = "price";
/// getPrice's answer is not paged: at most this many prices per call (*Inferred*).
const MOST: u32 = 100_000;

/// *Inferred* item texts.
const PRODUCT_NOT_FOUND: &str = "product not found";
const PRICE_TYPE_REQUIRED: &str = "priceType is required";
const PRICE_TYPE_NOT_FOUND: &str = "priceType not found";
const PRICE_INVALID: &str = "priceType.price must be a number of 0 or more";

/// `setPrice` (10.13): `data.product` stored item by item.
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    upsert::set_with(ctx, envelope, PRODUCT.key, &Prices).await
}

/// setPrice's way of storing a record: the product's prices, never the product.
struct Prices;

impl StoreRecord for Prices {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, _, product) = identify(ctx, &PRODUCT, &Rules::PLAIN, record).await?;
        let Some(product) = product else {
            return Err(Refused::Item(vec![PRODUCT_NOT_FOUND.into()]));
        };
        set_prices(ctx, item, &product)
            .await?
            .map_err(Refused::Item)?;
        Ok(product)
    }
}

/// One product's prices: done, or the item's errors.
async fn set_prices(
    ctx: &Ctx,
    item: &Map<String, Value>,
    product: &Record,
) -> SdResult<Result<(), Vec<String>>> {
    let prices = match item.get("priceType") {
        Some(Value::Array(many)) => many.clone(),
        Some(Value::Object(one)) => vec![Value::Object(one.clone())],
        _ => return Ok(Err(vec![PRICE_TYPE_REQUIRED.into()])),
    };
    let mut writes = Vec::new();
    let mut errors = Vec::new();
    for priced in &prices {
        let named = priced.as_object().cloned().unwrap_or_default();
        let price = named
            .get("price")
            .and_then(|p| p.as_f64().or_else(|| p.as_str()?.trim().parse().ok()))
            .filter(|p| p.is_finite() && *p >= 0.0);
        let price_type = find(ctx, &PRICE_TYPE, &Ids::of(&named)).await?;
        match (price_type, price) {
            (None, _) => errors.push(PRICE_TYPE_NOT_FOUND.to_owned()),
            (_, None) => errors.push(PRICE_INVALID.to_owned()),
            (Some(price_type), Some(price)) => {
                writes.push(price_doc(ctx, product, &price_type, price, item).await?)
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut batch = Batch::new();
    for write in writes {
        batch = batch.write(write);
    }
    ctx.apply(batch).await?;
    Ok(Ok(()))
}

/// The write of one price: over the stored one (its creation date kept), or new.
async fn price_doc(
    ctx: &Ctx,
    product: &Record,
    price_type: &Record,
    price: f64,
    item: &Map<String, Value>,
) -> SdResult<Write> {
    let key = price_key(ctx, &price_type.sd_id, &product.sd_id);
    let stored = ctx.core.store.get(&key).await?;
    let now = datetime(ctx.now);
    let created = stored
        .as_ref()
        .and_then(|doc| doc.body["created"].as_str().map(str::to_owned))
        .unwrap_or_else(|| now.clone());
    let n = match &stored {
        Some(doc) => doc.body["n"].as_i64().unwrap_or_default(),
        None => ctx.core.store.next_sequence(&ctx.scope, KIND).await?,
    };
    let body = json!({
        "n": n,
        "priceType": price_type.sd_id,
        "product": product.ids(ctx),
        "price": price,
        "document_1C": item.get("document_1C").and_then(crate::values::text),
        "created": created,
        "updated": now,
    });
    Ok(Write::Put {
        doc: Document::new(key, body),
        expect: Expect::Any,
    })
}

/// Where the price of a product in a price type (both by `SD_id`) is kept: one per pair.
fn price_key(ctx: &Ctx, price_type: &str, product: &str) -> DocKey {
    ctx.scope.key(KIND, format!("{price_type}:{product}"))
}

/// The listed price of a product (by `SD_id`) in a price type (by `SD_id`), if any:
/// what documents whose lines give no price take.
async fn listed(ctx: &Ctx, price_type: &str, product: &str) -> SdResult<Option<f64>> {
    let stored = ctx
        .core
        .store
        .get(&price_key(ctx, price_type, product))
        .await?;
    Ok(stored.and_then(|doc| doc.body["price"].as_f64()))
}

/// A document line's price: the one it gives, else the listed one, else 0 (*Inferred*:
/// the docs say the price "may be taken from the price list" and no more).
pub async fn given_or_listed(
    ctx: &Ctx,
    given: Option<f64>,
    price_type: &str,
    product: &str,
) -> SdResult<f64> {
    Ok(match given {
        Some(price) => price,
        None => listed(ctx, price_type, product).await?.unwrap_or(0.0),
    })
}

/// `getPrice` (9.9).
pub async fn get(ctx: &Ctx, envelope: &Envelope, include: Include) -> SdResult<Response> {
    let named = envelope
        .params
        .get("priceType")
        .and_then(Value::as_object)
        .map(Ids::of)
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| {
            SdError::bad_request("params.priceType needs one of CS_id, SD_id or code_1C")
        })?;
    let listing = Listing::read(envelope, include)?;
    let Some(price_type) = find(ctx, &PRICE_TYPE, &named).await? else {
        return Ok(ok(json!({ "status": true, "result": [] })));
    };
    let mut filters = vec![Filter::eq("priceType", price_type.sd_id.as_str())];
    filters.extend(listing.filters.iter().cloned());
    let mut query = ListQuery::new(ctx.scope.clone(), KIND)
        .filter(Filter::And(filters))
        .page(PageRequest::Offset {
            offset: 0,
            limit: MOST,
        });
    for key in &listing.sort {
        query = query.sort(key.clone());
    }
    let page = ctx.core.store.list(&query).await?;
    let result: Vec<Value> = page
        .items
        .iter()
        .map(|doc| json!({ "product": doc.body["product"], "price": doc.body["price"] }))
        .collect();
    Ok(ok(json!({ "status": true, "result": result })))
}

/// The price list's price of `product` under `price_type` (both by `SD_id`): what an
/// order or return line without `price` takes (12.1, 12.5); `None` when none is set.
pub async fn price_of(ctx: &Ctx, price_type: &str, product: &str) -> SdResult<Option<f64>> {
    let key = ctx.scope.key(KIND, format!("{price_type}:{product}"));
    let doc = ctx.core.store.get(&key).await?;
    Ok(doc.and_then(|doc| doc.body["price"].as_f64()))
}
