//! An order's change as history records: which fields record, under which names, and
//! the values of reference codes as `{"code": ...}`.

use serde_json::{json, Value};

use crate::journal::{differing, field_name, Changed};

/// Fields history never records: the identity, what is computed, Twin's own.
const UNRECORDED: [&str; 13] = [
    "id",
    "site",
    "createdAt",
    "summ",
    "totalSumm",
    "purchaseSumm",
    "prepaySum",
    "statusUpdatedAt",
    "currency",
    "items",
    "customer",
    "payments",
    "fullPaidAt",
];

/// The history name of a member of `delivery` (*Inferred*: the vendor's names).
fn delivery_field(member: &str) -> String {
    match member {
        "code" => "delivery_type".to_owned(),
        other => format!("delivery_{}", field_name(other)),
    }
}

/// The history records of an order's change, in the order: its fields (snake case;
/// `contragent.legal_name`; `delivery_type`, `delivery_cost`, `delivery_address.city`;
/// `custom_<code>`), `customer` (its identity), then its items: a new one `order_product`
/// (`newValue {id}`), a removed one `order_product` (`oldValue {id}`), a changed one
/// `order_product.<field>` per field, each with the item under `item`; then the
/// payments (`crate::payments::changes`).
pub fn changes(old: &Value, new: &Value) -> Vec<Changed> {
    let mut out: Vec<Changed> = Vec::new();
    for (name, before, after) in differing(old, new) {
        if name.starts_with('_') || UNRECORDED.contains(&name.as_str()) {
            continue;
        }
        match name.as_str() {
            "contragent" => out.extend(differing(&before, &after).into_iter().map(
                |(member, was, now)| {
                    (
                        format!("contragent.{}", field_name(&member)),
                        was,
                        now,
                        None,
                    )
                },
            )),
            "customFields" => out.extend(
                differing(&before, &after)
                    .into_iter()
                    .map(|(code, was, now)| (format!("custom_{code}"), was, now, None)),
            ),
            "delivery" => {
                for (member, was, now) in differing(&before, &after) {
                    if member == "data" {
                        out.extend(crate::delivery::data::changes(&was, &now));
                    } else if member == "address" {
                        out.extend(differing(&was, &now).into_iter().map(|(m, w, n)| {
                            (format!("delivery_address.{}", field_name(&m)), w, n, None)
                        }));
                    } else {
                        out.push((delivery_field(&member), was, now, None));
                    }
                }
            }
            _ => out.push((field_name(&name), before, after, None)),
        }
    }
    if old["customer"] != new["customer"] {
        out.push((
            "customer".to_owned(),
            old["customer"].clone(),
            new["customer"].clone(),
            None,
        ));
    }
    let empty = Vec::new();
    let before = old["items"].as_array().unwrap_or(&empty);
    let after = new["items"].as_array().unwrap_or(&empty);
    for item in after {
        match before.iter().find(|b| b["id"] == item["id"]) {
            None => out.push((
                "order_product".to_owned(),
                Value::Null,
                json!({ "id": item["id"] }),
                Some(("item", item.clone())),
            )),
            Some(was) => {
                for (member, w, n) in differing(was, item) {
                    if matches!(member.as_str(), "discountTotal" | "prices" | "createdAt") {
                        continue;
                    }
                    out.push((
                        format!("order_product.{}", field_name(&member)),
                        w,
                        n,
                        Some(("item", item.clone())),
                    ));
                }
            }
        }
    }
    for item in before {
        if !after.iter().any(|a| a["id"] == item["id"]) {
            out.push((
                "order_product".to_owned(),
                json!({ "id": item["id"] }),
                Value::Null,
                Some(("item", item.clone())),
            ));
        }
    }
    out.extend(crate::payments::changes(old, new));
    for (field, before, after, _) in &mut out {
        if CODED.contains(&field.as_str()) {
            for value in [before, after] {
                if let Value::String(code) = value {
                    *value = json!({ "code": code });
                }
            }
        }
    }
    out
}

/// Fields whose values are codes of the account's reference data: history gives them as
/// `{"code": ...}`, as the vendor's history does and the integrations reading it expect
/// (`newValue.code` of a `status` record).
const CODED: [&str; 8] = [
    "status",
    "order_type",
    "order_method",
    "delivery_type",
    "shipment_store",
    "order_product.status",
    "payments.type",
    "payments.status",
];
