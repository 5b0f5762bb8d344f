//! A client's links to other records: its category (a kind without filial), type,
//! channel and city (the request's filial), each resolved when the client is written (an
//! unknown one fails the record) and stored by `SD_id`; its price types (stored as sent,
//! not shown: getClient has no member for them); and its agents with their visit days.
//!
//! Agents belong to another module (`setAgent`, stored kind `agent`). A link is stored by
//! the identifiers sent (with the agent's `SD_id` when it exists already) and resolved
//! when getClient reads it: a link whose agent does not exist (yet) is kept and not
//! shown, so clients may be sent before their agents (*Inferred*).

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::client_category::CLIENT_CATEGORY;
use crate::client_channel::CLIENT_CHANNEL;
use crate::client_type::CLIENT_TYPE;
use crate::error::SdResult;
use crate::reference::link::{lookup, Home, Link, Missing};
use crate::reference::{by_sd_in, find_in, Ids};
use crate::request::Ctx;
use crate::territory::CITY;
use crate::values::active;

/// The stored kind of agents (`setAgent`).
const AGENT: &str = crate::agent::AGENT.kind.key;

/// A single reference of a client: the engine's [`Link`] (item member, linked kind,
/// where it lives, required) and the getClient member that shows it, also the stored
/// field that keeps the linked `SD_id` (shown with the record's current identifiers).
pub struct ClientLink {
    pub link: Link,
    pub shown_as: &'static str,
}

/// A link to the kind stored as `key`, which fails the record when it finds nothing.
const fn refusing(member: &'static str, key: &'static str, home: Home, required: bool) -> Link {
    Link {
        member,
        key,
        home,
        required,
        missing: Missing::Refuse,
    }
}

pub const LINKS: &[ClientLink] = &[
    ClientLink {
        link: refusing(
            "clientCategory",
            CLIENT_CATEGORY.key,
            Home::HeadOffice,
            true,
        ),
        shown_as: "category",
    },
    ClientLink {
        link: refusing("clientType", CLIENT_TYPE.key, Home::Filial, false),
        shown_as: "type",
    },
    ClientLink {
        link: refusing("clientChannel", CLIENT_CHANNEL.key, Home::Filial, false),
        shown_as: "channel",
    },
    ClientLink {
        link: refusing("territory", CITY.key, Home::Filial, false),
        shown_as: "city",
    },
];

/// What an item's links resolved to: the stored fields to set (absent: keep).
#[derive(Debug, Default)]
pub struct Resolved {
    pub fields: Map<String, Value>,
}

/// The item's identifier object of a reference, or `None` (absent or all empty).
fn ids_of(value: &Value) -> Option<Ids> {
    value.as_object().map(Ids::of).filter(|ids| !ids.is_empty())
}

/// Resolves the item's links; the record's errors when one is missing or unknown.
pub async fn resolve(
    ctx: &Ctx,
    item: &Map<String, Value>,
) -> SdResult<Result<Resolved, Vec<String>>> {
    let mut errors = Vec::new();
    let mut resolved = Resolved::default();
    for ClientLink { link, shown_as } in LINKS {
        match lookup(ctx, link, item).await? {
            Some(Ok(found)) => {
                let sd = Value::from(found.sd_id);
                resolved.fields.insert((*shown_as).into(), sd);
            }
            Some(Err(error)) => errors.push(error),
            None if link.required => errors.push(format!("{} is required", link.member)),
            None => {}
        }
    }
    if let Some(list) = item.get("priceTypeList").filter(|v| !v.is_null()) {
        match list.as_array() {
            Some(list) if list.iter().all(|p| ids_of(p).is_some()) => {
                resolved.fields.insert("priceTypes".into(), json!(list));
            }
            _ => errors.push("priceTypeList must be a list of {CS_id|SD_id|code_1C}".into()),
        }
    }
    match agents(ctx, item).await? {
        Ok(Some(links)) => {
            resolved.fields.insert("agents".into(), Value::Array(links));
        }
        Ok(None) => {}
        Err(mut refused) => errors.append(&mut refused),
    }
    Ok(if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    })
}

