//! An offer's fields as batch create/edit read them (`products[][offers][]`), and an offer
//! as the API shows it. The seed's field table of the batch methods is cut short before
//! offers; Twin takes them in the product's document (*Inferred*: without a catalog
//! feed, that is how offers come to exist) with the names the vendor's offers answer
//! with: `externalId`, `xmlId`, `article`, `name`, `barcode`, `prices[]` (`priceType`,
//! `price`; `price` alone is the base price), `purchasePrice`, `vatRate`, `weight`,
//! `length`, `width`, `height`, `unit` (`code`, `name`, `sym`), `properties`, `active`.

use serde_json::{json, Map, Value};

use super::{num, number};
use crate::customers::fields::{boolean, checked_text, object, Problems};
use crate::error::texts;
use crate::orders::fields::amount;

/// The price type of `price` and the one the lists' plain price filters use. *Inferred*:
/// the vendor's default price type code.
pub const BASE_PRICE: &str = "base";

const TEXTS: [&str; 6] = [
    "externalId",
    "xmlId",
    "article",
    "name",
    "barcode",
    "vatRate",
];
const AMOUNTS: [&str; 5] = ["purchasePrice", "weight", "length", "width", "height"];

/// Reads `properties`: a list of `{code, name, value}` or an object `{code: value}`, into
/// `properties` (`{code: value}`) and the names they were given (`_propertyNames`).
pub fn read_properties(given: &Value, into: &mut Map<String, Value>, problems: &mut Problems) {
    let mut values = Map::new();
    let mut names = Map::new();
    match given {
        Value::Object(map) => {
            for (code, value) in map {
                values.insert(code.clone(), json!(text_of(value)));
            }
        }
        Value::Array(list) => {
            for (i, entry) in list.iter().enumerate() {
                let code = entry["code"].as_str().filter(|c| !c.is_empty());
                match (code, entry.get("value")) {
                    (Some(code), Some(value)) => {
                        values.insert(code.into(), json!(text_of(value)));
                        if let Some(name) = entry["name"].as_str() {
                            names.insert(code.into(), json!(name));
                        }
                    }
                    _ => {
                        problems.insert(format!("properties[{i}]"), texts::BLANK.into());
                    }
                }
            }
        }
        Value::Null => {}
        _ => {
            problems.insert("properties".into(), texts::CHOICE.into());
        }
    }
    into.insert("properties".into(), Value::Object(values));
    into.insert("_propertyNames".into(), Value::Object(names));
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Reads `doc` over `offer` (a stored offer, or a new one), each problem keyed by field.
/// `currency` is the account's base currency, that of every price.
pub fn read(
    doc: &Map<String, Value>,
    offer: &mut Map<String, Value>,
    currency: &str,
    problems: &mut Problems,
) {
    for field in TEXTS {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            if let Some(text) = checked_text(problems, field, value) {
                offer.insert(field.into(), text);
            }
        }
    }
    for field in AMOUNTS {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            if let Some(read) = amount(problems, field, value) {
                offer.insert(field.into(), read);
            }
        }
    }
    if let Some(value) = doc.get("active").filter(|v| !v.is_null()) {
        match boolean(value) {
            Some(flag) => {
                offer.insert("active".into(), json!(flag));
            }
            None => {
                problems.insert("active".into(), texts::BOOLEAN.into());
            }
        }
    }
    if let Some(unit) = doc.get("unit").filter(|v| !v.is_null()) {
        if let Some(read) = object(problems, "unit", unit, &["code", "name", "sym"]) {
            offer.insert("unit".into(), read);
        }
    }
    if let Some(given) = doc.get("properties") {
        read_properties(given, offer, problems);
    }
    let mut prices: Vec<Value> = offer
        .get("prices")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut set = |code: &str, price: f64| {
        prices.retain(|p| p["priceType"] != code);
        prices.push(json!({ "priceType": code, "price": price, "currency": currency }));
    };
    if let Some(value) = doc.get("price").filter(|v| !v.is_null()) {
        if let Some(price) = amount(problems, "price", value) {
            set(BASE_PRICE, price.as_f64().unwrap_or_default());
        }
    }
    if let Some(list) = doc.get("prices").filter(|v| !v.is_null()) {
        for (i, entry) in list.as_array().into_iter().flatten().enumerate() {
            let code = entry["priceType"].as_str().or(entry["code"].as_str());
            match (code, number(&entry["price"])) {
                (Some(code), Some(price)) if price >= 0.0 => set(code, price),
                (None, _) => {
                    problems.insert(format!("prices[{i}][priceType]"), texts::BLANK.into());
                }
                _ => {
                    problems.insert(
                        format!("prices[{i}][price]"),
                        texts::POSITIVE_OR_ZERO.into(),
                    );
                }
            }
        }
        if !list.is_array() {
            problems.insert("prices".into(), texts::CHOICE.into());
        }
    }
    for (ordering, price) in prices.iter_mut().enumerate() {
        price["ordering"] = json!(ordering + 1);
    }
    offer.insert("prices".into(), Value::Array(prices));
    offer.entry("active").or_insert(json!(true));
    offer.entry("properties").or_insert(json!({}));
}

/// The offer's price of `price_type` (the base price when none is named).
pub fn price_of(offer: &Value, price_type: Option<&str>) -> Option<f64> {
    let code = price_type.unwrap_or(BASE_PRICE);
    offer["prices"]
        .as_array()?
        .iter()
        .find(|p| p["priceType"] == code)
        .and_then(|p| p["price"].as_f64())
}

/// Its stock: the sum of its per-store lines.
pub fn quantity(offer: &Value) -> f64 {
    offer["stores"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|line| line["quantity"].as_f64())
        .sum()
}

/// The offer as lists show it (numbers as the vendor writes them): its fields, `price` (the base price, 0 without one),
/// `quantity` (the sum over stores) and `site`; without the per-store lines and Twin's
/// own fields.
pub fn render(offer: &Value) -> Value {
    let mut shown = crate::customers::public(offer);
    for field in AMOUNTS {
        if let Some(n) = offer[field].as_f64() {
            shown[field] = num(n);
        }
    }
    for price in shown["prices"].as_array_mut().into_iter().flatten() {
        price["price"] = num(price["price"].as_f64().unwrap_or_default());
    }
    shown["price"] = num(price_of(offer, None).unwrap_or_default());
    shown["quantity"] = num(quantity(offer));
    if let Value::Object(map) = &mut shown {
        map.remove("stores");
    }
    shown
}
