//! Sort orders and the two page styles: offset pages with an exact total (MoySklad,
//! RetailCRM, SalesDoc) and cursor pages over insertion order (Kassa), which must visit
//! every document once even while documents change.

use std::sync::Arc;

use serde_json::{json, Value};

use super::support::*;
use crate::{CmpOp, Document, Expect, Filter, ListQuery, PageRequest, Scope, SortKey, Store};

async fn sorted(store: &dyn Store, s: &Scope, keys: &[SortKey]) -> Vec<String> {
    let mut q = query(s, "item");
    q.sort = keys.to_vec();
    ids(&ok(
        store.list(&q).await,
        &format!("list sorted by {keys:?}"),
    ))
}

/// Numbers sort numerically, strings bytewise; missing fields come first ascending and
/// last descending; ties keep insertion order in both directions.
pub async fn sort_orders(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let docs = [
        ("d1", json!({"n": 10, "s": "b", "g": 1})),
        ("d2", json!({"n": 2, "s": "B", "g": 2})),
        ("d3", json!({"n": 33, "s": "a", "g": 1})),
        ("d4", json!({"n": 2, "s": "ab", "g": 2})),
        ("d5", json!({"s": "é", "g": 1})),
        ("d6", json!({"n": 1.5, "s": "Z", "g": 2})),
    ];
    create_all(store, &s, "item", &docs).await;
    // An update must not move a document in insertion order.
    let d1 = Document::new(s.key("item", "d1"), docs[0].1.clone());
    ok(put(store, d1, Expect::Version(1)).await, "update d1");
    let (asc, desc) = (SortKey::asc, SortKey::desc);
    let cases: Vec<(Vec<SortKey>, [&str; 6])> = vec![
        (vec![], ["d1", "d2", "d3", "d4", "d5", "d6"]),
        (vec![asc("n")], ["d5", "d6", "d2", "d4", "d1", "d3"]),
        (vec![desc("n")], ["d3", "d1", "d2", "d4", "d6", "d5"]),
        (vec![asc("s")], ["d2", "d6", "d3", "d4", "d1", "d5"]),
        (vec![desc("s")], ["d5", "d1", "d4", "d3", "d6", "d2"]),
        (vec![asc("g")], ["d1", "d3", "d5", "d2", "d4", "d6"]),
        (vec![desc("g")], ["d2", "d4", "d6", "d1", "d3", "d5"]),
        (
            vec![asc("g"), desc("n")],
            ["d3", "d1", "d5", "d2", "d4", "d6"],
        ),
        (
            vec![desc("g"), asc("s")],
            ["d2", "d6", "d4", "d3", "d1", "d5"],
        ),
        (vec![asc("missing")], ["d1", "d2", "d3", "d4", "d5", "d6"]),
    ];
    for (keys, expected) in cases {
        let got = sorted(store, &s, &keys).await;
        assert_eq!(
            got,
            strings(&expected),
            "order of a list sorted by {keys:?}"
        );
    }
}

/// 25 documents whose `n` is a permutation of 0..25, so sorted and insertion order differ.
async fn permuted(store: &dyn Store) -> (Scope, Vec<(String, i64)>) {
    let s = scope("retailcrm");
    let docs: Vec<(String, i64)> = (0..25)
        .map(|i| (format!("p{i:02}"), (i * 7) % 25))
        .collect();
    for (id, n) in &docs {
        create(store, s.key("item", id), json!({"n": n})).await;
    }
    (s, docs)
}

/// The ids of the documents with these `n`, in this order.
fn by_n(docs: &[(String, i64)], ns: impl IntoIterator<Item = i64>) -> Vec<String> {
    ns.into_iter()
        .map(|n| {
            docs.iter()
                .find(|(_, m)| *m == n)
                .expect("n in fixture")
                .0
                .clone()
        })
        .collect()
}

async fn offset_page(
    store: &dyn Store,
    q: &ListQuery,
    offset: u64,
    limit: u32,
) -> (Vec<String>, Option<u64>) {
    let q = q.clone().page(PageRequest::Offset { offset, limit });
    let page = ok(
        store.list(&q).await,
        &format!("offset page {offset}+{limit}"),
    );
    (ids(&page), page.total)
}

/// Offset pages slice the sorted matches and report the exact total.
pub async fn offset_pages(store: Arc<dyn Store>) {
    let store = &*store;
    let (s, docs) = permuted(store).await;
    let by_n_asc = query(&s, "item").sort(SortKey::asc("n"));
    let cases: [(u64, u32, Vec<String>); 4] = [
        (0, 10, by_n(&docs, 0..10)),
        (20, 10, by_n(&docs, 20..25)),
        (25, 10, vec![]),
        (100, 10, vec![]),
    ];
    for (offset, limit, expected) in cases {
        let got = offset_page(store, &by_n_asc, offset, limit).await;
        assert_eq!(
            got,
            (expected, Some(25)),
            "page {offset}+{limit} sorted by n"
        );
    }
    let filtered = query(&s, "item")
        .filter(Filter::cmp("n", CmpOp::Ge, 5))
        .sort(SortKey::desc("n"));
    let got = offset_page(store, &filtered, 5, 5).await;
    assert_eq!(
        got,
        (by_n(&docs, (15..20).rev()), Some(20)),
        "filtered page sorted by n desc"
    );
    let insertion = offset_page(store, &query(&s, "item"), 3, 4).await;
    let expected = strings(&["p03", "p04", "p05", "p06"]);
    assert_eq!(
        insertion,
        (expected, Some(25)),
        "page 3+4 in insertion order"
    );
}

