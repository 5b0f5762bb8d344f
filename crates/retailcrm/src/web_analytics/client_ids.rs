//! `POST /api/v5/web-analytics/client-ids/upload`.

use serde_json::{json, Map, Value};
use twin_store::{Expect, Filter, ListQuery, PageRequest, Write};

use super::CLIENT_ID;
use super::{customer, customer_link, customer_of, fail, order, site, Failure};
use crate::customers::taken;
use crate::error::{texts, RetailResult};
use crate::journal::Journal;
use crate::request::{parse_time, timestamp, Ctx};

/// One record of `POST /api/v5/web-analytics/client-ids/upload` (seed: web analytics):
/// `clientIds=<json list>` of at most 100 `{value, createdAt?, order? | customer?, site?}`.
/// A clientId goes to an order (by `id`, else `externalId`, else `number`, within `site`)
/// and then also to the order's customer, or to a customer (by `id`, else `externalId`).
/// A customer keeps each value once; its `firstClientId`/`lastClientId` become the values
/// with the earliest and latest `createdAt` (default: now), with history records. A
/// value given again for the same order and customer changes nothing. Records that fail
/// (no `value`, no order nor customer, one not found) are left out: see `super::upload`.
/// *Inferred* texts.
pub async fn one(ctx: &Ctx, record: &Value) -> RetailResult<Result<(), Failure>> {
    let value = match super::short(record, "value") {
        Ok(Some(value)) => value,
        Ok(None) => return Ok(Err(fail("value", texts::BLANK))),
        Err(failure) => return Ok(Err(failure)),
    };
    let created_at = match &record["createdAt"] {
        Value::Null => ctx.now,
        given => match given.as_str().and_then(parse_time) {
            Some(at) => at,
            None => return Ok(Err(fail("createdAt", texts::DATETIME))),
        },
    };
    let site = match site(ctx, record).await? {
        Ok(site) => site,
        Err(failure) => return Ok(Err(failure)),
    };
    let (order, owner) = match order(ctx, record, site.as_deref()).await? {
        Err(failure) => return Ok(Err(failure)),
        Ok(Some(order)) => {
            let owner = customer_of(ctx, &order).await?;
            (Some(order), owner)
        }
        Ok(None) => match customer(ctx, record, site.as_deref()).await? {
            Err(failure) => return Ok(Err(failure)),
            Ok(Some(owner)) => (None, Some(owner)),
            Ok(None) => {
                return Ok(Err(fail(
                    "",
                    "One of the fields order or customer should be specified.",
                )))
            }
        },
    };
    let mut stored = Map::new();
    stored.insert("value".into(), json!(value));
    stored.insert("createdAt".into(), json!(timestamp(created_at)));
    if let Some(order) = &order {
        stored.insert("order".into(), super::order_link(order));
    }
    if let Some(owner) = &owner {
        stored.insert("customer".into(), customer_link(owner));
    }
    let entity_site = order
        .as_ref()
        .or(owner.as_ref())
        .map(|d| d.body["site"].clone());
    stored.insert("site".into(), entity_site.unwrap_or_default());
    let known = of_value(ctx, &value).await?;
    let same = |other: &Value| {
        ["order", "customer"]
            .iter()
            .all(|m| other[*m]["id"] == stored.get(*m).map_or(Value::Null, |l| l["id"].clone()))
    };
    if known.iter().any(same) {
        return Ok(Ok(()));
    }
    let mut journal = Journal::new(ctx).await?;
    let stored = Value::Object(stored);
    if let Some(owner) = &owner {
        let mut ids = customer_values(ctx, owner.body["id"].as_i64()).await?;
        if !ids.iter().any(|(v, _)| *v == value) {
            ids.push((value.clone(), timestamp(created_at)));
        }
        ids.sort_by(|a, b| a.1.cmp(&b.1));
        let mut body = owner.body.clone();
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            body["firstClientId"] = json!(first.0);
            body["lastClientId"] = json!(last.0);
        }
        super::update(&mut journal, ctx, owner, body);
    }
    let doc = super::record(
        ctx,
        CLIENT_ID,
        stored.as_object().cloned().unwrap_or_default(),
    )
    .await?;
    journal.raw(Write::Put {
        doc,
        expect: Expect::Absent,
    });
    journal.commit(taken).await?;
    Ok(Ok(()))
}

/// The account's records of this clientId value, newest first.
pub async fn of_value(ctx: &Ctx, value: &str) -> RetailResult<Vec<Value>> {
    of(ctx, Filter::eq("value", value)).await
}

/// The values a customer has, each once, with its earliest `createdAt`.
async fn customer_values(ctx: &Ctx, customer: Option<i64>) -> RetailResult<Vec<(String, String)>> {
    let Some(id) = customer else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for record in of(ctx, Filter::eq("customer.id", id))
        .await?
        .into_iter()
        .rev()
    {
        let (Some(value), Some(at)) = (record["value"].as_str(), record["createdAt"].as_str())
        else {
            continue;
        };
        match out.iter_mut().find(|(v, _)| v == value) {
            Some(known) if known.1.as_str() > at => known.1 = at.to_owned(),
            Some(_) => {}
            None => out.push((value.to_owned(), at.to_owned())),
        }
    }
    Ok(out)
}

/// The clientId records matching `filter`, newest first.
async fn of(ctx: &Ctx, filter: Filter) -> RetailResult<Vec<Value>> {
    let query = ListQuery::new(ctx.scope.clone(), CLIENT_ID)
        .filter(filter)
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    let page = ctx.core.entities.list(&query).await?;
    let mut items: Vec<Value> = page.items.into_iter().map(|d| d.body).collect();
    items.sort_by_key(|b| std::cmp::Reverse(b["id"].as_i64()));
    Ok(items)
}
