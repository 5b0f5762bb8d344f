//! Order payments. A payment lives inside its order (the order's `payments`, an object
//! keyed by the payment id, as the vendor's order answers show it); payment ids come
//! from a per-account sequence. A small index document per payment (kind
//! `order_payment`: its id, site, external id unique within the site, and its order's id)
//! lets `payments/{id}/edit` and `delete` find the order; it is written in the same
//! transaction as the order. The money an order shows for its payments (`prepaySum`,
//! `fullPaidAt`) is computed from them on every write (`settle`), never stored apart.

pub mod api;
pub mod invoice;
pub mod read;

use serde_json::{json, Map, Value};
use twin_store::{Document, Expect, Write};

use crate::customers;
use crate::error::{RetailError, RetailResult};
use crate::journal::{differing, field_name, Changed, Journal};
use crate::reference::{self, PAYMENT_STATUSES, PAYMENT_TYPES};
use crate::request::Ctx;

/// The kind of the payments' index documents, also the name of their id sequence.
pub const PAYMENT: &str = "order_payment";

/// What the account's references allow a payment: its type codes, its status codes,
/// the statuses whose payments are paid (`paymentComplete`), and the status a payment
/// has unless it names one (the one marked `defaultForApi`).
pub struct Rules {
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub complete: Vec<String>,
    pub default_status: Option<String>,
}

impl Rules {
    pub async fn load(ctx: &Ctx) -> RetailResult<Self> {
        let entries = reference::load(ctx, PAYMENT_STATUSES).await?;
        let complete = entries
            .iter()
            .filter(|entry| entry["paymentComplete"] == true)
            .filter_map(|entry| entry["code"].as_str().map(str::to_owned))
            .collect();
        Ok(Self {
            types: reference::codes(ctx, PAYMENT_TYPES).await?,
            statuses: reference::codes(ctx, PAYMENT_STATUSES).await?,
            complete,
            default_status: reference::default_for_api(ctx, PAYMENT_STATUSES).await?,
        })
    }

    pub fn is_complete(&self, payment: &Value) -> bool {
        payment["status"]
            .as_str()
            .is_some_and(|status| self.complete.iter().any(|c| c == status))
    }
}

/// Money in kopecks.
fn cents(value: &Value) -> i64 {
    (value.as_f64().unwrap_or_default() * 100.0).round() as i64
}

