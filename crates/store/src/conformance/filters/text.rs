//! `Text`: contains, prefix and suffix, with Unicode case folding when asked and every
//! character taken literally (no SQL `LIKE` wildcards, no regex syntax).

use std::sync::Arc;

use serde_json::json;

use super::super::support::*;
use crate::{Filter, Store, TextMode};

const KIND: &str = "note";

/// Contains/prefix/suffix, case-sensitive and not, over Cyrillic, Latin and characters
/// that are syntax in `LIKE` patterns or regexes.
pub async fn text_matching(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("retailcrm");
    let docs = [
        ("ru", json!({"t": "Привет мир"})),
        ("yo", json!({"t": "Ёлка"})),
        ("en", json!({"t": "hello World"})),
        ("pct", json!({"t": "100% sure"})),
        ("thousand", json!({"t": "1000 sure"})),
        ("under", json!({"t": "a_b"})),
        ("axb", json!({"t": "axb"})),
        ("slash", json!({"t": "back\\slash"})),
        ("dot", json!({"t": "dot.star*"})),
        ("dotx", json!({"t": "dotXstar*"})),
        ("paren", json!({"t": "(paren[bracket"})),
        ("num", json!({"t": 42})),
        ("none", json!({})),
        ("nul", json!({"t": null})),
    ];
    create_all(store, &s, KIND, &docs).await;
    use TextMode::*;
    let cases: &[(TextMode, &str, bool, &[&str])] = &[
        (Contains, "ПРИВЕТ", true, &["ru"]),
        (Contains, "ПРИВЕТ", false, &[]),
        (Contains, "Привет", false, &["ru"]),
        (Contains, "привет", false, &[]),
        (Contains, "мИР", true, &["ru"]),
        (Prefix, "привет", true, &["ru"]),
        (Prefix, "привет", false, &[]),
        (Prefix, "мир", true, &[]),
        (Suffix, "МИР", true, &["ru"]),
        (Suffix, "мир", false, &["ru"]),
        (Suffix, "привет", true, &[]),
        (Contains, "ёлк", true, &["yo"]),
        (Contains, "ёлк", false, &[]),
        (Contains, "world", true, &["en"]),
        (Contains, "world", false, &[]),
        (Contains, "World", false, &["en"]),
        (Prefix, "HELLO", true, &["en"]),
        (Prefix, "hello", false, &["en"]),
        (Suffix, "world", false, &[]),
        (Suffix, "WORLD", true, &["en"]),
        (Contains, "%", false, &["pct"]),
        (Contains, "%", true, &["pct"]),
        (Contains, "100%", false, &["pct"]),
        (Prefix, "100%", true, &["pct"]),
        (Contains, "sure", false, &["pct", "thousand"]),
        (Contains, "0 s", false, &["thousand"]),
        (Contains, "_", false, &["under"]),
        (Contains, "a_b", true, &["under"]),
        (Prefix, "a_", false, &["under"]),
        (Contains, "\\", false, &["slash"]),
        (Contains, "k\\s", true, &["slash"]),
        (Contains, ".", false, &["dot"]),
        (Contains, ".star*", false, &["dot"]),
        (Contains, "*", false, &["dot", "dotx"]),
        (Suffix, "*", true, &["dot", "dotx"]),
        (Contains, "(", false, &["paren"]),
        (Contains, "[", false, &["paren"]),
        (Contains, "(PAREN[", true, &["paren"]),
        (Prefix, "(", false, &["paren"]),
        (Contains, "42", false, &[]),
    ];
    for (mode, text, ci, expected) in cases {
        assert_matches(
            store,
            &s,
            KIND,
            Filter::text("t", *mode, text, *ci),
            expected,
        )
        .await;
    }
}
