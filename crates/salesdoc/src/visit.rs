//! Agents' visits to clients (`getVisit` 9.21 / `setVisit` 10.21), in the request's
//! filial. A setVisit item names its client and agent (`{CS_id|SD_id|code_1C}`, both
//! required, an unknown one is the item's error) and its `date`; it updates the visit of
//! the same agent, client and day, or creates one (*Inferred*: the items carry no id of
//! their own; one sent anyway is tried first). The "GPS check" sets `gps_visit` when the
//! visit's `lat`/`lng` lie within 100 m of the client's `lat`/`lon` (*Inferred* radius).
//!
//! Clients are found by their kind's name (`client`) through the engine, and shown from
//! their stored fields: `name` (or `shortName`), `lat`, `lon` and the category link
//! (`clientCategory` or `category`, an `SD_id` or a `{SD_id}` object) whose `name` is
//! `category_name`.

use std::collections::HashMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::{date_range, Listing};
use crate::reference::rules::Rules;
use crate::reference::upsert::{save, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{by_sd_in, find_in, first_where, nested, Ids, Record};
use crate::render::page;
use crate::request::Ctx;
use crate::values::{period_bound, text, Bound};

/// The SET group, GET answer member and stored kind.
pub const KEY: &str = "visit";
const AGENT: &str = "agent";
const CLIENT: &str = "client";
const CLIENT_CATEGORY: &str = "clientCategory";
/// How far (metres) a visit may be from its client and still count as GPS-confirmed.
const GPS_RADIUS_M: f64 = 100.0;
const FLAGS: [&str; 4] = ["visited", "planned", "has_photo_report", "has_order"];

/// setVisit's way of storing a record.
pub struct Visits;

impl StoreRecord for Visits {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let mut errors = Vec::new();
        let client = party(ctx, CLIENT, item, &mut errors).await?;
        let agent = party(ctx, AGENT, item, &mut errors).await?;
        let date = moment(item, "date", &mut errors);
        if date.is_none() && !errors.iter().any(|e| e.starts_with("date")) {
            errors.push("date is required".into());
        }
        let (Some(client), Some(agent), Some(date), true) =
            (client, agent, date, errors.is_empty())
        else {
            return Err(Refused::Item(errors));
        };
        let ids = Ids::of(item);
        let existing = match find_in(ctx, KEY, &ids).await? {
            Some(found) => Some(found),
            None => same_day(ctx, &agent.sd_id, &client.sd_id, &date[..10]).await?,
        };
        let stored = existing.as_ref().map(|r| &r.fields);
        let fields = fields(item, stored, &client, &agent, date).map_err(Refused::Item)?;
        let target = Target::of(ctx, KEY, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, KEY, &ids, target, fields).await
    }
}

/// The client or agent an item names; `None` (with the item's error) when missing or
/// unknown.
async fn party(
    ctx: &Ctx,
    key: &'static str,
    item: &Map<String, Value>,
    errors: &mut Vec<String>,
) -> Result<Option<Record>, Refused> {
    match nested(ctx, key, item, key).await? {
        Some(Ok(found)) => Ok(Some(found)),
        Some(Err(error)) => {
            errors.push(error);
            Ok(None)
        }
        None => {
            errors.push(format!("{key} is required"));
            Ok(None)
        }
    }
}

/// A date-time member as stored (`YYYY-MM-DD HH:MM:SS`; a bare date is its first
/// second); `None` when absent, an error when unreadable.
fn moment(item: &Map<String, Value>, member: &str, errors: &mut Vec<String>) -> Option<String> {
    let raw = item.get(member).and_then(text)?;
    let parsed = period_bound(&raw, Bound::Start);
    if parsed.is_none() {
        errors.push(format!(
            "{member} must be a date and time YYYY-MM-DD HH:MM:SS"
        ));
    }
    parsed
}

/// The visit of this agent and client on this day, if any.
async fn same_day(ctx: &Ctx, agent: &str, client: &str, day: &str) -> SdResult<Option<Record>> {
    let filters = vec![
        Filter::eq("fields.agent_id", agent),
        Filter::eq("fields.client_id", client),
        Filter::eq("fields.day", day),
    ];
    first_where(ctx, KEY, filters).await
}

/// A 0/1 flag as given (`0`/`1`, booleans, `"0"`/`"1"`), else as stored, else 0.
fn flag(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
    errors: &mut Vec<String>,
) -> Value {
    let read = match item.get(member) {
        None | Some(Value::Null) => {
            return stored
                .and_then(|s| s.get(member).cloned())
                .unwrap_or(json!(0))
        }
        Some(Value::Bool(b)) => Some(i64::from(*b)),
        Some(given) => text(given).and_then(|t| t.parse::<i64>().ok()),
    };
    match read {
        Some(n @ (0 | 1)) => json!(n),
        _ => {
            errors.push(format!("{member} must be 1 or 0"));
            Value::Null
        }
    }
}

/// A coordinate as given (a number or numeric string), else as stored.
fn coordinate(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
    errors: &mut Vec<String>,
) -> Option<f64> {
    match item.get(member) {
        None => stored.and_then(|s| number(s.get(member))),
        Some(Value::Null) => None,
        given => {
            let read = number(given);
            if read.is_none() {
                errors.push(format!("{member} must be a number"));
            }
            read
        }
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        other => text(other)?.parse().ok(),
    }
}

