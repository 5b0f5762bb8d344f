//! The customer's current cart in a site: one at a time. `set` overwrites the current
//! cart (one without `clearedAt`) or starts a new one; `clear` marks it cleared (an order
//! was made from it, or the shop emptied it), after which the customer has no current
//! cart until the next `set`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::Document;

use super::{offer, owner_key, parse_zoned, site_and_customer, zoned};
use crate::customers::fields::Problems;
use crate::customers::{self, entity};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

const CART: &str = "cart";
/// The unique lookup of the current cart: `site` + customer id.
const CURRENT: &str = "current";

/// The cart as the API shows it: without Twin's own fields.
fn public(body: &Value) -> Value {
    customers::public(body)
}

async fn current(ctx: &Ctx, owner: &str) -> RetailResult<Option<Document>> {
    Ok(ctx
        .core
        .entities
        .find_by(&ctx.scope, CART, CURRENT, owner)
        .await?)
}

/// `GET /api/v5/customer-interaction/{site}/cart/{customerId}`: `{"cart": {...}}`, the
/// current cart; without `cart` when the customer has none (*Inferred*).
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (site, customer) = site_and_customer(ctx, request).await?;
    let body = match current(ctx, &owner_key(&site, &customer)).await? {
        Some(doc) => json!({ "cart": public(&doc.body) }),
        None => json!({}),
    };
    Ok(ok(success(body)))
}

/// The customer `cart[customer]` names (`id`, or `externalId` with `site`), who must be
/// in the path's site. Problems are keyed as the document's fields.
async fn customer_of(ctx: &Ctx, site: &str, cart: &Map<String, Value>) -> RetailResult<Document> {
    let named = &cart.get("customer").cloned().unwrap_or(Value::Null);
    let reference = match (&named["id"], &named["externalId"]) {
        (Value::Number(id), _) => (true, id.to_string()),
        (Value::String(id), _) if !id.is_empty() => (true, id.clone()),
        (_, Value::String(external)) if !external.is_empty() => {
            match named["site"].as_str().filter(|s| !s.is_empty()) {
                Some(given) if given == site => (false, external.clone()),
                Some(_) => return Err(one("customer[site]", texts::CHOICE)),
                None => return Err(one("customer[site]", texts::BLANK)),
            }
        }
        // Twin finds customers by their ids only, not by `browserId`/`gaClientId`.
        _ => return Err(one("customer", texts::BLANK)),
    };
    match customers::find_in(
        ctx,
        customers::CUSTOMER,
        reference.0,
        Some(site),
        &reference.1,
    )
    .await
    {
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            Err(one("customer", "Customer not found"))
        }
        found => found,
    }
}

fn one(field: &str, text: &str) -> RetailError {
    RetailError::entity([(field.to_owned(), text.to_owned())].into())
}

/// `cart[items]`: `{quantity (> 0), price? (>= 0), offer}` each.
fn items(value: Option<&Value>, now: &str, problems: &mut Problems) -> Vec<Value> {
    let list = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) => list,
        Some(_) => {
            problems.insert("items".into(), texts::CHOICE.into());
            return Vec::new();
        }
    };
    let mut read = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let quantity = item["quantity"].as_f64().filter(|q| *q > 0.0);
        if quantity.is_none() {
            problems.insert(
                format!("items[{i}][quantity]"),
                "This value should be greater than 0.".into(),
            );
        }
        let price = match &item["price"] {
            Value::Null => None,
            other => match other.as_f64().filter(|p| *p >= 0.0) {
                Some(price) => Some(price),
                None => {
                    problems.insert(format!("items[{i}][price]"), texts::POSITIVE_OR_ZERO.into());
                    None
                }
            },
        };
        let offer = offer(&item["offer"], &format!("items[{i}][offer]"), problems);
        if let (Some(quantity), Some(offer)) = (quantity, offer) {
            let mut line = json!({ "quantity": quantity, "offer": offer });
            if let Some(price) = price {
                line["price"] = json!(price);
            }
            line["createdAt"] = json!(now);
            line["updatedAt"] = json!(now);
            read.push(line);
        }
    }
    read
}

