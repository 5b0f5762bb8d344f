//! Customer interaction per site: the customer's current cart and list of favorites, as a
//! shop's site reports them. The path names the site (its code, or its id with
//! `siteBy=id`) and, for reads and favorites, the customer (`by=externalId|id`). Offers
//! are named by `id`, `externalId` or `xmlId`; the catalog is not built (issue 9), so
//! Twin keeps the references as given.

pub mod cart;
pub mod favorites;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use twin_store::Document;

use crate::customers;
use crate::customers::fields::Problems;
use crate::error::{texts, RetailResult};
use crate::request::{parse_time, Ctx, RetailRequest};
use crate::sites;

/// `Y-m-d H:i:sP`: the format of the cart's dates, in the account's zone.
pub fn zoned(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&crate::request::zone());
    local.format("%Y-%m-%d %H:%M:%S%:z").to_string()
}

/// A date of a cart: `Y-m-d H:i:sP`, or `Y-m-d H:i:s` in the account's zone.
pub fn parse_zoned(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z")
        .map(|at| at.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_time(text).filter(|_| text.len() == 19))
}

/// The site of the path and the customer of the path (`{site}/.../{customerId}`): 404
/// when the customer is not in that site.
pub async fn site_and_customer(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
) -> RetailResult<(String, Document)> {
    let site = sites::in_path(ctx, request, request.arg()).await?;
    let reference = request.args.get(1).copied().unwrap_or_default();
    let customer = customers::find_in(
        ctx,
        customers::CUSTOMER,
        request.by_id()?,
        Some(&site),
        reference,
    )
    .await?;
    Ok((site, customer))
}

/// The key of a customer's cart or favorites in a site.
pub fn owner_key(site: &str, customer: &Document) -> String {
    format!("{site}\u{1f}{}", customer.key.id)
}

/// An offer reference `{id?, externalId?, xmlId?}` (at least one), kept as given; a
/// problem under `path` otherwise.
pub fn offer(value: &Value, path: &str, problems: &mut Problems) -> Option<Value> {
    let Some(given) = value.as_object() else {
        problems.insert(path.to_owned(), texts::BLANK.to_owned());
        return None;
    };
    let mut read = Map::new();
    if let Some(id) = given.get("id").filter(|v| !v.is_null()) {
        match id
            .as_i64()
            .or_else(|| id.as_str().and_then(|s| s.parse().ok()))
        {
            Some(id) if id > 0 => {
                read.insert("id".into(), Value::from(id));
            }
            _ => {
                problems.insert(format!("{path}[id]"), texts::INTEGER.to_owned());
                return None;
            }
        }
    }
    for field in ["externalId", "xmlId"] {
        match given.get(field) {
            Some(Value::String(text)) if !text.is_empty() => {
                read.insert(field.into(), Value::String(text.clone()));
            }
            Some(Value::Number(n)) => {
                read.insert(field.into(), Value::String(n.to_string()));
            }
            _ => {}
        }
    }
    if read.is_empty() {
        problems.insert(path.to_owned(), texts::BLANK.to_owned());
        return None;
    }
    Some(Value::Object(read))
}

/// Whether two offer references name the same offer: an equal `id`, `externalId` or
/// `xmlId`. *Inferred*: without a catalog Twin cannot tell that an id and an external id
/// name one offer.
pub fn same_offer(a: &Value, b: &Value) -> bool {
    ["id", "externalId", "xmlId"]
        .iter()
        .any(|field| !a[*field].is_null() && a[*field] == b[*field])
}
