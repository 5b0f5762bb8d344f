//! The existing customer an order that names none belongs to, and the customer a
//! `customer {browserId}` names.

use serde_json::{Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest, TextMode};

use crate::customers::CUSTOMER;
use crate::error::RetailResult;
use crate::request::Ctx;
use crate::telephony::{customer_by_phone, digits};

/// The first (in id order) of up to 1000 customers `filter` finds that `keep` keeps.
async fn first(
    ctx: &Ctx,
    filter: Filter,
    keep: impl Fn(&Value) -> bool,
) -> RetailResult<Option<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), CUSTOMER)
        .filter(filter)
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page.items.into_iter().find(|doc| keep(&doc.body)))
}

/// The customer of the order's `site` it belongs to when it names none: the first with
/// the order's `phone` (the telephony rule: the same digits, or the same last ten), else
/// the first with its `email` (case-insensitive). *Inferred*: the seed only says the
/// customer "will be created automatically based on the order data"; the vendor's
/// de-duplication looks for the same contact first, and so does Twin, within the site.
pub async fn existing(
    ctx: &Ctx,
    site: &str,
    order: &Map<String, Value>,
) -> RetailResult<Option<Value>> {
    let phone = order
        .get("phone")
        .and_then(Value::as_str)
        .map(digits)
        .unwrap_or_default();
    if !phone.is_empty() {
        if let Some(found) = customer_by_phone(ctx, &phone, Some(site)).await? {
            return Ok(Some(found));
        }
    }
    let Some(email) = order.get("email").and_then(Value::as_str) else {
        return Ok(None);
    };
    let wanted = email.to_lowercase();
    let filter = Filter::And(vec![
        Filter::eq("site", site),
        Filter::text("email", TextMode::Contains, &wanted, true),
    ]);
    first(ctx, filter, |body| {
        body["email"]
            .as_str()
            .is_some_and(|e| e.to_lowercase() == wanted)
    })
    .await
    .map(|found| found.map(|doc| doc.body))
}

/// The customer whose `browserId` (the Daemon Collector's id) this is, in a site the key
/// reaches (the seed: "the search of the customer will be realized under the stores, to
/// which the used API-key has an access").
pub async fn by_browser_id(ctx: &Ctx, browser_id: &str) -> RetailResult<Option<Document>> {
    first(ctx, Filter::eq("browserId", browser_id), |body| {
        ctx.may_reach(body["site"].as_str().unwrap_or_default())
    })
    .await
}
