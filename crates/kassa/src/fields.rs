//! Reading a request body's fields the way the vendor's validator reports them: every
//! problem of the body is collected (one `details` line each, Symfony's texts and property
//! paths such as `positions[0].price` or `client.email`), and a field that is wrong reads
//! as absent so the rest of the body is still checked.

use serde_json::{Map, Value};

use crate::error::texts;
use crate::money::Decimal;
use crate::request::{parse_time, Problems};

pub const TOO_LONG: &str = "This value is too long. It should have {} characters or less.";
pub const NOT_VALID: &str = "This value is not valid.";
pub const COUNT_MIN_ONE: &str = "This collection should contain 1 element or more.";

/// Symfony's type error: `This value should be of type string.`
pub fn type_error(kind: &str) -> String {
    format!("This value should be of type {kind}.")
}

/// One JSON object of the body, its fields named under `prefix`.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: &'a str,
}

/// A nested object's fields, which own their property path.
pub struct Nested<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Nested<'a> {
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            map: self.map,
            prefix: &self.prefix,
        }
    }
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self { map, prefix: "" }
    }

    /// The property path of `name`.
    pub fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    /// The field's value; `null` counts as absent.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    fn missing(&self, problems: &mut Problems, name: &str, required: bool) {
        if required {
            problems.add(&self.path(name), texts::BLANK);
        }
    }

    /// A string of at most `max` characters; blank counts as absent.
    pub fn text(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        match self.get(name) {
            Some(Value::String(text)) if !text.trim().is_empty() => {
                if text.chars().count() > max {
                    problems.add(&self.path(name), &TOO_LONG.replace("{}", &max.to_string()));
                    None
                } else {
                    Some(text.clone())
                }
            }
            None | Some(Value::String(_)) => {
                self.missing(problems, name, required);
                None
            }
            Some(_) => {
                problems.add(&self.path(name), &type_error("string"));
                None
            }
        }
    }

    /// A string that must be one of `allowed`.
    pub fn choice(
        &self,
        problems: &mut Problems,
        name: &str,
        allowed: &[&str],
        required: bool,
    ) -> Option<String> {
        let value = self.text(problems, name, required, usize::MAX)?;
        if allowed.contains(&value.as_str()) {
            Some(value)
        } else {
            problems.add(&self.path(name), texts::CHOICE);
            None
        }
    }

    /// A UUID string.
    pub fn uuid(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        let value = self.text(problems, name, required, usize::MAX)?;
        if uuid::Uuid::parse_str(&value).is_ok() {
            Some(value)
        } else {
            problems.add(&self.path(name), texts::UUID);
            None
        }
    }

    /// A time: `Y-m-d H:i` (as the seed's orders send them), `Y-m-d H:i:s` or RFC 3339.
    pub fn time(
        &self,
        problems: &mut Problems,
        name: &str,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        let value = self.text(problems, name, false, usize::MAX)?;
        let parsed = parse_time(&value);
        if parsed.is_none() {
            problems.add(&self.path(name), texts::DATETIME);
        }
        parsed
    }

    /// A boolean; absent or `null` is `None` (the caller's default).
    pub fn flag(&self, problems: &mut Problems, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(flag) => Some(*flag),
            _ => {
                problems.add(&self.path(name), &type_error("bool"));
                None
            }
        }
    }

    /// A number, read exactly.
    pub fn number(&self, problems: &mut Problems, name: &str, required: bool) -> Option<Decimal> {
        match self.get(name) {
            None => {
                self.missing(problems, name, required);
                None
            }
            Some(Value::Number(number)) => {
                let decimal = Decimal::of(number);
                if decimal.is_none() {
                    problems.add(&self.path(name), NOT_VALID);
                }
                decimal
            }
            Some(_) => {
                problems.add(&self.path(name), &type_error("float"));
                None
            }
        }
    }

    /// An integer that must be one of `allowed` (when given).
    pub fn integer(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
        allowed: Option<&[i64]>,
    ) -> Option<i64> {
        match self.get(name) {
            None => {
                self.missing(problems, name, required);
                None
            }
            Some(Value::Number(number)) if number.is_i64() => {
                let value = number.as_i64()?;
                if allowed.is_some_and(|allowed| !allowed.contains(&value)) {
                    problems.add(&self.path(name), texts::CHOICE);
                    return None;
                }
                Some(value)
            }
            Some(_) => {
                problems.add(&self.path(name), &type_error("int"));
                None
            }
        }
    }

    /// A nested object; absent or `null` is `None`.
    pub fn object(&self, problems: &mut Problems, name: &str) -> Option<Nested<'a>> {
        match self.get(name)? {
            Value::Object(map) => Some(Nested {
                map,
                prefix: self.path(name),
            }),
            _ => {
                problems.add(&self.path(name), &type_error("array"));
                None
            }
        }
    }

    /// An array; absent or `null` is `None`.
    pub fn list(&self, problems: &mut Problems, name: &str) -> Option<&'a Vec<Value>> {
        match self.get(name)? {
            Value::Array(items) => Some(items),
            _ => {
                problems.add(&self.path(name), &type_error("array"));
                None
            }
        }
    }

    /// The objects of an array, each with its path `name[i]`; an element that is no object
    /// is a problem of its own.
    pub fn objects(&self, problems: &mut Problems, name: &str) -> Option<Vec<Nested<'a>>> {
        let items = self.list(problems, name)?;
        let mut objects = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(name));
            match item {
                Value::Object(map) => objects.push(Nested { map, prefix: path }),
                _ => problems.add(&path, &type_error("array")),
            }
        }
        Some(objects)
    }

    /// An array of strings, each checked by `check` (a problem text for a bad one).
    pub fn strings(
        &self,
        problems: &mut Problems,
        name: &str,
        check: impl Fn(&str) -> Option<&'static str>,
    ) -> Option<Vec<String>> {
        let items = self.list(problems, name)?;
        let mut texts = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(name));
            match item {
                Value::String(text) => match check(text) {
                    None => texts.push(text.clone()),
                    Some(problem) => problems.add(&path, problem),
                },
                _ => problems.add(&path, &type_error("string")),
            }
        }
        Some(texts)
    }
}

/// An INN: 10 digits (a company) or 12 (a person).
pub fn inn(
    fields: Fields<'_>,
    problems: &mut Problems,
    name: &str,
    required: bool,
) -> Option<String> {
    let value = fields.text(problems, name, required, 12)?;
    if matches!(value.len(), 10 | 12) && value.bytes().all(|b| b.is_ascii_digit()) {
        Some(value)
    } else {
        problems.add(&fields.path(name), NOT_VALID);
        None
    }
}
