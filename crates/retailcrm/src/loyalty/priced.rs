//! The program's rules on an order, shared by `calculate` and `apply`: what bonuses may
//! pay, how a charge is spread over the items, what the order would credit, and the
//! order as the loyalty methods answer it (`SerializedLoyaltyOrder`).

use serde_json::{json, Map, Value};
use twin_store::Document;

use super::ledger::{self, amount_of, cents};
use super::{level, of_customer, orders_sum, program};
use crate::error::{RetailError, RetailResult};
use crate::request::Ctx;

/// An active participant: its participation, program, level and active bonuses.
pub struct Participant {
    pub account: Document,
    pub program: Value,
    pub level: Value,
    pub active: i64,
}

/// The customer's participation, when it has an active one.
pub async fn participant(ctx: &Ctx, customer_id: i64) -> RetailResult<Option<Participant>> {
    let Some(account) = of_customer(ctx, customer_id).await? else {
        return Ok(None);
    };
    if account.body["active"] != true {
        return Ok(None);
    }
    let program = program::find(ctx, account.body["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
    let orders = orders_sum(ctx, &account.body["customer"]["id"]).await?;
    let (level, _) = level(&program, &account.body, orders);
    let active = ledger::ledger(ctx, account.body["id"].as_i64().unwrap_or_default())
        .await?
        .active(ledger::today(ctx));
    Ok(Some(Participant {
        account,
        program,
        level,
        active,
    }))
}

/// `total` spread over `weights` in proportion, the remainder to the last.
pub fn split(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    let mut left = total;
    let mut out = Vec::new();
    for (n, weight) in weights.iter().enumerate() {
        let share = if n + 1 == weights.len() {
            left
        } else if sum > 0 {
            (total as f64 * *weight as f64 / sum as f64).round() as i64
        } else {
            0
        };
        left -= share;
        out.push(share);
    }
    out
}

/// The lines of priced items (after `orders::fields::totals`): each line's total after
/// its own and the order's discounts, in kopecks, before any bonuses.
pub fn lines(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|item| {
            let quantity = item["quantity"].as_f64().unwrap_or(1.0);
            let price = cents(item["prices"][0]["price"].as_f64().unwrap_or_default());
            let bonus = cents(item["bonusesChargeTotal"].as_f64().unwrap_or_default());
            (price as f64 * quantity).round() as i64 + bonus
        })
        .collect()
}

/// What the program allows on an order whose lines are `lines`.
pub struct Quote {
    /// The most bonuses the order may take: the active ones, at most the program's
    /// share of the goods.
    pub max_charge: i64,
    /// The bonuses charged per line (money at the rate).
    pub charges: Vec<i64>,
    /// The bonuses each line would credit: the level's percent of what is left to pay
    /// (`bonus_percent` levels; other level types credit none).
    pub credits: Vec<i64>,
}

pub fn quote(participant: &Participant, lines: &[i64], bonuses: i64) -> RetailResult<Quote> {
    let rules = program::Rules::of(&participant.program);
    let rate = participant.program["chargeRate"].as_f64().unwrap_or(1.0);
    let goods: i64 = lines.iter().sum();
    let share = (goods as f64 * rules.max_charge_percent / 100.0 / rate).floor() as i64;
    let max_charge = participant.active.min(share);
    if bonuses > max_charge {
        return Err(RetailError::bad_request(format!(
            "The bonuses exceed the maximum that can be charged for the order: {}",
            max_charge as f64 / 100.0
        )));
    }
    let charges = split((bonuses as f64 * rate).round() as i64, lines);
    let credits = credits(&participant.level, lines, &charges);
    Ok(Quote {
        max_charge,
        charges,
        credits,
    })
}

/// What each line credits at `level`: its percent of the line less the bonuses charged
/// on it (`bonus_percent` levels; other level types credit none).
pub fn credits(level: &Value, lines: &[i64], charges: &[i64]) -> Vec<i64> {
    let percent = if level["type"] == "bonus_percent" {
        level["privilegeSize"].as_f64().unwrap_or_default()
    } else {
        0.0
    };
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let charge = charges.get(n).copied().unwrap_or(0);
            ((line - charge) as f64 * percent / 100.0).round() as i64
        })
        .collect()
}

