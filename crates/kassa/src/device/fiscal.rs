//! What a fiscal drive gives a document: its number in the drive (`fdNumber`, counted per
//! cash register), a fiscal sign (`fdSign`, ten digits, here derived from the cash
//! register and the number so it repeats), the time (`fdCreatedAt`, `Y-m-d H:i`) and the
//! drive's number; and the receipt details of the webhook sample.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::money;
use crate::request::timestamp;

/// A stable 64-bit hash (FNV-1a), so fiscal signs do not change between builds.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `Y-m-d H:i` in the vendor's time (`timestamp` is `Y-m-dTH:i:s+03:00`).
fn minute(at: DateTime<Utc>) -> String {
    timestamp(at)[..16].replacen('T', " ", 1)
}

/// `d.m.y H:i`, as a bank terminal prints it.
pub fn short_time(at: DateTime<Utc>) -> String {
    let text = timestamp(at);
    format!(
        "{}.{}.{} {}",
        &text[8..10],
        &text[5..7],
        &text[2..4],
        &text[11..16]
    )
}

/// The fiscal attributes of document `number` of a cash register.
pub fn attributes(cashbox: &Value, number: i64, at: DateTime<Utc>) -> Map<String, Value> {
    let id = cashbox["id"].as_str().unwrap_or_default();
    let sign = hash(&format!("{id}/{number}")) % 9_000_000_000 + 1_000_000_000;
    let mut map = Map::new();
    map.insert("fdNumber".into(), json!(number.to_string()));
    map.insert("fdSign".into(), json!(sign.to_string()));
    map.insert("fdCreatedAt".into(), json!(minute(at)));
    map.insert("fnNumber".into(), cashbox["fnNumber"].clone());
    map
}

/// A bank terminal's slip for a card payment.
fn slip(cashbox: &Value, number: i64, amount: i64, at: DateTime<Utc>) -> String {
    let line = "-".repeat(42);
    let serial = cashbox["serialNumber"].as_str().unwrap_or_default();
    let terminal = &serial[serial.len().saturating_sub(4)..];
    format!(
        " {} \r\nОрганизация: {}\r\nТерминал: {terminal}\r\nМерчант: 0001\r\n{line}\r\n СЛИП \r\n{line}\r\nСтатус: Успешно\r\nСумма: {}\r\nНомер чека: {number}\r\n",
        short_time(at),
        cashbox["name"].as_str().unwrap_or_default(),
        money::amount(amount),
    )
}

/// The terminal's answer for a card payment the request gave none for.
fn reference(cashbox: &Value, number: i64, amount: i64) -> String {
    let seed = hash(&format!("{}/{number}/rrn", cashbox["id"]));
    format!(
        "rrn={}&receiptNumber={number}&authorizationCode={:06}&amount={}",
        seed % 900_000_000_000 + 100_000_000_000,
        seed % 1_000_000,
        money::amount(amount),
    )
}

/// A completed receipt's `details`, the shape of the webhook sample's `content.details`:
/// the order summary with the positions in `groups`, the payments (card ones with the
/// terminal's slip and reference data), the amounts by fiscal type, the total and the
/// fiscal attributes.
pub fn receipt(plan: &Value, cashbox: &Value, number: i64, at: DateTime<Utc>) -> Value {
    let total = plan["total"].as_i64().unwrap_or_default();
    let positions: Vec<Value> = plan["positions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            json!({
                "id": p["id"],
                "name": p["name"],
                "quantity": money::quantity(p["quantity"].as_i64().unwrap_or_default()),
                "price": money::amount(p["price"].as_i64().unwrap_or_default()),
                "amount": money::amount(p["amount"].as_i64().unwrap_or_default()),
                "paymentVat": p["paymentVat"],
                "paymentObject": p["paymentObject"],
                "paymentMethod": p["paymentMethod"],
            })
        })
        .collect();
    let order = &plan["order"];
    let order = json!({
        "id": order["id"],
        "externalId": order["externalId"],
        "number": order["number"],
        "orderAmount": if order.is_null() { money::amount(total) } else { order["orderAmount"].clone() },
        "groups": [{ "positions": positions }],
    });
    let mut slips = Vec::new();
    let mut by_type: Vec<(String, i64)> = Vec::new();
    let mut payments = Vec::new();
    for payment in plan["payments"].as_array().into_iter().flatten() {
        let amount = payment["amount"].as_i64().unwrap_or_default();
        let kind = payment["fiscalType"].as_str().unwrap_or("CASH").to_owned();
        let details = if kind == "CASH" {
            Value::Null
        } else {
            let text = slip(cashbox, number, amount, at);
            slips.push(text.clone());
            let reference = payment["referenceData"]
                .as_str()
                .map_or_else(|| reference(cashbox, number, amount), str::to_owned);
            json!({ "slip": text, "referenceData": reference })
        };
        payments.push(
            json!({ "id": payment["id"], "amount": money::amount(amount), "details": details }),
        );
        match by_type.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, sum)) => *sum += amount,
            None => by_type.push((kind, amount)),
        }
    }
    let mut details = Map::new();
    details.insert("order".into(), order);
    details.insert("paymentSolutions".into(), json!(payments));
    details.insert(
        "fiscalAmounts".into(),
        by_type
            .into_iter()
            .map(|(kind, amount)| json!({ "type": kind, "amount": money::amount(amount) }))
            .collect(),
    );
    details.insert("operationAmount".into(), money::amount(total));
    details.insert("actionType".into(), plan["actionType"].clone());
    let attributes = attributes(cashbox, number, at);
    for name in ["fdNumber", "fdSign", "fdCreatedAt"] {
        details.insert(name.into(), attributes[name].clone());
    }
    details.insert(
        "slip".into(),
        if slips.is_empty() {
            Value::Null
        } else {
            json!(slips.concat())
        },
    );
    details.insert("fnNumber".into(), attributes["fnNumber"].clone());
    Value::Object(details)
}

/// The cash a receipt moves through the drawer, in kopecks: its `CASH` payments.
pub fn cash_of(plan: &Value) -> i64 {
    plan["payments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["fiscalType"] == "CASH")
        .filter_map(|p| p["amount"].as_i64())
        .sum()
}
