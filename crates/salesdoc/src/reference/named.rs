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
        None => stored
            .and_then(|s| s.get(to).cloned())
            .unwrap_or(Value::Null),
    }
}

/// *Inferred* item text.
pub fn not_a_number(member: &str) -> String {
    format!("{member} must be a number")
}

/// An optional number member (a JSON number or a numeric string: coordinates): as the
/// item gives it (`null`/`""` clear it), else as stored, else `null`.
pub fn optional_number(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    member: &str,
    errors: &mut Vec<String>,
) -> Value {
    let Some(given) = item.get(member) else {
        return stored
            .and_then(|s| s.get(member).cloned())
            .unwrap_or(Value::Null);
    };
    match given {
        Value::Number(_) => given.clone(),
        other => match text(other) {
            None => Value::Null,
            Some(raw) => match raw.parse::<f64>() {
                Ok(number) => Value::from(number),
                Err(_) => {
                    errors.push(not_a_number(member));
                    Value::Null
                }
            },
        },
    }
}

/// Whether a simple reference has the `active` flag (sales channels have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Active,
    None,
}

/// The fields of a simple reference from a SET item over the stored ones: the required
/// `name`, the optional `texts`, and the active flag when the kind has one.
pub fn read_members(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    texts: &[&str],
    flag: Flag,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = Map::new();
    fields.insert("name".into(), name(item, &mut errors));
    for member in texts {
        fields.insert((*member).into(), optional_text(item, stored, member));
    }
    if flag == Flag::Active {
        fields.insert("active".into(), active_flag(item, stored, &mut errors));
    }
    checked(fields, errors)
}

/// A simple reference as a GET shows it: `name`, the `texts`, then `active` as
/// `"Y"`/`"N"` when the kind has the flag.
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

/// The fields or, when any was refused, the errors.
pub fn checked(
    fields: Map<String, Value>,
    errors: Vec<String>,
) -> Result<Map<String, Value>, Vec<String>> {
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}
