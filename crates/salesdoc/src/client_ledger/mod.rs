//! The client ledger: the one place client money lives (DIGEST §3.5). Every financial
//! operation is one transaction (kind `clientTransaction`, what getPayment lists): a
//! payment, an opening balance, a balance correction stands alone ([`save_entry`]); an
//! order's debit and a return's credit are owned by their document and replaced with
//! it ([`owned_writes`]), in the document's own transaction, so a cancelled or edited
//! order rewrites its entries rather than adding reversals, as the stock ledger does.
//!
//! A transaction's `amount` is shown positive; its effect on the balance is signed by
//! its type ([`TransactionType::effect`]). Balances are kept per client (kind
//! `clientBalance`: one document per client holding each payment type's sum), moved in
//! the same transaction as the entries, each write expecting the version it read, so a
//! balance always equals the sum of its client's entries (the tests check it) and
//! getBalance pages over the clients that owe or are owed something.

pub mod item;
pub mod read;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use twin_store::{Batch, Document, Expect, Filter, Write};

use crate::error::SdError;
use crate::ledger::round;
use crate::reference::rules::d0;
use crate::reference::upsert::{allocate, commit, prepare, Refused, Target};
use crate::reference::{body, Ids, Record};
use crate::request::Ctx;
use crate::values::{datetime, number};

/// The stored kind of transactions.
pub const ENTRY: &str = "clientTransaction";
/// The stored kind of one client's balances.
pub const BALANCE: &str = "clientBalance";

/// getPayment's `transactionType` (the docs number them 1–9 without 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionType {
    /// An order's debit (reaching Delivered or Closed).
    Order = 1,
    /// A debt added by hand (a balance correction downwards).
    Debt = 2,
    Payment = 3,
    /// A conversion between payment types, signed as stored.
    Conversion = 4,
    /// An opening balance, signed as given (negative: the client owes).
    Opening = 6,
    /// Money paid out to the client.
    Payout = 7,
    /// A debt written off (a balance correction upwards).
    WriteOff = 8,
    /// A client's return of goods (a shelf return) credited.
    ShelfReturn = 9,
}

impl TransactionType {
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => Self::Order,
            2 => Self::Debt,
            3 => Self::Payment,
            4 => Self::Conversion,
            6 => Self::Opening,
            7 => Self::Payout,
            8 => Self::WriteOff,
            9 => Self::ShelfReturn,
            _ => return None,
        })
    }

    pub fn code(self) -> i64 {
        self as i64
    }

    /// What `amount` does to the client's balance (negative: the client owes more).
    pub fn effect(self, amount: f64) -> f64 {
        match self {
            Self::Order | Self::Debt | Self::Payout => -amount.abs(),
            Self::Payment | Self::WriteOff | Self::ShelfReturn => amount.abs(),
            Self::Conversion | Self::Opening => amount,
        }
    }
}

/// One transaction as a document writes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub transaction_type: TransactionType,
    /// The client's and the payment type's `SD_id`: the balance cell it moves.
    pub client: String,
    pub payment_type: String,
    /// As getPayment shows it: positive, except conversions and opening balances.
    pub amount: f64,
    /// The rest of what getPayment shows (`paymentDate`, `expirationDate`, `comment`,
    /// the `client` / `agent` / `paymentType` / `cashbox` / `trade` references as
    /// `{CS_id, SD_id, code_1C}`, `orders`); `transactionType` and `amount` are added.
    pub shown: Map<String, Value>,
}

impl Entry {
    fn fields(&self) -> Map<String, Value> {
        let mut fields = self.shown.clone();
        fields.insert(
            "transactionType".into(),
            json!(self.transaction_type.code()),
        );
        fields.insert("amount".into(), number(round(self.amount)));
        fields.insert("clientId".into(), Value::from(self.client.as_str()));
        fields.insert(
            "paymentTypeId".into(),
            Value::from(self.payment_type.as_str()),
        );
        fields
    }

    fn effect(&self) -> f64 {
        self.transaction_type.effect(self.amount)
    }
}

/// The balance cell and signed effect of a stored transaction.
fn stored_effect(record: &Record) -> Option<((String, String), f64)> {
    let fields = &record.fields;
    let kind = TransactionType::from_code(fields.get("transactionType")?.as_i64()?)?;
    let amount = fields.get("amount")?.as_f64()?;
    let client = fields.get("clientId")?.as_str()?.to_owned();
    let payment_type = fields.get("paymentTypeId")?.as_str()?.to_owned();
    Some(((client, payment_type), kind.effect(amount)))
}

