//! An order's `delivery.data`: what the delivery service knows of the order's delivery.
//! Orders' create and edit write the members the seed lists for them (`externalId`, the
//! delivery's id in the service, `trackNumber`, `locked`, `tariff`, `pickuppointId`,
//! `payerType`, `shipmentpointId`, `extraData`); the service's answers (`status`,
//! `statusText`, `statusDate`, `statusComment`, `cost`) come from tracking updates and
//! the cancellation, never from an order document.

use serde_json::{json, Map, Value};

use crate::customers::fields::{boolean, checked_text, Problems};
use crate::error::texts;
use crate::journal::{differing, field_name, Changed};

/// Text members an order document may write.
const TEXTS: [&str; 5] = [
    "externalId",
    "trackNumber",
    "tariff",
    "pickuppointId",
    "shipmentpointId",
];

/// Reads `delivery[data]` over the stored one (`before`): the members given change,
/// `null` clears one; read-only members given are ignored, as the vendor ignores them.
pub fn read(problems: &mut Problems, value: &Value, before: Option<&Value>) -> Option<Value> {
    let Value::Object(given) = value else {
        problems.insert("delivery[data]".to_owned(), texts::CHOICE.to_owned());
        return None;
    };
    let mut out: Map<String, Value> = before
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, value) in given {
        let path = format!("delivery[data][{name}]");
        if value.is_null() {
            out.remove(name);
            continue;
        }
        let read = match name.as_str() {
            n if TEXTS.contains(&n) => checked_text(problems, &path, value),
            "locked" => boolean(value).map(Value::Bool).or_else(|| {
                problems.insert(path, texts::BOOLEAN.to_owned());
                None
            }),
            "payerType" => match value.as_str() {
                Some(kind @ ("receiver" | "sender")) => Some(json!(kind)),
                _ => {
                    problems.insert(path, texts::CHOICE.to_owned());
                    None
                }
            },
            "extraData" => match value {
                Value::Object(_) => Some(value.clone()),
                _ => {
                    problems.insert(path, texts::CHOICE.to_owned());
                    None
                }
            },
            _ => continue,
        };
        if let Some(read) = read {
            out.insert(name.clone(), read);
        }
    }
    Some(Value::Object(out))
}

/// The history records of a change of `delivery.data`: one per member, named as the
/// vendor's history names them (`integration_delivery_data.status`,
/// `integration_delivery_data.track_number`).
pub fn changes(before: &Value, after: &Value) -> Vec<Changed> {
    differing(before, after)
        .into_iter()
        .map(|(member, was, now)| {
            let field = format!("integration_delivery_data.{}", field_name(&member));
            (field, was, now, None)
        })
        .collect()
}
