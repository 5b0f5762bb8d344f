//! The customer's list of favorite offers in a site: at most 1000, each offer once.
//! Adding one already there and removing one not there both succeed, as the seed says.

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::Document;

use super::{offer, owner_key, same_offer, site_and_customer, zoned};
use crate::customers::entity;
use crate::customers::fields::Problems;
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

const FAVORITES: &str = "favorites";
/// The seed's limit of a list.
const MAX: usize = 1000;

/// The list's document and its offers (`[{offer, createdAt}]`), empty when none is kept.
async fn load(ctx: &Ctx, owner: &str) -> RetailResult<(Option<Document>, Vec<Value>)> {
    let doc = ctx.core.entities.find(&ctx.scope, FAVORITES, owner).await?;
    let items = doc
        .as_ref()
        .and_then(|d| d.body["favorites"].as_array().cloned())
        .unwrap_or_default();
    Ok((doc, items))
}

/// `GET /api/v5/customer-interaction/{site}/favorites/{customerId}`:
/// `{"favorites": [{"offer": {...}, "createdAt"}]}` in the order they were added
/// (*Inferred* shape: the seed gives no response table).
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (site, customer) = site_and_customer(ctx, request).await?;
    let (_, items) = load(ctx, &owner_key(&site, &customer)).await?;
    Ok(ok(success(json!({ "favorites": items }))))
}

/// The offer of `favorite=<json>` (`{"offer": {id|externalId|xmlId}}`).
fn favorite_offer(request: &RetailRequest<'_>) -> RetailResult<Value> {
    let favorite = entity(request, "favorite")?;
    let mut problems = Problems::new();
    let given = favorite.get("offer").cloned().unwrap_or(Value::Null);
    offer(&given, "offer", &mut problems).ok_or_else(|| RetailError::entity(problems))
}

/// `POST /api/v5/customer-interaction/{site}/favorites/{customerId}/add`: `favorite=<json>`;
/// an offer already in the list succeeds without change; the 1001st is a 400.
pub async fn add(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let offer = favorite_offer(request)?;
    let (site, customer) = site_and_customer(ctx, request).await?;
    let owner = owner_key(&site, &customer);
    let (doc, mut items) = load(ctx, &owner).await?;
    if items.iter().any(|item| same_offer(&item["offer"], &offer)) {
        return Ok(ok(success(json!({}))));
    }
    if items.len() >= MAX {
        return Err(RetailError::bad_request(format!(
            "The list of favorites already holds the maximum of {MAX} offers"
        )));
    }
    items.push(json!({ "offer": offer, "createdAt": zoned(ctx.now) }));
    save(ctx, &owner, doc.as_ref(), items).await?;
    Ok(ok(success(json!({}))))
}

/// `POST /api/v5/customer-interaction/{site}/favorites/{customerId}/remove`:
/// `favorite=<json>`; an offer not in the list succeeds without change.
pub async fn remove(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let offer = favorite_offer(request)?;
    let (site, customer) = site_and_customer(ctx, request).await?;
    let owner = owner_key(&site, &customer);
    let (doc, mut items) = load(ctx, &owner).await?;
    let count = items.len();
    items.retain(|item| !same_offer(&item["offer"], &offer));
    if items.len() != count {
        save(ctx, &owner, doc.as_ref(), items).await?;
    }
    Ok(ok(success(json!({}))))
}

async fn save(
    ctx: &Ctx,
    owner: &str,
    before: Option<&Document>,
    items: Vec<Value>,
) -> RetailResult<()> {
    let body = json!({ "favorites": items });
    crate::journal::put(
        ctx,
        Document::new(ctx.scope.key(FAVORITES, owner), body),
        before,
    )
    .await
}