/// Walks cursor pages to the end, checking that only the last has no next cursor.
async fn walk(
    store: &dyn Store,
    q: &ListQuery,
    limit: u32,
    descending: bool,
) -> (Vec<String>, Vec<usize>) {
    let (mut seen, mut sizes, mut after) = (Vec::new(), Vec::new(), None);
    loop {
        let page = PageRequest::Cursor {
            after: after.clone(),
            limit,
            descending,
        };
        let got = ok(store.list(&q.clone().page(page)).await, "cursor page");
        sizes.push(got.items.len());
        seen.extend(ids(&got));
        match got.next_cursor {
            None => return (seen, sizes),
            Some(next) => after = Some(next),
        }
        assert!(sizes.len() <= 100, "cursor pages never end (seen {seen:?})");
    }
}

fn numbered(range: impl Iterator<Item = i64>) -> Vec<String> {
    range.map(|i| format!("c{i:02}")).collect()
}

/// Cursor pages visit every match once, in insertion order either way, and the last
/// page (also an exactly full one) has no next cursor.
pub async fn cursor_pages(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("kassa");
    for i in 0..25 {
        create(store, s.key("item", format!("c{i:02}")), json!({"n": i})).await;
    }
    let all = query(&s, "item");
    let first = PageRequest::Cursor {
        after: None,
        limit: 7,
        descending: false,
    };
    let page = ok(
        store.list(&all.clone().page(first)).await,
        "first cursor page",
    );
    assert_eq!(page.total, Some(25), "total of a cursor page");
    assert_eq!(
        walk(store, &all, 7, false).await,
        (numbered(0..25), vec![7, 7, 7, 4]),
        "ascending walk"
    );
    assert_eq!(
        walk(store, &all, 7, true).await,
        (numbered((0..25).rev()), vec![7, 7, 7, 4]),
        "descending walk"
    );
    assert_eq!(
        walk(store, &all, 100, false).await,
        (numbered(0..25), vec![25]),
        "one-page walk"
    );
    let below21 = query(&s, "item").filter(Filter::cmp("n", CmpOp::Lt, 21));
    assert_eq!(
        walk(store, &below21, 7, false).await,
        (numbered(0..21), vec![7, 7, 7]),
        "filtered walk"
    );
    assert_eq!(
        walk(store, &below21, 7, true).await,
        (numbered((0..21).rev()), vec![7, 7, 7]),
        "filtered descending walk"
    );

    // Changes during a walk: updates keep their place, new documents come at the end.
    let page = PageRequest::Cursor {
        after: None,
        limit: 10,
        descending: false,
    };
    let first = ok(store.list(&all.clone().page(page)).await, "first page");
    assert_eq!(ids(&first), numbered(0..10), "first page of 10");
    for id in ["c03", "c15"] {
        let doc = Document::new(s.key("item", id), json!({"n": -1}));
        ok(put(store, doc, Expect::Any).await, "update during a walk");
    }
    create(store, s.key("item", "c25"), json!({"n": 25})).await;
    let mut seen = ids(&first);
    let mut after = first.next_cursor.clone();
    while let Some(cursor) = after {
        let page = PageRequest::Cursor {
            after: Some(cursor),
            limit: 10,
            descending: false,
        };
        let got = ok(store.list(&all.clone().page(page)).await, "next page");
        seen.extend(ids(&got));
        after = got.next_cursor;
        assert!(seen.len() <= 100, "cursor walk does not end");
    }
    assert_eq!(seen, numbered(0..26), "walk while documents change");
}

/// Pages that start at a named row: that row first, the rest in insertion order, only
/// the query's own matches; a row of another kind or scope names no start.
pub async fn pages_starting_at_an_id(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("kassa");
    let other = scope("kassa");
    for i in 0..12 {
        create(
            store,
            s.key("item", format!("s{i:02}")),
            json!({"n": i % 3}),
        )
        .await;
    }
    create(store, s.key("other", "o1"), json!({})).await;
    create(store, other.key("item", "s05"), json!({})).await;
    let start = |id: &str, limit| PageRequest::StartingAt {
        id: id.to_owned(),
        limit,
    };
    let all = query(&s, "item");
    let page = ok(
        store.list(&all.clone().page(start("s04", 5))).await,
        "from s04",
    );
    assert_eq!(ids(&page), numbered_from("s", 4..9), "five rows from s04");
    assert!(page.next_cursor.is_some(), "more rows follow s08");
    let page = ok(
        store.list(&all.clone().page(start("s09", 5))).await,
        "from s09",
    );
    assert_eq!(ids(&page), numbered_from("s", 9..12), "the last rows");
    assert_eq!(page.next_cursor, None, "nothing follows s11");
    let zeros = query(&s, "item").filter(Filter::cmp("n", CmpOp::Eq, 0));
    let page = ok(store.list(&zeros.page(start("s04", 10))).await, "filtered");
    assert_eq!(ids(&page), strings(&["s06", "s09"]), "matches from s04 on");
    for absent in ["o1", "nope"] {
        let page = ok(
            store.list(&all.clone().page(start(absent, 5))).await,
            absent,
        );
        assert!(page.items.is_empty(), "a page from {absent} has rows");
    }
    let theirs = query(&other, "item").page(start("s05", 5));
    let page = ok(store.list(&theirs).await, "other scope");
    assert_eq!(
        ids(&page),
        strings(&["s05"]),
        "the other scope's own s05 only"
    );
}

