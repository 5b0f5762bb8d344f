//! Receipts as the cloud checks them before the device prints them: a sale, purchase or
//! purchase return (`SELL`, `BUY`, `BUY_RETURN`: the `DetailsSellModel` fields) and a
//! sale return (`SELL_RETURN`: positions of a completed sale). The plan keeps positions
//! and payments in kopecks and thousandths so the device's sums are exact.

use serde_json::{json, Value};
use twin_store::{CmpOp, Document, Filter, ListQuery, PageRequest};

use super::details::{self, Plan};
use super::KIND;
use crate::enums::VATS;
use crate::error::{texts, KassaResult};
use crate::fields::Fields;
use crate::money::{self, kopecks, line_total, thousandths};
use crate::request::{Ctx, Problems};
use crate::seed::{PAYMENT_METHODS, PAYMENT_OBJECTS, TAXATION_SYSTEMS};

const SALE_FIELDS: [&str; 11] = [
    "orderId",
    "actionType",
    "taxationSystem",
    "client",
    "receiptContact",
    "print",
    "internetPayment",
    "settlementPlace",
    "documentNumber",
    "paymentSolutions",
    "positions",
];

fn position(id: &str, name: &str, quantity: i64, price: i64, source: &Value) -> Value {
    json!({
        "id": id,
        "name": name,
        "quantity": quantity,
        "price": price,
        "amount": line_total(quantity, price),
        "paymentVat": source["paymentVat"],
        "paymentObject": source["paymentObject"],
        "paymentMethod": source["paymentMethod"],
    })
}

fn total(positions: &[Value]) -> i64 {
    positions.iter().filter_map(|p| p["amount"].as_i64()).sum()
}

/// `SELL`, `BUY`, `BUY_RETURN`. With `orderId` the positions, taxation system and client
/// come from the order (positions must then be left out, *inferred*); the payments must
/// add up to the positions' total exactly and use the cash register's payment solutions;
/// the taxation system must be one the cash register is registered for.
pub async fn sale(
    ctx: &Ctx,
    kind: &str,
    d: &Fields<'_>,
    cashbox: Option<&Value>,
    problems: &mut Problems,
) -> KassaResult<Plan> {
    let order = details::order(ctx, d, problems).await?;
    // With an order (found or not) the positions and taxation system are the order's.
    let by_order = d.has("orderId");
    let actions: Vec<&str> = cashbox
        .and_then(|c| c["availableOperations"].as_array())
        .and_then(|ops| ops.iter().find(|op| op["operationType"] == kind))
        .and_then(|op| op["actionTypes"].as_array())
        .map(|types| types.iter().filter_map(Value::as_str).collect())
        .unwrap_or_else(|| vec!["EXECUTE"]);
    let action = d
        .choice(problems, "actionType", &actions, false)
        .unwrap_or_else(|| "EXECUTE".to_owned());
    let taxation = d
        .choice(problems, "taxationSystem", &TAXATION_SYSTEMS, !by_order)
        .or_else(|| {
            order.as_ref()?["taxationSystem"]
                .as_str()
                .map(str::to_owned)
        });
    if let (Some(taxation), Some(cashbox)) = (&taxation, cashbox) {
        let registered = cashbox["availableTaxationSystems"]
            .as_array()
            .is_some_and(|all| all.iter().any(|t| t == taxation.as_str()));
        if !registered {
            d.problem(
                problems,
                "taxationSystem",
                "The taxation system is not available on this cash register.",
            );
        }
    }
    let client = match d.object(problems, "client") {
        Some(client) => json!({
            "name": client.string(problems, "name", false),
            "inn": client.string(problems, "inn", false),
        }),
        None => order.as_ref().map_or(
            Value::Null,
            |o| json!({ "name": o["client"]["name"], "inn": o["client"]["inn"] }),
        ),
    };
    for name in ["receiptContact", "settlementPlace", "documentNumber"] {
        d.text(problems, name, false, 255);
    }
    for name in ["print", "internetPayment"] {
        d.flag(problems, name);
    }
    if by_order && d.has("positions") {
        d.problem(problems, "positions", texts::SHOULD_BE_BLANK);
    }
    let positions = match &order {
        Some(order) => Some(order_positions(ctx, order).await?),
        None if by_order => None,
        None => read_positions(ctx, d, problems).await?,
    };
    let payments = read_payments(d, cashbox, problems);
    let amount = positions.as_deref().map(total);
    if let (Some(amount), Some(payments)) = (amount, &payments) {
        if total_paid(payments) != amount {
            d.problem(
                problems,
                "paymentSolutions",
                "The payments do not add up to the receipt total.",
            );
        }
    }
    let summary = order.as_ref().map_or(Value::Null, |o| {
        json!({ "id": o["id"], "externalId": o["externalId"], "number": o["number"], "orderAmount": o["totalAmount"] })
    });
    let positions = positions.unwrap_or_default();
    Ok(Plan {
        details: d.echo(&SALE_FIELDS),
        plan: json!({
            "actionType": action,
            "taxationSystem": taxation,
            "client": client,
            "positions": positions,
            "payments": payments.unwrap_or_default(),
            "total": amount.unwrap_or_default(),
            "order": summary,
        }),
        order_id: order.and_then(|o| o["id"].as_str().map(str::to_owned)),
        position_ids: ids(&positions),
        guard: None,
    })
}

