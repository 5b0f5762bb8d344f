//! Bonuses on a stored order: `orders/loyalty/apply` charges them, spread over the
//! items (`bonusesChargeTotal`, a discount `orders::fields::totals` honours), and
//! `orders/loyalty/cancel-bonus-operations` gives them back. The order, its history
//! records and the participation's operation commit together.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery};

use super::accrual::{self, order_link};
use super::calculate::bonuses_param;
use super::ledger::{self, NewOperation};
use super::priced::{self, Participant};
use crate::customers::{self, CUSTOMER};
use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::orders::{self, fields, snapshot, ORDER};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

/// The order `order=<json>` names: `id`, `externalId` or `number`, in `site` when given.
async fn order(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Document> {
    let doc = customers::entity(request, "order")?;
    let site = sites::resolve(ctx, request).await?;
    let text = |name: &str| match &doc.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if let Some(id) = text("id") {
        return customers::find_in(ctx, ORDER, true, site.as_deref(), &id).await;
    }
    if let Some(external) = text("externalId") {
        return customers::find_in(ctx, ORDER, false, site.as_deref(), &external).await;
    }
    let Some(number) = text("number") else {
        return Err(RetailError::entity(
            [(
                "order".to_owned(),
                "Order id, externalId or number is required".to_owned(),
            )]
            .into(),
        ));
    };
    let mut filters = vec![Filter::eq("number", number)];
    if let Some(site) = &site {
        filters.push(Filter::eq("site", site.as_str()));
    }
    let query = ListQuery::new(ctx.scope.clone(), ORDER).filter(Filter::And(filters));
    let found = ctx.core.entities.list(&query).await?.items;
    found
        .into_iter()
        .find(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default()))
        .ok_or_else(RetailError::not_found)
}

/// The order's customer (an individual), as it is now.
async fn customer_of(ctx: &Ctx, order: &Document) -> RetailResult<Value> {
    let link = &order.body["customer"];
    let found = match (link["type"].as_str(), link["id"].as_i64()) {
        (Some(CUSTOMER), Some(id)) => {
            ctx.core
                .entities
                .find(&ctx.scope, CUSTOMER, &id.to_string())
                .await?
        }
        _ => None,
    };
    found.map(|doc| doc.body).ok_or_else(|| {
        RetailError::bad_request("The order has no customer taking part in the loyalty program")
    })
}

/// Writes the order's new body (its totals recomputed) with its history records and the
/// participation's operations, in one commit; the body as stored.
async fn write(
    ctx: &Ctx,
    before: &Document,
    body: Map<String, Value>,
    account: &Document,
    operations: Vec<NewOperation>,
) -> RetailResult<Map<String, Value>> {
    let mut body = body;
    fields::totals(&mut body);
    let mut doc = orders::document(ctx, Value::Object(body.clone()));
    doc.version = before.version;
    let changed = fields::changes(&before.body, &doc.body);
    let mut journal = Journal::new(ctx).await?;
    let entity = snapshot(&doc.body);
    journal.update_fields(before, doc, "order", entity, changed);
    ledger::record(ctx, &mut journal, account, operations).await?;
    journal.commit(orders::taken).await?;
    Ok(body)
}

