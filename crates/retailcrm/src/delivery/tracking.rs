//! `delivery/generic/{subcode}/tracking`: a delivery service reports how its deliveries
//! go. Each update names a delivery by its id in the service (the order's
//! `delivery.data.externalId`); the order's `delivery.data` takes the newest status, the
//! track number and the cost, with history records `integration_delivery_data.<field>`.

use std::collections::BTreeMap;

use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter};

use super::{service, status_of};
use crate::customers::fields::{checked_text, Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::orders::{self, fields::amount, ORDER};
use crate::reference::{self, DELIVERY_TYPES};
use crate::render::ok;
use crate::request::every;
use crate::request::{success, timestamp, Ctx, RetailRequest};

/// The most orders one request updates (the seed's limit).
const MAX_UPDATES: usize = 100;

/// One checked update: the delivery id, the newest status given, and what else it sets.
struct Update {
    delivery_id: String,
    status: Option<(String, DateTime<Utc>, Option<Value>)>,
    track_number: Option<Value>,
    cost: Option<Value>,
    extra: Option<Map<String, Value>>,
}

/// The list of updates: bracket fields or the Python client's JSON list.
fn entries(request: &RetailRequest<'_>) -> RetailResult<Vec<Value>> {
    let list = match request.structured("statusUpdate")? {
        Some(Value::Array(list)) => list,
        Some(Value::Object(indexed)) => indexed.into_iter().map(|(_, entry)| entry).collect(),
        _ => Vec::new(),
    };
    if list.is_empty() {
        return Err(RetailError::parameter("statusUpdate", texts::BLANK));
    }
    if list.len() > MAX_UPDATES {
        return Err(RetailError::parameter(
            "statusUpdate",
            "This collection should contain 100 elements or less.",
        ));
    }
    Ok(list)
}

/// Reads update `i`, recording problems under `statusUpdate[i][...]`.
fn update(i: usize, entry: &Value, module: &Value, problems: &mut Problems) -> Option<Update> {
    let at = |name: &str| format!("statusUpdate[{i}][{name}]");
    let delivery_id = match &entry["deliveryId"] {
        Value::String(id) if !id.is_empty() => id.clone(),
        Value::Number(id) => id.to_string(),
        _ => {
            problems.insert(at("deliveryId"), texts::BLANK.into());
            return None;
        }
    };
    let mut status: Option<(String, DateTime<Utc>, Option<Value>)> = None;
    let history = match &entry["history"] {
        Value::Array(list) => list.clone(),
        Value::Object(indexed) => indexed.values().cloned().collect(),
        _ => Vec::new(),
    };
    let configured = module["integrations"]["delivery"]["statusList"].is_array();
    for (j, step) in history.iter().enumerate() {
        let path = |name: &str| format!("statusUpdate[{i}][history][{j}][{name}]");
        let code = step["code"].as_str().filter(|c| !c.is_empty());
        let code = match code {
            Some(c) if !configured || status_of(module, c).is_some() => c.to_owned(),
            Some(_) => {
                problems.insert(path("code"), texts::CHOICE.into());
                continue;
            }
            None => {
                problems.insert(path("code"), texts::BLANK.into());
                continue;
            }
        };
        let when = step["updatedAt"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        let Some(when) = when.map(|t| t.with_timezone(&Utc)) else {
            problems.insert(path("updatedAt"), texts::DATETIME.into());
            continue;
        };
        let comment = match &step["comment"] {
            Value::Null => None,
            value => checked_text(problems, &path("comment"), value),
        };
        if status.as_ref().is_none_or(|(_, newest, _)| when >= *newest) {
            status = Some((code, when, comment));
        }
    }
    let track_number = match &entry["trackNumber"] {
        Value::Null => None,
        value => checked_text(problems, &at("trackNumber"), value),
    };
    let cost = match &entry["cost"] {
        Value::Null => None,
        value => amount(problems, &at("cost"), value),
    };
    let extra = match &entry["extraData"] {
        Value::Object(extra) => Some(extra.clone()),
        Value::Null => None,
        _ => {
            problems.insert(at("extraData"), texts::CHOICE.into());
            None
        }
    };
    let allow_track = module["integrations"]["delivery"]["allowTrackNumber"] == true;
    Some(Update {
        delivery_id,
        status,
        track_number: track_number.filter(|_| allow_track),
        cost,
        extra,
    })
}

/// The order's delivery data after an update. A status older than the one the order has
/// is history already and changes nothing (*Inferred*).
fn apply(data: &mut Map<String, Value>, update: &Update, module: &Value) {
    if let Some((code, when, comment)) = &update.status {
        let stored = data
            .get("statusDate")
            .and_then(Value::as_str)
            .and_then(crate::request::parse_time);
        if stored.is_none_or(|stored| *when >= stored) {
            data.insert("status".into(), json!(code));
            if let Some(name) = status_of(module, code).and_then(|s| s["name"].as_str()) {
                data.insert("statusText".into(), json!(name));
            }
            data.insert("statusDate".into(), json!(timestamp(*when)));
            match comment {
                Some(comment) => data.insert("statusComment".into(), comment.clone()),
                None => data.remove("statusComment"),
            };
        }
    }
    if let Some(track) = &update.track_number {
        data.insert("trackNumber".into(), track.clone());
    }
    if let Some(cost) = &update.cost {
        data.insert("cost".into(), cost.clone());
    }
    if let Some(extra) = &update.extra {
        let mut merged = data
            .get("extraData")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        merged.extend(extra.clone());
        data.insert("extraData".into(), Value::Object(merged));
    }
}

/// The orders of the service's delivery types, by the delivery ids they have.
async fn orders_of(
    ctx: &Ctx,
    subcode: &str,
    ids: Vec<Value>,
) -> RetailResult<BTreeMap<String, Document>> {
    let codes: Vec<Value> = reference::load(ctx, DELIVERY_TYPES)
        .await?
        .into_iter()
        .filter(|entry| entry["integrationCode"] == subcode)
        .map(|entry| entry["code"].clone())
        .collect();
    let filter = Filter::And(vec![
        Filter::In {
            path: Filter::path("delivery.code"),
            values: codes,
        },
        Filter::In {
            path: Filter::path("delivery.data.externalId"),
            values: ids,
        },
    ]);
    let mut out = BTreeMap::new();
    for doc in every(ctx, ORDER, filter).await? {
        if ctx.may_reach(doc.body["site"].as_str().unwrap_or_default()) {
            let id = doc.body["delivery"]["data"]["externalId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            out.insert(id, doc);
        }
    }
    Ok(out)
}

/// `POST /api/v5/delivery/generic/{subcode}/tracking`: `statusUpdate=[{deliveryId,
/// trackNumber?, cost?, history? [{code, updatedAt (Y-m-d\TH:i:sP), comment?}],
/// extraData?}]`, at most 100; `{"success": true}`. `subcode` names the account's
/// active delivery module (else 404). Each update sets the order's `delivery.data`:
/// `status` (the newest of `history`), `statusText` (its name in the module's
/// `statusList`), `statusDate`, `statusComment`, `trackNumber` (only when the module's
/// `allowTrackNumber` is on, as the seed says), `cost`, `extraData` (merged). All or
/// none: a status code the module's `statusList` lacks, a bad time, or a delivery id no
/// order of the service has is 400 `Errors in the input parameters` with
/// `statusUpdate[i][...]` (*Inferred* texts). An order whose `delivery.data.locked` is
/// on is not synchronised and stays as it is (*Inferred*).
pub async fn tracking(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let subcode = request.arg();
    let module = service(ctx, subcode)
        .await?
        .ok_or_else(RetailError::not_found)?;
    let list = entries(request)?;
    let mut problems = Problems::new();
    let updates: Vec<(usize, Update)> = list
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| update(i, entry, &module, &mut problems).map(|u| (i, u)))
        .collect();
    let ids = updates.iter().map(|(_, u)| json!(u.delivery_id)).collect();
    let mut orders = orders_of(ctx, subcode, ids).await?;
    for (i, update) in &updates {
        if !orders.contains_key(&update.delivery_id) {
            problems.insert(
                format!("statusUpdate[{i}][deliveryId]"),
                "Delivery not found".into(),
            );
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut changed: BTreeMap<String, Value> = BTreeMap::new();
    for (_, update) in &updates {
        let before = &orders[&update.delivery_id];
        let mut body = changed
            .remove(&update.delivery_id)
            .unwrap_or_else(|| before.body.clone());
        if body["delivery"]["data"]["locked"] != true {
            let mut data = body["delivery"]["data"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            apply(&mut data, update, &module);
            body["delivery"]["data"] = Value::Object(data);
        }
        changed.insert(update.delivery_id.clone(), body);
    }
    let mut journal = Journal::new(ctx).await?;
    for (delivery_id, body) in changed {
        let before = orders.remove(&delivery_id).expect("found above");
        write(&mut journal, ctx, &before, body);
    }
    journal.commit(orders::taken).await?;
    Ok(ok(success(json!({}))))
}

/// Adds an order's new body to the journal, with its history records.
pub fn write(journal: &mut Journal<'_>, ctx: &Ctx, before: &Document, body: Value) {
    let mut doc = orders::document(ctx, body);
    doc.version = before.version;
    let changed = orders::changes::changes(&before.body, &doc.body);
    let entity = orders::snapshot(&doc.body);
    journal.update_fields(before, doc, "order", entity, changed);
}
