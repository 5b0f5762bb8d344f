//! The writable fields of an order document (`order=<json>` of create, edit and upload),
//! its items, the totals computed from them, and the order's history records.

use serde_json::{json, Map, Value};

use crate::custom_fields::Definitions;
use crate::customers::fields::{boolean, checked_text, contragent, object, Problems, ADDRESS};
use crate::error::texts;
use crate::request::parse_time;

/// Plain text fields of at most 255 characters.
const TEXTS: [&str; 11] = [
    "number",
    "firstName",
    "lastName",
    "patronymic",
    "phone",
    "additionalPhone",
    "customerComment",
    "managerComment",
    "statusComment",
    "countryIso",
    "privilegeType",
];

/// What the account's references allow: status, order type, order method, delivery type
/// and item status codes, and the orders' custom fields.
pub struct Allowed {
    pub statuses: Vec<String>,
    pub order_types: Vec<String>,
    pub order_methods: Vec<String>,
    pub delivery_types: Vec<String>,
    pub item_statuses: Vec<String>,
    pub custom_fields: Definitions,
}

/// A non-negative amount, else a problem.
pub fn amount(problems: &mut Problems, path: &str, value: &Value) -> Option<Value> {
    let number = value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()));
    match number {
        Some(n) if n >= 0.0 && n.is_finite() => Some(json!(n)),
        Some(_) => {
            problems.insert(path.to_owned(), texts::POSITIVE_OR_ZERO.to_owned());
            None
        }
        None => {
            problems.insert(path.to_owned(), texts::NUMBER.to_owned());
            None
        }
    }
}

/// A percentage 0..=100, else a problem.
pub fn percent(problems: &mut Problems, path: &str, value: &Value) -> Option<Value> {
    let read = amount(problems, path, value)?;
    if read.as_f64().unwrap_or_default() > 100.0 {
        problems.insert(
            path.to_owned(),
            "This value should be less than or equal to 100.".to_owned(),
        );
        return None;
    }
    Some(read)
}

pub fn integer(problems: &mut Problems, path: &str, value: &Value) -> Option<Value> {
    match value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
    {
        Some(n) => Some(json!(n)),
        None => {
            problems.insert(path.to_owned(), texts::INTEGER.to_owned());
            None
        }
    }
}

pub fn choice(
    problems: &mut Problems,
    path: &str,
    value: &Value,
    allowed: &[String],
) -> Option<Value> {
    match value.as_str() {
        Some(code) if allowed.iter().any(|a| a == code) => Some(json!(code)),
        _ => {
            problems.insert(path.to_owned(), texts::CHOICE.to_owned());
            None
        }
    }
}

/// Reads the fields `doc` gives into `into` (the stored order, or the defaults), each
/// problem keyed by the field. `null` clears a field. `items` and `customer` are read by
/// their callers.
pub fn apply(
    doc: &Map<String, Value>,
    into: &mut Map<String, Value>,
    allowed: &Allowed,
    problems: &mut Problems,
) {
    for (name, value) in doc {
        let name = name.as_str();
        if matches!(name, "items" | "customer") {
            continue;
        }
        if value.is_null() {
            if !matches!(name, "status" | "orderType" | "site" | "id") {
                into.remove(name);
            }
            continue;
        }
        let read = match name {
            "externalId" => checked_text(problems, name, value),
            _ if TEXTS.contains(&name) => checked_text(problems, name, value),
            "email" => checked_text(problems, name, value).filter(|email| {
                let fits = email.as_str().is_some_and(twin_http::is_email);
                if !fits {
                    problems.insert(name.to_owned(), texts::EMAIL.to_owned());
                }
                fits
            }),
            "call" | "expired" | "shipped" => match boolean(value) {
                Some(flag) => Some(json!(flag)),
                None => {
                    problems.insert(name.to_owned(), texts::BOOLEAN.to_owned());
                    None
                }
            },
            "createdAt" => match value.as_str().and_then(parse_time) {
                Some(_) => Some(value.clone()),
                None => {
                    problems.insert(name.to_owned(), texts::DATETIME.to_owned());
                    None
                }
            },
            "managerId" | "length" | "width" | "height" | "mark" => integer(problems, name, value),
            "discountManualAmount" | "weight" => amount(problems, name, value),
            "discountManualPercent" => percent(problems, name, value),
            "status" => choice(problems, name, value, &allowed.statuses),
            "orderType" => choice(problems, name, value, &allowed.order_types),
            "orderMethod" => choice(problems, name, value, &allowed.order_methods),
            "contragent" => contragent(problems, value, into.get(name)),
            // Values of the fields defined for orders, in their type's form; others are
            // ignored, as for customers.
            "customFields" if value.is_object() => {
                into.entry("customFields").or_insert_with(|| json!({}));
                allowed.custom_fields.check(doc, into, problems);
                continue;
            }
            "customFields" => {
                problems.insert(name.to_owned(), texts::CHOICE.to_owned());
                None
            }
            "delivery" => delivery(problems, value, into.get(name), allowed),
            // Unknown and read-only fields (totals, dates) are ignored, as the vendor does.
            _ => continue,
        };
        if let Some(read) = read {
            into.insert(name.to_owned(), read);
        }
    }
}

