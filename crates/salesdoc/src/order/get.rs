//! `getOrder` (9.26): a page of orders, under `order`. Filters (all combine):
//! `filter.status` (default `[1]`), `filter.agent` (`all`; otherwise orders of inactive
//! agents are hidden), `filter.include`, `filter.period.{date, dateCreate}` (the order
//! date), `dateLoad` (`dateDocument`), `orderCreated` (when the record was made),
//! `dateUpdate` (its last change), `filter.store`, `filter.trade`, `filter.expeditors`,
//! `filter.clientCategories` (the client's category when the order was written),
//! `filter.CS_id|SD_id|code_1C`, `params.client`, and `filter.sort.category` (by the
//! category's name, before the generic `sort`). A filter naming a record that does not
//! exist matches nothing (an empty page, *Inferred*). `params.promotions` is accepted:
//! no promotions exist in the twin (no method makes them), so it adds nothing
//! (*Inferred*).

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Filter, SortKey};

use super::{CANCELLED, ORDER};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::link;
use crate::reference::list::{date_range, Listing};
use crate::reference::{by_sd_in, find_in, records_where, Ids, Record};
use crate::render::page;
use crate::request::Ctx;
use crate::stock_doc::PRODUCT;
use crate::values::{number, text};
use crate::warehouse;

/// How many records a filter's own lookup reads (inactive agents).
const LOOKUP_AT_MOST: u32 = 10_000;

/// `filter.status`: the statuses listed (default `[1]`); 400 when it is no list of
/// numbers.
pub fn status_filter(envelope: &Envelope) -> SdResult<Filter> {
    let statuses: Vec<Value> = match envelope.filter().get("status") {
        None | Some(Value::Null) => vec![json!(1)],
        Some(Value::Array(given)) => given
            .iter()
            .map(|s| {
                s.as_i64()
                    .or_else(|| text(s)?.parse().ok())
                    .map(Value::from)
            })
            .collect::<Option<_>>()
            .ok_or_else(|| SdError::bad_request("params.filter.status must list numbers"))?,
        Some(one) => vec![one
            .as_i64()
            .map(Value::from)
            .ok_or_else(|| SdError::bad_request("params.filter.status must list numbers"))?],
    };
    Ok(Filter::In {
        path: Filter::path("fields.status"),
        values: statuses,
    })
}

/// The filters of `filter.period.<member>` for each `(member, stored field)`.
pub fn period_filters(envelope: &Envelope, members: &[(&str, &str)]) -> SdResult<Vec<Filter>> {
    let mut filters = Vec::new();
    if let Some(period) = envelope.filter().get("period").and_then(Value::as_object) {
        for (member, field) in members {
            if let Some(range) = period.get(*member) {
                let name = format!("params.filter.period.{member}");
                filters.extend(date_range(range, field, &name)?);
            }
        }
    }
    Ok(filters)
}

/// The `SD_id` of the record of kind `key` that `named` finds (`None`: none).
async fn found_sd(place: &Ctx, key: &str, named: &Value) -> SdResult<Option<String>> {
    let ids = named.as_object().map(Ids::of).unwrap_or_default();
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(find_in(place, key, &ids).await?.map(|r| r.sd_id))
}

/// `fields.<member>.SD_id` is one of the records the list `named` finds; `None` when it
/// finds none.
async fn any_of(place: &Ctx, key: &str, named: &Value, path: &str) -> SdResult<Option<Filter>> {
    let mut values = Vec::new();
    for one in named.as_array().into_iter().flatten() {
        values.extend(found_sd(place, key, one).await?.map(Value::from));
    }
    Ok((!values.is_empty()).then(|| Filter::In {
        path: Filter::path(path),
        values,
    }))
}

/// Orders whose agent is inactive, hidden unless `filter.agent` is `all`.
async fn active_agents_only(ctx: &Ctx) -> SdResult<Option<Filter>> {
    let filters = vec![Filter::eq("fields.active", false)];
    let inactive: Vec<Value> = records_where(ctx, "agent", filters, LOOKUP_AT_MOST)
        .await?
        .into_iter()
        .map(|agent| Value::from(agent.sd_id))
        .collect();
    Ok((!inactive.is_empty()).then(|| {
        Filter::Not(Box::new(Filter::In {
            path: Filter::path("fields.agent.SD_id"),
            values: inactive,
        }))
    }))
}

