//! The loyalty module: programs (`program`), participations of customers (`accounts`),
//! their bonus accounts (`ledger`, `bonus`), the maximum discount of an order
//! (`calculate`) and bonuses charged on orders (`apply`). A participation is stored under
//! its integer id, unique per customer and program (the lookup `loyaltyCustomer`); its
//! balance is never stored, only computed from its operations (`ledger`).

pub mod accounts;
pub mod accrual;
pub mod apply;
pub mod bonus;
pub mod calculate;
pub mod ledger;
pub mod priced;
pub mod program;

use serde_json::{json, Map, Value};
use twin_store::{Document, Filter};

use crate::customers::{self, CUSTOMER};
use crate::error::{RetailError, RetailResult};
use crate::request::Ctx;

pub const ACCOUNT: &str = "loyalty_account";

/// The participation with this id (the path's `{id}`): 404 when there is none, 403 when
/// its customer's site is out of the key's reach.
pub async fn find(ctx: &Ctx, id: &str) -> RetailResult<Document> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(RetailError::not_found());
    };
    let doc = ctx
        .core
        .entities
        .find(&ctx.scope, ACCOUNT, &id.to_string())
        .await?
        .ok_or_else(RetailError::not_found)?;
    let site = doc.body["site"].as_str().unwrap_or_default();
    if !ctx.may_reach(site) {
        return Err(RetailError::site_denied(site));
    }
    Ok(doc)
}

/// The customer a document names (`customer {id}` or `{externalId}` in `site`), as an
/// order names it: a 400 with the problem `customer` when it names none or one not found.
pub async fn named_customer(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    site: &str,
) -> RetailResult<Document> {
    let mut problems = crate::customers::fields::Problems::new();
    match crate::orders::create::linked(ctx, doc, site, &mut problems).await? {
        Some(customer) if customer.body["type"] != customers::CORPORATE => Ok(customer),
        _ => {
            problems
                .entry("customer".into())
                .or_insert_with(|| crate::error::texts::BLANK.into());
            Err(RetailError::entity(problems))
        }
    }
}

/// The participation of a customer (by its id), when it has one.
pub async fn of_customer(ctx: &Ctx, customer_id: i64) -> RetailResult<Option<Document>> {
    Ok(ctx
        .core
        .entities
        .find_by(
            &ctx.scope,
            ACCOUNT,
            CUSTOMER_LOOKUP,
            &customer_id.to_string(),
        )
        .await?)
}

/// The next id of `kind` (participations, operations) in the account.
pub async fn next_id(ctx: &Ctx, kind: &str) -> RetailResult<i64> {
    ctx.core
        .store
        .next_sequence(&ctx.scope, kind)
        .await
        .map_err(|e| twin_core::CoreError::from(e).into())
}

/// The unique lookup of a participation's customer.
pub const CUSTOMER_LOOKUP: &str = "loyaltyCustomer";

/// The stored document of a participation body.
pub fn document(ctx: &Ctx, body: Value) -> Document {
    let customer = body["customer"]["id"].to_string();
    Document::new(ctx.scope.key(ACCOUNT, body["id"].to_string()), body)
        .with_lookup(CUSTOMER_LOOKUP, customer)
}

/// The sum of the customer's completed orders (`totalSumm` of its orders in a status of
/// the `complete` group, *Inferred*): what the level follows.
pub async fn orders_sum(ctx: &Ctx, customer_id: &Value) -> RetailResult<i64> {
    let complete: Vec<Value> = crate::reference::group_statuses("complete")
        .unwrap_or_default()
        .into_iter()
        .map(|s| json!(s))
        .collect();
    let completed = Filter::And(vec![
        Filter::eq("customer.id", customer_id.clone()),
        Filter::In {
            path: vec!["status".into()],
            values: complete,
        },
    ]);
    Ok(crate::request::every(ctx, crate::orders::ORDER, completed)
        .await?
        .iter()
        .map(|doc| ledger::cents(doc.body["totalSumm"].as_f64().unwrap_or_default()))
        .sum())
}

/// The level of a participation: the one set by `edit` (`levelId`), else the highest
/// level whose `sum` the orders' sum reaches; and the sum left to the next level.
pub fn level(program: &Value, account: &Value, orders: i64) -> (Value, Option<i64>) {
    let levels = program["levels"].as_array().cloned().unwrap_or_default();
    let reached =
        |level: &Value| ledger::cents(level["sum"].as_f64().unwrap_or_default()) <= orders;
    let current = match account["levelId"].as_i64() {
        Some(id) => levels.iter().find(|l| l["id"] == id).cloned(),
        None => levels.iter().rev().find(|l| reached(l)).cloned(),
    }
    .or_else(|| levels.first().cloned())
    .unwrap_or(Value::Null);
    let next = levels
        .iter()
        .map(|l| ledger::cents(l["sum"].as_f64().unwrap_or_default()))
        .filter(|sum| *sum > orders)
        .min()
        .map(|sum| sum - orders);
    (current, next)
}

/// A participation as the API shows it: the short form of create and activate, or
/// (`whole`) the form of get and the list, with its program, customer, orders' sum and
/// level in full. `amount` is the active bonuses now.
pub async fn render(ctx: &Ctx, account: &Value, whole: bool) -> RetailResult<Value> {
    let program = program::find(ctx, account["loyalty"]["id"].as_i64().unwrap_or(1)).await?;
    let active = ledger::ledger(ctx, account["id"].as_i64().unwrap_or_default())
        .await?
        .active(ledger::today(ctx));
    let orders = orders_sum(ctx, &account["customer"]["id"]).await?;
    let (level, next) = level(&program, account, orders);
    let mut out = Map::new();
    out.insert("active".into(), account["active"].clone());
    out.insert("id".into(), account["id"].clone());
    if whole {
        out.insert(
            "loyalty".into(),
            json!({ "id": program["id"], "currency": program["currency"] }),
        );
        out.insert("customer".into(), customer_of(ctx, account).await?);
    }
    for field in ["phoneNumber", "cardNumber"] {
        if account[field].is_string() {
            out.insert(field.into(), account[field].clone());
        }
    }
    out.insert("amount".into(), ledger::amount_of(active));
    if whole {
        out.insert("ordersSum".into(), ledger::amount_of(orders));
        if let Some(next) = next {
            out.insert("nextLevelSum".into(), ledger::amount_of(next));
        }
        out.insert("level".into(), level);
        let status = if account["active"] == true {
            "activated"
        } else {
            "not_confirmed"
        };
        out.insert("status".into(), json!(status));
    } else {
        out.insert(
            "level".into(),
            json!({ "id": level["id"], "name": level["name"] }),
        );
    }
    for field in ["createdAt", "activatedAt", "customFields"] {
        if !account[field].is_null() {
            out.insert(field.into(), account[field].clone());
        }
    }
    Ok(Value::Object(out))
}

/// The participant as `loyaltyAccount[customer]` shows it: `{id, externalId, site,
/// customFields, firstName, lastName, patronymic}`, as the customer is now.
async fn customer_of(ctx: &Ctx, account: &Value) -> RetailResult<Value> {
    let link = &account["customer"];
    let id = link["id"].to_string();
    let Some(doc) = ctx.core.entities.find(&ctx.scope, CUSTOMER, &id).await? else {
        return Ok(link.clone());
    };
    let mut out = customers::identity(&doc.body);
    for field in ["customFields", "firstName", "lastName", "patronymic"] {
        if !doc.body[field].is_null() {
            out[field] = doc.body[field].clone();
        }
    }
    Ok(out)
}
