//! Reading typed fields from a client's object with the vendor's errors: 2016 for a value
//! of the wrong JSON type, 3040 for a string over its length.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::error::{MsError, MsResult};
use crate::model::Ctx;
use crate::representation::{parse_reference, parse_time, Target};

/// A field as the client gave it: left out, `null` (clear it), or a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Given<T> {
    Absent,
    Null,
    Value(T),
}

impl<T> Given<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Given::Value(value) => Some(value),
            _ => None,
        }
    }
}

fn given<'a>(input: &'a Map<String, Value>, name: &str) -> Given<&'a Value> {
    match input.get(name) {
        None => Given::Absent,
        Some(Value::Null) => Given::Null,
        Some(value) => Given::Value(value),
    }
}

pub fn string(input: &Map<String, Value>, name: &str, max: usize) -> MsResult<Given<String>> {
    Ok(match given(input, name) {
        Given::Value(Value::String(text)) => {
            if text.chars().count() > max {
                return Err(MsError::too_long(name, max));
            }
            Given::Value(text.clone())
        }
        Given::Value(_) => return Err(MsError::wrong_type(name)),
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

pub fn boolean(input: &Map<String, Value>, name: &str) -> MsResult<Given<bool>> {
    Ok(match given(input, name) {
        Given::Value(Value::Bool(flag)) => Given::Value(*flag),
        Given::Value(_) => return Err(MsError::wrong_type(name)),
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

pub fn integer(input: &Map<String, Value>, name: &str) -> MsResult<Given<i64>> {
    Ok(match given(input, name) {
        Given::Value(Value::Number(n)) => match n.as_i64() {
            Some(int) => Given::Value(int),
            None => match n.as_f64() {
                Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => {
                    Given::Value(float as i64)
                }
                _ => return Err(MsError::wrong_type(name)),
            },
        },
        Given::Value(_) => return Err(MsError::wrong_type(name)),
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

pub fn number(input: &Map<String, Value>, name: &str) -> MsResult<Given<f64>> {
    Ok(match given(input, name) {
        Given::Value(Value::Number(n)) => {
            Given::Value(n.as_f64().ok_or_else(|| MsError::wrong_type(name))?)
        }
        Given::Value(_) => return Err(MsError::wrong_type(name)),
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

/// A time field, `YYYY-MM-DD HH:MM[:SS[.mmm]]` in Moscow time; another format is 3005.
pub fn time(input: &Map<String, Value>, name: &str) -> MsResult<Given<DateTime<Utc>>> {
    Ok(match string(input, name, 32)? {
        Given::Value(text) => Given::Value(
            parse_time(&text).ok_or_else(|| MsError::bad_value(name, "неверный формат даты"))?,
        ),
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

/// A reference field, checked to point at an existing entity of `keyword` in the account.
pub async fn reference(
    ctx: &Ctx,
    input: &Map<String, Value>,
    name: &str,
    keyword: &str,
) -> MsResult<Given<Target>> {
    reference_to(ctx, input, name, &[keyword]).await
}

/// A reference field that may point at an entity of any of the `allowed` types.
pub async fn reference_to(
    ctx: &Ctx,
    input: &Map<String, Value>,
    name: &str,
    allowed: &[&str],
) -> MsResult<Given<Target>> {
    Ok(match given(input, name) {
        Given::Value(value) => {
            let target = parse_reference(&ctx.links, value, name, allowed)?;
            let exists = ctx.find(&target.keyword, &target.id).await?.is_some();
            if !exists {
                return Err(MsError::not_found(&target.keyword, &target.id).on(name));
            }
            Given::Value(target)
        }
        Given::Null => Given::Null,
        Given::Absent => Given::Absent,
    })
}

/// How a reference is stored: `{"type", "id"}`; rendering turns it into `{"meta": ...}`.
pub fn stored_reference(keyword: &str, id: &str) -> Value {
    serde_json::json!({ "type": keyword, "id": id })
}

/// A stored reference to a target, keeping the owner type of states and attributes.
pub fn stored_target(target: &Target) -> Value {
    let mut stored = stored_reference(&target.keyword, &target.id);
    if let Some(owner) = &target.owner {
        stored["entity"] = Value::String(owner.clone());
    }
    if let Some(owner_id) = &target.owner_id {
        stored["entityId"] = Value::String(owner_id.clone());
    }
    stored
}

/// Copies a string field into `out` when given; `null` removes it; an empty value is
/// refused when `required`.
pub fn set_string(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    max: usize,
    required: bool,
) -> MsResult<()> {
    match string(input, name, max)? {
        Given::Value(text) if required && text.trim().is_empty() => Err(MsError::required(name)),
        Given::Value(text) => {
            out.insert(name.into(), Value::String(text));
            Ok(())
        }
        Given::Null if required => Err(MsError::required(name)),
        Given::Null => {
            out.remove(name);
            Ok(())
        }
        Given::Absent => Ok(()),
    }
}

/// Copies a boolean field into `out` when given (`null` leaves it as it was).
pub fn set_bool(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
) -> MsResult<()> {
    if let Given::Value(flag) = boolean(input, name)? {
        out.insert(name.into(), Value::Bool(flag));
    }
    Ok(())
}

/// Copies an enumerated string field; a value outside `allowed` is 3005; `null` removes it.
pub fn set_enum(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    allowed: &[&str],
) -> MsResult<()> {
    match string(input, name, 64)? {
        Given::Value(value) if !allowed.contains(&value.as_str()) => Err(MsError::bad_value(
            name,
            &format!("допустимые значения поля '{name}': {}", allowed.join(", ")),
        )),
        Given::Value(value) => {
            out.insert(name.into(), Value::String(value));
            Ok(())
        }
        Given::Null => {
            out.remove(name);
            Ok(())
        }
        Given::Absent => Ok(()),
    }
}

/// Copies an integer field that must lie in `range` (3005 with `message` otherwise);
/// `null` removes it. Returns the value given, if any.
pub fn set_int_in(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    range: std::ops::RangeInclusive<i64>,
    message: &str,
) -> MsResult<Option<i64>> {
    match integer(input, name)? {
        Given::Value(value) if !range.contains(&value) => Err(MsError::bad_value(name, message)),
        Given::Value(value) => {
            out.insert(name.into(), Value::from(value));
            Ok(Some(value))
        }
        Given::Null => {
            out.remove(name);
            Ok(None)
        }
        Given::Absent => Ok(None),
    }
}

/// Copies a 32-bit integer count that may not be negative (3002) or, when `positive`, zero
/// either (3003); a value beyond 32 bits is the wrong type; `null` removes it. Returns the
/// value given, if any.
pub fn set_count(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    positive: bool,
) -> MsResult<Option<i64>> {
    match integer(input, name)? {
        Given::Value(value) if value > i64::from(i32::MAX) => Err(MsError::wrong_type(name)),
        Given::Value(value) if value < 0 => Err(MsError::negative(name)),
        Given::Value(0) if positive => Err(MsError::not_positive(name)),
        Given::Value(value) => {
            out.insert(name.into(), Value::from(value));
            Ok(Some(value))
        }
        Given::Null => {
            out.remove(name);
            Ok(None)
        }
        Given::Absent => Ok(None),
    }
}

/// Copies an array of strings, each at most `max` long; `null` empties it.
pub fn set_strings(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
    max: usize,
) -> MsResult<()> {
    match given(input, name) {
        Given::Value(Value::Array(items)) => {
            for item in items {
                match item.as_str() {
                    Some(text) if text.chars().count() > max => {
                        return Err(MsError::too_long(name, max))
                    }
                    Some(_) => {}
                    None => return Err(MsError::wrong_type(name)),
                }
            }
            out.insert(name.into(), Value::Array(items.clone()));
        }
        Given::Value(_) => return Err(MsError::wrong_type(name)),
        Given::Null => {
            out.insert(name.into(), Value::Array(Vec::new()));
        }
        Given::Absent => {}
    }
    Ok(())
}
