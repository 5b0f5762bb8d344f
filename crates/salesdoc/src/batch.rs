//! What every SET method shares (01-general §4, 07-set-references): the groups of
//! `data`, at most 250 records each (407 beyond), each record processed on its own so
//! one bad record never stops the others, and the answer: `result {completed, error,
//! data {<group>: [{CS_id, SD_id, code_1C}]}}` plus, when some failed, `error {code: 400,
//! message: "Error", data {<group>: [{CS_id, SD_id, code_1C, name, index, errors}]}}`.

use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::error::{http_status, SdError, SdResult};

/// The documented default of `request_limit_1c`.
pub const REQUEST_LIMIT: usize = 250;

/// 407 when any array of `data` (or `data` itself, for the methods that take a bare
/// array) holds more records than the limit.
pub fn check_limit(data: &Value) -> SdResult<()> {
    let largest = match data {
        Value::Array(items) => items.len(),
        Value::Object(groups) => groups
            .values()
            .filter_map(Value::as_array)
            .map(Vec::len)
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    if largest > REQUEST_LIMIT {
        return Err(SdError::too_many_records(largest, REQUEST_LIMIT));
    }
    Ok(())
}

/// The records of one group of `data`: 400 when `data` or the group is missing or no
/// array (*Inferred* text).
pub fn group<'a>(data: &'a Value, key: &str) -> SdResult<&'a [Value]> {
    data.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| SdError::bad_request(format!("Required field \"data.{key}\" is missing")))
}

/// The outcome of one group's records, in input order.
#[derive(Debug, Default)]
pub struct Outcome {
    completed: Vec<Value>,
    failed: Vec<Value>,
}

/// The three identifiers as answers write them.
pub fn ids(cs_id: Option<&str>, sd_id: Option<&str>, code_1c: Option<&str>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("CS_id".into(), cs_id.map_or(Value::Null, Value::from));
    map.insert("SD_id".into(), sd_id.map_or(Value::Null, Value::from));
    map.insert("code_1C".into(), code_1c.map_or(Value::Null, Value::from));
    map
}

impl Outcome {
    /// A record stored under these identifiers.
    pub fn done(&mut self, ids: Map<String, Value>) {
        self.completed.push(Value::Object(ids));
    }

    /// A record refused: its identifiers and name as sent, its position and why.
    pub fn failed(&mut self, index: usize, record: &Value, errors: Vec<String>) {
        let echo = |name: &str| record.get(name).cloned().unwrap_or(Value::Null);
        self.failed.push(json!({
            "CS_id": echo("CS_id"),
            "SD_id": echo("SD_id"),
            "code_1C": echo("code_1C"),
            "name": echo("name"),
            "index": index,
            "errors": errors,
        }));
    }

    /// The answer for the group `key`.
    pub fn answer(self, key: &str) -> Response {
        answer_groups(vec![(key, self)])
    }
}

/// The answer of a SET method that takes several groups (setPriceType's `valyutaType` and
/// `priceType`): the counts summed, each group's records under its key.
pub fn answer_groups(groups: Vec<(&str, Outcome)>) -> Response {
    let (mut completed, mut failed) = (0, 0);
    let (mut done, mut refused) = (Map::new(), Map::new());
    for (key, outcome) in groups {
        completed += outcome.completed.len();
        failed += outcome.failed.len();
        if !outcome.failed.is_empty() {
            refused.insert(key.to_owned(), Value::from(outcome.failed));
        }
        done.insert(key.to_owned(), Value::from(outcome.completed));
    }
    respond(completed, failed, Value::Object(done), refused)
}

impl Outcome {
    /// The answer with `result.data` the bare list of the completed records
    /// (deleteClientPending, 15.4); the refused ones under `key` as every SET method's.
    pub fn answer_list(self, key: &str) -> Response {
        let (completed, failed) = (self.completed.len(), self.failed.len());
        let mut refused = Map::new();
        if failed > 0 {
            refused.insert(key.to_owned(), Value::from(self.failed));
        }
        respond(completed, failed, Value::from(self.completed), refused)
    }
}

/// `{status, result: {completed, error, data}}`, with `error {code: 400, message, data}`
/// and HTTP 400 when some record was refused.
fn respond(completed: usize, failed: usize, data: Value, refused: Map<String, Value>) -> Response {
    let mut body = json!({
        "status": failed == 0,
        "result": { "completed": completed, "error": failed, "data": data },
    });
    let code = if failed == 0 {
        200
    } else {
        body["error"] = json!({ "code": 400, "message": "Error", "data": refused });
        400
    };
    (http_status(code), axum::Json(body)).into_response()
}
