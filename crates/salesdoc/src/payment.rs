//! Client payments and the client ledger's list: `setPayment` (13.1) and `getPayment`
//! (9.15). A payment is a transaction of type 3 (a credit to the client's balance for
//! its payment type) saved through `client_ledger::save_entry` with its balance move, in
//! one transaction; found by `CS_id` / `SD_id` / `code_1C` among payments, it is updated
//! (its old effect taken back), else created. It needs one identifier (the docs mark
//! `code_1C` / `SD_id` required), `amount` above zero, `paymentDate`, `client` and
//! `paymentType`; `agent`, `trade` (a trade direction) and `order` are optional, each
//! refused when it names nothing. The linked order is shown in `orders[]` with the
//! payment's amount.
//!
//! getPayment lists every transaction of the filial, whatever wrote it (payments,
//! opening balances, corrections, orders' debits, returns' credits), with the documented
//! filters: `filter.period.date` (the transaction date), `filter.period.dateUpdate`,
//! `filter.trade`, `filter.paymentType`, `filter.transactionType` and `filter.CS_id` /
//! `SD_id` / `code_1C`, all combined; a `trade` or `paymentType` that names nothing gives
//! an empty page (*Inferred*).
//!
//! *Inferred* (the docs are silent): an update replaces the payment as a whole (its
//! required members sent again); a payment goes to the filial's first cashbox (setPayment
//! takes none, getPayment shows one; see `cashbox`); `transactionType` may be a number,
//! a numeric string or a list of them.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::cashbox;
use crate::client_ledger::item::{date_member, identified, read_entry, reference};
use crate::client_ledger::{save_entry, TransactionType, ENTRY};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::link;
use crate::reference::list::{identifier_filters, named_filter, Listing};
use crate::reference::rules::Rules;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target};
use crate::reference::Record;
use crate::request::Ctx;
use crate::stock_doc::{linked, number_member, period_filters};
use crate::trade_direction::TRADE_DIRECTION;
use crate::values::{number, text};

/// The SET group and the GET answer's member.
pub const KEY: &str = "payment";
/// The stored kind of orders (written by the orders module).
pub const ORDER: &str = "order";
/// *Inferred* item texts.
const NO_ID: &str = "One of CS_id, SD_id or code_1C is required";
const NOT_POSITIVE: &str = "amount must be greater than zero";

/// setPayment's way of storing one payment.
struct Payments;

/// `setPayment` (13.1).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &Payments).await
}

impl StoreRecord for Payments {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, record, TransactionType::Payment).await?;
        let mut errors = Vec::new();
        if ids.is_empty() {
            errors.push(NO_ID.into());
        }
        let entry = read_entry(ctx, item, TransactionType::Payment, &mut errors).await?;
        if matches!(number_member(item, "amount"), Ok(Some(amount)) if amount <= 0.0) {
            errors.push(NOT_POSITIVE.into());
        }
        let expiration = date_member(item, "expirationDate", false, &mut errors);
        let trade = linked(ctx, item, "trade", TRADE_DIRECTION.key, false, &mut errors).await?;
        let order = linked(ctx, item, "order", ORDER, false, &mut errors).await?;
        let (Some(mut entry), Some(expiration), true) = (entry, expiration, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let cashbox = cashbox::main(ctx).await?;
        let orders = order.map(|order| {
            json!({
                "CS_id": order.cs_id(ctx),
                "SD_id": order.sd_id,
                "amount": number(entry.amount),
            })
        });
        let shown = &mut entry.shown;
        shown.insert("expirationDate".into(), expiration);
        shown.insert("cashbox".into(), reference(ctx, Some(&cashbox)));
        shown.insert("trade".into(), reference(ctx, trade.as_ref()));
        shown.insert("orders".into(), Value::from_iter(orders));
        let target = Target::of(ctx, ENTRY, &Rules::PLAIN, existing.as_ref()).await?;
        save_entry(ctx, &ids, target, entry).await
    }
}

/// `filter.transactionType`: one type or a list of them; 400 for anything else.
fn transaction_types(given: &Value) -> SdResult<Filter> {
    let code = |value: &Value| {
        value
            .as_i64()
            .or_else(|| text(value).and_then(|t| t.parse().ok()))
            .filter(|code| TransactionType::from_code(*code).is_some())
    };
    let codes: Option<Vec<i64>> = match given {
        Value::Array(list) => list.iter().map(code).collect(),
        one => code(one).map(|c| vec![c]),
    };
    let codes = codes.ok_or_else(|| {
        SdError::bad_request("params.filter.transactionType must be one of 1, 2, 3, 4, 6, 7, 8, 9")
    })?;
    Ok(Filter::In {
        path: Filter::path("fields.transactionType"),
        values: codes.into_iter().map(Value::from).collect(),
    })
}

/// `getPayment` (9.15): a page of the filial's transactions.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let mut listing = Listing::read(envelope, Include::Ignored)?;
    let filter = envelope.filter();
    listing
        .filters
        .extend(period_filters(&filter, "fields.paymentDate")?);
    listing.filters.extend(identifier_filters(ctx, &filter));
    for (member, key, path) in [
        ("trade", TRADE_DIRECTION.key, "fields.trade.SD_id"),
        ("paymentType", "paymentType", "fields.paymentTypeId"),
    ] {
        if let Some(found) = named_filter(ctx, &filter, member, key, path).await? {
            listing.filters.push(found);
        }
    }
    if let Some(types) = filter.get("transactionType").filter(|v| !v.is_null()) {
        listing.filters.push(transaction_types(types)?);
    }
    let (records, total) = listing.fetch(ctx, ENTRY, Vec::new()).await?;
    let items = records.iter().map(|r| shown(ctx, r)).collect();
    Ok(listing.answer(KEY, items, total))
}

/// A transaction as getPayment shows it; the members a writer left out (an order's
/// debit has no cashbox) are `null` references and no `orders`.
fn shown(ctx: &Ctx, record: &Record) -> Value {
    let fields = &record.fields;
    let mut shown = record.ids(ctx);
    for member in ["paymentDate", "expirationDate", "amount", "comment"] {
        let value = fields.get(member).cloned().unwrap_or(Value::Null);
        shown.insert(member.into(), value);
    }
    shown.insert("transactionType".into(), fields["transactionType"].clone());
    for member in ["paymentType", "client", "agent", "cashbox", "trade"] {
        shown.insert(member.into(), link::show(fields, member));
    }
    let orders = match fields.get("orders") {
        Some(Value::Array(orders)) => orders.clone(),
        _ => Vec::new(),
    };
    shown.insert("orders".into(), Value::from(orders));
    Value::Object(Map::from_iter(shown))
}