/// getOrder's own filters; `None` when one names nothing (an empty page).
async fn order_filters(ctx: &Ctx, envelope: &Envelope) -> SdResult<Option<Vec<Filter>>> {
    let filter = envelope.filter();
    let mut filters = vec![status_filter(envelope)?];
    filters.extend(period_filters(
        envelope,
        &[
            ("date", "fields.dateCreate"),
            ("dateCreate", "fields.dateCreate"),
            ("dateLoad", "fields.dateDocument"),
            ("orderCreated", "created"),
            ("dateUpdate", "updated"),
        ],
    )?);
    if filter.get("agent").and_then(Value::as_str) != Some("all") {
        filters.extend(active_agents_only(ctx).await?);
    }
    let head_office = ctx.head_office();
    let single = [
        (
            filter.get("store"),
            ctx,
            warehouse::KEY,
            "fields.store.SD_id",
        ),
        (
            filter.get("trade"),
            ctx,
            "tradeDirection",
            "fields.trade.SD_id",
        ),
        (
            envelope.params.get("client"),
            ctx,
            "client",
            "fields.client.SD_id",
        ),
    ];
    for (named, place, key, path) in single {
        let Some(named) = named.filter(|n| !n.is_null()) else {
            continue;
        };
        match found_sd(place, key, named).await? {
            Some(sd) => filters.push(Filter::eq(path, sd)),
            None => return Ok(None),
        }
    }
    let lists = [
        ("expeditors", ctx, "expeditor", "fields.expeditor.SD_id"),
        (
            "clientCategories",
            &head_office,
            "clientCategory",
            "fields.category.SD_id",
        ),
    ];
    for (member, place, key, path) in lists {
        let Some(named) = filter.get(member).filter(|n| !n.is_null()) else {
            continue;
        };
        match any_of(place, key, named, path).await? {
            Some(found) => filters.push(found),
            None => return Ok(None),
        }
    }
    let own = Ids::of(&filter);
    if !own.is_empty() {
        match find_in(ctx, ORDER, &own).await? {
            Some(order) => filters.push(Filter::IdIn(vec![order.sd_id])),
            None => return Ok(None),
        }
    }
    Ok(Some(filters))
}

/// `filter.sort.category`: the sort key it adds first.
fn category_sort(envelope: &Envelope) -> SdResult<Option<SortKey>> {
    let filter = envelope.filter();
    let order = filter.get("sort").and_then(|s| s.get("category"));
    match order
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => Ok(None),
        Some("asc") => Ok(Some(SortKey::asc("fields.category.name"))),
        Some("desc") => Ok(Some(SortKey::desc("fields.category.name"))),
        Some(_) => Err(SdError::bad_request(
            "params.filter.sort.category must be asc or desc",
        )),
    }
}

/// A line's product as shown: its identifiers (and `name` when `named`).
pub async fn shown_product(
    ctx: &Ctx,
    sd_id: &str,
    named: bool,
) -> SdResult<(Value, Option<Record>)> {
    let head_office = ctx.head_office();
    let product = by_sd_in(&head_office, PRODUCT, sd_id).await?;
    let mut shown = match &product {
        Some(p) => p.ids(&head_office),
        None => crate::batch::ids(Some(sd_id), Some(sd_id), None),
    };
    if named {
        let name = product.as_ref().and_then(|p| p.fields.get("name").cloned());
        shown.insert("name".into(), name.unwrap_or(Value::Null));
    }
    Ok((Value::Object(shown), product))
}

/// An order's lines as getOrder shows them (`block`: the quantity in packs).
async fn shown_lines(ctx: &Ctx, lines: &Value) -> SdResult<Vec<Value>> {
    let mut shown = Vec::new();
    for line in lines.as_array().into_iter().flatten() {
        let (product, record) =
            shown_product(ctx, line["product"].as_str().unwrap_or_default(), true).await?;
        let quantity = line["quantity"].as_f64().unwrap_or_default();
        let price = line["price"].as_f64().unwrap_or_default();
        let discount = line["discount"].as_f64().unwrap_or_default();
        let pack = record
            .and_then(|p| p.fields.get("packQuantity").and_then(Value::as_f64))
            .filter(|p| *p > 0.0)
            .unwrap_or(1.0);
        shown.push(json!({
            "product": product,
            "quantity": number(quantity),
            "price": number(price),
            "discount": number(discount),
            "summa": number(super::totals::discounted(quantity, price, discount)),
            "returned": number(line["returned"].as_f64().unwrap_or_default()),
            "block": number(super::totals::money(quantity / pack)),
        }));
    }
    Ok(shown)
}

