//! A realistic volume: 100,000 documents of one kind. Checks results (not speed) and
//! prints timings so a slow backend shows up in the test output.

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use super::support::*;
use crate::{Batch, CmpOp, Document, Expect, Filter, PageRequest, SortKey, Store, Write};

const COUNT: i64 = 100_000;

fn body(n: i64) -> serde_json::Value {
    json!({"n": n, "bucket": n % 7, "price": (n % 1000) as f64 / 10.0, "name": format!("item {n}")})
}

fn id(n: i64) -> String {
    format!("d{n:06}")
}

/// Inserts 100,000 documents in batches of 1,000, then filters, sorts and pages them.
pub async fn hundred_thousand_documents(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let started = Instant::now();
    for chunk in 0..COUNT / 1000 {
        let batch = (chunk * 1000..(chunk + 1) * 1000).fold(Batch::new(), |batch, n| {
            let doc =
                Document::new(s.key("item", id(n)), body(n)).with_lookup("code", format!("C{n}"));
            batch.write(Write::Put {
                doc,
                expect: Expect::Absent,
            })
        });
        ok(store.apply(batch).await, &format!("batch {chunk}"));
    }
    eprintln!(
        "scale: inserted {COUNT} documents in {:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let filter = Filter::And(vec![
        Filter::eq("bucket", 3),
        Filter::cmp("n", CmpOp::Ge, 50_000),
        Filter::cmp("n", CmpOp::Lt, 90_000),
    ]);
    let mut matches: Vec<i64> = (50_000..90_000).filter(|n| n % 7 == 3).collect();
    let by_price = query(&s, "item")
        .filter(filter.clone())
        .sort(SortKey::asc("price"))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 50,
        });
    let page = ok(store.list(&by_price).await, "filtered list sorted by price");
    let filtered_took = started.elapsed();
    assert_eq!(
        page.total,
        Some(matches.len() as u64),
        "total of the filtered list"
    );
    // Stable: equal prices keep insertion (= n) order.
    matches.sort_by(|a, b| {
        body(*a)["price"]
            .as_f64()
            .partial_cmp(&body(*b)["price"].as_f64())
            .unwrap()
    });
    let expected: Vec<String> = matches.iter().take(50).map(|n| id(*n)).collect();
    assert_eq!(
        ids(&page),
        expected,
        "first page of the filtered list sorted by price"
    );

    let started = Instant::now();
    let newest = query(&s, "item")
        .filter(filter)
        .sort(SortKey::desc("n"))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1,
        });
    let top = ok(store.list(&newest).await, "filtered list sorted by n desc");
    let desc_took = started.elapsed();
    let largest = (50_000..90_000)
        .rev()
        .find(|n| n % 7 == 3)
        .expect("a match");
    assert_eq!(ids(&top), vec![id(largest)], "first of the descending sort");

    let started = Instant::now();
    let deep = query(&s, "item")
        .sort(SortKey::desc("n"))
        .page(PageRequest::Offset {
            offset: 5_000,
            limit: 3,
        });
    let deep = ok(store.list(&deep).await, "deep page sorted by n desc");
    let deep_took = started.elapsed();
    let expected: Vec<String> = (COUNT - 5_003..COUNT - 5_000).rev().map(id).collect();
    assert_eq!(
        (ids(&deep), deep.total),
        (expected, Some(COUNT as u64)),
        "page 5000+3 of all, n desc"
    );

    let started = Instant::now();
    let found = ok(
        store.find_by_lookup(&s, "item", "code", "C77777").await,
        "find_by_lookup",
    );
    assert_eq!(
        found.map(|d| d.key.id),
        Some(id(77_777)),
        "lookup among 100,000"
    );
    eprintln!(
        "scale: filtered+sorted page {filtered_took:?}, top of desc sort {desc_took:?}, \
         deep page {deep_took:?}, lookup {:?}",
        started.elapsed()
    );
}