/// Net balance changes per (client, payment type).
type Net = BTreeMap<(String, String), f64>;

/// Saves a standing transaction (a payment, an opening balance, a correction) over
/// `target` with its balance effect, in one transaction.
pub async fn save_entry(
    ctx: &Ctx,
    ids: &Ids,
    target: Target<'_>,
    entry: Entry,
) -> Result<Record, Refused> {
    let mut net = Net::new();
    if let Target::Existing(found) = &target {
        if let Some((cell, effect)) = stored_effect(found) {
            *net.entry(cell).or_default() -= effect;
        }
    }
    *net.entry((entry.client.clone(), entry.payment_type.clone()))
        .or_default() += entry.effect();
    let read = target.read();
    let (doc, expect) = prepare(ctx, ENTRY, ids, target, entry.fields());
    let stored = Record::from_doc(doc.clone());
    let mut batch = Batch::new().write(Write::Put { doc, expect });
    for write in balance_writes(ctx, net).await? {
        batch = batch.write(write);
    }
    commit(ctx, batch, &read).await?;
    Ok(stored)
}

/// The writes that replace the entries `owner` (`order.d0_5`) posted before with
/// `entries`: to commit with the owner document (and its stock posting). Entries keep
/// their `SD_id`s in order across rewrites, so a client reading getPayment sees an
/// order's debit change rather than vanish and reappear.
pub async fn owned_writes(
    ctx: &Ctx,
    owner: &str,
    entries: Vec<Entry>,
) -> Result<Vec<Write>, Refused> {
    let old = read::entries_where(ctx, vec![Filter::eq("owner", owner)]).await?;
    let mut net = Net::new();
    for record in &old {
        if let Some((cell, effect)) = stored_effect(record) {
            *net.entry(cell).or_default() -= effect;
        }
    }
    let mut writes = Vec::new();
    let now = datetime(ctx.now);
    let mut reused = old.iter();
    for entry in &entries {
        *net.entry((entry.client.clone(), entry.payment_type.clone()))
            .or_default() += entry.effect();
        let (key, n, created, expect) = match reused.next() {
            Some(found) => (
                found.doc.key.clone(),
                found.doc.body["n"].as_i64().unwrap_or_default(),
                found.doc.body["created"]
                    .as_str()
                    .unwrap_or(&now)
                    .to_owned(),
                Expect::Version(found.doc.version),
            ),
            None => {
                let n = allocate(ctx, ENTRY).await?;
                let key = ctx.scope.key(ENTRY, d0(n));
                (key, n, now.clone(), Expect::Absent)
            }
        };
        let mut stored = body(n, ctx, None, &created, &now, entry.fields());
        stored["owner"] = Value::from(owner);
        writes.push(Write::Put {
            doc: Document::new(key, stored),
            expect,
        });
    }
    for gone in reused {
        writes.push(Write::Delete {
            key: gone.doc.key.clone(),
            expect: Expect::Version(gone.doc.version),
        });
    }
    writes.extend(balance_writes(ctx, net).await?);
    Ok(writes)
}

/// The writes moving each client's balance cell by `net`, each expecting the version it
/// read (a concurrent change conflicts and refuses the item).
async fn balance_writes(ctx: &Ctx, net: Net) -> Result<Vec<Write>, Refused> {
    let mut by_client: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for ((client, payment_type), change) in net {
        let change = round(change);
        if change != 0.0 {
            by_client
                .entry(client)
                .or_default()
                .push((payment_type, change));
        }
    }
    let mut writes = Vec::new();
    for (client, changes) in by_client {
        let key = ctx.scope.key(BALANCE, client.as_str());
        let stored = ctx.core.store.get(&key).await.map_err(SdError::from)?;
        let mut amounts = stored
            .as_ref()
            .and_then(|doc| doc.body["amounts"].as_object().cloned())
            .unwrap_or_default();
        for (payment_type, change) in changes {
            let before = amounts
                .get(&payment_type)
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let after = round(before + change);
            if after == 0.0 {
                amounts.remove(&payment_type);
            } else {
                amounts.insert(payment_type, json!(after));
            }
        }
        let expect = stored
            .as_ref()
            .map_or(Expect::Absent, |doc| Expect::Version(doc.version));
        let body = json!({
            "filial": ctx.filial_id(),
            "client": client,
            // Whether the client owes or is owed anything: what getBalance lists.
            "held": !amounts.is_empty(),
            "amounts": amounts,
        });
        writes.push(Write::Put {
            doc: Document::new(key, body),
            expect,
        });
    }
    Ok(writes)
}
