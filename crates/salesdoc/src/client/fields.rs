//! A client's own fields as `setClient` (10.17) writes them and `getClient` (9.10) shows
//! them. Members absent from an item keep their stored values; `shortName` is required in
//! every item (as documented) and shown as `name`, `orentir` as `waymark`, `bankDetails
//! {bankName, accountNumber, bankCode}` as `{bank, account, mfo}`. `pinfl` and the price
//! types are stored, not shown (getClient has no member for them); `allowKredit` and
//! `allowConsig` are 0, `photo`, `contract` and `expeditor` `null`: no method sets them
//! (*Inferred*). New clients are active (*Inferred*, as every reference).

use serde_json::{Map, Value};

use super::links::{delete_visits, merge_agents, Resolved};
use crate::reference::named::{active_flag, finish, optional_number, renamed_text};
use crate::values::text;

/// Item member → stored (and shown) member of the plain texts.
const TEXTS: &[(&str, &str)] = &[
    ("firmName", "firmName"),
    ("address", "address"),
    ("orentir", "waymark"),
    ("tel", "tel"),
    ("comment", "comment"),
    ("inn", "inn"),
    ("pinfl", "pinfl"),
    ("nspCode", "nspCode"),
];

/// `bankDetails` item member → stored member.
const BANK: &[(&str, &str)] = &[
    ("bankName", "bank"),
    ("accountNumber", "account"),
    ("bankCode", "mfo"),
];

/// *Inferred* item texts.
const NAME_REQUIRED: &str = "shortName is required";
const BANK_NOT_OBJECT: &str = "bankDetails must be an object";

/// The client's fields after an item, its links already resolved.
pub fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    links: &Resolved,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = stored.cloned().unwrap_or_default();
    match item.get("shortName").and_then(text) {
        Some(name) => fields.insert("name".into(), Value::from(name)),
        None => {
            errors.push(NAME_REQUIRED.into());
            None
        }
    };
    for (from, to) in TEXTS {
        fields.insert((*to).into(), renamed_text(item, stored, from, to));
    }
    fields.insert("active".into(), active_flag(item, stored, &mut errors));
    for member in ["lat", "lon"] {
        let value = optional_number(item, stored, member, &mut errors);
        fields.insert(member.into(), value);
    }
    let stored_bank = stored
        .and_then(|s| s.get("bankDetails"))
        .and_then(Value::as_object);
    match item.get("bankDetails") {
        None => {}
        Some(Value::Object(given)) => {
            let mut bank = Map::new();
            for (from, to) in BANK {
                let kept = stored_bank.and_then(|b| b.get(*to).cloned());
                let value = match given.get(*from) {
                    Some(v) => text(v).map_or(Value::Null, Value::from),
                    None => kept.unwrap_or(Value::Null),
                };
                bank.insert((*to).into(), value);
            }
            fields.insert("bankDetails".into(), Value::Object(bank));
        }
        Some(Value::Null) => {
            fields.remove("bankDetails");
        }
        Some(_) => errors.push(BANK_NOT_OBJECT.into()),
    }
    for (member, value) in &links.fields {
        if member != "agents" {
            fields.insert(member.clone(), value.clone());
        }
    }
    let replace = delete_visits(item);
    if replace || links.fields.contains_key("agents") {
        let agents = merge_agents(
            stored.and_then(|s| s.get("agents")),
            links.fields.get("agents"),
            replace,
        );
        fields.insert("agents".into(), agents);
    }
    finish(fields, errors)
}

/// The shown plain members, in the documented order (the links are added by the GET).
pub const SHOWN: &[&str] = &[
    "name", "firmName", "address", "waymark", "tel", "lon", "lat",
];

/// The client's own members as getClient shows them, before its links.
pub fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let get = |member: &str| fields.get(member).cloned().unwrap_or(Value::Null);
    let mut shown = Map::new();
    for member in SHOWN {
        shown.insert((*member).into(), get(member));
    }
    shown.insert("allowKredit".into(), Value::from(0));
    shown.insert("allowConsig".into(), Value::from(0));
    shown.insert("comment".into(), get("comment"));
    shown.insert("photo".into(), Value::Null);
    shown.insert(
        "active".into(),
        crate::reference::named::active_yes_no(fields),
    );
    shown.insert("inn".into(), get("inn"));
    shown.insert("contract".into(), Value::Null);
    shown.insert("nspCode".into(), get("nspCode"));
    let bank = fields.get("bankDetails").and_then(Value::as_object);
    let mut details = Map::new();
    for (_, member) in BANK {
        let value = bank.and_then(|b| b.get(*member).cloned());
        details.insert((*member).into(), value.unwrap_or(Value::Null));
    }
    shown.insert("bankDetails".into(), Value::Object(details));
    shown
}
