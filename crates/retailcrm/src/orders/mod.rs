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
use twin_store::Document;

use crate::customers::{self, public};
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

pub const ORDER: &str = "order";

/// The stored document of an order body, with its external id lookup, `_search`: the
/// contact's names, phones (also as bare digits) and e-mail, lowercased, which
/// `filter[customer]` searches, and `_products`: its items' product names and offers'
/// articles, lowercased, one a line, which `filter[product]` searches; and its payments'
/// statuses, types and `paidAt`s (`_paymentStatuses`, `_paymentTypes`, `_paidAt`, the
/// last only when one is paid) for the payment filters (`list::payments`).
pub fn document(ctx: &Ctx, mut body: Value) -> Document {
    let payments = crate::payments::list(&body);
    let members = |member: &str| -> Vec<Value> {
        payments
            .iter()
            .filter(|p| p[member].is_string())
            .map(|p| p[member].clone())
            .collect()
    };
    let (statuses, types, paid) = (members("status"), members("type"), members("paidAt"));
    body["_paymentStatuses"] = Value::Array(statuses);
    body["_paymentTypes"] = Value::Array(types);
    match body.as_object_mut() {
        Some(map) if paid.is_empty() => {
            map.remove("_paidAt");
        }
        Some(map) => {
            map.insert("_paidAt".into(), Value::Array(paid));
        }
        None => {}
    }
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
