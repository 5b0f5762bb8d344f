//! The maximum discount of an order that is not stored: `loyalty/calculate`.

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::ledger::{amount_of, cents};
use super::priced::{self, Participant};
use crate::customers::{self, fields::Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::{create::allowed, fields};
use crate::render::ok;
use crate::request::{success, timestamp, Ctx, RetailRequest};
use crate::sites;

/// The privilege types an order may name.
const PRIVILEGES: [&str; 4] = [
    "personal_discount",
    "loyalty_level",
    "loyalty_event",
    "none",
];

/// `bonuses`: a number of at least 0 (0 when absent), in hundredths.
pub fn bonuses_param(request: &RetailRequest<'_>) -> RetailResult<i64> {
    match request.text("bonuses") {
        None => Ok(0),
        Some(text) => match text.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(cents(n)),
            Ok(_) => Err(RetailError::parameter("bonuses", texts::POSITIVE_OR_ZERO)),
            Err(_) => Err(RetailError::parameter("bonuses", texts::NUMBER)),
        },
    }
}

/// `POST /api/v5/loyalty/calculate`: `site`, `order=<json>` (`customer`, `items[]` with
/// `initialPrice`, `quantity`, own discounts, `offer`, `priceType`; the order's
/// discounts, `delivery[cost]`, `privilegeType`), `bonuses` (to charge, for the
/// calculation only). `{order, calculations, loyalty}`: the order priced as
/// `orders/create` prices it, with `bonuses` spread over its items and the bonuses it
/// would credit. `calculations` lists the customer's level (when the customer takes part
/// actively: `maxChargeBonuses` the active bonuses, at most the program's share of the
/// goods) and `none`; the maximum is the level. More `bonuses` than `maxChargeBonuses` is
/// a 400. Events and personal discounts are not built: those privileges count as `none`.
pub async fn calculate(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = customers::entity(request, "order")?;
    let site = sites::for_write(ctx, request).await?;
    let bonuses = bonuses_param(request)?;
    let customer = super::named_customer(ctx, &doc, &site).await?.body;
    let mut problems = Problems::new();
    let requested = match doc.get("privilegeType").and_then(Value::as_str) {
        None => None,
        Some(kind) if PRIVILEGES.contains(&kind) => Some(kind),
        Some(_) => {
            problems.insert("privilegeType".into(), texts::CHOICE.into());
            None
        }
    };
    let mut body = Map::new();
    body.insert("site".into(), json!(site));
    body.insert("currency".into(), json!("RUB"));
    let mut given = doc.clone();
    given.remove("privilegeType");
    fields::apply(&given, &mut body, &allowed(ctx).await?, &mut problems);
    let mut next = || 0;
    let items = match doc.get("items") {
        Some(value) if !value.is_null() => {
            fields::items(value, &[], &timestamp(ctx.now), &mut next, &mut problems)
        }
        _ => Vec::new(),
    };
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let items: Vec<Value> = items
        .into_iter()
        .map(|mut item| {
            item.as_object_mut().map(|i| i.remove("createdAt"));
            item.as_object_mut().map(|i| i.remove("id"));
            item
        })
        .collect();
    body.insert("items".into(), Value::Array(items));
    fields::totals(&mut body);
    let participant = match customer["id"].as_i64() {
        Some(id) => priced::participant(ctx, id).await?,
        None => None,
    };
    let by_level = participant
        .as_ref()
        .filter(|_| requested.is_none_or(|kind| kind == "loyalty_level"));
    let lines = priced::lines(body["items"].as_array().map(Vec::as_slice).unwrap_or(&[]));
    let mut calculations = Vec::new();
    let quote = match by_level {
        Some(p) => Some(priced::quote(p, &lines, bonuses)?),
        None if bonuses > 0 => {
            return Err(RetailError::bad_request(
                "Bonuses can be charged only on the loyalty level of an active participant",
            ))
        }
        None => None,
    };
    let privilege = match (&quote, by_level) {
        (Some(quote), Some(p)) => {
            priced::put_bonuses(&mut body, &quote.charges, &quote.credits);
            fields::totals(&mut body);
            calculations.push(calculation(p, quote, true));
            "loyalty_level"
        }
        _ => "none",
    };
    calculations.push(json!({
        "privilegeType": "none", "discount": 0.0, "creditBonuses": 0.0,
        "maxChargeBonuses": 0.0, "maximum": quote.is_none(),
    }));
    body.insert("privilegeType".into(), json!(privilege));
    let mut answer = json!({
        "order": priced::render(&body, by_level, &customer),
        "calculations": calculations,
    });
    if let Some(p) = &participant {
        answer["loyalty"] = json!({
            "currency": p.program["currency"],
            "name": p.program["name"],
            "chargeRate": p.program["chargeRate"],
        });
    }
    Ok(ok(success(answer)))
}

/// The calculation of the level: the discount the charged bonuses give, the bonuses the
/// order would credit, and the most it may charge.
fn calculation(p: &Participant, quote: &priced::Quote, maximum: bool) -> Value {
    json!({
        "privilegeType": "loyalty_level",
        "discount": amount_of(quote.charges.iter().sum()),
        "creditBonuses": amount_of(quote.credits.iter().sum()),
        "maxChargeBonuses": amount_of(quote.max_charge),
        "maximum": maximum,
        "loyaltyLevel": { "id": p.level["id"], "name": p.level["name"] },
    })
}