fn ids(positions: &[Value]) -> Vec<String> {
    positions
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect()
}

fn total_paid(payments: &[Value]) -> i64 {
    payments.iter().filter_map(|p| p["amount"].as_i64()).sum()
}

/// The request's positions, each with a name, a positive quantity, a price of zero or
/// more and the VAT, object and method enums; `None` when any is wrong.
async fn read_positions(
    ctx: &Ctx,
    d: &Fields<'_>,
    problems: &mut Problems,
) -> KassaResult<Option<Vec<Value>>> {
    let Some(items) = d.objects(problems, "positions", true) else {
        return Ok(None);
    };
    let mut valid = d.all_objects("positions");
    let mut positions = Vec::new();
    for item in items {
        let name = item.string(problems, "name", true);
        let quantity = item.quantity(problems, "quantity");
        let price = item.money(problems, "price", true, true);
        let enums = [
            item.choice(problems, "paymentVat", &VATS, true),
            item.choice(problems, "paymentObject", &PAYMENT_OBJECTS, true),
            item.choice(problems, "paymentMethod", &PAYMENT_METHODS, true),
        ];
        match (name, quantity, price) {
            (Some(name), Some(quantity), Some(price)) if enums.iter().all(Option::is_some) => {
                let source = item.echo(&["paymentVat", "paymentObject", "paymentMethod"]);
                positions.push(position(
                    &ctx.new_id().await?,
                    &name,
                    quantity,
                    price,
                    &source,
                ));
            }
            _ => valid = false,
        }
    }
    Ok(valid.then_some(positions))
}

/// The order's positions (the order service validated them; read defensively).
async fn order_positions(ctx: &Ctx, order: &Value) -> KassaResult<Vec<Value>> {
    let mut positions = Vec::new();
    for item in order["positions"].as_array().into_iter().flatten() {
        let id = match item["id"].as_str() {
            Some(id) => id.to_owned(),
            None => ctx.new_id().await?,
        };
        let quantity = thousandths(&item["quantity"]).unwrap_or(1000);
        let price = kopecks(&item["price"]).unwrap_or_default();
        let name = item["name"].as_str().unwrap_or_default();
        positions.push(position(&id, name, quantity, price, item));
    }
    Ok(positions)
}

/// The payments: non-empty, each a payment solution of the cash register with a
/// positive amount and optionally the bank terminal's `referenceData`.
fn read_payments(
    d: &Fields<'_>,
    cashbox: Option<&Value>,
    problems: &mut Problems,
) -> Option<Vec<Value>> {
    let items = d.objects(problems, "paymentSolutions", true)?;
    let mut valid = d.all_objects("paymentSolutions");
    let mut payments = Vec::new();
    for item in items {
        let id = item.integer(problems, "id", true, None);
        let amount = item.money(problems, "amount", true, false);
        let reference = item.text(problems, "referenceData", false, 255);
        let solution = id.and_then(|id| {
            cashbox?["availablePaymentSolutions"]
                .as_array()?
                .iter()
                .find(|s| s["id"] == id)
                .cloned()
        });
        if id.is_some() && solution.is_none() && cashbox.is_some() {
            item.problem(problems, "id", texts::CHOICE);
        }
        valid &= id.is_some() && amount.is_some() && (solution.is_some() || cashbox.is_none());
        payments.push(json!({
            "id": id,
            "amount": amount,
            "referenceData": reference,
            "fiscalType": solution.map_or(Value::Null, |s| s["fiscalType"].clone()),
        }));
    }
    valid.then_some(payments)
}

