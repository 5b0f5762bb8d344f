//! Produman.Kassa's bodies and queries: the input is a request body, read as the JSON
//! object every write takes, through an order's whole check (positions, exact money,
//! agent schemes, delivery) and each field reader on every member; the same text is also
//! a query string (pages, list filters) and an exact number. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use twin_kassa::untrusted::*;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    exact(&text);
    let request = KassaRequest::new(None, Some(&text), data.to_vec().into());
    let mut problems = Problems::default();
    let _ = PageParams::read(&request, &mut problems);
    let _ = order_list_filters(&request);
    let _ = request.query_list("operationIds");
    let _ = request.uuid();
    let Ok(body) = request.json() else {
        return;
    };
    let _ = check_order_body(&body);
    read_every_field(&Fields::new(&body), &body, 0);
});

/// Reads every member with every reader, and nested objects likewise (a few levels).
fn read_every_field(fields: &Fields<'_>, object: &serde_json::Map<String, Value>, depth: u32) {
    let mut problems = Problems::default();
    for (name, value) in object {
        let _ = fields.text(&mut problems, name, true, 255);
        let _ = fields.uuid(&mut problems, name, false);
        let _ = fields.time(&mut problems, name, false);
        let _ = fields.flag(&mut problems, name);
        let _ = fields.integer(&mut problems, name, false, Some(&[0, 1, 2]));
        let _ = fields.money(&mut problems, name, false, true);
        let _ = fields.quantity(&mut problems, name);
        let _ = fields.inn(&mut problems, name, false);
        let _ = fields.strings(&mut problems, name, |_| None);
        if let Some(number) = fields.number(&mut problems, name, false) {
            numbers(number);
        }
        if let Some(text) = value.as_str() {
            exact(text);
        }
        if depth < 3 {
            if let (Some(inner), Value::Object(map)) = (fields.object(&mut problems, name), value) {
                read_every_field(&inner, map, depth + 1);
            }
            for (inner, item) in fields
                .objects(&mut problems, name, false)
                .unwrap_or_default()
                .iter()
                .zip(value.as_array().into_iter().flatten())
            {
                if let Value::Object(map) = item {
                    read_every_field(inner, map, depth + 1);
                }
            }
        }
    }
    let _ = problems.into_result();
}

/// Text read as an exact number, then used as money is.
fn exact(text: &str) {
    if let Some(number) = Decimal::parse(text) {
        numbers(number);
    }
    let _ = parse_time(text);
}

fn numbers(number: Decimal) {
    let _ = number.to_json();
    let _ = number.kopecks();
    let _ = number.kopecks_rounded(true);
    let _ = number.kopecks_rounded(false);
    let _ = number.times_kopecks(12_345);
    let _ = number.times_kopecks(i64::MAX);
}