fn numbered_from(prefix: &str, range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("{prefix}{i:02}")).collect()
}

/// A cursor the store did not issue is refused, not read as "from the start".
pub async fn malformed_cursor(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("kassa");
    create(store, s.key("item", "a"), Value::Object(Default::default())).await;
    for cursor in ["not-a-cursor", "%%%", "1; DROP TABLE documents"] {
        for descending in [false, true] {
            let page = PageRequest::Cursor {
                after: Some(cursor.to_owned()),
                limit: 10,
                descending,
            };
            let result = store.list(&query(&s, "item").page(page)).await;
            assert_invalid(result, &format!("list after cursor {cursor:?}"));
        }
    }
}

/// Several kinds list as one sequence: filters, sorting, totals and pages span them, and
/// rows keep their own kind; kinds not asked for stay out.
pub async fn several_kinds(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    create_all(
        store,
        &s,
        "apple",
        &[("a1", json!({"n": 3})), ("a2", json!({"n": 1}))],
    )
    .await;
    create_all(
        store,
        &s,
        "pear",
        &[("p1", json!({"n": 2})), ("p2", json!({"n": 9}))],
    )
    .await;
    create_all(store, &s, "plum", &[("x1", json!({"n": 0}))]).await;
    let mut q = query(&s, "apple").with_kinds(&["pear"]);
    q.sort = vec![SortKey::asc("n")];
    q.filter = Some(Filter::cmp("n", CmpOp::Lt, json!(5)));
    q.page = PageRequest::Offset {
        offset: 1,
        limit: 2,
    };
    let page = ok(store.list(&q).await, "list two kinds");
    assert_eq!(ids(&page), ["p1", "a1"], "sorted across kinds, second page");
    assert_eq!(page.total, Some(3), "total spans both kinds");
    let kinds: Vec<&str> = page.items.iter().map(|d| d.key.kind.as_str()).collect();
    assert_eq!(kinds, ["pear", "apple"], "rows keep their kind");
}

/// An id set far larger than any SQL parameter limit still filters exactly.
pub async fn large_id_sets(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    create_all(
        store,
        &s,
        "item",
        &[("keep", json!({})), ("drop", json!({}))],
    )
    .await;
    let mut wanted: Vec<String> = (0..70_000).map(|i| format!("absent-{i}")).collect();
    wanted.push("keep".into());
    let q = query(&s, "item").filter(Filter::IdIn(wanted.clone()));
    assert_eq!(ids(&ok(store.list(&q).await, "70k ids")), ["keep"]);
    let q = query(&s, "item").filter(Filter::Not(Box::new(Filter::IdIn(wanted))));
    assert_eq!(ids(&ok(store.list(&q).await, "not 70k ids")), ["drop"]);
}

/// Totals follow every write: the same filtered count asked again after a create, an
/// update that stops a match, a delete, an import and a purge.
pub async fn totals_follow_writes(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let count = || async {
        let page = ok(
            store
                .list(&query(&s, "thing").filter(Filter::eq("on", true)))
                .await,
            "count",
        );
        page.total.expect("a total was asked for")
    };
    create_all(
        store,
        &s,
        "thing",
        &[("a", json!({"on": true})), ("b", json!({"on": false}))],
    )
    .await;
    assert_eq!(count().await, 1, "after two creates");
    create(store, s.key("thing", "c"), json!({"on": true})).await;
    assert_eq!(count().await, 2, "after a create");
    let a = ok(store.get(&s.key("thing", "a")).await, "get").expect("a");
    let mut off = Document::new(a.key.clone(), json!({"on": false}));
    off.version = a.version;
    ok(put(store, off, Expect::Version(a.version)).await, "update");
    assert_eq!(count().await, 1, "after an update");
    ok(
        delete(store, &s.key("thing", "c"), Expect::Any).await,
        "delete",
    );
    assert_eq!(count().await, 0, "after a delete");
    let snapshot = ok(store.export(&s.account).await, "export");
    create(store, s.key("thing", "d"), json!({"on": true})).await;
    assert_eq!(count().await, 1, "after another create");
    ok(store.import(&s.account, &snapshot).await, "import");
    assert_eq!(count().await, 0, "after an import");
    create(store, s.key("thing", "e"), json!({"on": true})).await;
    ok(store.purge(&s.account, None).await, "purge");
    assert_eq!(count().await, 0, "after a purge");
}
