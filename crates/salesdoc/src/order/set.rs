//! `setOrder` (12.1): an order created or updated with its lines, prices, discounts and
//! bonus lines, its totals (see `totals`), its stock lines and client debit (see
//! `effects`). An order is found by `CS_id` → `SD_id` → `code_1C`; none found creates
//! one, which needs a `code_1C` (12.1 requires `code_1C` or `SD_id`: an `SD_id` alone
//! that finds nothing fails the item, *Inferred*, as `SD_id`s are the server's). Admin
//! seeding stores through the same [`Orders`] with `seeded`: orders "born in SalesDoc",
//! as agents make them in the mobile app, need no identifier and carry no `code_1C`.
//!
//! Required: `status` (1–5), `client`, `agent`, `priceType`, `warehouse`,
//! `orderProducts`. The order's `paymentType` is its price type's; `trade` is the
//! filial's first trade direction (*Inferred*: agents carry none here); `expeditor`,
//! when absent and `auto_attach_expeditor` is true, is the client's (*Inferred*).
//! `dateCreate` defaults to now (an update keeps the stored one), `dateShipment` gives
//! `dateDocument` (default `dateCreate`). The client's category is kept with the order
//! as it was when the order was written (getOrder's category filter and sort).

use axum::response::Response;
use serde_json::{Map, Value};

use super::effects::{save, sd_of};
use super::lines::{read_lines, LineKind};
use super::totals::order_totals;
use super::{status_of, target, Family, ORDER};
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::upsert::{set_with, Refused, StoreRecord};
use crate::reference::{by_sd_in, first_where, Ids, Record};
use crate::request::Ctx;
use crate::stock_doc::{identified, linked, optional};
use crate::values::{active, period_bound, text, Bound};
use crate::warehouse;

/// setOrder's (and the admin seeding's) way of storing an order.
pub struct Orders {
    /// Admin seeding of orders made in SalesDoc: no identifier needed.
    pub seeded: bool,
}

/// `setOrder` (12.1).
pub async fn set_orders(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, ORDER, &Orders { seeded: false }).await
}

/// The item of a family document, its identifiers and the document they find; refused
/// when nothing is found and nothing can be created.
pub async fn identify<'a>(
    ctx: &Ctx,
    family: Family,
    record: &'a Value,
    seeded: bool,
) -> Result<(&'a Map<String, Value>, Ids, Option<Record>), Refused> {
    let (item, ids, existing) = identified(ctx, family.key(), record).await?;
    if existing.is_none() && !seeded && ids.code_1c.is_none() {
        let error = if ids.is_empty() {
            "code_1C or SD_id is required"
        } else {
            "The document was not found; send code_1C to create it"
        };
        return Err(Refused::Item(vec![error.into()]));
    }
    Ok((item, ids, existing))
}

/// A date-time member in the stored format: `None` when absent (or with an error when
/// it is no date).
pub fn moment(item: &Map<String, Value>, member: &str, errors: &mut Vec<String>) -> Option<String> {
    let raw = item.get(member).and_then(text)?;
    let parsed = period_bound(&raw, Bound::Start);
    if parsed.is_none() {
        errors.push(format!("{member} is not a valid date"));
    }
    parsed
}

/// The records a family document names, resolved.
pub struct Parties {
    pub client: Record,
    pub agent: Record,
    pub expeditor: Option<Record>,
    pub price_type: Option<Record>,
    pub store: Record,
}

/// The item's `client`, `agent`, `expeditor`, `priceType` and `warehouse` (in `member`):
/// `None` when a required one is missing or any names nothing (the errors say which).
pub async fn parties(
    ctx: &Ctx,
    item: &Map<String, Value>,
    store_member: &str,
    errors: &mut Vec<String>,
) -> Result<(Option<Parties>, Option<Record>), Refused> {
    let client = linked(ctx, item, "client", "client", true, errors).await?;
    let agent = linked(ctx, item, "agent", "agent", true, errors).await?;
    let expeditor = linked(ctx, item, "expeditor", "expeditor", false, errors).await?;
    let price_type = linked(ctx, item, "priceType", "priceType", true, errors).await?;
    let store = linked(ctx, item, store_member, warehouse::KEY, true, errors).await?;
    let parties = match (client, agent, store) {
        (Some(client), Some(agent), Some(store)) => Some(Parties {
            client,
            agent,
            expeditor,
            price_type: price_type.clone(),
            store,
        }),
        _ => None,
    };
    Ok((parties, price_type))
}

