//! References from a stored document to others of its dialect, found in its body so the
//! console can link them. One rule set serves every dialect:
//!
//! - a string holding a MoySklad link `.../entity/{type}/{id}` (a `meta.href`) names
//!   kind `type`;
//! - an object under key `K` carrying an `id` (or SalesDoc's `SD_id`) names the kind its
//!   `type` says (MoySklad and RetailCRM store references as `{"type", "id"}`), else the
//!   kind `K` names (SalesDoc's `client: {"SD_id"}`);
//! - a plain value under a key that names a kind, also with an `Id` suffix
//!   (`warehouse: "d0_1"`, `cashboxId: "..."`), or each value of an array under such a
//!   key with an `Ids` suffix.
//!
//! A key names a kind when it equals one, ignoring case, or when the dialect says so
//! (`aliases`: SalesDoc's `store` holds a warehouse). These are candidates: the caller
//! keeps those whose target document exists (and that are not the document itself).

use std::collections::BTreeSet;

use serde_json::Value;

/// Candidates returned at most, so a huge document costs a bounded number of lookups.
pub const MAX_CANDIDATES: usize = 500;
/// How deep the walk goes.
const MAX_DEPTH: usize = 32;

/// A reference found in a body: where (`label`, a path like `fields.client` or
/// `salePrices[0].currency`) and to what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub label: String,
    pub kind: String,
    pub id: String,
}

/// The references in `body` to documents of `kinds` (the kinds the dialect stores), in
/// the order the body holds them, each (label, kind, id) once. `aliases` are `(key,
/// kind)` for keys that refer to a kind they do not name.
pub fn candidates(body: &Value, kinds: &[String], aliases: &[(&str, &str)]) -> Vec<Candidate> {
    let mut walk = Walk {
        kinds,
        aliases,
        found: Vec::new(),
        seen: BTreeSet::new(),
    };
    walk.value(body, "", 0);
    walk.found
}

struct Walk<'a> {
    kinds: &'a [String],
    aliases: &'a [(&'a str, &'a str)],
    found: Vec<Candidate>,
    seen: BTreeSet<Candidate>,
}

impl Walk<'_> {
    fn value(&mut self, value: &Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH || self.found.len() >= MAX_CANDIDATES {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, member) in map {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.member(key, member, &path);
                    self.value(member, &path, depth + 1);
                }
            }
            Value::Array(items) => {
                for (n, item) in items.iter().enumerate() {
                    self.value(item, &format!("{path}[{n}]"), depth + 1);
                }
            }
            Value::String(text) => {
                if let Some((kind, id)) = entity_href(text) {
                    let label = path.strip_suffix(".meta.href").unwrap_or(path);
                    self.add(label, kind, id);
                }
            }
            _ => {}
        }
    }

    /// The rules that read a key with its value.
    fn member(&mut self, key: &str, value: &Value, path: &str) {
        match value {
            Value::Object(object) => {
                let Some(id) = ["id", "SD_id"].iter().find_map(|f| scalar(object.get(*f)?)) else {
                    return;
                };
                let typed = object.get("type").and_then(Value::as_str);
                if let Some(kind) = typed.and_then(|t| self.kind(t)).or_else(|| self.kind(key)) {
                    self.add(path, &kind, &id);
                }
            }
            Value::Array(items) => {
                let Some(kind) = strip(key, &["Ids", "_ids"]).and_then(|k| self.kind(k)) else {
                    return;
                };
                for (n, item) in items.iter().enumerate() {
                    if let Some(id) = scalar(item) {
                        self.add(&format!("{path}[{n}]"), &kind, &id);
                    }
                }
            }
            other => {
                if key == "id" {
                    return;
                }
                let Some(id) = scalar(other) else {
                    return;
                };
                let named = self
                    .kind(key)
                    .or_else(|| strip(key, &["Id", "_id", "ID"]).and_then(|k| self.kind(k)));
                if let Some(kind) = named {
                    self.add(path, &kind, &id);
                }
            }
        }
    }

    /// The stored kind `name` names, ignoring case, or the kind it is an alias of.
    fn kind(&self, name: &str) -> Option<String> {
        let name = self
            .aliases
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map_or(name, |(_, kind)| *kind);
        self.kinds
            .iter()
            .find(|kind| kind.eq_ignore_ascii_case(name))
            .cloned()
    }

    fn add(&mut self, label: &str, kind: &str, id: &str) {
        if self.found.len() >= MAX_CANDIDATES || self.kind(kind).is_none() {
            return;
        }
        let candidate = Candidate {
            label: label.to_owned(),
            kind: kind.to_owned(),
            id: id.to_owned(),
        };
        if self.seen.insert(candidate.clone()) {
            self.found.push(candidate);
        }
    }
}

/// A non-empty string or an integer, as an id.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// `key` without the first of `suffixes` it ends with (and something before it).
fn strip<'a>(key: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix).filter(|rest| !rest.is_empty()))
}

/// The type and id of a MoySklad entity link: `.../entity/{type}/{id}` with nothing
/// after the id but a query.
pub fn entity_href(text: &str) -> Option<(&str, &str)> {
    let (_, rest) = text.split_once("/entity/")?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (kind, id) = rest.split_once('/')?;
    let valid = |part: &str| !part.is_empty() && !part.contains('/');
    (valid(kind) && valid(id)).then_some((kind, id))
}
