//! The cash register's rules, as a fiscal register applies them when it runs an
//! operation: the shift (open, closed, at most 24 hours), the cash drawer (never below
//! zero), the fiscal drive (numbers documents; when full, takes no receipts) and the
//! connection (an offline register runs nothing). A pure function of the operation, the
//! cash register's state and the time, so it is easy to reason about and to test.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::fiscal;
use crate::money::{self, kopecks};
use crate::request::{parse_time, timestamp};

/// What running an operation gave: its failure message or its details, and the cash
/// register's state after it.
pub struct Outcome {
    pub failure: Option<String>,
    pub details: Value,
    pub cashbox: Value,
}

/// The device's messages (Russian, as a fiscal register's driver reports them).
pub mod messages {
    pub const OFFLINE: &str = "Нет связи с кассой";
    pub const FN_FULL: &str = "Исчерпан ресурс фискального накопителя";
    pub const SHIFT_CLOSED: &str = "Смена закрыта, операция невозможна";
    pub const SHIFT_OPEN: &str = "Смена открыта, операция невозможна";
    pub const SHIFT_EXPIRED: &str = "Смена превысила 24 часа, закройте смену";
    pub const NO_CASH: &str = "Недостаточно наличных в кассе";
    pub const NO_DOCUMENT: &str = "Документ не найден в фискальном накопителе";
    pub const NO_CASHBOX: &str = "Касса не найдена";
}
use messages as m;

/// The running totals of a shift, in kopecks, by the movement they count.
const TOTALS: [(&str, &str); 6] = [
    ("SELL", "sell"),
    ("SELL_RETURN", "sellReturn"),
    ("BUY", "buy"),
    ("BUY_RETURN", "buyReturn"),
    ("CASH_IN", "cashIn"),
    ("CASH_OUT", "cashOut"),
];

fn is_receipt(kind: &str) -> bool {
    matches!(kind, "SELL" | "SELL_RETURN" | "BUY" | "BUY_RETURN") || kind.starts_with("CORRECTION_")
}

/// The sign of the cash a movement puts in the drawer.
fn cash_sign(kind: &str) -> i64 {
    match kind {
        "SELL" | "BUY_RETURN" | "CASH_IN" => 1,
        "SELL_RETURN" | "BUY" | "CASH_OUT" => -1,
        _ => 0,
    }
}

struct Device {
    cashbox: Value,
    at: DateTime<Utc>,
}

impl Device {
    fn open(&self) -> bool {
        self.cashbox["_shift"]["state"] == "OPEN"
    }

    fn expired(&self) -> bool {
        self.cashbox["_shift"]["openedAt"]
            .as_str()
            .and_then(parse_time)
            .is_some_and(|opened| self.at - opened > Duration::hours(24))
    }

    fn balance(&self) -> i64 {
        kopecks(&self.cashbox["cashBalance"]).unwrap_or_default()
    }

    fn shift_number(&self) -> i64 {
        self.cashbox["_shift"]["number"]
            .as_i64()
            .unwrap_or_default()
    }

    fn totals(&self) -> Value {
        let totals = &self.cashbox["_shift"]["totals"];
        TOTALS
            .iter()
            .map(|(_, name)| {
                (
                    (*name).to_owned(),
                    money::amount(totals[*name].as_i64().unwrap_or_default()),
                )
            })
            .collect::<Map<_, _>>()
            .into()
    }

    /// Takes the next fiscal document number.
    fn next_document(&mut self) -> i64 {
        let number = self.cashbox["_documents"].as_i64().unwrap_or_default() + 1;
        self.cashbox["_documents"] = json!(number);
        number
    }

    /// Moves cash and counts the movement in the shift; `None` if the drawer would go
    /// below zero.
    fn book(&mut self, kind: &str, amount: i64, cash: i64) -> Option<()> {
        let balance = self.balance() + cash_sign(kind) * cash;
        if balance < 0 {
            return None;
        }
        self.cashbox["cashBalance"] = money::amount(balance);
        if let Some((_, name)) = TOTALS.iter().find(|(k, _)| *k == kind) {
            let totals = &mut self.cashbox["_shift"]["totals"];
            let before = totals[*name].as_i64().unwrap_or_default();
            totals[*name] = json!(before + amount);
        }
        Some(())
    }

    /// The shift report's details (X report, shift close).
    fn report(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("cashBalance".into(), self.cashbox["cashBalance"].clone());
        map.insert("shiftNumber".into(), json!(self.shift_number()));
        map.insert("shiftTotals".into(), self.totals());
        map
    }
}

