//! `POST /api/v5/web-analytics/sources/upload`.

use serde_json::{json, Value};
use twin_store::{Document, Expect, Write};

use super::client_ids::of_value;
use super::{customer_link, customer_of, fail, order, owner, site, Failure};
use super::{order_link, source_of, SOURCE};
use crate::customers::{taken, CORPORATE, CUSTOMER};
use crate::error::RetailResult;
use crate::journal::Journal;
use crate::request::{timestamp, Ctx};

/// One record of `POST /api/v5/web-analytics/sources/upload` (seed: web analytics): `sources=<json
/// list>` of at most 100 `{source?, medium?, campaign?, keyword?, content?, order? |
/// customer? | clientId?, site?}`, at least one of the five tags. The first of `order`,
/// `customer`, `clientId` given decides: an order takes the source as its `source` and
/// gives it to its customer when the customer has none; a customer (named, or the one
/// the `clientId` was uploaded for, the latest such) takes it as its `source`. History
/// records per tag (`source.medium`). Records that fail are left out: see
/// `super::answer`. *Inferred* texts.
pub async fn one(ctx: &Ctx, record: &Value) -> RetailResult<Result<(), Failure>> {
    let source = match source_of(record) {
        Ok(source) if source.is_empty() => {
            return Ok(Err(fail(
                "",
                "At least one of the fields source, medium, campaign, keyword, content should be specified.",
            )))
        }
        Ok(source) => source,
        Err(failure) => return Ok(Err(failure)),
    };
    let site = match site(ctx, record).await? {
        Ok(site) => site,
        Err(failure) => return Ok(Err(failure)),
    };
    let client_id = match super::short(record, "clientId") {
        Ok(value) => value,
        Err(failure) => return Ok(Err(failure)),
    };
    let mut journal = Journal::new(ctx).await?;
    let mut stored = source.clone();
    let source = Value::Object(source);
    match order(ctx, record, site.as_deref()).await? {
        Err(failure) => return Ok(Err(failure)),
        Ok(Some(order)) => {
            let owner = customer_of(ctx, &order).await?;
            stored.insert("order".into(), order_link(&order));
            let mut body = order.body.clone();
            body["source"] = source.clone();
            super::update(&mut journal, ctx, &order, body);
            if let Some(owner) = owner.filter(|o| o.body["source"].is_null()) {
                stored.insert("customer".into(), customer_link(&owner));
                set_source(&mut journal, ctx, &owner, &source);
            }
        }
        Ok(None) => {
            let missing = "One of the fields order, customer or clientId should be specified.";
            let site = site.as_deref();
            let owner = match owner(ctx, record, site, client_id.as_deref(), missing).await? {
                Ok(owner) => owner,
                Err(failure) => return Ok(Err(failure)),
            };
            stored.insert("customer".into(), customer_link(&owner));
            set_source(&mut journal, ctx, &owner, &source);
        }
    }
    if let Some(value) = client_id {
        stored.insert("clientId".into(), json!(value));
    }
    stored.insert("createdAt".into(), json!(timestamp(ctx.now)));
    let doc = super::record(ctx, SOURCE, stored).await?;
    journal.raw(Write::Put {
        doc,
        expect: Expect::Absent,
    });
    journal.commit(taken).await?;
    Ok(Ok(()))
}

fn set_source(journal: &mut Journal<'_>, ctx: &Ctx, owner: &Document, source: &Value) {
    let mut body = owner.body.clone();
    body["source"] = source.clone();
    super::update(journal, ctx, owner, body);
}

/// The customer the latest upload of this clientId value named, if the key reaches it.
pub async fn owner_of(ctx: &Ctx, value: &str) -> RetailResult<Option<Document>> {
    for record in of_value(ctx, value).await? {
        let link = &record["customer"];
        let Some(id) = link["id"].as_i64() else {
            continue;
        };
        let kind = if link["type"] == "customer_corporate" {
            CORPORATE
        } else {
            CUSTOMER
        };
        let found = ctx
            .core
            .entities
            .find(&ctx.scope, kind, &id.to_string())
            .await?;
        if let Some(doc) =
            found.filter(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default()))
        {
            return Ok(Some(doc));
        }
    }
    Ok(None)
}