/// `SELL_RETURN`: `returnOrderPositions` name positions of one completed sale; each
/// returns at most what was sold less what earlier returns (not failed) took back, at
/// the sale's price unless `price` is given. The refund is split over the sale's
/// payments in their proportions (*inferred*).
pub async fn sell_return(ctx: &Ctx, d: &Fields<'_>, problems: &mut Problems) -> KassaResult<Plan> {
    let mut sale: Option<Document> = None;
    let mut positions = Vec::new();
    for item in d
        .objects(problems, "returnOrderPositions", true)
        .unwrap_or_default()
    {
        let id = item.uuid(problems, "positionId", true);
        let quantity = item.quantity(problems, "quantity");
        let price = item.money(problems, "price", false, true);
        item.list(problems, "marks", false);
        let Some(id) = id else { continue };
        let Some(found) = sale_of(ctx, &id).await? else {
            item.problem(problems, "positionId", texts::NOT_FOUND);
            continue;
        };
        if sale.as_ref().is_some_and(|s| s.key.id != found.key.id) {
            item.problem(
                problems,
                "positionId",
                "All positions must belong to one sale.",
            );
            continue;
        }
        let sold = found.body["_plan"]["positions"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["id"] == id.as_str()))
            .cloned()
            .unwrap_or_default();
        let left = sold["quantity"].as_i64().unwrap_or_default() - returned(ctx, &id).await?;
        sale = Some(found);
        let Some(quantity) = quantity else { continue };
        if quantity > left {
            item.problem(
                problems,
                "quantity",
                &format!(
                    "This value should be less than or equal to {}.",
                    money::quantity(left)
                ),
            );
            continue;
        }
        let price = price.unwrap_or_else(|| sold["price"].as_i64().unwrap_or_default());
        let name = sold["name"].as_str().unwrap_or_default();
        positions.push(position(&id, name, quantity, price, &sold));
    }
    let guard = sale;
    let sale = guard
        .as_ref()
        .map(|doc| doc.body["_plan"].clone())
        .unwrap_or_default();
    let amount = total(&positions);
    Ok(Plan {
        details: d.echo(&["returnOrderPositions"]),
        plan: json!({
            "actionType": "EXECUTE",
            "taxationSystem": sale["taxationSystem"],
            "client": sale["client"],
            "positions": positions,
            "payments": refund(&sale, amount),
            "total": amount,
            "order": sale["order"],
        }),
        order_id: sale["order"]["id"].as_str().map(str::to_owned),
        position_ids: ids(&positions),
        guard,
    })
}

/// The refund of `amount` over the sale's payments, in their proportions; the last
/// payment takes what rounding left.
fn refund(sale: &Value, amount: i64) -> Vec<Value> {
    let payments = sale["payments"].as_array().cloned().unwrap_or_default();
    let whole = total_paid(&payments);
    let mut left = amount;
    let count = payments.len();
    payments
        .into_iter()
        .enumerate()
        .map(|(index, mut payment)| {
            let part = if index + 1 == count {
                left
            } else {
                money::share(
                    amount,
                    payment["amount"].as_i64().unwrap_or_default(),
                    whole,
                )
            };
            left -= part;
            payment["amount"] = json!(part);
            payment["referenceData"] = Value::Null;
            payment
        })
        .collect()
}

/// The operations of `kind` (with a status `status_filter` accepts) that hold the position.
async fn with_position(
    ctx: &Ctx,
    kind: &str,
    status_filter: Filter,
    position: &str,
) -> KassaResult<Vec<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), KIND)
        .filter(Filter::And(vec![
            Filter::eq("operationType", kind),
            status_filter,
            Filter::holds("_positionIds", position),
        ]))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    Ok(ctx.core.entities.list(&query).await?.items)
}

/// The completed sale that sold the position.
async fn sale_of(ctx: &Ctx, position: &str) -> KassaResult<Option<Document>> {
    let sales = with_position(ctx, "SELL", Filter::eq("status", "COMPLETE"), position).await?;
    Ok(sales.into_iter().next())
}

/// Thousandths of the position that returns not failed have taken back.
async fn returned(ctx: &Ctx, position: &str) -> KassaResult<i64> {
    let not_failed = Filter::cmp("status", CmpOp::Ne, "FAIL");
    Ok(with_position(ctx, "SELL_RETURN", not_failed, position)
        .await?
        .iter()
        .flat_map(|doc| {
            doc.body["_plan"]["positions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|p| p["id"] == position)
        .filter_map(|p| p["quantity"].as_i64())
        .sum())
}
