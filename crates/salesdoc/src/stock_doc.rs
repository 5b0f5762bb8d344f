//! What every stock document shares: on SET, what it reads from its item (the date, the
//! records it names: warehouse, price type, supplier; its product lines
//! `{CS_id|SD_id|code_1C, quantity, price}`; numbers given as numbers or numeric
//! strings), errors collected per item so a record lists all of its faults at once and
//! is refused as a whole; on GET, the document filters (`filter.period.date`,
//! `filter.period.dateUpdate`, a warehouse filter) and how a document shows its
//! warehouses and lines.

use serde_json::{Map, Value};
use twin_store::{Filter, Write};

use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger;
use crate::reference::list::date_range;
use crate::reference::upsert::{prepare, Refused, Target, NOT_OBJECT};
use crate::reference::{by_sd_in, find_in, Ids, Record};
use crate::request::Ctx;
use crate::values::{datetime, number, period_bound, text, Bound};
use crate::warehouse;

/// The stored kind of products (head office).
pub const PRODUCT: &str = "product";

/// A number member: `None` when absent or `null`, `Err` when it is no number.
pub fn number_member(item: &Map<String, Value>, member: &str) -> Result<Option<f64>, ()> {
    match item.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .or_else(|| text(value).and_then(|t| t.parse().ok()))
            .map(Some)
            .ok_or(()),
    }
}

/// The item of a document that may be updated, its identifiers and the stored document
/// of the kind `key` they find (none given or none found: a new document).
pub async fn identified<'a>(
    ctx: &Ctx,
    key: &str,
    record: &'a Value,
) -> Result<(&'a Map<String, Value>, Ids, Option<Record>), Refused> {
    let Some(item) = record.as_object() else {
        return Err(Refused::Item(vec![NOT_OBJECT.into()]));
    };
    let ids = Ids::of(item);
    let existing = if ids.is_empty() {
        None
    } else {
        find_in(ctx, key, &ids).await?
    };
    Ok((item, ids, existing))
}

/// An optional text member, kept as given (`null` when absent).
pub fn optional(item: &Map<String, Value>, member: &str) -> Value {
    item.get(member)
        .and_then(text)
        .map_or(Value::Null, Value::from)
}

/// A required number member of any sign (a numeric string too); `at` prefixes the error
/// pushed when it is missing or no number.
pub fn required_number(
    item: &Map<String, Value>,
    at: &str,
    member: &str,
    errors: &mut Vec<String>,
) -> Option<f64> {
    match number_member(item, member) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            errors.push(format!("{at}{member} is required"));
            None
        }
        Err(()) => {
            errors.push(format!("{at}{member} must be a number"));
            None
        }
    }
}

/// A required quantity that must be above zero (the documents that take stock out).
pub fn positive(
    item: &Map<String, Value>,
    at: &str,
    member: &str,
    errors: &mut Vec<String>,
) -> Option<f64> {
    let quantity = non_negative(item, at, member, true, errors)?;
    if quantity == 0.0 {
        errors.push(format!("{at}{member} must be greater than zero"));
        return None;
    }
    Some(quantity)
}

/// A number member that must not be negative: `None` (with the error) when it is
/// negative, no number, or missing while `required`.
pub fn non_negative(
    item: &Map<String, Value>,
    at: &str,
    member: &str,
    required: bool,
    errors: &mut Vec<String>,
) -> Option<f64> {
    match number_member(item, member) {
        Ok(Some(n)) if n >= 0.0 => Some(n),
        Ok(Some(_)) => {
            errors.push(format!("{at}{member} must not be negative"));
            None
        }
        Ok(None) => {
            if required {
                errors.push(format!("{at}{member} is required"));
            }
            None
        }
        Err(()) => {
            errors.push(format!("{at}{member} must be a number"));
            None
        }
    }
}

/// The record of the kind `key` in `place` that `item` names by its own identifiers;
/// `at` prefixes the errors (`products[0]: `).
pub async fn named_by(
    place: &Ctx,
    key: &str,
    item: &Map<String, Value>,
    at: &str,
    errors: &mut Vec<String>,
) -> Result<Option<Record>, Refused> {
    let ids = Ids::of(item);
    if ids.is_empty() {
        errors.push(format!("{at}one of CS_id, SD_id or code_1C is required"));
        return Ok(None);
    }
    let found = find_in(place, key, &ids).await?;
    if found.is_none() {
        errors.push(format!("{at}{key} not found"));
    }
    Ok(found)
}

