//! Creating and editing shipments: the shipment document (`deliveryShipment`), checked
//! field by field, and the orders it names.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::{Document, Filter};

use super::{find, SHIPMENT, STATUSES};
use crate::customers;
use crate::customers::fields::{checked_text, Problems};
use crate::delivery::{delivery_type, service_of};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::fields::integer;
use crate::orders::ORDER;
use crate::reference::{self, STORES};
use crate::render::{created, ok};
use crate::request::every;
use crate::request::{success, zone, Ctx, RetailRequest};
use crate::sites;

/// The shipment document: bracket fields or the Python client's JSON document.
fn document(request: &RetailRequest<'_>) -> RetailResult<Map<String, Value>> {
    match request.structured("deliveryShipment")? {
        Some(Value::Object(doc)) => Ok(doc),
        Some(_) => Err(RetailError::bad_request(
            "Parameter 'deliveryShipment' must be a JSON object",
        )),
        None => Err(RetailError::bad_request(
            "Parameter 'deliveryShipment' is missing",
        )),
    }
}

/// `time {from, to (H:i), custom}`.
fn time(problems: &mut Problems, value: &Value) -> Option<Value> {
    let Value::Object(given) = value else {
        problems.insert("time".into(), texts::CHOICE.into());
        return None;
    };
    let mut out = Map::new();
    for (name, value) in given {
        let path = format!("time[{name}]");
        match name.as_str() {
            "from" | "to" => match value.as_str() {
                Some(t) if chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok() => {
                    out.insert(name.clone(), json!(t));
                }
                _ => {
                    problems.insert(path, "This value is not a valid time.".into());
                }
            },
            "custom" => {
                if let Some(text) = checked_text(problems, &path, value) {
                    out.insert(name.clone(), text);
                }
            }
            _ => {}
        }
    }
    Some(Value::Object(out))
}

/// The order a shipment names (`{id}`, `{externalId}` or `{number}`; the latter two in
/// `site` when given), among the orders the key reaches.
async fn order(ctx: &Ctx, given: &Value, site: Option<&str>) -> RetailResult<Option<Document>> {
    let id = given["id"]
        .as_i64()
        .or_else(|| given["id"].as_str().and_then(|s| s.parse().ok()));
    let found = if let Some(id) = id {
        ctx.core
            .entities
            .find(&ctx.scope, ORDER, &id.to_string())
            .await?
    } else if let Some(external) = given["externalId"].as_str() {
        customers::by_external_id(ctx, ORDER, site, external).await?
    } else if let Some(number) = given["number"].as_str() {
        let mut filters = vec![Filter::eq("number", number)];
        filters.extend(site.map(|site| Filter::eq("site", site)));
        let mut found = every(ctx, ORDER, Filter::And(filters)).await?.into_iter();
        found.find(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()))
    } else {
        None
    };
    Ok(found.filter(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default())))
}

/// Reads the fields `doc` gives into `into` (the stored shipment, or a new one of
/// `delivery type`), recording problems; the orders must have the shipment's delivery
/// type (*Inferred*).
async fn apply(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    doc: &Map<String, Value>,
    into: &mut Map<String, Value>,
    problems: &mut Problems,
) -> RetailResult<()> {
    let site = sites::resolve(ctx, request).await?;
    let stores = reference::codes(ctx, STORES).await?;
    for (name, value) in doc {
        if value.is_null() {
            // `null` clears an optional field; the others stay.
            if matches!(
                name.as_str(),
                "time" | "comment" | "managerId" | "extraData"
            ) {
                into.remove(name);
            }
            continue;
        }
        let read = match name.as_str() {
            "status" => match value.as_str() {
                Some(status) if STATUSES.contains(&status) => Some(json!(status)),
                _ => {
                    problems.insert(name.clone(), texts::CHOICE.into());
                    None
                }
            },
            "date" => match value.as_str() {
                Some(d) if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => {
                    Some(json!(d))
                }
                _ => {
                    problems.insert(name.clone(), texts::DATE.into());
                    None
                }
            },
            "time" => time(problems, value),
            "comment" => checked_text(problems, name, value),
            "store" => match value.as_str() {
                Some(store) if stores.iter().any(|s| s == store) => Some(json!(store)),
                _ => {
                    problems.insert(name.clone(), texts::CHOICE.into());
                    None
                }
            },
            "managerId" => integer(problems, name, value).filter(|id| {
                let known = id.as_i64().and_then(crate::users::by_id).is_some();
                if !known {
                    problems.insert(name.clone(), texts::CHOICE.into());
                }
                known
            }),
            "extraData" => match value {
                Value::Object(_) => Some(value.clone()),
                _ => {
                    problems.insert(name.clone(), texts::CHOICE.into());
                    None
                }
            },
            "orders" => {
                let list = value.as_array().cloned().unwrap_or_default();
                let mut named = Vec::new();
                for (i, given) in list.iter().enumerate() {
                    let path = format!("orders[{i}]");
                    match order(ctx, given, site.as_deref()).await? {
                        None => {
                            problems.insert(path, "Order not found".into());
                        }
                        Some(found) if found.body["delivery"]["code"] != into["deliveryType"] => {
                            problems.insert(
                                path,
                                "The order's delivery type is not the shipment's".into(),
                            );
                        }
                        Some(found) => named.push(entity_order(&found.body)),
                    }
                }
                Some(Value::Array(named))
            }
            _ => continue,
        };
        if let Some(read) = read {
            into.insert(name.clone(), read);
        }
    }
    Ok(())
}

