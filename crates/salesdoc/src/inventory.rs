//! Equipment placed at clients (`getInventory` 9.32): fridges, shelves and the like, per
//! filial. No SET method writes it: admin seeds it (`seed`, path kind `inventory`) with
//! `{code_1C?, name, model?, serial_no?, inventory_no?, production_date?, from_date?,
//! to_date?, state?, comment?, type?, agents?, client?, city?}`. `type` names an
//! equipment type by `{CS_id|SD_id|code_1C}` and is created from its `name` when it
//! finds none (as setProduct's categories); `client`, `city` and each of `agents` must
//! name stored records (a link that finds nothing fails the item).
//!
//! getInventory lists `{SD_id, code_1C, name, model, serial_no, inventory_no,
//! production_date, from_date, to_date, state, comment, type, agents, client, city}` under
//! `inventory`, every link as `{SD_id, name, code_1C}` (no `CS_id`, as documented; names
//! as they are now). `filter.period.date` bounds `from_date`, the placement start.
//!
//! *Inferred* (the docs are silent): dates are kept as `YYYY-MM-DD` (a time given is
//! dropped; no date fails the item); an item without identifiers creates a record; a
//! record without a link shows it as all `null` (`agents` empty).

use axum::response::Response;
use serde_json::{Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::link::{lookup, resolve, Home, Link, Missing};
use crate::reference::list::{date_range, Listing};
use crate::reference::named::{name, named_kind, optional_text};
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, Refused, StoreRecord, Target};
use crate::reference::{by_sd_in, Record, RefKind};
use crate::request::Ctx;
use crate::values::{period_bound, text, Bound};

/// The stored kind and the answer's member.
pub const KEY: &str = "inventory";
const AGENT: &str = "agent";
const TEXTS: &[&str] = &["model", "serial_no", "inventory_no", "state", "comment"];
const DATES: &[&str] = &["production_date", "from_date", "to_date"];
/// The stored placement start as a moment (`from_date 00:00:00`).
const PLACED: &str = "placed";

/// Equipment types: `{name, active}`, made on first mention.
pub const INVENTORY_TYPE: RefKind = named_kind("inventoryType");

/// How the seeded items are read (only `read` is used: the GET renders links itself).
pub const INVENTORY: RefKind = RefKind {
    key: KEY,
    read: |_, _| Ok(Map::new()),
    render: |_| Map::new(),
};

/// Seeded items without identifiers create a record.
const RULES: Rules = Rules {
    unnamed: true,
    ..Rules::linked(LINKS)
};

const fn filial_link(member: &'static str, key: &'static str, missing: Missing) -> Link {
    Link {
        member,
        key,
        home: Home::Filial,
        required: false,
        missing,
    }
}

const LINKS: &[Link] = &[
    filial_link(
        "type",
        "inventoryType",
        Missing::Create {
            kind: &INVENTORY_TYPE,
            other: "Other",
        },
    ),
    filial_link("client", "client", Missing::Refuse),
    filial_link("city", "city", Missing::Refuse),
];

/// The admin seeding's way of storing one piece of equipment.
pub struct Equipment;

impl StoreRecord for Equipment {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &INVENTORY, &RULES, record).await?;
        let item = resolve(ctx, RULES.links, item).await?;
        let stored = existing.as_ref().map(|r| &r.fields);
        let mut errors = Vec::new();
        let mut fields = Map::new();
        fields.insert("name".into(), name(&item, &mut errors));
        for member in TEXTS {
            fields.insert((*member).into(), optional_text(&item, stored, member));
        }
        for member in DATES {
            fields.insert((*member).into(), day(&item, stored, member, &mut errors));
        }
        // `from_date` as a moment, for `filter.period.date`'s bounds.
        let placed = fields["from_date"]
            .as_str()
            .map(|d| format!("{d} 00:00:00"));
        fields.insert(PLACED.into(), placed.map_or(Value::Null, Value::from));
        for link in RULES.links {
            let value = crate::reference::link::field(&item, stored, link.member);
            fields.insert(link.member.into(), value);
        }
        fields.insert(
            "agents".into(),
            agents(ctx, &item, stored, &mut errors).await?,
        );
        if !errors.is_empty() {
            return Err(Refused::Item(errors));
        }
        let target = Target::of(ctx, KEY, &RULES, existing.as_ref()).await?;
        save(ctx, KEY, &ids, target, fields).await
    }
}