/// The stored fields of a visit.
fn fields(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    client: &Record,
    agent: &Record,
    date: String,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = Map::new();
    fields.insert("agent_id".into(), Value::from(agent.sd_id.clone()));
    fields.insert("client_id".into(), Value::from(client.sd_id.clone()));
    fields.insert("day".into(), Value::from(&date[..10]));
    for member in FLAGS {
        fields.insert(member.into(), flag(item, stored, member, &mut errors));
    }
    let start = moment(item, "start_datetime", &mut errors)
        .or_else(|| stored.and_then(|s| s["start"].as_str().map(str::to_owned)))
        .unwrap_or_else(|| date.clone());
    let end = moment(item, "end_datetime", &mut errors)
        .or_else(|| stored.and_then(|s| s["end"].as_str().map(str::to_owned)));
    fields.insert("date".into(), Value::from(date));
    fields.insert("start".into(), Value::from(start));
    fields.insert("end".into(), end.map_or(Value::Null, Value::from));
    let lat = coordinate(item, stored, "lat", &mut errors);
    let lng = coordinate(item, stored, "lng", &mut errors);
    let home = (
        number(client.fields.get("lat")),
        number(client.fields.get("lon")),
    );
    let confirmed = match (lat, lng, home) {
        (Some(lat), Some(lng), (Some(c_lat), Some(c_lon))) => {
            distance_m(lat, lng, c_lat, c_lon) <= GPS_RADIUS_M
        }
        _ => false,
    };
    fields.insert("lat".into(), json!(lat));
    fields.insert("lng".into(), json!(lng));
    fields.insert("gps_visit".into(), json!(i64::from(confirmed)));
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// The great-circle distance in metres between two points (haversine).
fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_000.0;
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// `filter.period.date {from, to}`: visits of those days (both ends inclusive).
fn date_filters(envelope: &Envelope) -> SdResult<Vec<Filter>> {
    match envelope.filter().get("period").and_then(|p| p.get("date")) {
        Some(range) => date_range(range, "fields.date", "params.filter.period.date"),
        None => Ok(Vec::new()),
    }
}

/// Names of the agents, clients and categories a page shows, each looked up once.
#[derive(Default)]
struct Names {
    seen: HashMap<(&'static str, String), Option<Record>>,
}

impl Names {
    async fn record(
        &mut self,
        ctx: &Ctx,
        key: &'static str,
        sd_id: &str,
    ) -> SdResult<Option<Record>> {
        let slot = (key, sd_id.to_owned());
        if !self.seen.contains_key(&slot) {
            let found = match key {
                // Client categories belong to no filial.
                CLIENT_CATEGORY => ctx
                    .core
                    .store
                    .get(&ctx.scope.key(key, sd_id))
                    .await?
                    .map(Record::from_doc),
                _ => by_sd_in(ctx, key, sd_id).await?,
            };
            self.seen.insert(slot.clone(), found);
        }
        Ok(self.seen[&slot].clone())
    }
}

fn name_of(record: Option<&Record>, members: &[&str]) -> Value {
    let name = record.and_then(|r| members.iter().find_map(|m| r.fields.get(*m).and_then(text)));
    Value::from(name.unwrap_or_default())
}

/// The `SD_id` a client's category link holds (a string or a `{SD_id}` object).
fn category_of(client: Option<&Record>) -> Option<String> {
    let link = client.and_then(|c| {
        c.fields
            .get(CLIENT_CATEGORY)
            .or_else(|| c.fields.get("category"))
    })?;
    match link {
        Value::Object(reference) => reference.get("SD_id").and_then(text),
        other => text(other),
    }
}

/// `getVisit` (9.21): a page of visits, `filter.period.date` on the visit's date.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (visits, total) = listing.fetch(ctx, KEY, date_filters(envelope)?).await?;
    let mut names = Names::default();
    let mut items = Vec::with_capacity(visits.len());
    for visit in &visits {
        let f = &visit.fields;
        let agent_id = f["agent_id"].as_str().unwrap_or_default();
        let client_id = f["client_id"].as_str().unwrap_or_default();
        let agent = names.record(ctx, AGENT, agent_id).await?;
        let client = names.record(ctx, CLIENT, client_id).await?;
        let category = match category_of(client.as_ref()) {
            Some(sd) => names.record(ctx, CLIENT_CATEGORY, &sd).await?,
            None => None,
        };
        let flag = |member: &str| f.get(member).cloned().unwrap_or(json!(0));
        let day = f["day"].as_str().unwrap_or_default();
        let ordered = crate::order::day_summa(ctx, agent_id, client_id, day).await?;
        // A visit has an order when it says so or the agent's order for the client
        // that day exists (DIGEST §3.6).
        let has_order = if ordered.is_some() {
            json!(1)
        } else {
            flag("has_order")
        };
        items.push(json!({
            "agent_id": agent_id,
            "agent_name": name_of(agent.as_ref(), &["name"]),
            "client_id": client_id,
            "client_name": name_of(client.as_ref(), &["name", "shortName"]),
            "category_name": name_of(category.as_ref(), &["name"]),
            "date": f["day"],
            "start_date": f["start"],
            "end_date": f["end"],
            "planned": flag("planned"),
            "visited": flag("visited"),
            "reject": "",
            "has_photo_report": flag("has_photo_report"),
            "gps_visit": flag("gps_visit"),
            "has_order": has_order,
            "order_summa": ordered.unwrap_or(0.0),
        }));
    }
    Ok(page(KEY, items, listing.limit, total, listing.page))
}