/// How a shipment names an order: `{id, externalId?, number}`.
fn entity_order(order: &Value) -> Value {
    let mut out = Map::new();
    for field in ["id", "externalId", "number"] {
        if !order[field].is_null() {
            out.insert(field.to_owned(), order[field].clone());
        }
    }
    Value::Object(out)
}

/// `POST /api/v5/delivery/shipments/create`: `deliveryType` (a delivery type of the
/// account), `site` (where orders named by `externalId` or `number` are), and
/// `deliveryShipment {status?, date?, time? {from, to, custom}, comment?, store?,
/// managerId?, orders [{id | externalId | number}], extraData?}`; 201 `{"id", "status"}`.
/// Defaults (*Inferred*): status `created`, today's date, the account's first store.
/// A shipment of an integrated type carries the module's `integrationCode` and the
/// service's id of it, `externalId` `<integrationCode>-<id>` (*Inferred*: the service
/// would answer its own). Errors: 400 `Errors in the entity format` per field (an order
/// not found or of another delivery type: `orders[i]`); `deliveryType` missing or
/// unknown: 400 `Errors in the input parameters`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = document(request)?;
    let code = request
        .text("deliveryType")
        .or_else(|| doc.get("deliveryType").and_then(Value::as_str))
        .ok_or_else(|| RetailError::parameter("deliveryType", texts::BLANK))?;
    let kind = delivery_type(ctx, code)
        .await?
        .ok_or_else(|| RetailError::parameter("deliveryType", texts::CHOICE))?;
    let stores = reference::codes(ctx, STORES).await?;
    let mut body = Map::new();
    body.insert("deliveryType".into(), json!(code));
    body.insert("status".into(), json!("created"));
    let today = ctx
        .now
        .with_timezone(&zone())
        .format("%Y-%m-%d")
        .to_string();
    body.insert("date".into(), json!(today));
    if let Some(store) = stores.first() {
        body.insert("store".into(), json!(store));
    }
    body.insert("orders".into(), json!([]));
    let mut problems = Problems::new();
    apply(ctx, request, &doc, &mut body, &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = ctx
        .core
        .store
        .reserve_sequence(&ctx.scope, SHIPMENT, 1)
        .await
        .map_err(CoreError::from)?;
    body.insert("id".into(), json!(id));
    if let Some(module) = service_of(ctx, &kind).await? {
        let integration = module["code"].as_str().unwrap_or_default();
        body.insert("integrationCode".into(), json!(integration));
        body.insert("externalId".into(), json!(format!("{integration}-{id}")));
    }
    let status = body["status"].clone();
    let stored = Document::new(ctx.scope.key(SHIPMENT, id.to_string()), Value::Object(body));
    crate::journal::put(ctx, stored, None).await?;
    Ok(created(success(json!({ "id": id, "status": status }))))
}

/// `POST /api/v5/delivery/shipments/{id}/edit`: `deliveryShipment` with the fields to
/// change (the create's, but not the delivery type; `orders` replaces the list), `site`;
/// `{"id", "status"}`. Only a shipment in status `created` may be edited (the seed's
/// rule): else 400 `Shipment editing is available only for shipments in created status`
/// (*Inferred* text). 404 for an id the account has no shipment of.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = document(request)?;
    let before = find(ctx, request.arg()).await?;
    if before.body["status"] != "created" {
        return Err(RetailError::bad_request(
            "Shipment editing is available only for shipments in created status",
        ));
    }
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    apply(ctx, request, &doc, &mut body, &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let status = body["status"].clone();
    let id = body["id"].clone();
    let mut stored = Document::new(before.key.clone(), Value::Object(body));
    stored.version = before.version;
    crate::journal::put(ctx, stored, Some(&before)).await?;
    Ok(ok(success(json!({ "id": id, "status": status }))))
}
