//! Reading a JSON request body field by field, the way the vendor's validator reports it:
//! every problem of the body becomes one `details` line named by the field's property path
//! (`positions[1].price`, `details.client.email`), all of them are reported together, and a
//! field that is wrong reads as absent so the rest of the body is still checked. One reader
//! for every resource (operations, orders, products, categories, webhook endpoints).

use serde_json::{Map, Value};

use crate::error::texts;
use crate::money::{self, Decimal};
use crate::request::{parse_time, Problems};

/// Symfony's type error: `This value should be of type string.`
pub fn type_error(kind: &str) -> String {
    format!("This value should be of type {kind}.")
}

/// Symfony's length error for at most `max` characters.
pub fn too_long(max: usize) -> String {
    texts::TOO_LONG.replace("{}", &max.to_string())
}

/// One object of the body, read under the property path `prefix` (empty at the root).
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Fields<'a> {
    /// The body's root object.
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Self::under(object, "")
    }

    /// An object whose fields are named under `prefix`.
    pub fn under(object: &'a Map<String, Value>, prefix: impl Into<String>) -> Self {
        Self {
            object,
            prefix: prefix.into(),
        }
    }

    /// The full path of a field, as `details` lines name it.
    pub fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    /// The field's value; `null` counts as absent.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|value| !value.is_null())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The listed fields the object has, as given (what an operation shows before it runs).
    pub fn echo(&self, names: &[&str]) -> Value {
        Value::Object(
            names
                .iter()
                .filter_map(|name| Some(((*name).to_owned(), self.object.get(*name)?.clone())))
                .collect(),
        )
    }

    /// Reports `text` on the field.
    pub fn problem(&self, problems: &mut Problems, name: &str, text: &str) {
        problems.add(&self.path(name), text);
    }

    /// The field is absent: blank when it is required.
    fn missing(&self, problems: &mut Problems, name: &str, required: bool) {
        if required {
            self.problem(problems, name, texts::BLANK);
        }
    }

    /// A string as given (an empty one too, unless required: then it is blank).
    pub fn string(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        match self.get(name) {
            Some(Value::String(text)) if !(required && text.trim().is_empty()) => {
                Some(text.clone())
            }
            None | Some(Value::String(_)) => {
                self.missing(problems, name, required);
                None
            }
            Some(_) => {
                self.problem(problems, name, &type_error("string"));
                None
            }
        }
    }

    /// A string of at most `max` characters; blank counts as absent (Symfony's `Length`
    /// skips empty values).
    pub fn text(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        let text = self.string(problems, name, required)?;
        if text.trim().is_empty() {
            return None;
        }
        if text.chars().count() > max {
            self.problem(problems, name, &too_long(max));
            return None;
        }
        Some(text)
    }

    /// A string that must be one of `allowed` (an empty string is not a choice either).
    pub fn choice(
        &self,
        problems: &mut Problems,
        name: &str,
        allowed: &[&str],
        required: bool,
    ) -> Option<String> {
        let text = self.string(problems, name, required)?;
        if allowed.contains(&text.as_str()) {
            Some(text)
        } else {
            self.problem(problems, name, texts::CHOICE);
            None
        }
    }

    /// A UUID string.
    pub fn uuid(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        let text = self.text(problems, name, required, usize::MAX)?;
        if uuid::Uuid::parse_str(&text).is_ok() {
            Some(text)
        } else {
            self.problem(problems, name, texts::UUID);
            None
        }
    }

    /// A time: `Y-m-d H:i` (as the seed's orders send them), `Y-m-d H:i:s` or RFC 3339.
    pub fn time(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        let text = self.text(problems, name, required, usize::MAX)?;
        let parsed = parse_time(&text);
        if parsed.is_none() {
            self.problem(problems, name, texts::DATETIME);
        }
        parsed
    }

    /// A boolean; absent or `null` is `None` (the caller's default).
    pub fn flag(&self, problems: &mut Problems, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(flag) => Some(*flag),
            _ => {
                self.problem(problems, name, &type_error("bool"));
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
        let Some(value) = self.get(name) else {
            self.missing(problems, name, required);
            return None;
        };
        let Some(value) = value.as_i64() else {
            self.problem(problems, name, &type_error("int"));
            return None;
        };
        if allowed.is_some_and(|allowed| !allowed.contains(&value)) {
            self.problem(problems, name, texts::CHOICE);
            return None;
        }
        Some(value)
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
                    self.problem(problems, name, texts::NOT_VALID);
                }
                decimal
            }
            Some(_) => {
                self.problem(problems, name, &type_error("float"));
                None
            }
        }
    }

    /// A sum in kopecks: positive, or with `zero_ok` positive or zero.
    pub fn money(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
        zero_ok: bool,
    ) -> Option<i64> {
        self.scaled(problems, name, required, zero_ok, money::kopecks)
    }

    /// A positive quantity in thousandths.
    pub fn quantity(&self, problems: &mut Problems, name: &str) -> Option<i64> {
        self.scaled(problems, name, true, false, money::thousandths)
    }

    fn scaled(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
        zero_ok: bool,
        scale: fn(&Value) -> Option<i64>,
    ) -> Option<i64> {
        let Some(value) = self.get(name) else {
            self.missing(problems, name, required);
            return None;
        };
        let Some(amount) = scale(value) else {
            self.problem(problems, name, texts::NUMBER);
            return None;
        };
        match (amount, zero_ok) {
            (amount, _) if amount > 0 => Some(amount),
            (0, true) => Some(0),
            (_, true) => {
                self.problem(problems, name, texts::NOT_NEGATIVE);
                None
            }
            (_, false) => {
                self.problem(problems, name, texts::POSITIVE);
                None
            }
        }
    }

    /// A nested object, read under its own path; absent or `null` is `None`.
    pub fn object(&self, problems: &mut Problems, name: &str) -> Option<Fields<'a>> {
        match self.get(name)? {
            Value::Object(object) => Some(Fields::under(object, self.path(name))),
            _ => {
                self.problem(problems, name, &type_error("array"));
                None
            }
        }
    }

    /// An array; required ones must hold at least one element.
    pub fn list(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<&'a Vec<Value>> {
        match self.get(name) {
            None => {
                self.missing(problems, name, required);
                None
            }
            Some(Value::Array(items)) if items.is_empty() && required => {
                self.problem(problems, name, texts::COUNT_MIN_ONE);
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                self.problem(problems, name, &type_error("array"));
                None
            }
        }
    }

    /// The objects of an array, each read under `name[i]`; an element that is no object is
    /// a problem of its own and left out (`all_objects` tells). `None` when the array is
    /// missing or is not one.
    pub fn objects(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<Vec<Fields<'a>>> {
        let items = self.list(problems, name, required)?;
        let mut objects = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(name));
            match item {
                Value::Object(object) => objects.push(Fields::under(object, path)),
                _ => problems.add(&path, &type_error("array")),
            }
        }
        Some(objects)
    }

    /// Whether every element of the array `name` is an object.
    pub fn all_objects(&self, name: &str) -> bool {
        self.get(name)
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().all(Value::is_object))
    }

    /// An array of strings, each checked by `check` (a problem text for a bad one).
    pub fn strings(
        &self,
        problems: &mut Problems,
        name: &str,
        check: impl Fn(&str) -> Option<&'static str>,
    ) -> Option<Vec<String>> {
        let items = self.list(problems, name, false)?;
        let mut strings = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(name));
            match item {
                Value::String(text) => match check(text) {
                    None => strings.push(text.clone()),
                    Some(problem) => problems.add(&path, problem),
                },
                _ => problems.add(&path, &type_error("string")),
            }
        }
        Some(strings)
    }

    /// An INN: 10 digits (a company) or 12 (a person).
    pub fn inn(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        let value = self.text(problems, name, required, 12)?;
        if matches!(value.len(), 10 | 12) && value.bytes().all(|b| b.is_ascii_digit()) {
            Some(value)
        } else {
            self.problem(problems, name, texts::NOT_VALID);
            None
        }
    }
}
