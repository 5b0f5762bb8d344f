//! What the SET methods of standing transactions (setPayment 13.1, setBalance 13.2) read
//! alike: the transaction their identifiers find among those of their own type, and the
//! members they share: `amount`, `paymentDate`, `comment`, the `client`, `agent` and
//! `paymentType` they name (`{CS_id | SD_id | code_1C}`, never created). Errors are
//! collected so a record lists all of its faults at once.

use serde_json::{Map, Value};
use twin_store::Filter;

use super::{Entry, TransactionType, ENTRY};
use crate::reference::upsert::{Refused, NOT_OBJECT};
use crate::reference::{by_sd_in, first_where, sd_of_cs, Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::{linked, optional, required_number};
use crate::values::{period_bound, text, Bound};

/// *Inferred* item text: an identifier of a transaction of another type (a payment's
/// `SD_id` sent to setBalance).
const OTHER_TYPE: &str = "The identifier names a transaction of another type";

/// The item, its identifiers and the transaction of type `kind` they find (none given or
/// none found: a new one). `CS_id` / `SD_id` naming another type's transaction refuse the
/// item; a `code_1C` is looked up among `kind`'s transactions only.
pub async fn identified<'a>(
    ctx: &Ctx,
    record: &'a Value,
    kind: TransactionType,
) -> Result<(&'a Map<String, Value>, Ids, Option<Record>), Refused> {
    let Some(item) = record.as_object() else {
        return Err(Refused::Item(vec![NOT_OBJECT.into()]));
    };
    let ids = Ids::of(item);
    let by_id = ids
        .cs_id
        .as_deref()
        .and_then(|cs| sd_of_cs(ctx, cs))
        .into_iter()
        .chain(ids.sd_id.clone());
    for sd in by_id {
        if let Some(found) = by_sd_in(ctx, ENTRY, &sd).await? {
            if found.fields["transactionType"].as_i64() != Some(kind.code()) {
                return Err(Refused::Item(vec![OTHER_TYPE.into()]));
            }
            return Ok((item, ids, Some(found)));
        }
    }
    let existing = match &ids.code_1c {
        Some(code) => {
            let filters = vec![
                Filter::eq("code_1C", code.as_str()),
                Filter::eq("fields.transactionType", kind.code()),
            ];
            first_where(ctx, ENTRY, filters).await?
        }
        None => None,
    };
    Ok((item, ids, existing))
}

/// The members every standing transaction has, read into an [`Entry`] of type `kind`
/// (its amount as given: the caller checks its sign); `None` with the errors pushed when
/// a required one is missing or wrong.
pub async fn read_entry(
    ctx: &Ctx,
    item: &Map<String, Value>,
    kind: TransactionType,
    errors: &mut Vec<String>,
) -> Result<Option<Entry>, Refused> {
    let amount = required_number(item, "", "amount", errors);
    let date = date_member(item, "paymentDate", true, errors);
    let client = linked(ctx, item, "client", "client", true, errors).await?;
    let agent = linked(ctx, item, "agent", "agent", false, errors).await?;
    let payment_type = linked(ctx, item, "paymentType", "paymentType", true, errors).await?;
    let (Some(amount), Some(date), Some(client), Some(payment_type)) =
        (amount, date, client, payment_type)
    else {
        return Ok(None);
    };
    let mut shown = Map::new();
    shown.insert("paymentDate".into(), date);
    shown.insert("comment".into(), optional(item, "comment"));
    shown.insert("client".into(), Value::Object(client.ids(ctx)));
    shown.insert("agent".into(), reference(ctx, agent.as_ref()));
    shown.insert("paymentType".into(), Value::Object(payment_type.ids(ctx)));
    Ok(Some(Entry {
        transaction_type: kind,
        client: client.sd_id,
        payment_type: payment_type.sd_id,
        amount,
        shown,
    }))
}

/// A linked record as getPayment shows it: its identifiers, or all three `null`.
pub fn reference(ctx: &Ctx, record: Option<&Record>) -> Value {
    Value::Object(match record {
        Some(record) => record.ids(ctx),
        None => crate::batch::ids(None, None, None),
    })
}

/// A date member in the stored format (a bare date: its first second): `null` when
/// absent and not `required`; the error pushed when it is no date or required and missing.
pub fn date_member(
    item: &Map<String, Value>,
    member: &str,
    required: bool,
    errors: &mut Vec<String>,
) -> Option<Value> {
    let Some(raw) = item.get(member).and_then(text) else {
        if required {
            errors.push(format!("{member} is required"));
            return None;
        }
        return Some(Value::Null);
    };
    match period_bound(&raw, Bound::Start) {
        Some(date) => Some(Value::from(date)),
        None => {
            errors.push(format!("{member} is not a valid date"));
            None
        }
    }
}