fn money(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

/// The order's payments in id order.
pub fn list(body: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = body["payments"]
        .as_object()
        .map(|map| map.values().cloned().collect())
        .unwrap_or_default();
    out.sort_by_key(|payment| payment["id"].as_i64().unwrap_or_default());
    out
}

/// Fills in the amount of payments that gave none (`amount` null): what is left to pay
/// of the order's `totalSumm` after its other payments, never below 0 (*Inferred*: the
/// seed's entry is silent; the vendor's UI proposes the rest of the order). Then the
/// money the order shows for its payments: `prepaySum`, the sum of the paid payments
/// (status `paymentComplete`), and `fullPaidAt` when they cover a `totalSumm` above 0:
/// the latest `paidAt` of the paid payments (*Inferred*); without it the field is gone.
/// `purchaseSumm` and `totalSumm` do not depend on payments. Runs after
/// `orders::fields::totals` on every write of an order.
pub fn settle(body: &mut Map<String, Value>, rules: &Rules) {
    let total = body.get("totalSumm").map_or(0, cents);
    let mut payments = body
        .get("payments")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let given: i64 = payments
        .values()
        .filter(|p| !p["amount"].is_null())
        .map(|p| cents(&p["amount"]))
        .sum();
    let mut left = (total - given).max(0);
    let mut ids: Vec<String> = payments.keys().cloned().collect();
    ids.sort_by_key(|id| id.parse::<i64>().unwrap_or_default());
    for id in ids {
        if let Some(payment) = payments.get_mut(&id) {
            if payment["amount"].is_null() {
                payment["amount"] = money(left);
                left = 0;
            }
        }
    }
    let paid: Vec<&Value> = payments.values().filter(|p| rules.is_complete(p)).collect();
    let prepay: i64 = paid.iter().map(|p| cents(&p["amount"])).sum();
    let last_paid = paid.iter().filter_map(|p| p["paidAt"].as_str()).max();
    match last_paid {
        Some(at) if total > 0 && prepay >= total => {
            body.insert("fullPaidAt".into(), json!(at));
        }
        _ => {
            body.remove("fullPaidAt");
        }
    }
    body.insert("prepaySum".into(), money(prepay));
    if payments.is_empty() {
        body.remove("payments");
    } else {
        body.insert("payments".into(), Value::Object(payments));
    }
}

/// `settle` when the order has payment rules (`read::order_payments`); an order without
/// payments keeps `prepaySum` 0.
pub fn settle_with(body: &mut Map<String, Value>, rules: Option<&Rules>) {
    if let Some(rules) = rules {
        settle(body, rules);
    }
}

/// How history records name a payment: the seed's `payment {id, type, externalId?}`.
pub fn identity(payment: &Value) -> Value {
    customers::pick(payment, &["id", "type", "externalId"])
}

/// The history records of an order's payments (*Inferred* names, the ones the vendor's
/// modules read): a new payment is one record `payments` (`oldValue: null`, `newValue
/// {id}`), a removed one `payments` (`oldValue {id}`, `newValue: null`), a changed one
/// `payments.<field>` per field (`payments.amount`, `payments.status`,
/// `payments.paid_at`), each with the payment under `payment`. In payment id order.
pub fn changes(old: &Value, new: &Value) -> Vec<Changed> {
    let (before, after) = (list(old), list(new));
    let mut out: Vec<Changed> = Vec::new();
    for payment in &after {
        let part = Some(("payment", identity(payment)));
        match before.iter().find(|b| b["id"] == payment["id"]) {
            None => out.push((
                "payments".into(),
                Value::Null,
                json!({ "id": payment["id"] }),
                part,
            )),
            Some(was) => {
                for (member, w, n) in differing(was, payment) {
                    out.push((
                        format!("payments.{}", field_name(&member)),
                        w,
                        n,
                        part.clone(),
                    ));
                }
            }
        }
    }
    for payment in &before {
        if !after.iter().any(|a| a["id"] == payment["id"]) {
            out.push((
                "payments".into(),
                json!({ "id": payment["id"] }),
                Value::Null,
                Some(("payment", identity(payment))),
            ));
        }
    }
    out
}

/// The index document of a payment of `order` (its body, stored or about to be).
fn index(ctx: &Ctx, order: &Value, payment: &Value) -> Document {
    let mut body = json!({ "id": payment["id"], "order": order["id"], "site": order["site"] });
    if let Some(external) = payment.get("externalId").filter(|v| !v.is_null()) {
        body["externalId"] = external.clone();
    }
    customers::keyed(ctx, PAYMENT, body)
}

/// Adds to `journal` the index writes an order's change makes: new or changed payments
/// are put, removed ones deleted. The order's own write (its version checked) guards
/// them.
pub fn sync(journal: &mut Journal<'_>, ctx: &Ctx, old: Option<&Value>, new: &Value) {
    let before = old.map(list).unwrap_or_default();
    let after = list(new);
    for payment in &after {
        let was = before.iter().find(|b| b["id"] == payment["id"]);
        if was.is_none_or(|was| was["externalId"] != payment["externalId"]) {
            journal.raw(Write::Put {
                doc: index(ctx, new, payment),
                expect: Expect::Any,
            });
        }
    }
    for payment in &before {
        if !after.iter().any(|a| a["id"] == payment["id"]) {
            let doc = index(ctx, new, payment);
            journal.raw(Write::Delete {
                key: doc.key,
                expect: Expect::Any,
            });
        }
    }
}

/// The text of a payment external id already taken in the site. *Inferred*.
pub const TAKEN: &str = "Payment with the same externalId already exists.";

/// The error of a payment external id already taken in the site.
pub fn taken(_: &str) -> RetailError {
    RetailError::entity([("externalId".to_owned(), TAKEN.to_owned())].into())
}

/// The order holding the payment `reference` names (its id when `by_id`, else its
/// external id, within `site` when given), and the payment's id: 404 when none.
pub async fn find(
    ctx: &Ctx,
    by_id: bool,
    site: Option<&str>,
    reference: &str,
) -> RetailResult<(Document, String)> {
    let index = customers::find_in(ctx, PAYMENT, by_id, site, reference).await?;
    let order_id = index.body["order"].to_string();
    let order = ctx
        .core
        .entities
        .find(&ctx.scope, crate::orders::ORDER, &order_id)
        .await?
        .ok_or_else(RetailError::not_found)?;
    let id = index.body["id"].to_string();
    if order.body["payments"][&id].is_null() {
        return Err(RetailError::not_found());
    }
    Ok((order, id))
}

/// Writes `body`, the order `before` changed by a payment method: its totals and
/// payment money computed, one history record per change (the order's own and its
/// payments'), the payments' index documents and `extra` writes (an invoice), all in
/// one transaction.
pub async fn save(
    ctx: &Ctx,
    before: &Document,
    mut body: Map<String, Value>,
    rules: &Rules,
    extra: Vec<Write>,
) -> RetailResult<()> {
    crate::orders::fields::totals(&mut body);
    settle(&mut body, rules);
    let mut doc = crate::orders::document(ctx, Value::Object(body));
    doc.version = before.version;
    let changed = crate::orders::changes::changes(&before.body, &doc.body);
    let snapshot = crate::orders::snapshot(&doc.body);
    let mut journal = Journal::new(ctx).await?;
    sync(&mut journal, ctx, Some(&before.body), &doc.body);
    for write in extra {
        journal.raw(write);
    }
    journal.update_fields(before, doc, "order", snapshot, changed);
    journal.commit(taken).await?;
    Ok(())
}
