//! Bonuses credited for an order when it completes. When an order of an active
//! participant (its program active and not blocked; every program covers all the
//! account's sites, *Inferred*) moves into a status of the `complete` group, a
//! `credit_for_order` operation credits the level's percent of what the customer paid in
//! goods: each line after its own and the order's discounts and the bonuses charged on
//! it (`bonus_percent` levels; others credit none). The level is the one the participant
//! had before this order counted (*Inferred*); once completed the order counts in the
//! sum of completed orders the level follows. The bonuses wait the program's
//! `orderActivationDays` (Twin's default program: 14, a return period, *Inferred*) and
//! then last its lifetime. The order shows `bonusesCreditTotal`, each item its share.
//! An order leaving the `complete` group takes back what it credited
//! (`cancel_of_credit`, even while still waiting) and its credit sums return to 0
//! (*Inferred*, as `orders/loyalty/cancel-bonus-operations` does). An order created in a
//! complete status credits too (`on_create`). The caller writes the order, its history
//! records and the operation in one commit.

use chrono::Duration;
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery};

use super::ledger::{self, cents, NewOperation, OPERATION};
use super::priced::{self, Participant};
use super::program::Rules;
use crate::customers::CUSTOMER;
use crate::error::RetailResult;
use crate::request::Ctx;

/// The participation and the operations an order's change writes with it.
pub struct Accrual {
    pub account: Document,
    pub operations: Vec<NewOperation>,
}

fn complete(status: Option<&Value>) -> bool {
    let complete = crate::reference::group_statuses("complete").unwrap_or_default();
    status
        .and_then(Value::as_str)
        .is_some_and(|s| complete.contains(&s))
}

/// What the order's change from `before` to `body` credits or takes back; `body`'s credit
/// sums follow.
pub async fn on_status(
    ctx: &Ctx,
    before: &Value,
    body: &mut Map<String, Value>,
) -> RetailResult<Option<Accrual>> {
    let (was, now) = (complete(before.get("status")), complete(body.get("status")));
    if was == now {
        return Ok(None);
    }
    let done = of_order(ctx, &before["id"]).await?;
    if !now {
        let Some(operation) = credit_reversal(&done, before) else {
            return Ok(None);
        };
        let account = super::find(ctx, &done[0]["loyaltyAccount"]["id"].to_string()).await?;
        put_credits(body, &[]);
        return Ok(Some(Accrual {
            account,
            operations: vec![operation],
        }));
    }
    let customer = &body["customer"];
    let Some(id) = customer["id"]
        .as_i64()
        .filter(|_| customer["type"] == CUSTOMER)
    else {
        return Ok(None);
    };
    let Some(participant) = priced::participant(ctx, id).await? else {
        return Ok(None);
    };
    let program = &participant.program;
    if program["active"] != true || program["blocked"] == true || credited(&done) > 0 {
        return Ok(None);
    }
    let credits = credits(&participant, body);
    let total: i64 = credits.iter().sum();
    if total == 0 {
        return Ok(None);
    }
    put_credits(body, &credits);
    let rules = Rules::of(program);
    let activation = ledger::today(ctx) + Duration::days(rules.order_activation_days);
    let expiry = activation + Duration::days(rules.lifetime_days);
    let mut extra = order_link(before);
    extra.insert(
        "bonus".into(),
        json!({
            "activationDate": activation.format("%Y-%m-%d").to_string(),
            "expireDate": expiry.format("%Y-%m-%d").to_string(),
        }),
    );
    Ok(Some(Accrual {
        account: participant.account,
        operations: vec![NewOperation {
            kind: "credit_for_order",
            amount: total,
            extra,
        }],
    }))
}

/// A new order created in a status of the `complete` group credits as if it moved there
/// (*Inferred*); `order` is rebuilt with its credit sums.
pub async fn on_create(ctx: &Ctx, order: &mut Document) -> RetailResult<Option<Accrual>> {
    let mut body = order.body.as_object().cloned().unwrap_or_default();
    let mut before = order.body.clone();
    before["status"] = Value::Null;
    let accrual = on_status(ctx, &before, &mut body).await?;
    if accrual.is_some() {
        *order = crate::orders::document(ctx, Value::Object(body));
    }
    Ok(accrual)
}

/// Each item's credit: the level's percent of its line less the bonuses charged on it.
fn credits(participant: &Participant, body: &Map<String, Value>) -> Vec<i64> {
    let items = body
        .get("items")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let charges: Vec<i64> = items
        .iter()
        .map(|item| cents(item["bonusesChargeTotal"].as_f64().unwrap_or_default()))
        .collect();
    priced::credits(&participant.level, &priced::lines(items), &charges)
}

/// Sets the items' and the order's `bonusesCreditTotal` (0 where `credits` has none).
fn put_credits(body: &mut Map<String, Value>, credits: &[i64]) {
    if let Some(Value::Array(items)) = body.get_mut("items") {
        for (n, item) in items.iter_mut().enumerate() {
            item["bonusesCreditTotal"] = ledger::amount_of(credits.get(n).copied().unwrap_or(0));
        }
    }
    body.insert(
        "bonusesCreditTotal".into(),
        ledger::amount_of(credits.iter().sum()),
    );
}

/// The bonus operations written for the order `id`, in the order they were written.
pub async fn of_order(ctx: &Ctx, id: &Value) -> RetailResult<Vec<Value>> {
    let query =
        ListQuery::new(ctx.scope.clone(), OPERATION).filter(Filter::eq("order.id", id.clone()));
    let found = ctx.core.entities.list(&query).await?.items;
    Ok(found.into_iter().map(|doc| doc.body).collect())
}

/// The sum of the operations of `kinds` among `done`.
pub fn net(done: &[Value], kinds: [&str; 2]) -> i64 {
    done.iter()
        .filter(|op| kinds.contains(&op["type"].as_str().unwrap_or_default()))
        .map(|op| cents(op["amount"].as_f64().unwrap_or_default()))
        .sum()
}

/// What the order's operations credited and did not take back.
fn credited(done: &[Value]) -> i64 {
    net(done, ["credit_for_order", "cancel_of_credit"])
}

/// The `cancel_of_credit` taking back what the order's operations `done` credited, when
/// any is left: from those credits first, even while they wait.
pub fn credit_reversal(done: &[Value], order: &Value) -> Option<NewOperation> {
    let credited = credited(done);
    if credited <= 0 {
        return None;
    }
    let lots: Vec<Value> = done
        .iter()
        .filter(|op| op["type"] == "credit_for_order")
        .map(|op| op["id"].clone())
        .collect();
    let mut extra = order_link(order);
    extra.insert("_lots".into(), Value::Array(lots));
    Some(NewOperation {
        kind: "cancel_of_credit",
        amount: -credited,
        extra,
    })
}

/// `order {id, externalId}` of an operation.
pub fn order_link(order: &Value) -> Map<String, Value> {
    let mut link = Map::new();
    link.insert("id".into(), order["id"].clone());
    if order["externalId"].is_string() {
        link.insert("externalId".into(), order["externalId"].clone());
    }
    Map::from_iter([("order".to_owned(), Value::Object(link))])
}
