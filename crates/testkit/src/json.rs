use serde_json::Value;

/// Replaces, at any depth, the values of the named fields with `"[redacted]"`, so an
/// exact-JSON assertion can ignore generated ids and timestamps.
pub fn redact(mut value: Value, fields: &[&str]) -> Value {
    redact_in_place(&mut value, fields);
    value
}

fn redact_in_place(value: &mut Value, fields: &[&str]) {
    match value {
        Value::Object(map) => {
            for (name, field) in map.iter_mut() {
                if fields.contains(&name.as_str()) {
                    *field = Value::String("[redacted]".into());
                } else {
                    redact_in_place(field, fields);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_in_place(item, fields)),
        _ => {}
    }
}
