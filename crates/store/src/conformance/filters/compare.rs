//! `Cmp` and `In`: a field only compares with a value of its own JSON type.

use std::sync::Arc;

use serde_json::{json, Value};

use super::super::support::*;
use crate::{CmpOp, Filter, Scope, Store};

const KIND: &str = "thing";

/// Every JSON type under `v`, plus a document without it.
async fn fixture(store: &dyn Store) -> Scope {
    let s = scope("moysklad");
    let docs = [
        ("int1", json!({"v": 1})),
        ("int2", json!({"v": 2})),
        ("int10", json!({"v": 10})),
        ("neg", json!({"v": -3})),
        ("dec", json!({"v": 2.5})),
        ("str10", json!({"v": "10"})),
        ("strb", json!({"v": "b"})),
        ("strB", json!({"v": "B"})),
        ("t", json!({"v": true})),
        ("f", json!({"v": false})),
        ("null", json!({"v": null})),
        ("missing", json!({"other": 1})),
        ("obj", json!({"v": {"x": 1}})),
        ("arr", json!({"v": [2]})),
    ];
    create_all(store, &s, KIND, &docs).await;
    s
}

const ALL: [&str; 14] = [
    "int1", "int2", "int10", "neg", "dec", "str10", "strb", "strB", "t", "f", "null", "missing",
    "obj", "arr",
];

/// All fixture ids but these.
fn all_but(excluded: &[&str]) -> Vec<&'static str> {
    ALL.iter()
        .copied()
        .filter(|id| !excluded.contains(id))
        .collect()
}

async fn check(store: &dyn Store, s: &Scope, op: CmpOp, value: Value, expected: &[&str]) {
    assert_matches(store, s, KIND, Filter::cmp("v", op, value), expected).await;
}

/// Integers and decimals compare numerically with each other, never with strings or
/// booleans.
pub async fn compare_integers_and_decimals(store: Arc<dyn Store>) {
    let store = &*store;
    let s = fixture(store).await;
    use CmpOp::*;
    check(store, &s, Eq, json!(2), &["int2"]).await;
    check(store, &s, Eq, json!(10), &["int10"]).await;
    check(store, &s, Eq, json!(2.0), &["int2"]).await;
    check(store, &s, Eq, json!(-3), &["neg"]).await;
    check(store, &s, Eq, json!(1), &["int1"]).await;
    check(store, &s, Eq, json!(0), &[]).await;
    check(store, &s, Ne, json!(2), &all_but(&["int2"])).await;
    check(store, &s, Lt, json!(2), &["int1", "neg"]).await;
    check(store, &s, Le, json!(2), &["int1", "int2", "neg"]).await;
    check(store, &s, Gt, json!(2), &["dec", "int10"]).await;
    check(store, &s, Ge, json!(2), &["int2", "dec", "int10"]).await;
    check(store, &s, Lt, json!(10), &["int1", "int2", "neg", "dec"]).await;
    check(store, &s, Gt, json!(9), &["int10"]).await;
    check(store, &s, Eq, json!(2.5), &["dec"]).await;
    check(store, &s, Ne, json!(2.5), &all_but(&["dec"])).await;
    check(store, &s, Lt, json!(2.5), &["neg", "int1", "int2"]).await;
    check(store, &s, Le, json!(2.5), &["neg", "int1", "int2", "dec"]).await;
    check(store, &s, Gt, json!(2.4), &["dec", "int10"]).await;
    check(store, &s, Ge, json!(2.5), &["dec", "int10"]).await;
    check(
        store,
        &s,
        Gt,
        json!(-3.5),
        &["neg", "int1", "int2", "dec", "int10"],
    )
    .await;
}