/// `delivery {code, cost, netCost, date, address}`: over the stored one (an edit changes
/// the members it gives).
fn delivery(
    problems: &mut Problems,
    value: &Value,
    before: Option<&Value>,
    allowed: &Allowed,
) -> Option<Value> {
    let Value::Object(given) = value else {
        problems.insert("delivery".to_owned(), texts::CHOICE.to_owned());
        return None;
    };
    let mut out = before
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, value) in given {
        let path = format!("delivery[{name}]");
        if value.is_null() {
            out.remove(name);
            continue;
        }
        let read = match name.as_str() {
            "code" => choice(problems, &path, value, &allowed.delivery_types),
            "cost" | "netCost" => amount(problems, &path, value),
            "date" => match value
                .as_str()
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            {
                Some(_) => Some(value.clone()),
                None => {
                    problems.insert(path, texts::DATE.to_owned());
                    None
                }
            },
            "address" => object(problems, "delivery[address]", value, &ADDRESS),
            "data" => crate::delivery::data::read(problems, value, out.get("data")),
            _ => continue,
        };
        if let Some(read) = read {
            out.insert(name.clone(), read);
        }
    }
    Some(Value::Object(out))
}

/// Item fields kept as given (objects and lists) or as text.
const ITEM_KEPT: [&str; 5] = ["offer", "properties", "externalIds", "priceType", "vatRate"];
const ITEM_TEXTS: [&str; 4] = ["productName", "comment", "status", "externalId"];

/// Reads the items of a document over the stored ones: an item with the `id` of a
/// stored item changes it, one without is new (`next_id` gives its id), and the stored
/// items the list leaves out are removed (the vendor's rule for `items`).
pub fn items(
    value: &Value,
    before: &[Value],
    now: &str,
    next_id: &mut dyn FnMut() -> i64,
    problems: &mut Problems,
) -> Vec<Value> {
    let Some(list) = value.as_array() else {
        problems.insert("items".to_owned(), texts::CHOICE.to_owned());
        return before.to_vec();
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let Some(given) = item.as_object() else {
            problems.insert(format!("items[{i}]"), texts::CHOICE.to_owned());
            continue;
        };
        let stored = given.get("id").and_then(|id| {
            before.iter().find(|b| {
                b["id"] == *id
                    || id.as_str().and_then(|s| s.parse::<i64>().ok()) == b["id"].as_i64()
            })
        });
        if given.contains_key("id") && stored.is_none() {
            problems.insert(format!("items[{i}][id]"), "Order item not found".to_owned());
            continue;
        }
        let mut body = match stored {
            Some(stored) => stored.as_object().cloned().unwrap_or_default(),
            None => Map::from_iter([
                ("id".to_owned(), json!(next_id())),
                ("initialPrice".to_owned(), json!(0.0)),
                ("quantity".to_owned(), json!(1.0)),
                ("createdAt".to_owned(), json!(now)),
            ]),
        };
        for (name, value) in given {
            let path = format!("items[{i}][{name}]");
            if value.is_null() {
                if !matches!(name.as_str(), "id" | "initialPrice" | "quantity") {
                    body.remove(name);
                }
                continue;
            }
            let read = match name.as_str() {
                "initialPrice" | "purchasePrice" | "discountManualAmount" => {
                    amount(problems, &path, value)
                }
                "discountManualPercent" => percent(problems, &path, value),
                "quantity" => match amount(problems, &path, value) {
                    Some(q) if q.as_f64().unwrap_or_default() > 0.0 => Some(q),
                    Some(_) => {
                        problems.insert(path, "This value should be greater than 0.".to_owned());
                        None
                    }
                    None => None,
                },
                n if ITEM_TEXTS.contains(&n) => checked_text(problems, &path, value),
                n if ITEM_KEPT.contains(&n) => Some(value.clone()),
                _ => continue,
            };
            if let Some(read) = read {
                body.insert(name.clone(), read);
            }
        }
        out.push(Value::Object(body));
    }
    out
}

