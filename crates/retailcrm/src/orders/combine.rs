//! Combining one order into another (`orders/combine`).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::create::item_ids;
use super::{document, fields, snapshot, taken, ORDER};
use crate::customers::combine::{id_of, load, retire_named};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// The seed's ways of combining similar items (`technique`): the result order's
/// quantity, the sum of both, the combined order's quantity.
const TECHNIQUES: [&str; 3] = ["ours", "summ", "theirs"];

/// Whether two items are the same product: the same offer (`id`, `externalId` or
/// `xmlId`), or, neither having an offer, the same `productName` (*Inferred*: the seed
/// says "similar items" and names no rule).
fn similar(a: &Value, b: &Value) -> bool {
    match (a["offer"].as_object(), b["offer"].as_object()) {
        (Some(x), Some(y)) => ["id", "externalId", "xmlId"].iter().any(|k| {
            x.get(*k)
                .is_some_and(|v| !v.is_null() && y.get(*k) == Some(v))
        }),
        (None, None) => a["productName"].is_string() && a["productName"] == b["productName"],
        _ => false,
    }
}

/// The result's items after taking in `theirs`: a similar item's quantity follows
/// `technique`; the others are added with new ids (`first` on).
fn merged(ours: &[Value], theirs: &[Value], technique: &str, mut first: i64) -> Vec<Value> {
    let mut items = ours.to_vec();
    for item in theirs {
        match items[..ours.len()].iter_mut().find(|o| similar(o, item)) {
            Some(own) => match technique {
                "summ" => {
                    let sum = own["quantity"].as_f64().unwrap_or(1.0)
                        + item["quantity"].as_f64().unwrap_or(1.0);
                    own["quantity"] = json!(sum);
                }
                "theirs" => own["quantity"] = item["quantity"].clone(),
                _ => {}
            },
            None => {
                let mut added = item.clone();
                added["id"] = json!(first);
                first += 1;
                items.push(added);
            }
        }
    }
    items
}

/// Reads `order={id}` and `resultOrder={id}` (the seed's `SerializedOrderReference`)
/// and `technique` (default `ours`, *Inferred*); 400 with the problems.
fn read(request: &RetailRequest<'_>) -> RetailResult<(i64, i64, String)> {
    let mut problems = BTreeMap::new();
    let mut ids = [0; 2];
    for (slot, name) in ids.iter_mut().zip(["order", "resultOrder"]) {
        match id_of(&request.document(name)?).filter(|id| *id >= 1) {
            Some(id) => *slot = id,
            None => {
                problems.insert(format!("{name}[id]"), texts::BLANK.to_owned());
            }
        }
    }
    if ids[0] != 0 && ids[0] == ids[1] {
        problems.insert(
            "resultOrder[id]".to_owned(),
            "The order cannot be combined into itself.".to_owned(),
        );
    }
    let technique = request.text("technique").unwrap_or("ours").to_owned();
    if !TECHNIQUES.contains(&technique.as_str()) {
        problems.insert("technique".to_owned(), texts::CHOICE.to_owned());
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    Ok((ids[0], ids[1], technique))
}

/// `POST /api/v5/orders/combine`: `order={id}` is combined into `resultOrder={id}` with
/// `technique` (`ours`, `summ`, `theirs`) for similar items; the other items of `order`
/// join the result, whose totals follow, and `order` is removed: a history record
/// `deleted` whose `combinedTo` is the result (`{id, externalId?, managerId?, site,
/// status}`), and later reads of it answer 404 with `state: "removed"`. The vendor does
/// it asynchronously; Twin has done it when it answers `{"success": true}` (*Inferred*:
/// the same history, sooner). An id no reachable order has is 400 `errors["order[id]"]`
/// "Order not found" (*Inferred* text).
pub async fn combine(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (order_id, result_id, technique) = read(request)?;
    let missing = "Order not found";
    let order = load(ctx, ORDER, order_id, "order[id]", missing).await?;
    let result = load(ctx, ORDER, result_id, "resultOrder[id]", missing).await?;
    let empty = Vec::new();
    let ours = result.body["items"].as_array().unwrap_or(&empty);
    let theirs = order.body["items"].as_array().unwrap_or(&empty);
    let added = theirs
        .iter()
        .filter(|t| !ours.iter().any(|o| similar(o, t)))
        .count();
    let first = item_ids(ctx, added as u32).await?;
    let mut body: Map<String, Value> = result.body.as_object().cloned().unwrap_or_default();
    body.insert(
        "items".into(),
        Value::Array(merged(ours, theirs, &technique, first)),
    );
    fields::totals(&mut body);
    let mut doc = document(ctx, Value::Object(body));
    doc.version = result.version;
    let changed = super::changes::changes(&result.body, &doc.body);
    let target = snapshot(&doc.body);
    let mut journal = Journal::new(ctx).await?;
    retire_named(ctx, &mut journal, ("order", snapshot), &target, &[order]);
    journal.update_fields(&result, doc, "order", target.clone(), changed);
    journal.commit(taken).await?;
    Ok(ok(success(json!({}))))
}