/// Sets the items' `bonusesChargeTotal` and `bonusesCreditTotal` and the order's sums.
pub fn put_bonuses(body: &mut Map<String, Value>, charges: &[i64], credits: &[i64]) {
    let mut items = body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (n, item) in items.iter_mut().enumerate() {
        item["bonusesChargeTotal"] = amount_of(charges.get(n).copied().unwrap_or(0));
        item["bonusesCreditTotal"] = amount_of(credits.get(n).copied().unwrap_or(0));
    }
    body.insert("items".into(), Value::Array(items));
    body.insert("bonusesChargeTotal".into(), amount_of(charges.iter().sum()));
    body.insert("bonusesCreditTotal".into(), amount_of(credits.iter().sum()));
}

/// The item members a loyalty answer shows.
const ITEM_FIELDS: [&str; 10] = [
    "bonusesChargeTotal",
    "bonusesCreditTotal",
    "id",
    "externalIds",
    "priceType",
    "initialPrice",
    "discountTotal",
    "prices",
    "vatRate",
    "quantity",
];

/// The order as `SerializedLoyaltyOrder`: sums, privilege, participation and level,
/// customer, delivery cost, site and items, each item's bonus charge under `discounts`
/// (`bonus_charge`; other discounts are not broken down, see fidelity.md).
pub fn render(
    body: &Map<String, Value>,
    participant: Option<&Participant>,
    customer: &Value,
) -> Value {
    let get = |name: &str| body.get(name).cloned().unwrap_or(Value::Null);
    let mut items = Vec::new();
    for item in get("items").as_array().into_iter().flatten() {
        let mut out = Map::new();
        for field in ITEM_FIELDS {
            if !item[field].is_null() {
                out.insert(field.into(), item[field].clone());
            }
        }
        for field in ["bonusesChargeTotal", "bonusesCreditTotal"] {
            out.entry(field).or_insert(json!(0.0));
        }
        let charged = item["bonusesChargeTotal"].as_f64().unwrap_or_default();
        let discounts = if charged > 0.0 {
            json!([{ "type": "bonus_charge", "amount": charged }])
        } else {
            json!([])
        };
        out.insert("discounts".into(), discounts);
        if !item["offer"].is_null() {
            out.insert("offer".into(), item["offer"].clone());
        }
        items.push(Value::Object(out));
    }
    let mut order = json!({
        "bonusesCreditTotal": get("bonusesCreditTotal").as_f64().unwrap_or_default(),
        "bonusesChargeTotal": get("bonusesChargeTotal").as_f64().unwrap_or_default(),
        "currency": body.get("currency").cloned().unwrap_or(json!("RUB")),
        "privilegeType": body.get("privilegeType").cloned().unwrap_or(json!("none")),
        "totalSumm": get("totalSumm"),
        "personalDiscountPercent": customer["personalDiscount"].as_f64().unwrap_or_default(),
        "customer": {
            "id": customer["id"],
            "externalId": customer["externalId"],
            "personalDiscount": customer["personalDiscount"].as_f64().unwrap_or_default(),
        },
        "delivery": { "cost": get("delivery")["cost"].as_f64().unwrap_or_default() },
        "site": get("site"),
        "items": items,
    });
    if let Some(p) = participant {
        order["loyaltyAccount"] =
            json!({ "id": p.account.body["id"], "amount": amount_of(p.active) });
        order["loyaltyLevel"] = json!({ "id": p.level["id"], "name": p.level["name"] });
    }
    for field in ["id", "externalId", "number"] {
        if let Some(value) = body.get(field) {
            order[field] = value.clone();
        }
    }
    order
}
