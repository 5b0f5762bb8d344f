//! `IsEmpty`, `IdIn`, paths, and the boolean structure: `Not` must be a true negation
//! (no SQL `NULL` leaking through), empty `And`/`Or` are all/none.

use std::sync::Arc;

use serde_json::json;

use super::super::support::*;
use crate::{CmpOp, Filter, ListQuery, SortKey, Store, TextMode};

fn not(filter: Filter) -> Filter {
    Filter::Not(Box::new(filter))
}

fn empty(path: &str, empty: bool) -> Filter {
    Filter::IsEmpty {
        path: Filter::path(path),
        empty,
    }
}

fn ids_in(ids: &[&str]) -> Filter {
    Filter::IdIn(strings(ids))
}

/// Missing, null and "" are empty; " ", 0 and false are not.
pub async fn is_empty_and_id_in(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("salesdoc");
    let docs = [
        ("missing", json!({})),
        ("nul", json!({"f": null})),
        ("blank", json!({"f": ""})),
        ("space", json!({"f": " "})),
        ("zero", json!({"f": 0})),
        ("fals", json!({"f": false})),
        ("x", json!({"f": "x"})),
    ];
    create_all(store, &s, "e", &docs).await;
    let all = ["missing", "nul", "blank", "space", "zero", "fals", "x"];
    assert_matches(
        store,
        &s,
        "e",
        empty("f", true),
        &["missing", "nul", "blank"],
    )
    .await;
    let filled = ["space", "zero", "fals", "x"];
    assert_matches(store, &s, "e", empty("f", false), &filled).await;
    assert_matches(store, &s, "e", not(empty("f", true)), &filled).await;
    assert_matches(
        store,
        &s,
        "e",
        ids_in(&["x", "zero", "nope"]),
        &["x", "zero"],
    )
    .await;
    assert_matches(store, &s, "e", ids_in(&[]), &[]).await;
    assert_matches(store, &s, "e", not(ids_in(&[])), &all).await;
    let both = Filter::And(vec![ids_in(&["x", "zero", "blank"]), empty("f", false)]);
    assert_matches(store, &s, "e", both, &["x", "zero"]).await;
}

/// Dotted paths walk objects; a key containing a dot, Cyrillic or punctuation is one
/// segment when given as one.
pub async fn nested_and_odd_paths(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let docs = [
        ("ab5", json!({"a": {"b": 5, "c": "x"}})),
        ("abx", json!({"a": {"b": "x"}})),
        ("a5", json!({"a": 5})),
        ("ac", json!({"a": {"c": 5}})),
        ("deep", json!({"a": {"b": {"c": "deep"}}})),
        ("dotted", json!({"a.b": 5})),
        (
            "odd",
            json!({"имя": "Иван", "sp ace": 1, "da-sh": true, "q'uote": "y"}),
        ),
    ];
    create_all(store, &s, "n", &docs).await;
    let raw = |key: &str, value: serde_json::Value| Filter::Cmp {
        path: vec![key.to_owned()],
        op: CmpOp::Eq,
        value,
    };
    assert_matches(store, &s, "n", Filter::eq("a.b", 5), &["ab5"]).await;
    let others = ["abx", "a5", "ac", "deep", "dotted", "odd"];
    assert_matches(store, &s, "n", Filter::cmp("a.b", CmpOp::Ne, 5), &others).await;
    assert_matches(store, &s, "n", Filter::cmp("a.b", CmpOp::Gt, 4), &["ab5"]).await;
    assert_matches(store, &s, "n", Filter::eq("a.c", "x"), &["ab5"]).await;
    let unset = ["a5", "ac", "dotted", "odd"];
    assert_matches(store, &s, "n", empty("a.b", true), &unset).await;
    let deep = Filter::text("a.b.c", TextMode::Contains, "ee", false);
    assert_matches(store, &s, "n", deep, &["deep"]).await;
    assert_matches(store, &s, "n", raw("a.b", json!(5)), &["dotted"]).await;
    assert_matches(store, &s, "n", raw("имя", json!("Иван")), &["odd"]).await;
    assert_matches(store, &s, "n", raw("sp ace", json!(1)), &["odd"]).await;
    assert_matches(store, &s, "n", raw("da-sh", json!(true)), &["odd"]).await;
    assert_matches(store, &s, "n", raw("q'uote", json!("y")), &["odd"]).await;
}

