//! The bonus account of a participation: its operations, and the balance they make. No
//! balance is stored: it is always computed from the operations, in kopecks, by
//! replaying them in order against the clock. Every credit is a lot with its activation
//! and expiry dates; every debit takes from the lots active on its day, those expiring
//! soonest first. On a day, a lot's remainder is active from its activation date until
//! (not including) its expiry date, waiting before, burnt after: expired bonuses leave
//! the balance on their expiry date.
//!
//! What burns becomes a `burn` operation dated at the expiry (`createdAt` `Y-m-d
//! 00:00:00`), written the first time it is observed: before any later operation of the
//! participation (`record`) and before the operations are listed (`settle`). So the
//! operations always sum to the participation's bonuses (active and waiting), and as
//! they are only ever appended the cursor of the list of all operations stays stable; a
//! burn's id is later than the operations written before it was observed, while its date
//! is the expiry (*Inferred*: the seed names the type, not when it is written).
//! A debit may name the lots it takes first (`_lots`, the ids of their credits: a burn its
//! lot, a `cancel_of_credit` the order's credits, even while they wait), then takes from
//! the active ones. An operation is written together with a new version of its
//! participation, so two concurrent charges cannot both spend the same bonuses.

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
    /// The id of the credit operation.
    pub id: i64,
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
                    id: op["id"].as_i64().unwrap_or_default(),
                    remaining: amount,
                    activation: bonus["activationDate"].as_str().and_then(day).unwrap_or(on),
                    expire: bonus["expireDate"].as_str().and_then(day),
                });
            } else {
                let mut rest = -amount;
                for id in op["_lots"].as_array().into_iter().flatten() {
                    if let Some(lot) = ledger.lots.iter_mut().find(|l| l.id == *id) {
                        let taken = lot.remaining.clamp(0, rest);
                        lot.remaining -= taken;
                        rest -= taken;
                    }
                }
                ledger.take(rest, on);
            }
        }
        ledger
    }

    /// Takes `amount` from the lots active on `date`, the soonest to expire first.
    fn take(&mut self, mut amount: i64, date: NaiveDate) {
        if amount <= 0 {
            return;
        }
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

/// The `burn` operations due on `date`: one for each lot expired with bonuses left.
fn burns(ledger: &Ledger, date: NaiveDate) -> Vec<NewOperation> {
    ledger
        .lots
        .iter()
        .filter(|lot| lot.remaining > 0 && lot.expire.is_some_and(|e| e <= date))
        .map(|lot| {
            let on = lot.expire.unwrap_or(date).format("%Y-%m-%d 00:00:00");
            NewOperation {
                kind: "burn",
                amount: -lot.remaining,
                extra: serde_json::Map::from_iter([
                    ("createdAt".to_owned(), json!(on.to_string())),
                    ("_lots".to_owned(), json!([lot.id])),
                ]),
            }
        })
        .collect()
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

/// Adds the burns due, the operations and the participation's next version to
/// `journal`; the caller commits them together with its own changes.
pub async fn record(
    ctx: &Ctx,
    journal: &mut Journal<'_>,
    account: &Document,
    operations: Vec<NewOperation>,
) -> RetailResult<()> {
    for write in writes(ctx, account, operations).await? {
        journal.raw(write);
    }
    Ok(())
}

/// Writes the burns due of the participation, if any (before its operations are listed).
/// A concurrent write of the participation wrote them, or will: its conflict is no error.
pub async fn settle(ctx: &Ctx, account: &Document) -> RetailResult<()> {
    let writes = writes(ctx, account, Vec::new()).await?;
    if writes.is_empty() {
        return Ok(());
    }
    let batch = twin_store::Batch {
        writes,
        ..Default::default()
    };
    match ctx.core.store.apply(batch).await {
        Ok(_) | Err(twin_store::StoreError::Conflict(_)) => Ok(()),
        Err(error) => Err(twin_core::CoreError::from(error).into()),
    }
}

/// The writes of the burns due and `operations`, with the participation's next version;
/// none when there is nothing to write.
async fn writes(
    ctx: &Ctx,
    account: &Document,
    operations: Vec<NewOperation>,
) -> RetailResult<Vec<Write>> {
    let id = account.body["id"].as_i64().unwrap_or_default();
    let mut all = burns(&ledger(ctx, id).await?, today(ctx));
    all.extend(operations);
    let mut out = Vec::new();
    if all.is_empty() {
        return Ok(out);
    }
    let count = all.len() as i64;
    for operation in all {
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
        out.push(Write::Put {
            doc: Document::new(ctx.scope.key(OPERATION, id.to_string()), body),
            expect: twin_store::Expect::Absent,
        });
    }
    let mut next = account.clone();
    next.body["_operations"] = json!(account.body["_operations"].as_i64().unwrap_or(0) + count);
    out.push(Write::Put {
        expect: twin_store::Expect::Version(account.version),
        doc: next,
    });
    Ok(out)
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
