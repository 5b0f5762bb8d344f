//! What the golden-case runners of every dialect (`conformance/<dialect>/`) share: the shape
//! comparison, where an answer must have exactly a sample's fields with the same JSON types,
//! recursively, while values are not compared (each dialect says which sample strings are
//! ids or times, `redacted`, which may also be `null` where the fresh state has none yet);
//! and the list of cases expected to fail.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// Where `got` differs in shape from the sample `want`, as `$.path: problem` lines.
///
/// A sample's `null` accepts any type (it says the field is nullable, not of which type);
/// a sample's empty object accepts any object (fields the sample does not show); arrays
/// are compared by their first elements when both have one.
pub fn shape_problems(want: &Value, got: &Value, redacted: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut problems = Vec::new();
    compare(want, got, "$", redacted, &mut problems);
    problems
}

fn compare(
    want: &Value,
    got: &Value,
    at: &str,
    redacted: &dyn Fn(&str) -> bool,
    problems: &mut Vec<String>,
) {
    match (want, got) {
        (Value::Null, _) => {}
        (Value::Object(want), Value::Object(_)) if want.is_empty() => {}
        (Value::String(text), Value::Null) if redacted(text) => {}
        (Value::Object(want), Value::Object(got)) => {
            let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
                (want.keys().collect(), got.keys().collect());
            for missing in a.difference(&b) {
                problems.push(format!("{at}.{missing}: missing"));
            }
            for extra in b.difference(&a) {
                problems.push(format!("{at}.{extra}: not in the sample"));
            }
            for (key, value) in want {
                if let Some(other) = got.get(key) {
                    compare(value, other, &format!("{at}.{key}"), redacted, problems);
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if let (Some(first), Some(other)) = (want.first(), got.first()) {
                compare(first, other, &format!("{at}[0]"), redacted, problems);
            }
        }
        _ if kind(want) == kind(got) => {}
        _ => problems.push(format!(
            "{at}: {} where the sample has {}",
            kind(got),
            kind(want)
        )),
    }
}

/// The JSON type's name, as the problems say it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The cases `dir/known-failures.txt` lists as expected to fail, one per line as
/// `name: reason` (`#` starts a comment); none when the file is absent.
pub fn known_failures(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("known-failures.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split(':').next().unwrap_or(line).trim().to_owned())
        .collect()
}