/// A date member as `YYYY-MM-DD`: as given (`null` clears), else as stored.
fn day(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
    errors: &mut Vec<String>,
) -> Value {
    let Some(given) = item.get(member) else {
        return crate::reference::named::kept(stored, member);
    };
    let Some(raw) = text(given) else {
        return Value::Null;
    };
    match period_bound(&raw, Bound::Start) {
        Some(at) => Value::from(&at[..10]),
        None => {
            errors.push(format!("{member} is not a valid date"));
            Value::Null
        }
    }
}

/// `agents`: the identifiers of every agent it names, or the errors of those it cannot
/// find; as stored when absent.
async fn agents(
    ctx: &Ctx,
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    errors: &mut Vec<String>,
) -> Result<Value, Refused> {
    let given = match item.get("agents") {
        None => return Ok(crate::reference::named::kept(stored, "agents")),
        Some(Value::Null) => return Ok(Value::Array(Vec::new())),
        Some(Value::Array(given)) => given,
        Some(_) => {
            errors.push("agents must be an array".into());
            return Ok(Value::Null);
        }
    };
    let link = filial_link(AGENT, AGENT, Missing::Refuse);
    let mut found = Vec::new();
    for (index, named) in given.iter().enumerate() {
        let one = Map::from_iter([(AGENT.to_owned(), named.clone())]);
        match lookup(ctx, &link, &one).await? {
            Some(Ok(agent)) => found.push(Value::Object(agent.ids(ctx))),
            Some(Err(error)) => errors.push(format!("agents[{index}]: {error}")),
            None => errors.push(format!("agents[{index}]: agent is required")),
        }
    }
    Ok(Value::Array(found))
}

/// A link as getInventory shows it: `{SD_id, name, code_1C}` of the record now.
async fn shown_link(ctx: &Ctx, key: &str, linked: &Value) -> SdResult<Value> {
    let sd_id = linked["SD_id"].as_str();
    let record = match sd_id {
        Some(sd_id) => by_sd_in(ctx, key, sd_id).await?,
        None => None,
    };
    let mut shown = Map::new();
    shown.insert("SD_id".into(), sd_id.map_or(Value::Null, Value::from));
    let member = |name: &str| record.as_ref().and_then(|r| r.fields.get(name).cloned());
    shown.insert("name".into(), member("name").unwrap_or(Value::Null));
    let code = record.as_ref().and_then(|r| r.code_1c.clone());
    shown.insert("code_1C".into(), code.map_or(Value::Null, Value::from));
    Ok(Value::Object(shown))
}

/// `getInventory` (9.32).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let mut filters = Vec::new();
    let period = envelope.filter().get("period").cloned();
    if let Some(range) = period.as_ref().and_then(|p| p.get("date")) {
        let name = "params.filter.period.date";
        filters.extend(date_range(range, &format!("fields.{PLACED}"), name)?);
    }
    let (records, total) = listing.fetch(ctx, KEY, filters).await?;
    let mut items = Vec::new();
    for record in records {
        let fields = &record.fields;
        let mut shown = Map::new();
        shown.insert("SD_id".into(), Value::from(record.sd_id.as_str()));
        shown.insert(
            "code_1C".into(),
            record.code_1c.clone().map_or(Value::Null, Value::from),
        );
        for member in ["name"].iter().chain(TEXTS).chain(DATES) {
            let value = fields.get(*member).cloned().unwrap_or(Value::Null);
            shown.insert((*member).into(), value);
        }
        shown.insert(
            "type".into(),
            shown_link(ctx, "inventoryType", &fields["type"]).await?,
        );
        let mut agents = Vec::new();
        for agent in fields["agents"].as_array().into_iter().flatten() {
            agents.push(shown_link(ctx, AGENT, agent).await?);
        }
        shown.insert("agents".into(), Value::Array(agents));
        for member in ["client", "city"] {
            shown.insert(
                member.into(),
                shown_link(ctx, member, &fields[member]).await?,
            );
        }
        items.push(Value::Object(shown));
    }
    Ok(listing.answer(KEY, items, total))
}
