//! Changes to one order (`edit`) and writing back the shop's ids (`fix-external-ids`).

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::create::{
    allowed, check_item_statuses, contact_from, customer_link, item_ids, linked, new_items,
};
use super::{document, fields, find, snapshot, taken, ORDER};
use crate::customers::{self, fields::Problems, fix};
use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::loyalty;
use crate::payments;
use crate::render::ok;
use crate::request::{success, timestamp, Ctx, RetailRequest};

/// `POST /api/v5/orders/{externalId}/edit`: `order=<json>` with the fields to change
/// (`null` clears one), `by`, `site`; `{"id": N, "order"}`. `items` replaces the list:
/// items with the `id` of one of the order's change it, items without are new, the
/// order's items left out are removed. A new `status` sets `statusUpdatedAt`; the totals
/// follow the items. Each changed field is one history record. A move into or out of the
/// `complete` group credits or takes back the participant's bonuses for the order
/// (`crate::loyalty::accrual`), in the same commit.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut changes = customers::entity(request, "order")?;
    let before = find(ctx, request).await?;
    let by_id = request.by_id()?;
    for fixed in [
        "id",
        "site",
        "summ",
        "totalSumm",
        "prepaySum",
        "purchaseSumm",
    ] {
        changes.remove(fixed);
    }
    if !by_id {
        changes.remove("externalId");
    }
    let allowed = allowed(ctx).await?;
    let mut body: Map<String, Value> = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    fields::apply(&changes, &mut body, &allowed, &mut problems);
    keep_status_comment(&before.body, &mut body);
    if let Some(value) = changes.get("items").filter(|v| !v.is_null()) {
        let stored = before.body["items"].as_array().cloned().unwrap_or_default();
        let mut first = item_ids(ctx, new_items(&changes)).await?;
        let mut next = || {
            first += 1;
            first - 1
        };
        let now = timestamp(ctx.now);
        let items = fields::items(value, &stored, &now, &mut next, &mut problems);
        check_item_statuses(&items, &allowed, &mut problems);
        body.insert("items".into(), Value::Array(items));
    }
    let rules = payments::read::order_payments(ctx, &changes, &mut body, &mut problems).await?;
    let site = before.body["site"].as_str().unwrap_or_default().to_owned();
    if let Some(customer) = linked(ctx, &changes, &site, &mut problems).await? {
        contact_from(&mut body, &customer.body);
        body.insert("customer".into(), customer_link(&customer.body));
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    if body.get("externalId").is_some_and(Value::is_null) {
        body.remove("externalId");
    }
    if body.get("status") != before.body.get("status") {
        body.insert("statusUpdatedAt".into(), json!(timestamp(ctx.now)));
    }
    fields::totals(&mut body);
    payments::settle_with(&mut body, rules.as_ref());
    let accrual = loyalty::accrual::on_status(ctx, &before.body, &mut body).await?;
    let mut doc = document(ctx, Value::Object(body));
    doc.version = before.version;
    let changed = fields::changes(&before.body, &doc.body);
    let order = super::render(ctx, &doc.body).await?;
    let mut journal = Journal::new(ctx).await?;
    payments::sync(&mut journal, ctx, Some(&before.body), &doc.body);
    let entity = snapshot(&doc.body);
    journal.update_fields(&before, doc, "order", entity, changed);
    if let Some(accrual) = accrual {
        loyalty::ledger::record(ctx, &mut journal, &accrual.account, accrual.operations).await?;
    }
    journal.commit(taken).await?;
    Ok(ok(success(
        json!({ "id": before.body["id"], "order": order }),
    )))
}

/// The seed: "the comment `order[statusComment]` cannot be changed without changing the
/// order status `order[status]`". An edit that leaves the status as it was keeps the
/// stored comment, ignoring the one it gives (*Inferred*: ignored rather than an error,
/// so a client sending its whole order back still succeeds); with a new status, the
/// comment's history record `status_comment` follows the `status` record.
fn keep_status_comment(before: &Value, body: &mut Map<String, Value>) {
    if body.get("status") != before.get("status") {
        return;
    }
    match before.get("statusComment") {
        Some(comment) => body.insert("statusComment".into(), comment.clone()),
        None => body.remove("statusComment"),
    };
}

/// `POST /api/v5/orders/fix-external-ids`: `orders=[{id, externalId}]`, all or none
/// (the customers' rules; `errors["orders[i][id]"] = "Order not found"`, *Inferred*).
pub async fn fix_external_ids(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let spec = fix::Fixed {
        kind: ORDER,
        param: "orders",
        entity: "order",
        not_found: "Order not found",
        document,
        snapshot,
        taken,
    };
    fix::fix_entities(ctx, request, &spec).await
}