/// The record of the kind `key` that the object `item.<member>` names: `Ok(None)` with
/// an error when required and missing, or when it names nothing.
pub async fn linked(
    place: &Ctx,
    item: &Map<String, Value>,
    member: &str,
    key: &str,
    required: bool,
    errors: &mut Vec<String>,
) -> Result<Option<Record>, Refused> {
    match item.get(member) {
        None | Some(Value::Null) => {
            if required {
                errors.push(format!("{member} is required"));
            }
            Ok(None)
        }
        Some(Value::Object(named)) => {
            named_by(place, key, named, &format!("{member}: "), errors).await
        }
        Some(_) => {
            errors.push(format!("{member} must be an object"));
            Ok(None)
        }
    }
}

/// One product line of a document as the item gives it: the product's own members
/// (`quantity`, `price`, ...) and the prefix of its errors (`products[0].`).
pub struct Given<'a> {
    pub item: &'a Map<String, Value>,
    pub at: String,
}

/// The item's `products`, each an object naming a product of the head office, read by
/// `read` (which pushes the line's own errors and gives `None` for a bad line); a
/// product listed twice is refused (*Inferred*: one line per product and document).
pub async fn product_lines<T>(
    ctx: &Ctx,
    item: &Map<String, Value>,
    errors: &mut Vec<String>,
    read: impl FnMut(&Given<'_>, &mut Vec<String>) -> Option<T>,
) -> Result<Vec<(Record, T)>, Refused> {
    product_lines_in(ctx, item, "products", true, errors, read).await
}

/// [`product_lines`] of the list `member` (orders' `orderProducts`, `bonusProducts`),
/// each line naming its product directly or under `product` (`{product: {code_1C}}`);
/// an absent list is an error when `required`, else no lines.
pub async fn product_lines_in<T>(
    ctx: &Ctx,
    item: &Map<String, Value>,
    member: &str,
    required: bool,
    errors: &mut Vec<String>,
    mut read: impl FnMut(&Given<'_>, &mut Vec<String>) -> Option<T>,
) -> Result<Vec<(Record, T)>, Refused> {
    let products = match item.get(member) {
        Some(Value::Array(products)) => products.as_slice(),
        None | Some(Value::Null) if !required => &[],
        _ => {
            errors.push(format!("{member} is required"));
            return Ok(Vec::new());
        }
    };
    let head_office = ctx.head_office();
    let mut lines: Vec<(Record, T)> = Vec::new();
    for (index, given) in products.iter().enumerate() {
        let at = format!("{member}[{index}]");
        let Some(line) = given.as_object() else {
            errors.push(format!("{at} must be an object"));
            continue;
        };
        let named = line
            .get("product")
            .and_then(Value::as_object)
            .unwrap_or(line);
        let product = named_by(&head_office, PRODUCT, named, &format!("{at}: "), errors).await?;
        let given = Given {
            item: line,
            at: format!("{at}."),
        };
        let (Some(product), Some(read)) = (product, read(&given, errors)) else {
            continue;
        };
        if lines.iter().any(|(p, _)| p.sd_id == product.sd_id) {
            errors.push(format!("{at}: the product is listed twice"));
            continue;
        }
        lines.push((product, read));
    }
    Ok(lines)
}

/// The document's date: required, in the stored format.
pub fn document_date(item: &Map<String, Value>, errors: &mut Vec<String>) -> Option<String> {
    if item.get("date").and_then(text).is_none() {
        errors.push("date is required".into());
        return None;
    }
    given_date(item, errors)
}

/// The document's date, or now when it has none (inventories, corrections).
pub fn date_or_now(
    ctx: &Ctx,
    item: &Map<String, Value>,
    errors: &mut Vec<String>,
) -> Option<String> {
    match item.get("date").and_then(text) {
        None => Some(datetime(ctx.now)),
        Some(_) => given_date(item, errors),
    }
}

/// The item's `date` in the stored format (a bare date: its first second), or the error.
fn given_date(item: &Map<String, Value>, errors: &mut Vec<String>) -> Option<String> {
    let raw = item.get("date").and_then(text)?;
    let parsed = period_bound(&raw, Bound::Start);
    if parsed.is_none() {
        errors.push("date is not a valid date".into());
    }
    parsed
}

/// The filters of `filter.period.date` (on the stored `date_field`) and
/// `filter.period.dateUpdate` (the update date): what every document GET shares.
pub fn period_filters(filter: &Map<String, Value>, date_field: &str) -> SdResult<Vec<Filter>> {
    let mut filters = Vec::new();
    if let Some(period) = filter.get("period").and_then(Value::as_object) {
        for (member, field) in [("date", date_field), ("dateUpdate", "updated")] {
            if let Some(range) = period.get(member) {
                let name = format!("params.filter.period.{member}");
                filters.extend(date_range(range, field, &name)?);
            }
        }
    }
    Ok(filters)
}

/// The filters of `filter.period.date`, `filter.period.dateUpdate` and `filter.store`;
/// `None` when the store names nothing (an empty page).
pub async fn document_filters(
    ctx: &Ctx,
    envelope: &Envelope,
    stores: &[&str],
) -> SdResult<Option<Vec<Filter>>> {
    let filter = envelope.filter();
    let mut filters = period_filters(&filter, "fields.date")?;
    for member in stores {
        let Some(named) = filter.get(*member).and_then(Value::as_object) else {
            continue;
        };
        let ids = Ids::of(named);
        let found = if ids.is_empty() {
            None
        } else {
            find_in(ctx, warehouse::KEY, &ids).await?
        };
        let Some(store) = found else {
            return Ok(None);
        };
        filters.push(Filter::eq(&format!("fields.{member}.SD_id"), store.sd_id));
    }
    Ok(Some(filters))
}

/// A document's lines as getPurchase shows them: the product's identifiers and name,
/// quantity, price and amount.
/// Movements show no product name (`named` false).
pub async fn shown_detail(ctx: &Ctx, detail: &Value, named: bool) -> SdResult<Vec<Value>> {
    let head_office = ctx.head_office();
    let mut shown = Vec::new();
    for line in detail.as_array().into_iter().flatten() {
        let sd_id = line["product"].as_str().unwrap_or_default();
        let product = by_sd_in(&head_office, PRODUCT, sd_id).await?;
        let mut row = match &product {
            Some(record) => record.ids(&head_office),
            None => crate::batch::ids(Some(sd_id), Some(sd_id), None),
        };
        if named {
            let name = product.and_then(|p| p.fields.get("name").cloned());
            row.insert("name".into(), name.unwrap_or(Value::Null));
        }
        let quantity = line["quantity"].as_f64().unwrap_or_default();
        row.insert("quantity".into(), number(quantity));
        if let Some(price) = line["price"].as_f64() {
            row.insert("price".into(), number(price));
            row.insert("amount".into(), number(ledger::round(quantity * price)));
        }
        shown.push(Value::Object(row));
    }
    Ok(shown)
}

/// The warehouse a document names, as its identifiers and name.
pub async fn shown_store(ctx: &Ctx, named: &Value) -> SdResult<Map<String, Value>> {
    let sd_id = named["SD_id"].as_str().unwrap_or_default();
    let store = by_sd_in(ctx, warehouse::KEY, sd_id).await?;
    let mut shown = match &store {
        Some(record) => record.ids(ctx),
        None => crate::batch::ids(None, Some(sd_id), None),
    };
    let name = store.and_then(|s| s.fields.get("name").cloned());
    shown.insert("name".into(), name.unwrap_or(Value::Null));
    Ok(shown)
}

/// The two ledger lines of `quantity` of `product` moved from the warehouse `from` to
/// `to` (all by `SD_id`) at `date`: what transfers and exchanges post per product.
pub fn moved_lines(
    from: &str,
    to: &str,
    product: &str,
    date: &str,
    quantity: f64,
) -> [ledger::Line; 2] {
    [(from, -quantity), (to, quantity)].map(|(warehouse, signed)| ledger::Line {
        warehouse: warehouse.to_owned(),
        product: product.to_owned(),
        date: date.to_owned(),
        quantity: signed,
    })
}

/// Where a document is saved and how its lines post: its kind, its getStoreLog name.
pub struct DocumentKind {
    pub key: &'static str,
    pub log_type: &'static str,
}

/// Saves a stock document (`fields` over `target`) with its ledger `lines`, in one
/// transaction, the stock check as the account's setting says: the stored document.
pub async fn save_posted(
    ctx: &Ctx,
    kind: &DocumentKind,
    ids: &Ids,
    target: Target<'_>,
    fields: Map<String, Value>,
    lines: Vec<ledger::Line>,
) -> Result<Record, Refused> {
    let read = target.read();
    let (doc, expect) = prepare(ctx, kind.key, ids, target, fields);
    let posting = ledger::Posting {
        owner: ledger::Owner {
            log_type: kind.log_type,
            kind: kind.key,
            sd_id: doc.key.id.clone(),
        },
        lines,
        negative: ledger::Negative::checked(ctx),
    };
    let stored = Record::from_doc(doc.clone());
    ledger::post(ctx, posting, vec![Write::Put { doc, expect }], &read).await?;
    Ok(stored)
}
