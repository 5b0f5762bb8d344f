//! The writable fields of a customer document (`customer=<json>` of create, edit and
//! upload), checked one by one into the stored form. Problems are keyed by the field's
//! name, as the vendor's `errors`; fields Twin does not know are ignored, as the vendor
//! ignores them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::texts;
use crate::request::parse_time;

/// Contragent types; the seed spells the entrepreneur `enterpreneur` in the list filter
/// and `entrepreneur` in the field's description, so both are taken.
pub const CONTRAGENT_TYPES: [&str; 4] =
    ["individual", "legal-entity", "entrepreneur", "enterpreneur"];

/// Plain text fields of at most 255 characters.
const TEXTS: [&str; 8] = [
    "firstName",
    "lastName",
    "patronymic",
    "commentary",
    "discountCardNumber",
    "firstClientId",
    "lastClientId",
    "browserId",
];

/// Fields of `address`, all text.
pub const ADDRESS: [&str; 14] = [
    "text",
    "index",
    "countryIso",
    "region",
    "city",
    "street",
    "building",
    "house",
    "block",
    "flat",
    "floor",
    "metro",
    "notes",
    "externalId",
];

/// Fields of `contragent` besides its type, all text.
const CONTRAGENT: [&str; 14] = [
    "legalName",
    "legalAddress",
    "INN",
    "OKPO",
    "KPP",
    "OGRN",
    "OGRNIP",
    "certificateNumber",
    "certificateDate",
    "BIK",
    "bank",
    "bankAddress",
    "corrAccount",
    "bankAccount",
];

pub type Problems = BTreeMap<String, String>;

/// A JSON boolean, or what PHP clients send for one (`1`, `0`, `"true"`, `"false"`).
pub fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().filter(|n| *n == 0 || *n == 1).map(|n| n == 1),
        Value::String(s) => match s.as_str() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn checked_text(problems: &mut Problems, path: &str, value: &Value) -> Option<Value> {
    match text(value) {
        Some(s) if s.chars().count() > 255 => {
            problems.insert(path.to_owned(), texts::TOO_LONG.to_owned());
            None
        }
        Some(s) => Some(Value::String(s)),
        None => {
            problems.insert(path.to_owned(), texts::BLANK.to_owned());
            None
        }
    }
}

/// Reads the fields `doc` gives into `into` (the stored customer, or an empty object),
/// recording each problem. `null` clears a field.
pub fn apply(doc: &Map<String, Value>, into: &mut Map<String, Value>, problems: &mut Problems) {
    for (name, value) in doc {
        let name = name.as_str();
        if value.is_null() && !matches!(name, "externalId") {
            into.remove(name);
            continue;
        }
        let read = match name {
            "externalId" => match value {
                Value::Null => Some(Value::Null),
                _ => checked_text(problems, name, value),
            },
            n if TEXTS.contains(&n) => checked_text(problems, name, value),
            "email" => checked_text(problems, name, value).filter(|email| {
                let email = email.as_str().unwrap_or_default();
                let valid = email.is_empty() || twin_http::is_email(email);
                if !valid {
                    problems.insert(name.to_owned(), texts::EMAIL.to_owned());
                }
                valid
            }),
            "vip" | "bad" | "isContact" | "subscribed" => {
                let flag = boolean(value);
                if flag.is_none() {
                    problems.insert(name.to_owned(), texts::BOOLEAN.to_owned());
                }
                flag.map(Value::Bool)
            }
            "createdAt" => {
                let at = value.as_str().and_then(parse_time);
                if at.is_none() {
                    problems.insert(name.to_owned(), texts::DATETIME.to_owned());
                }
                at.map(|at| Value::String(crate::request::timestamp(at)))
            }
            "birthday" => {
                let date = value
                    .as_str()
                    .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
                if date.is_none() {
                    problems.insert(name.to_owned(), texts::DATE.to_owned());
                }
                date.map(|d| Value::String(d.to_owned()))
            }
            "sex" => {
                let sex = value.as_str().filter(|s| matches!(*s, "male" | "female"));
                if sex.is_none() {
                    problems.insert(name.to_owned(), texts::CHOICE.to_owned());
                }
                sex.map(|s| Value::String(s.to_owned()))
            }
            "managerId" => {
                let id = value.as_i64().filter(|id| *id > 0);
                if id.is_none() {
                    problems.insert(name.to_owned(), texts::INTEGER.to_owned());
                }
                id.map(Value::from)
            }
            "personalDiscount" => {
                let discount = value.as_f64().filter(|d| (0.0..=100.0).contains(d));
                if discount.is_none() {
                    problems.insert(name.to_owned(), texts::NUMBER.to_owned());
                }
                discount.map(Value::from)
            }
            "phones" => phones(problems, value),
            "address" => object(problems, name, value, &ADDRESS),
            "contragent" => contragent(problems, value, into.get(name)),
            // The codes given change; the others stay (`null` clears one).
            "customFields" => match value {
                Value::Object(fields) => {
                    let mut kept = into
                        .get(name)
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    for (code, value) in fields {
                        match value {
                            Value::Null => kept.remove(code),
                            _ => kept.insert(code.clone(), value.clone()),
                        };
                    }
                    Some(Value::Object(kept))
                }
                // PHP serialises an empty associative array as `[]`.
                Value::Array(items) if items.is_empty() => Some(json!({})),
                _ => {
                    problems.insert(name.to_owned(), texts::CHOICE.to_owned());
                    None
                }
            },
            "tags" => tags(problems, value),
            "source" => match value {
                Value::Object(_) => Some(value.clone()),
                _ => {
                    problems.insert(name.to_owned(), texts::CHOICE.to_owned());
                    None
                }
            },
            _ => continue,
        };
        if let Some(read) = read {
            into.insert(name.to_owned(), read);
        }
    }
}

