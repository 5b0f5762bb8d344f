//! Orders: create, upload, get, edit, list with the seed's filters, fix-external-ids
//! and combine; their history is `crate::history`. An order is stored like a
//! customer (`customers::keyed`: its integer id, its external id unique within its site)
//! with its items inside; the totals are computed from the items on every write
//! (`fields::totals`).

pub mod combine;
pub mod create;
pub mod edit;
pub mod fields;
pub mod list;
pub mod matching;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::customers::{self, public};
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

pub const ORDER: &str = "order";

/// The stored document of an order body, with its external id lookup, `_search`: the
/// contact's names, phones (also as bare digits) and e-mail, lowercased, which
/// `filter[customer]` searches, and `_products`: its items' product names and offers'
/// articles, lowercased, one a line, which `filter[product]` searches.
pub fn document(ctx: &Ctx, mut body: Value) -> Document {
    let products: Vec<String> = body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|item| [&item["productName"], &item["offer"]["article"]])
        .filter_map(|text| text.as_str().map(str::to_lowercase))
        .collect();
    body["_products"] = json!(products.join("\n"));
    let mut words: Vec<String> = ["firstName", "lastName", "patronymic", "email"]
        .iter()
        .filter_map(|f| body[*f].as_str().map(str::to_lowercase))
        .collect();
    for field in ["phone", "additionalPhone"] {
        if let Some(number) = body[field].as_str() {
            words.push(number.to_lowercase());
            words.push(number.chars().filter(char::is_ascii_digit).collect());
        }
    }
    body["_search"] = json!(words.join(" "));
    customers::keyed(ctx, ORDER, body)
}

/// How history records name an order: `{id, externalId?, managerId?, site, status}`.
pub fn snapshot(body: &Value) -> Value {
    customers::pick(body, &["id", "externalId", "managerId", "site", "status"])
}

/// The error of an external id already taken in the site. *Inferred* text.
pub fn taken(_: &str) -> RetailError {
    RetailError::entity(
        [(
            "externalId".to_owned(),
            "Order with the same externalId already exists.".to_owned(),
        )]
        .into(),
    )
}

/// The order a path names (`by`, `site`).
pub async fn find(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Document> {
    let by_id = request.by_id()?;
    let site = sites::resolve(ctx, request).await?;
    customers::find_in(ctx, ORDER, by_id, site.as_deref(), request.arg()).await
}

/// The order a link names (`{id}`, `{externalId}` or `{number}`: by `id`, else
/// `externalId`, else `number`, the seed's order for costs and web analytics), the last
/// two within `site` when given; `None` when none is found, 403 for a site the key does
/// not reach (named by id or external id).
pub async fn by_link(
    ctx: &Ctx,
    link: &Value,
    site: Option<&str>,
) -> RetailResult<Option<Document>> {
    let found = if let Some(id) = link["id"].as_i64() {
        customers::find_in(ctx, ORDER, true, None, &id.to_string()).await
    } else if let Some(external) = link["externalId"].as_str() {
        customers::find_in(ctx, ORDER, false, site, external).await
    } else if let Some(number) = link["number"].as_str() {
        let mut filters = vec![Filter::eq("number", number)];
        if let Some(site) = site {
            filters.push(Filter::eq("site", site));
        }
        let query = ListQuery::new(ctx.scope.clone(), ORDER)
            .filter(Filter::And(filters))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 100,
            });
        let page = ctx.core.entities.list(&query).await?;
        page.items
            .into_iter()
            .find(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default()))
            .ok_or_else(RetailError::not_found)
    } else {
        return Ok(None);
    };
    match found {
        Ok(doc) => Ok(Some(doc)),
        Err(error) if error.status == axum::http::StatusCode::NOT_FOUND => Ok(None),
        Err(error) => Err(error),
    }
}

/// The order as the API shows it: without Twin's own fields, its customer whole (as the
/// customer is now; a customer since removed stays as the order named it).
pub async fn render(ctx: &Ctx, body: &Value) -> RetailResult<Value> {
    let mut out = public(body);
    let linked = &body["customer"];
    if let (Some(kind), Some(id)) = (linked["type"].as_str(), linked["id"].as_i64()) {
        let kind = if kind == customers::CORPORATE {
            customers::CORPORATE
        } else {
            customers::CUSTOMER
        };
        if let Some(doc) = ctx
            .core
            .entities
            .find(&ctx.scope, kind, &id.to_string())
            .await?
        {
            out["customer"] = public(&doc.body);
        }
    }
    Ok(out)
}

/// `GET /api/v5/orders/{externalId}`: by external id, or by id with `by=id`; `site`.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request).await?;
    Ok(ok(success(
        json!({ "order": render(ctx, &doc.body).await? }),
    )))
}
