//! Client balances: `getBalance` (9.29) and opening balances, `setBalance` (13.2).
//!
//! An opening balance is a transaction of type 6 saved through
//! `client_ledger::save_entry`: its `amount` moves the client's balance for its payment
//! type as given (negative: the client starts owing, DIGEST §3.5). Found by `CS_id` /
//! `SD_id` / `code_1C` among opening balances it is updated (its old effect taken back),
//! else created; identifiers are optional. `amount`, `paymentDate`, `client` and
//! `paymentType` are required, `agent` and `comment` optional.
//!
//! getBalance pages over the clients whose balance is not zero for some payment type (the
//! balance cells the ledger moves with every transaction, so they always equal the sum of
//! getPayment's entries): the client's identifiers, `name`, `active` (a boolean),
//! `balance` (the sum over payment types) and `by-currency[{currency_id, amount}]` (the
//! payment type's `SD_id`, in `SD_id` order). Clients come in `SD_id` order (*Inferred*).

use axum::response::Response;
use serde_json::{json, Value};

use crate::client::CLIENT;
use crate::client_ledger::item::{identified, read_entry};
use crate::client_ledger::read::held;
use crate::client_ledger::{save_entry, TransactionType, ENTRY};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::round;
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target};
use crate::reference::{by_sd_in, Record};
use crate::request::Ctx;
use crate::values::number;

/// The SET group and the GET answer's member.
pub const KEY: &str = "balance";

/// setBalance's way of storing one opening balance.
struct OpeningBalances;

/// `setBalance` (13.2).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &OpeningBalances).await
}

impl StoreRecord for OpeningBalances {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, record, TransactionType::Opening).await?;
        let mut errors = Vec::new();
        let entry = read_entry(ctx, item, TransactionType::Opening, &mut errors).await?;
        let (Some(mut entry), true) = (entry, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        entry.shown.insert("expirationDate".into(), Value::Null);
        let target = Target::of(ctx, ENTRY, &Rules::PLAIN, existing.as_ref()).await?;
        save_entry(ctx, &ids, target, entry).await
    }
}

/// `getBalance` (9.29): a page of the clients holding a balance.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let offset = (listing.page - 1).saturating_mul(u64::from(listing.limit));
    let (balances, total) = held(ctx, offset, listing.limit).await?;
    let mut items = Vec::with_capacity(balances.len());
    for balances in balances {
        let client = by_sd_in(ctx, CLIENT.key, &balances.client).await?;
        let mut shown = match &client {
            Some(record) => record.ids(ctx),
            None => crate::batch::ids(None, Some(&balances.client), None),
        };
        let field = |member: &str| client.as_ref().and_then(|c| c.fields.get(member).cloned());
        shown.insert("name".into(), field("name").unwrap_or(Value::Null));
        let active = field("active").and_then(|a| a.as_bool()).unwrap_or(true);
        shown.insert("active".into(), Value::Bool(active));
        let by_currency: Vec<Value> = balances
            .amounts
            .iter()
            .map(|(payment_type, amount)| json!({ "currency_id": payment_type, "amount": amount }))
            .collect();
        let total: f64 = balances.amounts.values().filter_map(Value::as_f64).sum();
        shown.insert("balance".into(), number(round(total)));
        shown.insert("by-currency".into(), Value::from(by_currency));
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(KEY, items, total))
}