/// Money in kopecks.
fn cents(value: &Value) -> i64 {
    (value.as_f64().unwrap_or_default() * 100.0).round() as i64
}

fn money(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// The totals, computed exactly in kopecks from the items (*Inferred* rules, the
/// vendor's fields): an item's own discount per unit is its `discountManualAmount` plus
/// `discountManualPercent` of its `initialPrice`; `summ` is the sum of the items' lines
/// (`(initialPrice − own discount) × quantity`, each rounded to the kopeck); the order's
/// discount (`discountManualAmount` + `discountManualPercent` of `summ`, at most `summ`)
/// is shared over the lines in proportion (the remainder to the last line);
/// `totalSumm = summ − order discount + delivery.cost`. Each item answers
/// `discountTotal` (its discount per unit, all discounts) and `prices [{price,
/// quantity}]`; `purchaseSumm` is the sum of `purchasePrice × quantity`. Bonuses charged
/// on an item (`bonusesChargeTotal`, money at the default program's 1 bonus = 1 RUB, see
/// `crate::loyalty::apply`) are a further discount of its line, after the order's.
pub fn totals(body: &mut Map<String, Value>) {
    let mut items: Vec<Value> = body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut lines = Vec::new();
    let mut purchase = 0i64;
    for item in &items {
        let price = cents(&item["initialPrice"]);
        let own = cents(&item["discountManualAmount"])
            + (price as f64 * item["discountManualPercent"].as_f64().unwrap_or_default() / 100.0)
                .round() as i64;
        let unit = (price - own).max(0);
        let quantity = item["quantity"].as_f64().unwrap_or(1.0);
        lines.push((
            (unit as f64 * quantity).round() as i64,
            price - unit,
            quantity,
        ));
        purchase += (cents(&item["purchasePrice"]) as f64 * quantity).round() as i64;
    }
    let summ: i64 = lines.iter().map(|(line, _, _)| line).sum();
    let percent = body
        .get("discountManualPercent")
        .and_then(Value::as_f64)
        .unwrap_or_default();
    let order_discount = (body.get("discountManualAmount").map_or(0, cents)
        + (summ as f64 * percent / 100.0).round() as i64)
        .min(summ);
    let mut left = order_discount;
    let mut bonuses = 0;
    for (n, (item, (line, own, quantity))) in items.iter_mut().zip(&lines).enumerate() {
        let share = if n + 1 == lines.len() {
            left
        } else if summ > 0 {
            ((order_discount as f64) * (*line as f64) / (summ as f64)).round() as i64
        } else {
            0
        };
        left -= share;
        let bonus = cents(&item["bonusesChargeTotal"]).clamp(0, (line - share).max(0));
        bonuses += bonus;
        let per_unit = *own + ((share + bonus) as f64 / quantity).round() as i64;
        let price = cents(&item["initialPrice"]) - per_unit;
        item["discountTotal"] = money(per_unit);
        item["prices"] = json!([{ "price": money(price), "quantity": quantity }]);
    }
    let delivery = body
        .get("delivery")
        .map_or(0, |delivery| cents(&delivery["cost"]));
    body.insert("items".into(), Value::Array(items));
    body.insert("summ".into(), money(summ));
    body.insert(
        "totalSumm".into(),
        money(summ - order_discount - bonuses + delivery),
    );
    body.insert("purchaseSumm".into(), money(purchase));
}
