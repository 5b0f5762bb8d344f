//! `setStock` (11.2), the inventory: each `warehouse` item gives the counted quantity of
//! its `products` at its `date` (default: now), and the ledger gets the difference from
//! the stock at that moment, one line per product whose count differs. Unless
//! `dont_zero_others` is true, every other product with stock in the warehouse at that
//! moment is counted as zero. The count is kept as a correction document of type
//! `inventory` (getCorrection 9.42 lists it; getStoreLog names its lines
//! `StoreCorrector`). The answer lists the warehouses counted.
//!
//! *Inferred* (the docs are silent): an item is all or nothing, so a product that is not
//! found, a missing or negative `quantity`, or one product listed twice fails the whole
//! warehouse item and writes nothing; `products` may be empty (with zeroing: the
//! warehouse is emptied); a bare date counts at the day's first second; `price` (cost)
//! is kept on the document's lines, a negative one refused.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Expect, Write};

use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::{self, read::stock_at, Line, Negative, Owner, Posting};
use crate::reference::upsert::{allocate, set_with, Refused, StoreRecord, NOT_OBJECT};
use crate::reference::{body, find_in, Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::date_or_now;
use crate::stock_doc::{non_negative, product_lines};
use crate::values::{active, datetime};
use crate::warehouse;

/// The stored kind of corrections and inventories (getCorrection's documents).
pub const CORRECTION: &str = "correction";
/// The type getCorrection shows for an inventory.
const INVENTORY: &str = "inventory";
/// getStoreLog's name for corrections and inventories.
pub const LOG_TYPE: &str = "StoreCorrector";

/// setStock's way of storing one warehouse item.
pub struct Inventory;

/// One counted product of an item.
struct Counted {
    product: Record,
    quantity: f64,
    price: Value,
}

/// `setStock` (11.2).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, warehouse::KEY, &Inventory).await
}

/// The item's counted products, or the item's errors.
async fn counted(
    ctx: &Ctx,
    item: &Map<String, Value>,
    errors: &mut Vec<String>,
) -> Result<Vec<Counted>, Refused> {
    let lines = product_lines(ctx, item, errors, |line, errors| {
        let quantity = non_negative(line.item, &line.at, "quantity", true, errors);
        let price = non_negative(line.item, &line.at, "price", false, errors)
            .map_or(Value::Null, crate::values::number);
        quantity.map(|quantity| (quantity, price))
    })
    .await?;
    let counted = lines
        .into_iter()
        .map(|(product, (quantity, price))| Counted {
            product,
            quantity,
            price,
        })
        .collect();
    Ok(counted)
}

impl StoreRecord for Inventory {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let mut errors = Vec::new();
        let ids = Ids::of(item);
        let store = if ids.is_empty() {
            errors.push("One of CS_id, SD_id or code_1C of the warehouse is required".into());
            None
        } else {
            let found = find_in(ctx, warehouse::KEY, &ids).await?;
            if found.is_none() {
                errors.push("warehouse not found".into());
            }
            found
        };
        let date = date_or_now(ctx, item, &mut errors);
        let keep_others = match item.get("dont_zero_others") {
            None | Some(Value::Null) => false,
            Some(flag) => active(flag).unwrap_or_else(|| {
                errors.push("dont_zero_others must be true or false".into());
                false
            }),
        };
        let products = counted(ctx, item, &mut errors).await?;
        let (Some(store), Some(date), true) = (store, date, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        let mut before = stock_at(ctx, &store.sd_id, Some(&date)).await?;
        let mut lines = Vec::new();
        let mut shown = Vec::new();
        let line = |product: &str, quantity: f64| Line {
            warehouse: store.sd_id.clone(),
            product: product.to_owned(),
            date: date.clone(),
            quantity,
        };
        for count in &products {
            let had = before.remove(&count.product.sd_id).unwrap_or(0.0);
            let difference = ledger::round(count.quantity - had);
            shown.push(json!({
                "product": count.product.ids(&ctx.head_office()),
                "product_name": count.product.fields.get("name").cloned().unwrap_or(Value::Null),
                "quantity": difference,
                "counted": count.quantity,
                "price": count.price,
            }));
            if difference != 0.0 {
                lines.push(line(&count.product.sd_id, difference));
            }
        }
        if !keep_others {
            for (product, had) in before {
                lines.push(line(&product, -had));
                shown.push(
                    json!({ "product": { "SD_id": product }, "quantity": -had, "counted": 0 }),
                );
            }
        }
        let document = inventory_document(ctx, &store, &date, shown).await?;
        let owner = Owner {
            log_type: LOG_TYPE,
            kind: CORRECTION,
            sd_id: document.key.id.clone(),
        };
        let posting = Posting {
            owner,
            lines,
            negative: Negative::checked(ctx),
        };
        let write = Write::Put {
            doc: document,
            expect: Expect::Absent,
        };
        ledger::post(ctx, posting, vec![write], &[]).await?;
        Ok(store)
    }
}

/// A new correction document of type inventory, numbered now.
async fn inventory_document(
    ctx: &Ctx,
    store: &Record,
    date: &str,
    items: Vec<Value>,
) -> Result<Document, Refused> {
    let n = allocate(ctx, CORRECTION).await?;
    let sd_id = crate::reference::rules::d0(n);
    let mut fields = Map::new();
    fields.insert("type".into(), Value::from(INVENTORY));
    fields.insert("date".into(), Value::from(date));
    fields.insert("store".into(), Value::Object(store.ids(ctx)));
    fields.insert("items".into(), Value::from(items));
    let now = datetime(ctx.now);
    let key = ctx.scope.key(CORRECTION, sd_id);
    Ok(Document::new(key, body(n, ctx, None, &now, &now, fields)))
}
