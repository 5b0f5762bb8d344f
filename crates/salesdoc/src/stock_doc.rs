//! What every stock document reads from its SET item: the records it names (warehouse,
//! price type, supplier), its product lines (`{CS_id|SD_id|code_1C, quantity, price}`)
//! and numbers given as numbers or numeric strings. Errors are collected per item, so a
//! record lists all of its faults at once and is refused as a whole.

use serde_json::{Map, Value};

use crate::reference::upsert::Refused;
use crate::reference::{find_in, Ids, Record};
use crate::request::Ctx;
use crate::values::text;

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
    mut read: impl FnMut(&Given<'_>, &mut Vec<String>) -> Option<T>,
) -> Result<Vec<(Record, T)>, Refused> {
    let Some(Value::Array(products)) = item.get("products") else {
        errors.push("products is required".into());
        return Ok(Vec::new());
    };
    let head_office = ctx.head_office();
    let mut lines: Vec<(Record, T)> = Vec::new();
    for (index, given) in products.iter().enumerate() {
        let at = format!("products[{index}]");
        let Some(line) = given.as_object() else {
            errors.push(format!("{at} must be an object"));
            continue;
        };
        let product = named_by(&head_office, PRODUCT, line, &format!("{at}: "), errors).await?;
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