/// Strings compare bytewise (not by locale); booleans order false before true.
pub async fn compare_strings_and_booleans(store: Arc<dyn Store>) {
    let store = &*store;
    let s = fixture(store).await;
    use CmpOp::*;
    check(store, &s, Eq, json!("10"), &["str10"]).await;
    check(store, &s, Eq, json!("b"), &["strb"]).await;
    check(store, &s, Eq, json!("2"), &[]).await;
    check(store, &s, Eq, json!("true"), &[]).await;
    check(store, &s, Ne, json!("b"), &all_but(&["strb"])).await;
    check(store, &s, Lt, json!("b"), &["str10", "strB"]).await;
    check(store, &s, Le, json!("b"), &["str10", "strB", "strb"]).await;
    check(store, &s, Lt, json!("a"), &["str10", "strB"]).await;
    check(store, &s, Gt, json!("B"), &["strb"]).await;
    check(store, &s, Ge, json!("B"), &["strB", "strb"]).await;
    check(store, &s, Gt, json!("1"), &["str10", "strB", "strb"]).await;
    check(store, &s, Gt, json!("Z"), &["strb"]).await;
    check(store, &s, Eq, json!(true), &["t"]).await;
    check(store, &s, Eq, json!(false), &["f"]).await;
    check(store, &s, Ne, json!(true), &all_but(&["t"])).await;
    check(store, &s, Ne, json!(false), &all_but(&["f"])).await;
    check(store, &s, Lt, json!(true), &["f"]).await;
    check(store, &s, Le, json!(true), &["f", "t"]).await;
    check(store, &s, Gt, json!(false), &["t"]).await;
    check(store, &s, Ge, json!(false), &["f", "t"]).await;
}

/// `Eq null` matches null and missing fields, `Ne null` everything else; `In` is an
/// `Eq` per value.
pub async fn compare_null_and_in(store: Arc<dyn Store>) {
    let store = &*store;
    let s = fixture(store).await;
    check(store, &s, CmpOp::Eq, Value::Null, &["null", "missing"]).await;
    check(
        store,
        &s,
        CmpOp::Ne,
        Value::Null,
        &all_but(&["null", "missing"]),
    )
    .await;
    let within = |values: Vec<Value>| Filter::In {
        path: Filter::path("v"),
        values,
    };
    let cases: [(Vec<Value>, &[&str]); 6] = [
        (
            vec![json!(2), json!("b"), json!(true)],
            &["int2", "strb", "t"],
        ),
        (vec![], &[]),
        (vec![json!(10)], &["int10"]),
        (vec![json!("10")], &["str10"]),
        (vec![json!(2.5), json!(-3)], &["dec", "neg"]),
        (vec![Value::Null], &["null", "missing"]),
    ];
    for (values, expected) in cases {
        assert_matches(store, &s, KIND, within(values), expected).await;
    }
    let not_in = Filter::Not(Box::new(within(vec![json!(2), json!("b")])));
    assert_matches(store, &s, KIND, not_in, &all_but(&["int2", "strb"])).await;
}

/// Indexing a field changes no answer: every comparison above, again on indexed fields
/// (asking twice is harmless), and equality on an indexed nested field.
pub async fn indexed_fields_compare_the_same(store: Arc<dyn Store>) {
    for _ in 0..2 {
        store
            .index_fields(&["v", "v.x"])
            .await
            .expect("index fields");
    }
    compare_integers_and_decimals(store.clone()).await;
    compare_strings_and_booleans(store.clone()).await;
    compare_null_and_in(store.clone()).await;
    let store = &*store;
    let s = fixture(store).await;
    assert_matches(store, &s, KIND, Filter::eq("v.x", 1), &["obj"]).await;
    let not_nested = Filter::Not(Box::new(Filter::eq("v.x", 1)));
    assert_matches(store, &s, KIND, not_nested, &all_but(&["obj"])).await;
}

/// `In` with thousands of values (a page's worth of ids) works and still only matches
/// the same JSON type.
pub async fn long_in_lists(store: Arc<dyn Store>) {
    let store = &*store;
    let s = fixture(store).await;
    let mut values: Vec<Value> = (0..3000).map(|n| json!(format!("absent-{n}"))).collect();
    values.push(json!("b"));
    values.push(json!("10"));
    let within = Filter::In {
        path: Filter::path("v"),
        values,
    };
    assert_matches(store, &s, KIND, within.clone(), &["strb", "str10"]).await;
    let outside = Filter::Not(Box::new(within));
    assert_matches(store, &s, KIND, outside, &all_but(&["strb", "str10"])).await;
}
