//! MoySklad's query parameters: the input is a raw query string (`limit=..&filter=..&
//! order=..&expand=..`) and every value is also read as an href and a time. Nothing may
//! panic; a parsed `filter=` written back parses to the same terms.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twin_moysklad::untrusted::*;

/// Entities whose field rules differ: attributes, times, references, no common fields.
const ENTITIES: [&str; 4] = ["product", "counterparty", "currency", "variant"];

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let links = Links::new("http://twin.local");
    let _ = echo_query(&query_pairs(Some(query)));
    let Ok(params) = list_params(Some(query)) else {
        return;
    };
    if let Ok(terms) = parse_filter(params.filter.as_deref()) {
        assert_round_trip(&terms);
        for keyword in ENTITIES {
            let entity = by_keyword(keyword).expect("a known entity");
            let info = entity.info();
            let _ = list_filter(
                &links,
                info,
                &terms,
                params.search.as_deref(),
                &Default::default(),
            );
            let _ = sort_keys(info, params.order.as_deref());
            let _ = check_expand(entity, &params.expand);
        }
    }
    for (_, value) in &params.pairs {
        let _ = parse_href(&links, value);
        let _ = parse_time(value);
        let _ = expand_paths(value);
    }
});

/// Terms written as `name op text` joined by `;` (a `;` in them escaped as `\;`) read
/// back the same; texts ending in `\` are left out: `\;` would read as an escape.
fn assert_round_trip(terms: &[Term]) {
    if terms.iter().any(|t| t.text.ends_with('\\')) {
        return;
    }
    let written: Vec<String> = terms
        .iter()
        .map(|t| format!("{}{}{}", escape(&t.name), op_text(t.op), escape(&t.text)))
        .collect();
    let again = parse_filter(Some(&written.join(";"))).expect("a written filter parses");
    assert_eq!(terms, again.as_slice(), "filter round trip");
}

fn escape(text: &str) -> String {
    text.replace(';', "\\;")
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Contains => "~",
        Op::Starts => "~=",
        Op::Ends => "=~",
    }
}
