//! SalesDoc's one request shape: the input is a POST /api/v2 body, read as the envelope
//! (before authentication, as the vendor does), then through the list parameters every
//! GET method shares (limit, page, period, sort, filter.include, filter.period) and the
//! value readers on each of its members. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use twin_salesdoc::untrusted::*;

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = Envelope::parse(data) else {
        return;
    };
    assert!(
        !envelope.method.trim().is_empty(),
        "a parsed envelope has a method"
    );
    for include in [Include::Honoured, Include::Ignored] {
        if let Ok(listing) = Listing::read(&envelope, include) {
            assert!(listing.limit >= 1 && listing.page >= 1, "pages start at 1");
        }
    }
    let _ = period_filters(&envelope.filter(), "fields.date");
    if let Some(period) = envelope.params.get("period") {
        let _ = date_range(period, "created", "params.period");
    }
    let mut members = Vec::new();
    for value in envelope.params.values().chain([&envelope.data]) {
        leaves(value, &mut members);
    }
    for value in members {
        let _ = active(value);
        if let Some(text) = text(value) {
            for bound in [Bound::Start, Bound::End] {
                if let Some(at) = period_bound(&text, bound) {
                    assert_eq!(
                        period_bound(&at, bound).as_ref(),
                        Some(&at),
                        "bounds re-read"
                    );
                }
            }
        }
    }
});

/// Every scalar under `value`, depth first.
fn leaves<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        scalar => out.push(scalar),
    }
}
