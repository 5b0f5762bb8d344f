//! Payments expeditors sent for confirmation: `getPaymentConfirmation` (9.34), per
//! filial. No API method makes them (expeditors send them from the mobile app): they are
//! seeded in admin (`POST /admin/api/accounts/{id}/salesdoc/payment-confirmations`,
//! records `{CS_id? | SD_id? | code_1C?, client, order?, payment_type, amount, date?,
//! comment?, confirmed?}`, the links named by `{CS_id | SD_id | code_1C}` and refused
//! when they name nothing). They do not move client balances: the payment an expeditor
//! collects reaches the ledger when it is posted (setPayment).
//!
//! *Inferred*: `date` defaults to the moment of seeding and `confirmed` to `false`; a
//! confirmation without an order shows `order` with `null` identifiers.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::client::CLIENT;
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::payment::ORDER;
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{save, Refused, StoreRecord, Target};
use crate::reference::Record;
use crate::request::Ctx;
use crate::stock_doc::{date_or_now, identified, linked, non_negative, optional};
use crate::values::{active, number};

/// The stored kind and the GET answer's member.
pub const KEY: &str = "paymentConfirmation";

/// How admin seeding stores one confirmation.
pub struct Confirmations;

impl StoreRecord for Confirmations {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, KEY, record).await?;
        let mut errors = Vec::new();
        let client = linked(ctx, item, "client", CLIENT.key, true, &mut errors).await?;
        let order = linked(ctx, item, "order", ORDER, false, &mut errors).await?;
        let payment_type =
            linked(ctx, item, "payment_type", "paymentType", true, &mut errors).await?;
        let amount = non_negative(item, "", "amount", true, &mut errors);
        let date = date_or_now(ctx, item, &mut errors);
        let confirmed = match item.get("confirmed").filter(|c| !c.is_null()) {
            None => Some(false),
            Some(given) => active(given),
        };
        if confirmed.is_none() {
            errors.push("confirmed must be true or false".into());
        }
        let (Some(client), Some(payment_type), Some(amount), Some(date), Some(confirmed), true) = (
            client,
            payment_type,
            amount,
            date,
            confirmed,
            errors.is_empty(),
        ) else {
            return Err(Refused::Item(errors));
        };
        let order = match order {
            Some(order) => json!({ "CS_id": order.cs_id(ctx), "SD_id": order.sd_id }),
            None => json!({ "CS_id": null, "SD_id": null }),
        };
        let mut fields = Map::new();
        fields.insert("client".into(), client.named_ids(ctx));
        fields.insert("order".into(), order);
        fields.insert("payment_type".into(), Value::Object(payment_type.ids(ctx)));
        fields.insert("amount".into(), number(amount));
        fields.insert("date".into(), Value::from(date));
        fields.insert("comment".into(), optional(item, "comment"));
        fields.insert("confirmed".into(), Value::Bool(confirmed));
        let target = Target::of(ctx, KEY, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, KEY, &ids, target, fields).await
    }
}

/// `getPaymentConfirmation` (9.34): a page of the filial's confirmations.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, total) = listing.fetch(ctx, KEY, Vec::new()).await?;
    let members = [
        "client",
        "order",
        "payment_type",
        "amount",
        "date",
        "comment",
        "confirmed",
    ];
    let items = records
        .iter()
        .map(|record| {
            let mut shown = record.ids(ctx);
            for member in members {
                let value = record.fields.get(member).cloned().unwrap_or(Value::Null);
                shown.insert(member.into(), value);
            }
            Value::Object(shown)
        })
        .collect();
    Ok(listing.answer(KEY, items, total))
}