/// An optional date of the document (`droppedAt`, `clearedAt`), in the answer's format.
fn date(cart: &Map<String, Value>, field: &str, problems: &mut Problems) -> Option<String> {
    let text = cart.get(field)?.as_str().filter(|t| !t.is_empty());
    match text.and_then(parse_zoned) {
        Some(at) => Some(zoned(at)),
        None => {
            problems.insert(field.into(), texts::DATETIME.into());
            None
        }
    }
}

/// `POST /api/v5/customer-interaction/{site}/cart/set`: `cart=<json>` with the customer,
/// `items`, `externalId`, `droppedAt`, `link`; overwrites the current cart or starts one.
/// `{"success": true}` (*Inferred*).
pub async fn set(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let cart = entity(request, "cart")?;
    let site = sites::in_path(ctx, request, request.arg()).await?;
    let customer = customer_of(ctx, &site, &cart).await?;
    let now = zoned(ctx.now);
    let mut problems = Problems::new();
    let items = items(cart.get("items"), &now, &mut problems);
    let dropped = date(&cart, "droppedAt", &mut problems);
    let mut texts_given = Map::new();
    for field in ["externalId", "link"] {
        match cart.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) if text.chars().count() <= 255 => {
                texts_given.insert(field.into(), json!(text));
            }
            Some(_) => {
                problems.insert(field.into(), texts::TOO_LONG.into());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let owner = owner_key(&site, &customer);
    let before = current(ctx, &owner).await?;
    let (id, created_at) = match &before {
        Some(doc) => (doc.body["id"].clone(), doc.body["createdAt"].clone()),
        None => {
            let id = ctx
                .core
                .store
                .next_sequence(&ctx.scope, CART)
                .await
                .map_err(CoreError::from)?;
            (json!(id), json!(now))
        }
    };
    let mut named = customers::identity(&customer.body);
    if let Some(named) = named.as_object_mut() {
        named.remove("site");
    }
    let mut body = texts_given;
    body.insert("id".into(), id);
    body.insert("customer".into(), named);
    body.insert("items".into(), json!(items));
    body.insert("createdAt".into(), created_at);
    body.insert("updatedAt".into(), json!(now));
    if let Some(dropped) = dropped {
        body.insert("droppedAt".into(), json!(dropped));
    }
    let body = Value::Object(body);
    save(ctx, body, Some(&owner), before.as_ref()).await?;
    Ok(ok(success(json!({}))))
}

/// Stores a cart over `before`; `owner` makes it the current one.
async fn save(
    ctx: &Ctx,
    body: Value,
    owner: Option<&str>,
    before: Option<&Document>,
) -> RetailResult<()> {
    let mut doc = Document::new(ctx.scope.key(CART, body["id"].to_string()), body);
    if let Some(owner) = owner {
        doc = doc.with_lookup(CURRENT, owner);
    }
    crate::journal::put(ctx, doc, before).await
}

/// `POST /api/v5/customer-interaction/{site}/cart/clear`: `cart=<json>` with the customer,
/// `clearedAt` (now when absent) and the `order` made from it (kept as given: orders are
/// not built). 404 when the customer has no current cart (*Inferred*).
pub async fn clear(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let cart = entity(request, "cart")?;
    let site = sites::in_path(ctx, request, request.arg()).await?;
    let customer = customer_of(ctx, &site, &cart).await?;
    let mut problems = Problems::new();
    let cleared = date(&cart, "clearedAt", &mut problems).unwrap_or_else(|| zoned(ctx.now));
    let order = match cart.get("order") {
        None | Some(Value::Null) => None,
        Some(Value::Object(order)) => Some(Value::Object(order.clone())),
        Some(_) => {
            problems.insert("order".into(), texts::CHOICE.into());
            None
        }
    };
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let before = current(ctx, &owner_key(&site, &customer))
        .await?
        .ok_or_else(RetailError::not_found)?;
    let mut body = before.body.clone();
    body["clearedAt"] = json!(cleared);
    body["updatedAt"] = json!(zoned(ctx.now));
    if let Some(order) = order {
        body["order"] = order;
    }
    save(ctx, body, None, Some(&before)).await?;
    Ok(ok(success(json!({}))))
}