impl Parties {
    /// The references as stored (`{CS_id, SD_id, code_1C}`), the payment type the price
    /// type's.
    pub fn write(&self, ctx: &Ctx, fields: &mut Map<String, Value>) {
        let ids = |r: &Record| Value::Object(r.ids(ctx));
        fields.insert("client".into(), ids(&self.client));
        fields.insert("agent".into(), ids(&self.agent));
        fields.insert(
            "expeditor".into(),
            self.expeditor.as_ref().map_or(Value::Null, ids),
        );
        let price_type = self.price_type.as_ref();
        fields.insert("priceType".into(), price_type.map_or(Value::Null, ids));
        let payment_type = price_type.and_then(|p| p.fields.get("paymentType").cloned());
        fields.insert("paymentType".into(), payment_type.unwrap_or(Value::Null));
        fields.insert("store".into(), ids(&self.store));
    }
}

/// The client's expeditor, when `auto_attach_expeditor` asks for it and none is given.
async fn attached_expeditor(
    ctx: &Ctx,
    item: &Map<String, Value>,
    parties: &mut Parties,
) -> Result<(), Refused> {
    let wanted = item.get("auto_attach_expeditor").and_then(active) == Some(true);
    if !wanted || parties.expeditor.is_some() {
        return Ok(());
    }
    if let Some(sd) = sd_of(&parties.client.fields, "expeditor") {
        parties.expeditor = by_sd_in(ctx, "expeditor", &sd).await?;
    }
    Ok(())
}

/// The client's category as kept with an order: `{SD_id, name}`, or `null`.
async fn category_of(ctx: &Ctx, client: &Record) -> Result<Value, Refused> {
    let Some(sd) = client.fields.get("category").and_then(text) else {
        return Ok(Value::Null);
    };
    let head_office = ctx.head_office();
    let category = by_sd_in(&head_office, "clientCategory", &sd).await?;
    let name = category.and_then(|c| c.fields.get("name").cloned());
    Ok(serde_json::json!({ "SD_id": sd, "name": name }))
}

impl StoreRecord for Orders {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, Family::Order, record, self.seeded).await?;
        let mut errors = Vec::new();
        let status = status_of(item.get("status")).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if status.is_none() && errors.is_empty() {
            errors.push("status is required".into());
        }
        let created = moment(item, "dateCreate", &mut errors);
        let shipment = moment(item, "dateShipment", &mut errors);
        let (parties, price_type) = parties(ctx, item, "warehouse", &mut errors).await?;
        let lines = read_lines(
            ctx,
            item,
            "orderProducts",
            true,
            LineKind::Sold,
            price_type.as_ref(),
            &mut errors,
        )
        .await?;
        let bonus = read_lines(
            ctx,
            item,
            "bonusProducts",
            false,
            LineKind::Bonus,
            None,
            &mut errors,
        )
        .await?;
        let (Some(status), Some(mut parties), true) = (status, parties, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        attached_expeditor(ctx, item, &mut parties).await?;
        let stored = existing.as_ref().map(|e| &e.fields);
        let kept = |member: &str| stored.and_then(|s| s.get(member)?.as_str().map(str::to_owned));
        let date_create = created
            .or_else(|| kept("dateCreate"))
            .unwrap_or_else(|| crate::values::datetime(ctx.now));
        let date_document = shipment
            .or_else(|| kept("dateDocument"))
            .unwrap_or_else(|| date_create.clone());
        let trade = first_where(ctx, "tradeDirection", Vec::new()).await?;
        let mut fields = Map::new();
        fields.insert("type".into(), Value::from(Family::Order.type_code()));
        fields.insert("status".into(), Value::from(status));
        fields.insert("dateCreate".into(), Value::from(date_create));
        fields.insert("dateDocument".into(), Value::from(date_document));
        fields.insert("comment".into(), optional(item, "comment"));
        let consignment = item.get("consignment").and_then(active).unwrap_or(false);
        fields.insert("consignment".into(), Value::Bool(consignment));
        for member in ["consigDate", "debtDateExp"] {
            fields.insert(member.into(), optional(item, member));
        }
        let invoice = stored.and_then(|s| s.get("invoiceNumber").cloned());
        fields.insert("invoiceNumber".into(), invoice.unwrap_or(Value::Null));
        parties.write(ctx, &mut fields);
        let trade = trade.map_or(Value::Null, |t| Value::Object(t.ids(ctx)));
        fields.insert("trade".into(), trade);
        fields.insert("category".into(), category_of(ctx, &parties.client).await?);
        fields.extend(order_totals(&lines));
        fields.insert("lines".into(), Value::from(lines));
        fields.insert("bonus".into(), Value::from(bonus));
        let target = target(ctx, existing.as_ref()).await?;
        save(ctx, Family::Order, &ids, target, fields).await
    }
}