/// The client as an order shows it: identifiers, `nspCode`, names.
async fn shown_client(ctx: &Ctx, stored: Option<&Value>) -> SdResult<Value> {
    let mut shown: Map<String, Value> =
        link::shown(stored).as_object().cloned().unwrap_or_default();
    let sd = shown["SD_id"].as_str().unwrap_or_default().to_owned();
    let client = by_sd_in(ctx, "client", &sd).await?;
    let member = |name: &str| {
        client
            .as_ref()
            .and_then(|c| c.fields.get(name).cloned())
            .filter(|v| !v.is_null())
    };
    shown.insert("nspCode".into(), member("nspCode").unwrap_or(Value::Null));
    shown.insert("clientName".into(), member("name").unwrap_or(json!("")));
    shown.insert(
        "clientLegalName".into(),
        member("firmName").unwrap_or(json!("")),
    );
    Ok(Value::Object(shown))
}

/// One order as getOrder shows it.
async fn render(ctx: &Ctx, order: &Record) -> SdResult<Value> {
    let f = &order.fields;
    let mut shown = order.ids(ctx);
    shown.insert("status".into(), f["status"].clone());
    shown.insert("dateCreate".into(), f["dateCreate"].clone());
    shown.insert("dateDocument".into(), f["dateDocument"].clone());
    for member in [
        "totalSumma",
        "discountSumma",
        "totalSummaAfterDiscount",
        "totalReturnsSumma",
        "totalReturnsCount",
        "comment",
        "consignment",
        "consigDate",
        "debtDateExp",
    ] {
        shown.insert(member.into(), f.get(member).cloned().unwrap_or(Value::Null));
    }
    shown.insert("orderCreated".into(), order.doc.body["created"].clone());
    shown.insert("client".into(), shown_client(ctx, f.get("client")).await?);
    for member in ["agent", "expeditor", "priceType", "paymentType"] {
        shown.insert(member.into(), link::show(f, member));
    }
    shown.insert(
        "note".into(),
        json!({ "CS_id": null, "SD_id": null, "code_1C": null, "title": null }),
    );
    shown.insert("store".into(), link::show(f, "store"));
    shown.insert("trade".into(), link::show(f, "trade"));
    shown.insert(
        "orderProducts".into(),
        Value::from(shown_lines(ctx, &f["lines"]).await?),
    );
    shown.insert(
        "bonus".into(),
        Value::from(shown_lines(ctx, &f["bonus"]).await?),
    );
    shown.insert(
        "invoiceNumber".into(),
        f.get("invoiceNumber").cloned().unwrap_or(Value::Null),
    );
    Ok(Value::Object(shown))
}

/// `getOrder` (9.26).
pub async fn get_orders(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let mut listing = Listing::read(envelope, Include::Honoured)?;
    if let Some(key) = category_sort(envelope)? {
        listing.sort.insert(0, key);
    }
    let Some(filters) = order_filters(ctx, envelope).await? else {
        return Ok(page(ORDER, Vec::new(), listing.limit, 0, listing.page));
    };
    let (orders, total) = listing.fetch(ctx, ORDER, filters).await?;
    let mut items = Vec::with_capacity(orders.len());
    for order in &orders {
        items.push(render(ctx, order).await?);
    }
    Ok(listing.answer(ORDER, items, total))
}

/// What the agent's orders for the client on `day` (`YYYY-MM-DD`) come to: Σ
/// `totalSummaAfterDiscount` of those not cancelled, by their order date; `None` when
/// there is none (getVisit's `order_summa` and `has_order`, DIGEST §3.6).
pub async fn day_summa(ctx: &Ctx, agent: &str, client: &str, day: &str) -> SdResult<Option<f64>> {
    let range = json!({ "from": day, "to": day });
    let mut filters = vec![
        Filter::eq("fields.agent.SD_id", agent),
        Filter::eq("fields.client.SD_id", client),
        Filter::Not(Box::new(Filter::eq("fields.status", CANCELLED))),
    ];
    filters.extend(date_range(&range, "fields.dateCreate", "day")?);
    let orders = records_where(ctx, ORDER, filters, LOOKUP_AT_MOST).await?;
    if orders.is_empty() {
        return Ok(None);
    }
    let sum = orders
        .iter()
        .map(|order| {
            order.fields["totalSummaAfterDiscount"]
                .as_f64()
                .unwrap_or_default()
        })
        .sum();
    Ok(Some(super::totals::money(sum)))
}
