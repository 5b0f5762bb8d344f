//! The bonus account of a participation: its operations, and the balance they make. No
//! balance is stored: it is always computed from the operations, in kopecks, by
//! replaying them in order against the clock. Every credit is a lot with its activation
//! and expiry dates; every debit takes from the lots active on its day, those expiring
//! soonest first. On a day, a lot's remainder is active from its activation date until
//! (not including) its expiry date, waiting before, burnt after (*Inferred*: expired
//! bonuses leave the balance on their expiry date; no `burn` operation is written).
//! An operation is written together with a new version of its participation, so two
//! concurrent charges cannot both spend the same bonuses.

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest, Write};

use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::request::{timestamp, zone, Ctx};

pub const OPERATION: &str = "loyalty_operation";

/// Operation types that add bonuses (a lot); the others take them.
const CREDITS: [&str; 4] = [
    "credit_manual",
    "credit_for_order",
    "credit_for_event",
    "cancel_of_charge",
];

/// Money and bonuses in hundredths.
pub fn cents(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

pub fn amount_of(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// The account's day of `ctx.now` (the clock the admin API drives).
pub fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&zone()).date_naive()
}

pub fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

#[derive(Debug, Clone)]
pub struct Lot {
    pub remaining: i64,
    pub activation: NaiveDate,
    pub expire: Option<NaiveDate>,
}

impl Lot {
    fn active_on(&self, date: NaiveDate) -> bool {
        self.activation <= date && self.expire.is_none_or(|e| date < e)
    }
}

/// A participation's lots after replaying its operations.
#[derive(Debug, Default)]
pub struct Ledger {
    pub lots: Vec<Lot>,
}

impl Ledger {
    /// Replays operations in the order they were written.
    pub fn replay(operations: &[Value]) -> Self {
        let mut ledger = Self::default();
        for op in operations {
            let amount = cents(op["amount"].as_f64().unwrap_or_default());
            let on = op["createdAt"].as_str().and_then(day).unwrap_or_default();
            if CREDITS.contains(&op["type"].as_str().unwrap_or_default()) {
                let bonus = &op["bonus"];
                ledger.lots.push(Lot {
                    remaining: amount,
                    activation: bonus["activationDate"].as_str().and_then(day).unwrap_or(on),
                    expire: bonus["expireDate"].as_str().and_then(day),
                });
            } else {
                ledger.take(-amount, on);
            }
        }
        ledger
    }

    /// Takes `amount` from the lots active on `date`, the soonest to expire first.
    fn take(&mut self, mut amount: i64, date: NaiveDate) {
        let mut order: Vec<usize> = (0..self.lots.len())
            .filter(|i| self.lots[*i].active_on(date) && self.lots[*i].remaining > 0)
            .collect();
        order.sort_by_key(|i| (self.lots[*i].expire.unwrap_or(NaiveDate::MAX), *i));
        for i in order {
            let taken = self.lots[i].remaining.min(amount);
            self.lots[i].remaining -= taken;
            amount -= taken;
            if amount == 0 {
                break;
            }
        }
    }

    /// The active bonuses on `date`.
    pub fn active(&self, date: NaiveDate) -> i64 {
        self.lots
            .iter()
            .filter(|lot| lot.active_on(date))
            .map(|lot| lot.remaining)
            .sum()
    }
}

/// The operations of a participation, in the order they were written.
pub async fn operations(ctx: &Ctx, account_id: i64) -> RetailResult<Vec<Value>> {
    let mut out = Vec::new();
    loop {
        let query = ListQuery::new(ctx.scope.clone(), OPERATION)
            .filter(Filter::eq("loyaltyAccount.id", account_id))
            .page(PageRequest::Offset {
                offset: out.len() as u64,
                limit: 1000,
            });
        let page = ctx.core.entities.list(&query).await?;
        let done = page.items.len() < 1000;
        out.extend(page.items.into_iter().map(|doc| doc.body));
        if done {
            return Ok(out);
        }
    }
}

/// The participation's ledger as of now.
pub async fn ledger(ctx: &Ctx, account_id: i64) -> RetailResult<Ledger> {
    Ok(Ledger::replay(&operations(ctx, account_id).await?))
}

/// A new operation of `account` (its stored document): `type`, signed `amount` in
/// hundredths, and its further members (`order`, `bonus`, `comment`).
pub struct NewOperation {
    pub kind: &'static str,
    pub amount: i64,
    pub extra: serde_json::Map<String, Value>,
}

/// Adds the operations and the participation's next version to `journal`; the caller
/// commits them together with its own changes.
pub async fn record(
    ctx: &Ctx,
    journal: &mut Journal<'_>,
    account: &Document,
    operations: Vec<NewOperation>,
) -> RetailResult<()> {
    let count = operations.len() as i64;
    for operation in operations {
        let id = super::next_id(ctx, OPERATION).await?;
        let mut body = json!({
            "id": id,
            "type": operation.kind,
            "createdAt": timestamp(ctx.now),
            "amount": amount_of(operation.amount),
            "loyaltyAccount": { "id": account.body["id"] },
            "loyalty": { "id": account.body["loyalty"]["id"] },
            "_site": account.body["site"],
        });
        if let Value::Object(map) = &mut body {
            map.extend(operation.extra);
        }
        journal.raw(Write::Put {
            doc: Document::new(ctx.scope.key(OPERATION, id.to_string()), body),
            expect: twin_store::Expect::Absent,
        });
    }
    let mut next = account.clone();
    next.body["_operations"] = json!(account.body["_operations"].as_i64().unwrap_or(0) + count);
    journal.raw(Write::Put {
        expect: twin_store::Expect::Version(account.version),
        doc: next,
    });
    Ok(())
}

/// The default dates of a credit made `on` a day: `(activation, expiry)`.
pub fn default_dates(on: NaiveDate, rules: &super::program::Rules) -> (NaiveDate, NaiveDate) {
    let activation = on + Duration::days(rules.activation_days);
    (activation, activation + Duration::days(rules.lifetime_days))
}

/// 400 when the active bonuses do not cover `wanted` (*Inferred* text).
pub fn check_covers(active: i64, wanted: i64) -> RetailResult<()> {
    if wanted > active {
        return Err(RetailError::bad_request(format!(
            "Not enough bonuses: {} active, {} requested",
            active as f64 / 100.0,
            wanted as f64 / 100.0
        )));
    }
    Ok(())
}
