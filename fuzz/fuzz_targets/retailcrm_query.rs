//! RetailCRM's bracket queries and forms: the input is a raw query string
//! (`filter[ids][]=1&limit=20&customer={json}`), read as PHP does, then through the list
//! parameters, the filters the lists share and the JSON form fields. Nothing may panic;
//! the bracket parser always gives an object, and the same input twice the same value.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use twin_retailcrm::untrusted::*;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = twin_http::php_query::parse(query);
    assert!(parsed.is_object(), "a query parses to an object");
    assert_eq!(
        parsed,
        twin_http::php_query::parse(query),
        "parsing is deterministic"
    );
    // The same text as a POST form, over the query's parameters.
    let request = RetailRequest::new(vec!["1"], parsed, Some(data));
    if let Ok(paging) = request.paging() {
        let _ = paging.pagination(u64::MAX);
        let _ = paging.window((0..3).collect());
    }
    let _ = request.by_id();
    for name in ["customer", "order", "task", "customers"] {
        let _ = request.structured(name);
        let _ = request.batch(name, 50);
    }
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let _ = ids(filter, &mut problems);
    let _ = integers(filter, "customerIds", "customer.id", &mut problems);
    let _ = search(filter, "name", &mut problems);
    let _ = containing(
        filter,
        &[("email", "email"), ("city", "address.city")],
        &mut problems,
    );
    let _ = managers(filter, &mut problems);
    let _ = contragent_types(filter, &mut problems);
    let _ = flags(filter, &[("vip", "vip"), ("bad", "bad")], &mut problems);
    let _ = date_range(filter, ("dateFrom", "dateTo"), "createdAt", &mut problems);
    let _ = day_range(
        filter,
        ("deliveryDateFrom", "deliveryDateTo"),
        "delivery.date",
        &mut problems,
    );
    let _ = codes(filter, "orderTypes", "orderType");
    let _ = bounds(
        filter,
        &[("minPrice", "maxPrice", "totalSumm")],
        &mut problems,
    );
    if let Value::Object(fields) = &filter["customFields"] {
        for (code, spec) in fields {
            for kind in [
                None,
                Some("integer"),
                Some("numeric"),
                Some("date"),
                Some("datetime"),
                Some("boolean"),
            ] {
                let mut filters = Vec::new();
                custom_field(code, spec, kind, &mut filters, &mut problems);
            }
        }
    }
    for value in filter.as_object().into_iter().flat_map(|f| f.values()) {
        if let Some(text) = value.as_str() {
            let _ = parse_time(text);
        }
    }
});
