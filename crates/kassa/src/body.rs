//! Reading a JSON request body field by field, the way the vendor's validator reports it:
//! every problem of the body becomes one `details` line named by the field's path
//! (`details.positions[0].price`), and all of them are reported together.

use serde_json::{Map, Value};

use crate::error::texts;
use crate::money;
use crate::request::{parse_time, Problems};

/// Texts of type and length checks the foundation's `texts` does not have.
pub mod more_texts {
    pub const STRING: &str = "This value should be of type string.";
    pub const BOOL: &str = "This value should be of type bool.";
    pub const INT: &str = "This value should be of type int.";
    pub const ARRAY: &str = "This value should be of type array.";
    pub const NUMBER: &str = "This value should be a valid number.";
    pub const TOO_LONG_255: &str = "This value is too long. It should have 255 characters or less.";
    pub const URL: &str = "This value is not a valid URL.";
    pub const NOT_EMPTY: &str = "This collection should contain 1 element or more.";
    pub const MULTIPLE_CHOICE: &str = "One or more of the given values is invalid.";
    pub const SHOULD_BE_BLANK: &str = "This value should be blank.";
    pub const CATEGORY_TYPE: &str = "The category is not for this cash movement.";
}
use more_texts as t;

/// One object of the body, read under the path `prefix`.
pub struct Fields<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Fields<'a> {
    pub fn new(object: &'a Map<String, Value>, prefix: impl Into<String>) -> Self {
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
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|value| !value.is_null())
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

    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// Reports `text` on the field.
    pub fn problem(&self, problems: &mut Problems, name: &str, text: &str) {
        problems.add(&self.path(name), text);
    }

    /// A string field; blank when required and missing or empty.
    pub fn string(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        match self.raw(name) {
            None => {
                if required {
                    self.problem(problems, name, texts::BLANK);
                }
                None
            }
            Some(Value::String(text)) if text.trim().is_empty() && required => {
                self.problem(problems, name, texts::BLANK);
                None
            }
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                self.problem(problems, name, t::STRING);
                None
            }
        }
    }

    /// A string of at most 255 characters.
    pub fn short_string(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<String> {
        let text = self.string(problems, name, required)?;
        if text.chars().count() > 255 {
            self.problem(problems, name, t::TOO_LONG_255);
            return None;
        }
        Some(text)
    }

    /// A string that must be one of `allowed`.
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
        let text = self.string(problems, name, required)?;
        if uuid::Uuid::parse_str(&text).is_ok() {
            Some(text)
        } else {
            self.problem(problems, name, texts::UUID);
            None
        }
    }

    /// A time (`Y-m-d H:i:s`, `Y-m-d H:i` or RFC 3339).
    pub fn time(&self, problems: &mut Problems, name: &str, required: bool) -> Option<String> {
        let text = self.string(problems, name, required)?;
        if parse_time(&text).is_some() {
            Some(text)
        } else {
            self.problem(problems, name, texts::DATETIME);
            None
        }
    }

    pub fn bool(&self, problems: &mut Problems, name: &str) -> Option<bool> {
        match self.raw(name)? {
            Value::Bool(flag) => Some(*flag),
            _ => {
                self.problem(problems, name, t::BOOL);
                None
            }
        }
    }

    pub fn int(&self, problems: &mut Problems, name: &str, required: bool) -> Option<i64> {
        match self.raw(name) {
            None => {
                if required {
                    self.problem(problems, name, texts::BLANK);
                }
                None
            }
            Some(value) => value.as_i64().or_else(|| {
                self.problem(problems, name, t::INT);
                None
            }),
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
        let Some(value) = self.raw(name) else {
            if required {
                self.problem(problems, name, texts::BLANK);
            }
            return None;
        };
        let Some(amount) = scale(value) else {
            self.problem(problems, name, t::NUMBER);
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

    /// A nested object, read under its own path.
    pub fn object(&self, problems: &mut Problems, name: &str) -> Option<Fields<'a>> {
        match self.raw(name)? {
            Value::Object(object) => Some(Fields::new(object, self.path(name))),
            _ => {
                self.problem(problems, name, t::ARRAY);
                None
            }
        }
    }

    /// An array; required ones must hold at least one element.
    pub fn array(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<&'a Vec<Value>> {
        match self.raw(name) {
            None => {
                if required {
                    self.problem(problems, name, texts::BLANK);
                }
                None
            }
            Some(Value::Array(items)) if items.is_empty() && required => {
                self.problem(problems, name, t::NOT_EMPTY);
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                self.problem(problems, name, t::ARRAY);
                None
            }
        }
    }

    /// The objects of an array, each read under `name[i]`; elements that are not
    /// objects are reported and left out (`all_objects` tells). `None` when the array
    /// is missing or is not one.
    pub fn objects(
        &self,
        problems: &mut Problems,
        name: &str,
        required: bool,
    ) -> Option<Vec<Fields<'a>>> {
        let items = self.array(problems, name, required)?;
        let mut fields = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let path = format!("{}[{index}]", self.path(name));
            match item {
                Value::Object(object) => fields.push(Fields::new(object, path)),
                _ => problems.add(&path, t::ARRAY),
            }
        }
        Some(fields)
    }

    /// Whether every element of the array `name` is an object.
    pub fn all_objects(&self, name: &str) -> bool {
        self.raw(name)
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().all(Value::is_object))
    }
}