/// The agent links of `agent` (an array or one object), each `{CS_id, SD_id, code_1C,
/// days}`: `None` when the item names none.
async fn agents(
    ctx: &Ctx,
    item: &Map<String, Value>,
) -> SdResult<Result<Option<Vec<Value>>, Vec<String>>> {
    let given = match item.get("agent") {
        None | Some(Value::Null) => return Ok(Ok(None)),
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
    };
    let mut links = Vec::new();
    let mut errors = Vec::new();
    for agent in &given {
        let Some(mut ids) = ids_of(agent) else {
            errors.push("agent: one of CS_id, SD_id or code_1C is required".into());
            continue;
        };
        let Some(days) = visit_days(agent.get("visitDays")) else {
            errors.push("agent.visitDays must be a list of days 1 to 7".into());
            continue;
        };
        if let Some(found) = find_in(ctx, AGENT, &ids).await? {
            ids.sd_id = Some(found.sd_id);
        }
        links.push(
            json!({ "CS_id": ids.cs_id, "SD_id": ids.sd_id, "code_1C": ids.code_1c, "days": days }),
        );
    }
    Ok(if errors.is_empty() {
        Ok(Some(links))
    } else {
        Err(errors)
    })
}

/// Visit days 1 (Monday) to 7 (Sunday), numbers or numeric strings, sorted and once
/// each; none when absent.
fn visit_days(value: Option<&Value>) -> Option<Vec<i64>> {
    let list = match value {
        None | Some(Value::Null) => return Some(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return None,
    };
    let mut days = Vec::new();
    for day in list {
        let day = day
            .as_i64()
            .or_else(|| day.as_str().and_then(|s| s.trim().parse().ok()))
            .filter(|d| (1..=7).contains(d))?;
        days.push(day);
    }
    days.sort_unstable();
    days.dedup();
    Some(days)
}

/// Whether `deleteVisits` asks to drop the stored agent links first (`"true"` as
/// documented, or any spelling of a true flag).
pub fn delete_visits(item: &Map<String, Value>) -> bool {
    item.get("deleteVisits").and_then(active).unwrap_or(false)
}

/// Two agent links name the same agent: one identifier in common.
fn same_agent(a: &Value, b: &Value) -> bool {
    ["SD_id", "CS_id", "code_1C"]
        .iter()
        .any(|id| a[*id].is_string() && a[*id] == b[*id])
}

/// The stored agent links after an item's: merged by agent, or replacing them all
/// with `deleteVisits`.
pub fn merge_agents(stored: Option<&Value>, given: Option<&Value>, replace: bool) -> Value {
    let mut links: Vec<Value> = if replace {
        Vec::new()
    } else {
        stored
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for link in given.and_then(Value::as_array).into_iter().flatten() {
        links.retain(|old| !same_agent(old, link));
        links.push(link.clone());
    }
    Value::Array(links)
}

/// Resolves stored links for getClient, each record once per request.
pub struct Shown {
    head_office: Ctx,
    cache: HashMap<(String, String), Value>,
}

impl Shown {
    pub fn new(ctx: &Ctx) -> Self {
        Self {
            head_office: ctx.head_office(),
            cache: HashMap::new(),
        }
    }

    /// `{CS_id, SD_id, code_1C}` of the record a stored `SD_id` names, `null` when none.
    pub async fn reference(
        &mut self,
        ctx: &Ctx,
        link: &Link,
        sd_id: Option<&str>,
    ) -> SdResult<Value> {
        let Some(sd_id) = sd_id else {
            return Ok(Value::Null);
        };
        let key = (link.key.to_owned(), sd_id.to_owned());
        if let Some(shown) = self.cache.get(&key) {
            return Ok(shown.clone());
        }
        let at = link.home.place(ctx, &self.head_office);
        let shown = by_sd_in(at, link.key, sd_id)
            .await?
            .map_or(Value::Null, |r| Value::Object(r.ids(at)));
        self.cache.insert(key, shown.clone());
        Ok(shown)
    }

    /// `agents: [{id, code, days}]` of the links whose agent exists.
    pub async fn agents(&mut self, ctx: &Ctx, links: Option<&Value>) -> SdResult<Value> {
        let mut shown = Vec::new();
        for link in links.and_then(Value::as_array).into_iter().flatten() {
            let ids = link.as_object().map(Ids::of).unwrap_or_default();
            let Some(agent) = find_in(ctx, AGENT, &ids).await? else {
                continue;
            };
            shown.push(json!({ "id": agent.sd_id, "code": agent.code_1c, "days": link["days"] }));
        }
        Ok(Value::Array(shown))
    }
}
