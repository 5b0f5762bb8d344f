//! `orders/payments/create`, `orders/payments/{id}/edit` and `orders/payments/{id}/delete`:
//! a payment added to, changed in or removed from its order, with the order's history.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest};

use super::read::{apply, external_taken, next_ids};
use super::{find, save, Rules};
use crate::customers::{self, fields::Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::create::found_or_problem;
use crate::orders::ORDER;
use crate::render::{created, ok};
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

/// The order a payment document names in `order`: `{id}`, `{externalId}` or `{number}`
/// (the seed's choice of one), within `site` when the request names one. None named is a
/// problem `order` "This value should not be blank."; none found, `order` "Order not
/// found" (*Inferred* text).
async fn order_of(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    site: Option<&str>,
    problems: &mut Problems,
) -> RetailResult<Option<Document>> {
    let given = doc.get("order").cloned().unwrap_or(Value::Null);
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let found = if let Some(id) = text(&given["id"]) {
        customers::find_in(ctx, ORDER, true, site, &id).await
    } else if let Some(external) = text(&given["externalId"]) {
        customers::find_in(ctx, ORDER, false, site, &external).await
    } else if let Some(number) = text(&given["number"]) {
        let mut query = ListQuery::new(ctx.scope.clone(), ORDER)
            .filter(Filter::eq("number", number.as_str()))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 100,
            });
        if let Some(site) = site {
            query = query.filter(Filter::eq("site", site));
        }
        let page = ctx.core.entities.list(&query).await?;
        Ok(page
            .items
            .into_iter()
            .find(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()))
            .ok_or_else(RetailError::not_found)?)
    } else {
        problems.insert("order".into(), texts::BLANK.into());
        return Ok(None);
    };
    found_or_problem(found, problems, "order", "Order not found")
}

/// `POST /api/v5/orders/payments/create`: `payment=<json>` `{order {id | externalId |
/// number}, type, status?, amount?, paidAt?, comment?, externalId?}` and `site`; 201
/// `{"id": N}`, the new payment's id. The payment joins the order's `payments`; the order's
/// `prepaySum` and `fullPaidAt` follow; one history record `payments`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = customers::entity(request, "payment")?;
    let site = sites::resolve(ctx, request).await?;
    let rules = Rules::load(ctx).await?;
    let mut problems = Problems::new();
    let order = order_of(ctx, &doc, site.as_deref(), &mut problems).await?;
    let mut payment = Map::new();
    apply(&doc, &mut payment, &rules, "", ctx, &mut problems);
    let Some(order) = order.filter(|_| problems.is_empty()) else {
        return Err(RetailError::entity(problems));
    };
    let order_site = order.body["site"].as_str().unwrap_or_default();
    if let Some(external) = payment.get("externalId").and_then(Value::as_str) {
        if external_taken(ctx, order_site, external, None).await? {
            return Err(super::taken(external));
        }
    }
    let id = next_ids(ctx, 1).await?;
    payment.insert("id".into(), json!(id));
    let mut body = order.body.as_object().cloned().unwrap_or_default();
    let payments = body.entry("payments").or_insert_with(|| json!({}));
    payments[id.to_string()] = Value::Object(payment);
    save(ctx, &order, body, &rules, Vec::new()).await?;
    Ok(created(success(json!({ "id": id }))))
}

/// `POST /api/v5/orders/payments/{id}/edit`: `payment=<json>` with the fields to change,
/// `by` (`externalId`, the default, as the Python client calls it, or `id`), `site`;
/// `{"id": N}`. With `by=externalId` the document's `externalId` is ignored (the path names
/// the payment). A payment's order does not change. Each changed field is one history
/// record `payments.<field>`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut doc = customers::entity(request, "payment")?;
    let by_id = request.by_id()?;
    let site = sites::resolve(ctx, request).await?;
    let (order, id) = find(ctx, by_id, site.as_deref(), request.arg()).await?;
    for fixed in ["id", "order"] {
        doc.remove(fixed);
    }
    if !by_id {
        doc.remove("externalId");
    }
    let rules = Rules::load(ctx).await?;
    let mut body = order.body.as_object().cloned().unwrap_or_default();
    let mut payment = body["payments"][&id]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut problems = Problems::new();
    apply(&doc, &mut payment, &rules, "", ctx, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let order_site = order.body["site"].as_str().unwrap_or_default();
    if let Some(external) = payment.get("externalId").and_then(Value::as_str) {
        if external_taken(ctx, order_site, external, payment.get("id")).await? {
            return Err(super::taken(external));
        }
    }
    let payment_id = payment["id"].clone();
    body["payments"][&id] = Value::Object(payment);
    save(ctx, &order, body, &rules, Vec::new()).await?;
    Ok(ok(success(json!({ "id": payment_id }))))
}

/// `POST /api/v5/orders/payments/{id}/delete`: by the payment's id (the Python client
/// sends no `by`); `{"success": true}`. A paid payment may be deleted too (*Inferred*:
/// the seed forbids nothing); the order's `prepaySum` follows. One history record
/// `payments` with `newValue: null`.
pub async fn delete(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (order, id) = find(ctx, true, None, request.arg()).await?;
    let rules = Rules::load(ctx).await?;
    let mut body = order.body.as_object().cloned().unwrap_or_default();
    if let Some(payments) = body.get_mut("payments").and_then(Value::as_object_mut) {
        payments.remove(&id);
    }
    save(ctx, &order, body, &rules, Vec::new()).await?;
    Ok(ok(success(json!({}))))
}
