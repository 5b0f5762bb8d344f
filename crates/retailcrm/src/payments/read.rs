//! Reading payment documents: `payment=<json>` of `payments/create` and `edit`, and the
//! `payments` list of an order document (`orders/create`, `upload`, `edit`), by the same
//! rules.

use serde_json::{json, Map, Value};

use super::{Rules, PAYMENT};
use crate::customers::{self, fields::checked_text, fields::Problems};
use crate::error::{texts, RetailResult};
use crate::orders::fields::{amount, choice};
use crate::request::{parse_time, timestamp, Ctx};

/// Reads the fields `given` gives into `into` (a stored payment, or an empty one), each
/// problem keyed `<prefix><field>` (`payments[0][type]`). Fields: `externalId`,
/// `amount` (a number ≥ 0), `paidAt` (`Y-m-d H:i:s`), `comment`, `type` and `status`
/// (codes of the account's payment types and statuses). `null` clears `externalId`,
/// `paidAt` and `comment`; `amount: null` asks for the default amount (`settle`). Then
/// a payment without a type is a problem, one without a status has the default, and one
/// paid without `paidAt` is paid now (*Inferred*). Other fields are ignored.
pub fn apply(
    given: &Map<String, Value>,
    into: &mut Map<String, Value>,
    rules: &Rules,
    prefix: &str,
    ctx: &Ctx,
    problems: &mut Problems,
) {
    for (name, value) in given {
        let path = format!("{prefix}{name}");
        let read = match name.as_str() {
            "amount" if value.is_null() => Some(Value::Null),
            _ if value.is_null() => {
                if matches!(name.as_str(), "externalId" | "paidAt" | "comment") {
                    into.remove(name);
                }
                continue;
            }
            "externalId" | "comment" => checked_text(problems, &path, value),
            "amount" => amount(problems, &path, value),
            "paidAt" => match value.as_str().and_then(parse_time) {
                Some(_) => Some(value.clone()),
                None => {
                    problems.insert(path, texts::DATETIME.to_owned());
                    None
                }
            },
            "type" => choice(problems, &path, value, &rules.types),
            "status" => choice(problems, &path, value, &rules.statuses),
            _ => continue,
        };
        if let Some(read) = read {
            into.insert(name.clone(), read);
        }
    }
    if !into.contains_key("type") && !problems.contains_key(&format!("{prefix}type")) {
        problems.insert(format!("{prefix}type"), texts::BLANK.to_owned());
    }
    if !into.contains_key("status") {
        if let Some(status) = &rules.default_status {
            into.insert("status".into(), json!(status));
        }
    }
    if !into.contains_key("amount") {
        into.insert("amount".into(), Value::Null);
    }
    if rules.is_complete(&Value::Object(into.clone())) && !into.contains_key("paidAt") {
        into.insert("paidAt".into(), json!(timestamp(ctx.now)));
    }
}

/// `count` new payment ids; the first.
pub async fn next_ids(ctx: &Ctx, count: u32) -> RetailResult<i64> {
    crate::orders::create::reserve(ctx, PAYMENT, count).await
}

/// Whether a payment external id is taken in the site by a payment other than `own`.
pub async fn external_taken(
    ctx: &Ctx,
    site: &str,
    external: &str,
    own: Option<&Value>,
) -> RetailResult<bool> {
    let found = customers::by_external_id(ctx, PAYMENT, Some(site), external).await?;
    Ok(found.is_some_and(|doc| own != Some(&doc.body["id"])))
}

/// Reads the `payments` list of an order document over the order's stored payments
/// (`stored`: none for a new order) into the order body: a payment with the `id` of one
/// of the order's changes it, one without is new, and the order's payments the list
/// leaves out are removed (*Inferred*: the vendor's rule for `items`). Problems are keyed
/// `payments[i][field]`; an unknown id is `payments[i][id]` "Payment not found".
///
/// The payment rules when the order has or gets payments (for `super::settle_with`).
pub async fn order_payments(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    body: &mut Map<String, Value>,
    problems: &mut Problems,
) -> RetailResult<Option<Rules>> {
    let given = doc.get("payments").filter(|v| !v.is_null());
    if given.is_none() && !body.contains_key("payments") {
        return Ok(None);
    }
    let rules = Rules::load(ctx).await?;
    let Some(value) = given else {
        return Ok(Some(rules));
    };
    let Some(list) = value.as_array() else {
        problems.insert("payments".into(), texts::CHOICE.into());
        return Ok(Some(rules));
    };
    let stored = body
        .get("payments")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fresh = list.iter().filter(|p| p.get("id").is_none()).count() as u32;
    let mut next = next_ids(ctx, fresh).await?;
    let site = body
        .get("site")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut out = Map::new();
    for (i, item) in list.iter().enumerate() {
        let prefix = format!("payments[{i}][");
        let Some(given) = item.as_object() else {
            problems.insert(format!("payments[{i}]"), texts::CHOICE.into());
            continue;
        };
        let mut payment = match given.get("id") {
            Some(id) => {
                let key = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
                match stored.get(&key).and_then(Value::as_object) {
                    Some(found) => found.clone(),
                    None => {
                        problems.insert(format!("{prefix}id]"), "Payment not found".into());
                        continue;
                    }
                }
            }
            None => {
                next += 1;
                Map::from_iter([("id".to_owned(), json!(next - 1))])
            }
        };
        let mut found = Problems::new();
        apply(given, &mut payment, &rules, "", ctx, &mut found);
        for (field, text) in found {
            problems.insert(format!("{prefix}{field}]"), text);
        }
        if let Some(external) = payment.get("externalId").and_then(Value::as_str) {
            let clash = out.values().any(|p: &Value| p["externalId"] == external);
            if clash || external_taken(ctx, &site, external, payment.get("id")).await? {
                problems.insert(format!("{prefix}externalId]"), super::TAKEN.into());
            }
        }
        out.insert(payment["id"].to_string(), Value::Object(payment));
    }
    body.insert("payments".into(), Value::Object(out));
    Ok(Some(rules))
}

/// Claims the external ids of an order's payments in `seen` (the orders of one upload,
/// whose payments the store does not know yet): false when one is claimed already.
/// The keys are `payment␟<site>␟<externalId>`, apart from the orders' own in the set.
pub fn claim(order: &Value, seen: &mut std::collections::HashSet<String>) -> bool {
    let site = order["site"].as_str().unwrap_or_default();
    let keys: Vec<String> = super::list(order)
        .iter()
        .filter_map(|p| p["externalId"].as_str())
        .map(|external| format!("payment\u{1f}{site}\u{1f}{external}"))
        .collect();
    if keys.iter().any(|key| seen.contains(key)) {
        return false;
    }
    seen.extend(keys);
    true
}
