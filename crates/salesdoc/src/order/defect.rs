//! Client returns and exchanges: `setOrderDefect` (12.5), `getOrderDefect` (9.27) and
//! `getOrderReplace` (9.28), both answering under `order`.
//!
//! A return ("shelf return") brings its `defectProducts` into its `warehouse` (any
//! warehouse: the docs' example names a regular one, *Inferred*), see `effects`. It is
//! found or created as an order is (`code_1C` / `SD_id`, see `set::identify`); a line
//! without `price` takes the price list's. `dateCreate` (default now) is its `date`,
//! `dateDefect` (default that day) its `dateLoad`, `comment` also its `reason`.
//!
//! Exchanges have no SET method: admin seeds them ([`Returns`] with
//! [`Family::Replace`]) as returns with two more members: `replaceWarehouse` (the
//! warehouse the replacements leave) and `replaceProducts` (the replacements). Only the
//! returned side is shown (`defectProducts`), as documented.
//!
//! Both GETs filter by `filter.status` (default `[1]`), `filter.include`,
//! `filter.period.date` (the return's date), `dateLoad` and `dateUpdate`.

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::effects::save;
use super::get::{period_filters, shown_product, status_filter};
use super::lines::{read_lines, LineKind};
use super::set::{identify, moment, parties};
use super::totals::{money, return_totals};
use super::{status_of, target, Family, DEFECT, ORDER};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::link;
use crate::reference::list::Listing;
use crate::reference::upsert::{set_with, Refused, StoreRecord};
use crate::reference::Record;
use crate::request::Ctx;
use crate::stock_doc::{linked, optional};
use crate::values::{datetime, number};
use crate::warehouse;

/// setOrderDefect's (and the exchange seeding's) way of storing a document.
pub struct Returns {
    pub family: Family,
    /// Admin seeding: no identifier needed.
    pub seeded: bool,
}

/// `setOrderDefect` (12.5): `data.orderDefect`.
pub async fn set_defects(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let returns = Returns {
        family: Family::Defect,
        seeded: false,
    };
    set_with(ctx, envelope, DEFECT, &returns).await
}

impl StoreRecord for Returns {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, self.family, record, self.seeded).await?;
        let mut errors = Vec::new();
        let status = match status_of(item.get("status")) {
            Ok(None) => {
                errors.push("status is required".into());
                None
            }
            Ok(status) => status,
            Err(error) => {
                errors.push(error);
                None
            }
        };
        let created = moment(item, "dateCreate", &mut errors);
        let day = moment(item, "dateDefect", &mut errors);
        let (parties, price_type) = parties(ctx, item, "warehouse", &mut errors).await?;
        let kind = LineKind::Returned;
        let price_type = price_type.as_ref();
        let lines = read_lines(
            ctx,
            item,
            "defectProducts",
            true,
            kind,
            price_type,
            &mut errors,
        )
        .await?;
        let mut replace = Vec::new();
        let mut replace_store = None;
        if self.family == Family::Replace {
            replace_store = linked(
                ctx,
                item,
                "replaceWarehouse",
                warehouse::KEY,
                true,
                &mut errors,
            )
            .await?;
            replace = read_lines(
                ctx,
                item,
                "replaceProducts",
                true,
                kind,
                price_type,
                &mut errors,
            )
            .await?;
        }
        let (Some(status), Some(parties), true) = (status, parties, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        let stored = existing.as_ref().map(|e| &e.fields);
        let kept = |member: &str| stored.and_then(|s| s.get(member)?.as_str().map(str::to_owned));
        let date = created
            .or_else(|| kept("date"))
            .unwrap_or_else(|| datetime(ctx.now));
        let date_load = day
            .or_else(|| kept("dateLoad"))
            .unwrap_or_else(|| date.clone());
        let mut fields = Map::new();
        fields.insert("type".into(), Value::from(self.family.type_code()));
        fields.insert("status".into(), Value::from(status));
        fields.insert("date".into(), Value::from(date));
        fields.insert("dateLoad".into(), Value::from(date_load));
        fields.insert("comment".into(), optional(item, "comment"));
        parties.write(ctx, &mut fields);
        if let Some(from) = replace_store {
            fields.insert("replaceStore".into(), Value::Object(from.ids(ctx)));
            fields.insert("replace".into(), Value::from(replace));
        }
        fields.extend(return_totals(&lines));
        fields.insert("lines".into(), Value::from(lines));
        let target = target(ctx, existing.as_ref()).await?;
        save(ctx, self.family, &ids, target, fields).await
    }
}

/// A return or exchange as getOrderDefect / getOrderReplace show it.
async fn render(ctx: &Ctx, document: &Record) -> SdResult<Value> {
    let f = &document.fields;
    let mut shown = document.ids(ctx);
    for member in [
        "type",
        "status",
        "date",
        "totalSumma",
        "discount",
        "summa",
        "comment",
    ] {
        shown.insert(member.into(), f.get(member).cloned().unwrap_or(Value::Null));
    }
    // Kept as a date-time (for the period filter), shown as the day.
    let day: Option<String> = f["dateLoad"].as_str().map(|d| d.chars().take(10).collect());
    shown.insert("dateLoad".into(), Value::from(day));
    for member in ["client", "agent", "expeditor", "priceType", "store"] {
        shown.insert(member.into(), link::show(f, member));
    }
    shown.insert(
        "reason".into(),
        f.get("comment").cloned().unwrap_or(json!("")),
    );
    let mut lines = Vec::new();
    for line in f["lines"].as_array().into_iter().flatten() {
        let sd = line["product"].as_str().unwrap_or_default();
        let (product, _) = shown_product(ctx, sd, false).await?;
        let quantity = line["quantity"].as_f64().unwrap_or_default();
        let price = line["price"].as_f64().unwrap_or_default();
        lines.push(json!({
            "product": product,
            "quantity": number(quantity),
            "price": number(price),
            "summa": number(money(quantity * price)),
            "exp_date": line.get("exp_date").cloned().unwrap_or(Value::Null),
        }));
    }
    shown.insert("defectProducts".into(), Value::from(lines));
    Ok(Value::Object(shown))
}

async fn get_family(ctx: &Ctx, envelope: &Envelope, family: Family) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Honoured)?;
    let mut filters = vec![status_filter(envelope)?];
    filters.extend(period_filters(
        envelope,
        &[
            ("date", "fields.date"),
            ("dateLoad", "fields.dateLoad"),
            ("dateUpdate", "updated"),
        ],
    )?);
    let (documents, total) = listing.fetch(ctx, family.key(), filters).await?;
    let mut items = Vec::with_capacity(documents.len());
    for document in &documents {
        items.push(render(ctx, document).await?);
    }
    Ok(listing.answer(ORDER, items, total))
}

/// `getOrderDefect` (9.27).
pub async fn get_defects(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    get_family(ctx, envelope, Family::Defect).await
}

/// `getOrderReplace` (9.28).
pub async fn get_replaces(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    get_family(ctx, envelope, Family::Replace).await
}