/// `POST /api/v5/orders/loyalty/apply`: `site`, `order=<json>` (`id`, `externalId` or
/// `number`), `bonuses`; `{order}` (`SerializedLoyaltyOrder`). The customer's active
/// participation pays `bonuses` of the order (at most its active bonuses and the
/// program's share of the goods): they are spread over the items in proportion to their
/// lines, the totals follow, an operation `charge_for_order` takes them from the
/// participation, and the order's history records `bonuses_charge_total` and each item's
/// `order_product.bonuses_charge_total` / `bonuses_credit_total`. No SMS (the default
/// program asks for none). An order already charged is a 400: cancel first (*Inferred*).
pub async fn apply(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let bonuses = bonuses_param(request)?;
    if bonuses == 0 {
        return Err(RetailError::parameter(
            "bonuses",
            "This value should be greater than 0.",
        ));
    }
    let before = order(ctx, request).await?;
    let customer = customer_of(ctx, &before).await?;
    let participant = participant(ctx, &customer).await?;
    if before.body["bonusesChargeTotal"]
        .as_f64()
        .unwrap_or_default()
        > 0.0
    {
        return Err(RetailError::bad_request(
            "Bonuses have already been charged on the order; cancel its bonus operations first",
        ));
    }
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    fields::totals(&mut body);
    let lines = priced::lines(body["items"].as_array().map(Vec::as_slice).unwrap_or(&[]));
    let quote = priced::quote(&participant, &lines, bonuses)?;
    priced::put_bonuses(&mut body, &quote.charges, &quote.credits);
    body.insert("privilegeType".into(), json!("loyalty_level"));
    let operation = NewOperation {
        kind: "charge_for_order",
        amount: -bonuses,
        extra: order_link(&before.body),
    };
    let body = write(ctx, &before, body, &participant.account, vec![operation]).await?;
    let after = priced::participant(ctx, customer["id"].as_i64().unwrap_or_default()).await?;
    Ok(ok(success(json!({
        "order": priced::render(&body, after.as_ref(), &customer),
    }))))
}

/// The active participant an order's customer is; a 400 otherwise.
async fn participant(ctx: &Ctx, customer: &Value) -> RetailResult<Participant> {
    let id = customer["id"].as_i64().unwrap_or_default();
    match priced::participant(ctx, id).await? {
        Some(p) => Ok(p),
        None if super::of_customer(ctx, id).await?.is_some() => Err(super::bonus::inactive()),
        None => Err(RetailError::bad_request(
            "The customer of the order is not a participant of the loyalty program",
        )),
    }
}

/// `POST /api/v5/orders/loyalty/cancel-bonus-operations`: `site`, `order=<json>` (`id`,
/// `externalId` or `number`); `{order}`. The bonuses charged on the order come back
/// (`cancel_of_charge`, active at once, expiring after the program's lifetime,
/// *Inferred*) and those credited for it are taken (`cancel_of_credit`); the items'
/// bonus sums return to 0 and the totals follow, with their history records. An order
/// without bonus operations is a 400 (*Inferred*).
pub async fn cancel(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let before = order(ctx, request).await?;
    let done = accrual::of_order(ctx, &before.body["id"]).await?;
    let charged = -accrual::net(&done, ["charge_for_order", "cancel_of_charge"]);
    let reversal = accrual::credit_reversal(&done, &before.body);
    let Some(account_id) = done
        .first()
        .map(|op| op["loyaltyAccount"]["id"].to_string())
    else {
        return Err(nothing());
    };
    if charged <= 0 && reversal.is_none() {
        return Err(nothing());
    }
    let account = super::find(ctx, &account_id).await?;
    let loyalty =
        super::program::find(ctx, account.body["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
    let (activation, expiry) =
        ledger::default_dates(ledger::today(ctx), &super::program::Rules::of(&loyalty));
    let mut operations = Vec::new();
    if charged > 0 {
        let mut extra = order_link(&before.body);
        extra.insert(
            "bonus".into(),
            json!({
                "activationDate": activation.format("%Y-%m-%d").to_string(),
                "expireDate": expiry.format("%Y-%m-%d").to_string(),
            }),
        );
        operations.push(NewOperation {
            kind: "cancel_of_charge",
            amount: charged,
            extra,
        });
    }
    operations.extend(reversal);
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    priced::put_bonuses(&mut body, &[], &[]);
    let body = write(ctx, &before, body, &account, operations).await?;
    let customer = customer_of(ctx, &before).await.unwrap_or(Value::Null);
    let after = priced::participant(
        ctx,
        account.body["customer"]["id"].as_i64().unwrap_or_default(),
    )
    .await?;
    Ok(ok(success(json!({
        "order": priced::render(&body, after.as_ref(), &customer),
    }))))
}

/// The order has no bonus operations to cancel (*Inferred* text).
fn nothing() -> RetailError {
    RetailError::bad_request("The order has no bonus operations to cancel")
}