/// `[{"number": "..."}]`: each phone needs a number.
fn phones(problems: &mut Problems, value: &Value) -> Option<Value> {
    let Some(items) = value.as_array() else {
        problems.insert("phones".to_owned(), texts::CHOICE.to_owned());
        return None;
    };
    let mut phones = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item
            .get("number")
            .and_then(text)
            .filter(|n| !n.trim().is_empty())
        {
            Some(number) => phones.push(json!({ "number": number })),
            None => {
                problems.insert(format!("phones[{i}][number]"), texts::BLANK.to_owned());
            }
        }
    }
    Some(Value::Array(phones))
}

/// A flat object of text fields; unknown members are dropped.
pub fn object(problems: &mut Problems, name: &str, value: &Value, known: &[&str]) -> Option<Value> {
    let Some(fields) = value.as_object() else {
        problems.insert(name.to_owned(), texts::CHOICE.to_owned());
        return None;
    };
    let mut read = Map::new();
    for (field, value) in fields {
        if !known.contains(&field.as_str()) || value.is_null() {
            continue;
        }
        if let Some(value) = checked_text(problems, &format!("{name}[{field}]"), value) {
            read.insert(field.clone(), value);
        }
    }
    Some(Value::Object(read))
}

/// The contragent members a type may have (the seed: "for type individual all fields
/// are unavailable, for type legal-entity the fields OGRNIP, certificateNumber,
/// certificateDate are unavailable, for type entrepreneur the fields OGRN, KPP are
/// unavailable").
fn available(kind: &str, member: &str) -> bool {
    match kind {
        "legal-entity" => !matches!(member, "OGRNIP" | "certificateNumber" | "certificateDate"),
        "entrepreneur" | "enterpreneur" => !matches!(member, "OGRN" | "KPP"),
        _ => false,
    }
}

/// `contragent` over the stored one (`before`): the members given change (`null` clears
/// one), the type is the given one, else the stored one, else `individual`. Members the
/// type does not have are dropped, not refused (*Inferred*: the seed calls them
/// "unavailable" and the vendor ignores fields it does not take), so a type change drops
/// the requisites the new type lacks. Orders, customers and corporate customers'
/// companies all read `contragent` here.
pub fn contragent(problems: &mut Problems, value: &Value, before: Option<&Value>) -> Option<Value> {
    let given = object(problems, "contragent", value, &CONTRAGENT)?;
    let mut read = before
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (member, value) in value.as_object().into_iter().flatten() {
        if value.is_null() {
            read.remove(member);
        }
    }
    read.extend(given.as_object().cloned().unwrap_or_default());
    let kind = match value.get("contragentType").filter(|k| !k.is_null()) {
        None => read
            .get("contragentType")
            .and_then(Value::as_str)
            .unwrap_or("individual")
            .to_owned(),
        Some(Value::String(kind)) if CONTRAGENT_TYPES.contains(&kind.as_str()) => kind.clone(),
        Some(_) => {
            problems.insert(
                "contragent[contragentType]".to_owned(),
                texts::CHOICE.to_owned(),
            );
            return None;
        }
    };
    read.retain(|member, _| available(&kind, member));
    read.insert("contragentType".into(), json!(kind));
    Some(Value::Object(read))
}

/// Tag names (strings, or objects with a `name` and `attached`), stored as `{name, color,
/// attached}` (`attached` false unless given true, *Inferred*).
fn tags(problems: &mut Problems, value: &Value) -> Option<Value> {
    let Some(items) = value.as_array() else {
        problems.insert("tags".to_owned(), texts::CHOICE.to_owned());
        return None;
    };
    let mut tags = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = item
            .as_str()
            .or_else(|| item.get("name").and_then(Value::as_str))
            .map(str::trim)
            .filter(|name| !name.is_empty());
        match name {
            Some(name) => {
                let attached = item.get("attached").and_then(boolean).unwrap_or(false);
                tags.push(json!({ "name": name, "color": "grey", "attached": attached }));
            }
            None => {
                problems.insert(format!("tags[{i}]"), texts::BLANK.to_owned());
            }
        }
    }
    Some(Value::Array(tags))
}
