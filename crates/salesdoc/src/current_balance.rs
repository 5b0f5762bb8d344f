//! `setCurrentBalance` (13.3): brings a client's balance for one payment type to the
//! given figure with one correcting transaction for the difference, saved through
//! `client_ledger::save_entry`: a debt write-off (type 8) when the balance goes up, a debt
//! (type 2) when it goes down, of the difference's size, dated now, with the comment
//! `Balance correction` (DIGEST §3.5). No difference writes nothing and still counts the
//! record completed. The item names the client by its own `CS_id` / `SD_id` / `code_1C`
//! (a client that matches nothing refuses the item) and gives `balance` (a number) and
//! `paymentType`; the answer lists the clients' identifiers under `currentBalance`.
//! At most 3 calls per 5 minutes (`limits`).

use axum::response::Response;
use serde_json::{Map, Value};

use crate::client::CLIENT;
use crate::client_ledger::item::reference;
use crate::client_ledger::read::balances_of;
use crate::client_ledger::{save_entry, Entry, TransactionType, ENTRY};
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::round;
use crate::reference::rules::Rules;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::{linked, named_by, required_number};
use crate::values::datetime;

/// The SET group.
pub const KEY: &str = "currentBalance";
/// The comment of a correcting transaction (*Inferred*, DIGEST §3.5).
const COMMENT: &str = "Balance correction";

/// setCurrentBalance's way of handling one client.
struct CurrentBalances;

/// `setCurrentBalance` (13.3).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, KEY, &CurrentBalances).await
}

impl StoreRecord for CurrentBalances {
    /// The client, whether or not a transaction was written.
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let mut errors = Vec::new();
        let client = named_by(ctx, CLIENT.key, item, "", &mut errors).await?;
        let target = required_number(item, "", "balance", &mut errors);
        let payment_type =
            linked(ctx, item, "paymentType", "paymentType", true, &mut errors).await?;
        let (Some(client), Some(target), Some(payment_type), true) =
            (client, target, payment_type, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let current = balances_of(ctx, &client.sd_id)
            .await?
            .of(&payment_type.sd_id);
        let difference = round(target - current);
        if difference == 0.0 {
            return Ok(client);
        }
        let transaction_type = if difference > 0.0 {
            TransactionType::WriteOff
        } else {
            TransactionType::Debt
        };
        let mut shown = Map::new();
        shown.insert("paymentDate".into(), Value::from(datetime(ctx.now)));
        shown.insert("expirationDate".into(), Value::Null);
        shown.insert("comment".into(), Value::from(COMMENT));
        shown.insert("client".into(), Value::Object(client.ids(ctx)));
        shown.insert("agent".into(), reference(ctx, None));
        shown.insert("paymentType".into(), Value::Object(payment_type.ids(ctx)));
        let entry = Entry {
            transaction_type,
            client: client.sd_id.clone(),
            payment_type: payment_type.sd_id.clone(),
            amount: difference.abs(),
            shown,
        };
        let target = Target::of(ctx, ENTRY, &Rules::PLAIN, None).await?;
        save_entry(ctx, &Ids::default(), target, entry).await?;
        Ok(client)
    }
}
