//! The fields of the simplest references, a name, a short label and the active flag:
//! currency types (9.1 / 10.1) and units (9.2 / 10.2). `name` is required in every
//! item (the docs mark it so); `short` is optional (`null` until given); `active` reads
//! every documented spelling and defaults to active on create (*Inferred*: the docs
//! give no default; an item without it keeps the stored value).

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
    match item.get(member) {
        Some(given) => text(given).map_or(Value::Null, Value::from),
        None => kept(stored, member),
    }
}

/// An optional number member (`sort`, `volume`, ...; a numeric string is read too): as
/// the item gives it (`null` clears it), else as stored, else `null`; anything else is
/// the item's error.
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
                errors.push(format!("{member} must be a number"));
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

/// `{name, active}`, what every named reference has, of a SET item over the stored
/// fields (kept, so members set elsewhere, an agent's user or supervisor, stay). Pushes
/// the item's errors.
pub fn read_name_active(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    errors: &mut Vec<String>,
) -> Map<String, Value> {
    let mut fields = stored.cloned().unwrap_or_default();
    fields.insert("name".into(), name(item, errors));
    fields.insert("active".into(), active_flag(item, stored, errors));
    fields
}

/// `{name, active}` of an item over the stored fields: the `read` of the kinds with no
/// more fields (product groups, agents, supervisors).
pub fn read_named(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let fields = read_name_active(item, stored, &mut errors);
    finish(fields, errors)
}

/// `{name, active: "Y"|"N"}` as a GET shows them.
pub fn render_name_active(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = Map::new();
    shown.insert(
        "name".into(),
        fields.get("name").cloned().unwrap_or(Value::Null),
    );
    let flag = fields
        .get("active")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    shown.insert("active".into(), Value::from(yes_no(flag)));
    shown
}

/// `{name, short, active}` of a SET item over the stored fields.
pub fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = read_name_active(item, stored, &mut errors);
    fields.insert("short".into(), optional_text(item, stored, "short"));
    finish(fields, errors)
}

/// `{name, short, active: "Y"|"N"}` as a GET shows them.
pub fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_name_active(fields);
    shown.insert(
        "short".into(),
        fields.get("short").cloned().unwrap_or(Value::Null),
    );
    shown
}
