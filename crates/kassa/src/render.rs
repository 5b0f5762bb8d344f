//! Stored bodies are the API's objects plus Twin's own bookkeeping in fields whose names
//! start with `_` (a cashbox's shift, an endpoint's URL and secret): answers leave those out.

use serde_json::{Map, Value};

/// The body without its hidden fields.
pub fn public(body: Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(name, _)| !name.starts_with('_'))
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}
