//! The fields every named reference shares, read from SET items and shown in GETs: a
//! `name`, optional texts, the active flag, `sort`. Currency types (9.1 / 10.1) and units
//! (9.2 / 10.2) are nothing more (`{name, short, active}`); client categories, channels,
//! types, trade directions, tags, territories, people and the product references build
//! on the same readers ([`read_fields`], [`read_members`], [`read_sorted`]) and
//! renderers ([`render_members`]). `name` is required in every item (the docs mark it
//! so); texts are optional (`null` until given); `active` reads every documented
//! spelling and defaults to active on create (*Inferred*: the docs give no default; an
//! item without it keeps the stored value).

use serde_json::{Map, Value};

use crate::values::{active, text, yes_no};

/// *Inferred* item texts.
pub const NAME_REQUIRED: &str = "name is required";
pub const ACTIVE_INVALID: &str = "active must be true, false, \"Y\", \"N\", \"True\", 1 or 0";

/// A required `name`: a non-empty string (or number).
pub fn name(item: &Map<String, Value>, errors: &mut Vec<String>) -> Value {
    match item.get("name").and_then(text) {
        Some(name) => Value::from(name),
        None => {
            errors.push(NAME_REQUIRED.into());
            Value::Null
        }
    }
}

/// `active` as the item gives it, else as stored, else `true`.
pub fn active_flag(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    errors: &mut Vec<String>,
) -> Value {
    match item.get("active") {
        None | Some(Value::Null) => stored
            .and_then(|s| s.get("active").cloned())
            .unwrap_or(Value::Bool(true)),
        Some(given) => match active(given) {
            Some(flag) => Value::Bool(flag),
            None => {
                errors.push(ACTIVE_INVALID.into());
                Value::Null
            }
        },
    }
}

/// What an item without `member` keeps: the stored value, else `null`.
pub fn kept(stored: Option<&Map<String, Value>>, member: &str) -> Value {
    stored
        .and_then(|s| s.get(member).cloned())
        .unwrap_or(Value::Null)
}

/// An optional text member: as the item gives it (`null`/`""` clear it), else as
/// stored, else `null`.
pub fn optional_text(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
) -> Value {
    renamed_text(item, stored, member, member)
}

/// An optional text the item gives as `from` and the record keeps as `to` (getClient's
/// `waymark` is setClient's `orentir`).
pub fn renamed_text(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    from: &str,
    to: &str,
) -> Value {
    match item.get(from) {
        Some(given) => text(given).map_or(Value::Null, Value::from),
        None => kept(stored, to),
    }
}

/// *Inferred* item text.
pub fn not_a_number(member: &str) -> String {
    format!("{member} must be a number")
}

/// An optional number member (`sort`, `volume`, coordinates, ...; a numeric string is
/// read too): as the item gives it (`null`/`""` clear it), else as stored, else `null`;
/// anything else is the item's error.
pub fn optional_number(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
    errors: &mut Vec<String>,
) -> Value {
    match item.get(member) {
        None => kept(stored, member),
        Some(Value::Null) => Value::Null,
        Some(Value::Number(n)) => Value::Number(n.clone()),
        Some(Value::String(s)) if s.trim().is_empty() => Value::Null,
        Some(given) => match text(given).and_then(|t| t.parse::<f64>().ok()) {
            Some(n) => crate::values::number(n),
            None => {
                errors.push(not_a_number(member));
                Value::Null
            }
        },
    }
}

/// The fields read, or the item's errors when there are any.
pub fn finish(
    fields: Map<String, Value>,
    errors: Vec<String>,
) -> Result<Map<String, Value>, Vec<String>> {
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// Whether a named reference has the `active` flag (sales channels have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Active,
    None,
}

/// What every named reference has, of a SET item over the stored fields (kept, so
/// members set elsewhere, an agent's user or supervisor, stay): the required `name`,
/// the optional `texts`, and `active` when the kind has the flag. Pushes the item's
/// errors; kinds with more members add theirs.
pub fn read_fields(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    texts: &[&str],
    flag: Flag,
    errors: &mut Vec<String>,
) -> Map<String, Value> {
    let mut fields = stored.cloned().unwrap_or_default();
    fields.insert("name".into(), name(item, errors));
    for member in texts {
        fields.insert((*member).into(), optional_text(item, stored, member));
    }
    if flag == Flag::Active {
        fields.insert("active".into(), active_flag(item, stored, errors));
    }
    fields
}

/// `{name, active, sort}` of an item over the stored fields, what brands, product
/// categories, regions and cities share: `sort` a number as the item gives it, else as
/// stored, else `default` (also for a `null` one). Pushes the item's errors.
pub fn read_sorted(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    default: Value,
    errors: &mut Vec<String>,
) -> Map<String, Value> {
    let mut fields = read_fields(item, stored, &[], Flag::Active, errors);
    let sort = match optional_number(item, stored, "sort", errors) {
        Value::Null => default,
        given => given,
    };
    fields.insert("sort".into(), sort);
    fields
}

/// [`read_fields`] as a kind's `read`: the fields, or the item's errors.
pub fn read_members(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    texts: &[&str],
    flag: Flag,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let fields = read_fields(item, stored, texts, flag, &mut errors);
    finish(fields, errors)
}

/// `{name, active}` of an item over the stored fields: the `read` of the kinds with no
/// more fields (product groups, tags, agents, supervisors).
pub fn read_named(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    read_members(item, stored, &[], Flag::Active)
}

/// A kind of `{name, active}` records alone (product groups, bonus programs, photo
/// report categories), stored as `key`.
pub const fn named_kind(key: &'static str) -> super::RefKind {
    super::RefKind {
        key,
        read: read_named,
        render: render_name_active,
    }
}

/// A named reference as a GET shows it: `name`, the `texts` (`null` when absent), then
/// `active` as `"Y"`/`"N"` when the kind has the flag.
pub fn render_members(
    fields: &Map<String, Value>,
    texts: &[&str],
    flag: Flag,
) -> Map<String, Value> {
    let mut shown = members(fields, &["name"]);
    shown.extend(members(fields, texts));
    if flag == Flag::Active {
        shown.insert("active".into(), active_yes_no(fields));
    }
    shown
}

/// `{name, active: "Y"|"N"}` as a GET shows them; kinds with more members add theirs.
pub fn render_name_active(fields: &Map<String, Value>) -> Map<String, Value> {
    render_members(fields, &[], Flag::Active)
}

/// `{name, short, active}` of a SET item over the stored fields.
pub fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    read_members(item, stored, &["short"], Flag::Active)
}

/// `{name, short, active: "Y"|"N"}` as a GET shows them.
pub fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    render_members(fields, &["short"], Flag::Active)
}

/// The stored members as a GET shows them, `null` when absent.
pub fn members(fields: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .map(|name| {
            let value = fields.get(*name).cloned().unwrap_or(Value::Null);
            ((*name).to_owned(), value)
        })
        .collect()
}

/// The stored `active` flag as a GET writes it: `"Y"` or `"N"`.
pub fn active_yes_no(fields: &Map<String, Value>) -> Value {
    let flag = fields
        .get("active")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    Value::from(yes_no(flag))
}

/// `sort` as stored, else the default the docs' examples show for records that never
/// set it (500; *Inferred*: no SET method of these kinds takes it).
pub fn kept_sort(stored: Option<&Map<String, Value>>) -> Value {
    stored
        .and_then(|s| s.get("sort").cloned())
        .unwrap_or(Value::from(DEFAULT_SORT))
}

pub const DEFAULT_SORT: i64 = 500;