/// Runs `operation` (its stored body) on the cash register `cashbox` (its stored body).
pub fn run(operation: &Value, cashbox: &Value, at: DateTime<Utc>) -> Outcome {
    let mut device = Device {
        cashbox: cashbox.clone(),
        at,
    };
    match step(operation, &mut device) {
        Ok(details) => Outcome {
            failure: None,
            details,
            cashbox: device.cashbox,
        },
        Err(message) => Outcome {
            failure: Some(message.to_owned()),
            details: operation["details"].clone(),
            cashbox: cashbox.clone(),
        },
    }
}

fn step(operation: &Value, device: &mut Device) -> Result<Value, &'static str> {
    let kind = operation["operationType"].as_str().unwrap_or_default();
    let plan = &operation["_plan"];
    let mut details = operation["details"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let state = &device.cashbox["_device"];
    if state["offline"] == true {
        return Err(m::OFFLINE);
    }
    let moves_cash = is_receipt(kind) || matches!(kind, "CASH_IN" | "CASH_OUT");
    if moves_cash || kind == "X_REPORT" || kind == "SHIFT_CLOSE" {
        if !device.open() {
            return Err(m::SHIFT_CLOSED);
        }
        if moves_cash && device.expired() {
            return Err(m::SHIFT_EXPIRED);
        }
    }
    if is_receipt(kind) && state["fnFull"] == true {
        return Err(m::FN_FULL);
    }
    match kind {
        "SHIFT_OPEN" => {
            if device.open() {
                return Err(m::SHIFT_OPEN);
            }
            device.cashbox["_shift"] = json!({
                "state": "OPEN",
                "number": device.shift_number() + 1,
                "openedAt": timestamp(device.at),
                "totals": {},
            });
            details.insert("cashBalance".into(), device.cashbox["cashBalance"].clone());
            details.insert("shiftNumber".into(), json!(device.shift_number()));
            let number = device.next_document();
            details.extend(fiscal::attributes(&device.cashbox, number, device.at));
        }
        "SHIFT_CLOSE" => {
            details.extend(device.report());
            device.cashbox["_shift"]["state"] = json!("CLOSED");
            let number = device.next_document();
            details.extend(fiscal::attributes(&device.cashbox, number, device.at));
        }
        "X_REPORT" => details.extend(device.report()),
        "KKT_INFO" => {
            details.insert("cashBalance".into(), device.cashbox["cashBalance"].clone());
            details.insert(
                "shiftState".into(),
                device.cashbox["_shift"]["state"].clone(),
            );
            details.insert("shiftNumber".into(), json!(device.shift_number()));
            details.insert(
                "lastFdNumber".into(),
                json!(device.cashbox["_documents"]
                    .as_i64()
                    .unwrap_or_default()
                    .to_string()),
            );
            details.insert("fnNumber".into(), device.cashbox["fnNumber"].clone());
            details.insert(
                "serialNumber".into(),
                device.cashbox["serialNumber"].clone(),
            );
        }
        "CASH_IN" | "CASH_OUT" => {
            let amount = plan["amount"].as_i64().unwrap_or_default();
            device.book(kind, amount, amount).ok_or(m::NO_CASH)?;
            details.insert("cashBalance".into(), device.cashbox["cashBalance"].clone());
        }
        "SELL" | "SELL_RETURN" | "BUY" | "BUY_RETURN" => {
            let total = plan["total"].as_i64().unwrap_or_default();
            device
                .book(kind, total, fiscal::cash_of(plan))
                .ok_or(m::NO_CASH)?;
            let number = device.next_document();
            return Ok(fiscal::receipt(plan, &device.cashbox, number, device.at));
        }
        k if k.starts_with("CORRECTION_") => {
            details.insert("actionType".into(), json!("EXECUTE"));
            let number = device.next_document();
            details.extend(fiscal::attributes(&device.cashbox, number, device.at));
        }
        "COPY_RECEIPT" => {
            let wanted = plan["fdNumber"].as_i64().unwrap_or_default();
            let last = device.cashbox["_documents"].as_i64().unwrap_or_default();
            if wanted < 1 || wanted > last {
                return Err(m::NO_DOCUMENT);
            }
        }
        "SET_DATETIME" if device.open() => return Err(m::SHIFT_OPEN),
        "ACQUIRING_REPORT" => {
            details.insert(
                "slip".into(),
                json!(format!(
                    " {} \r\nСВЕРКА ИТОГОВ\r\nСтатус: Успешно\r\n",
                    fiscal::short_time(device.at)
                )),
            );
        }
        // PRINT_SLIP prints what it was given.
        _ => {}
    }
    Ok(Value::Object(details))
}