/// And/Or/Not over fields that are sometimes missing.
pub async fn boolean_logic(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("kassa");
    let docs = [
        ("d1", json!({"n": 1, "c": "red"})),
        ("d2", json!({"n": 2, "c": "blue"})),
        ("d3", json!({"n": 3, "c": "red"})),
        ("d4", json!({"n": 4})),
        ("d5", json!({"c": "green"})),
    ];
    create_all(store, &s, "l", &docs).await;
    let all = ["d1", "d2", "d3", "d4", "d5"];
    let n = |op, v: i64| Filter::cmp("n", op, v);
    let c = |v: &str| Filter::eq("c", v);
    use CmpOp::*;
    let cases: Vec<(Filter, &[&str])> = vec![
        (Filter::And(vec![]), &all),
        (Filter::Or(vec![]), &[]),
        (not(Filter::And(vec![])), &[]),
        (not(Filter::Or(vec![])), &all),
        (
            Filter::And(vec![Filter::And(vec![]), Filter::Or(vec![])]),
            &[],
        ),
        (
            Filter::Or(vec![Filter::Or(vec![]), Filter::And(vec![])]),
            &all,
        ),
        (Filter::And(vec![c("red")]), &["d1", "d3"]),
        (Filter::And(vec![n(Ge, 2), c("red")]), &["d3"]),
        (Filter::Or(vec![n(Eq, 1), c("blue")]), &["d1", "d2"]),
        (not(c("red")), &["d2", "d4", "d5"]),
        (not(not(c("red"))), &["d1", "d3"]),
        (not(n(Ne, 2)), &["d2"]),
        (not(n(Gt, 2)), &["d1", "d2", "d5"]),
        (
            not(Filter::Or(vec![n(Eq, 1), n(Eq, 4)])),
            &["d2", "d3", "d5"],
        ),
        (
            Filter::Or(vec![Filter::And(vec![n(Gt, 1), n(Lt, 4)]), c("green")]),
            &["d2", "d3", "d5"],
        ),
        (
            Filter::And(vec![Filter::Or(vec![c("red"), c("blue")]), not(n(Eq, 1))]),
            &["d2", "d3"],
        ),
        (
            not(Filter::text("c", TextMode::Contains, "re", false)),
            &["d2", "d4"],
        ),
        (not(empty("n", false)), &["d5"]),
    ];
    for (filter, expected) in cases {
        assert_matches(store, &s, "l", filter, expected).await;
    }
}

/// An empty path or path segment is refused, wherever it appears.
pub async fn invalid_paths(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    create(store, s.key("p", "one"), json!({"a": {"b": 1}})).await;
    let bad = |path: Vec<&str>| -> Vec<String> { path.into_iter().map(str::to_owned).collect() };
    let filters = vec![
        Filter::Cmp {
            path: vec![],
            op: CmpOp::Eq,
            value: json!(1),
        },
        Filter::Cmp {
            path: bad(vec!["a", ""]),
            op: CmpOp::Eq,
            value: json!(1),
        },
        Filter::eq("a..b", 1),
        Filter::text("", TextMode::Contains, "x", true),
        Filter::IsEmpty {
            path: vec![],
            empty: true,
        },
        Filter::In {
            path: bad(vec![""]),
            values: vec![json!(1)],
        },
        Filter::Or(vec![Filter::eq("a.b", 1), not(Filter::eq(".b", 1))]),
    ];
    for filter in filters {
        let what = format!("list with filter {filter:?}");
        assert_invalid(store.list(&query(&s, "p").filter(filter)).await, &what);
    }
    for path in [vec![], bad(vec!["a", ""])] {
        let sort = SortKey {
            path: path.clone(),
            descending: false,
        };
        let list: ListQuery = query(&s, "p").sort(sort);
        assert_invalid(store.list(&list).await, &format!("list sorted by {path:?}"));
    }
}

/// `Holds` finds a string among an array's elements or its object elements' members,
/// exactly; other shapes never match.
pub async fn array_holds(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let docs = [
        ("tags", json!({"f": ["red", "Blue"]})),
        (
            "codes",
            json!({"f": [{"ean13": "2000000000015"}, {"code128": "red"}]}),
        ),
        ("nested", json!({"f": [["red"]]})),
        ("text", json!({"f": "red"})),
        ("object", json!({"f": {"a": "red"}})),
        ("number", json!({"f": [2000000000015_i64]})),
        ("none", json!({})),
    ];
    create_all(store, &s, "e", &docs).await;
    let holds = |text: &str| Filter::holds("f", text);
    assert_matches(store, &s, "e", holds("red"), &["tags", "codes"]).await;
    assert_matches(store, &s, "e", holds("2000000000015"), &["codes"]).await;
    assert_matches(store, &s, "e", holds("blue"), &[]).await;
    assert_matches(store, &s, "e", holds("200000000001"), &[]).await;
    let others = ["nested", "text", "object", "number", "none"];
    assert_matches(store, &s, "e", not(holds("red")), &others).await;
}
