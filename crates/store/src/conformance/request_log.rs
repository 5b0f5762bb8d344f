//! The request log behind the admin UI's inspector: entries come back exactly as
//! written, newest first, filtered by any combination of fields and paged by id.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::support::*;
use crate::{LogEntry, LogQuery, NewLogEntry, Store};

/// Six entries at seconds 1..=6 of a window of their own: four of account `a`, one of
/// another account, one of none.
struct Fixture {
    a: String,
    base: DateTime<Utc>,
    tag: String,
    entries: Vec<NewLogEntry>,
}

impl Fixture {
    fn at(&self, secs: i64) -> DateTime<Utc> {
        self.base + chrono::Duration::seconds(secs)
    }

    /// A query limited to the fixture's time window.
    fn window(&self) -> LogQuery {
        LogQuery {
            from: Some(self.at(1)),
            to: Some(self.at(6)),
            limit: 100,
            ..LogQuery::default()
        }
    }

    fn names(&self, page: &[LogEntry]) -> Vec<String> {
        let prefix = format!("{}-", self.tag);
        let name = |e: &LogEntry| {
            e.entry
                .request_id
                .strip_prefix(&prefix)
                .unwrap_or("?")
                .to_owned()
        };
        page.iter().map(name).collect()
    }
}

async fn fixture(store: &dyn Store) -> Fixture {
    let secs = i64::from_str_radix(&random_suffix()[..6], 16).expect("hex");
    let base = time(2003, secs * 60);
    let (a, other, tag) = (unique("acct"), unique("acct"), unique("req"));
    let row = |i: i64,
               account: Option<&str>,
               dialect: &str,
               endpoint: &str,
               method: &str,
               path: &str| NewLogEntry {
        at: base + chrono::Duration::seconds(i),
        request_id: format!("{tag}-e{i}"),
        account: account.map(str::to_owned),
        dialect: dialect.to_owned(),
        endpoint: endpoint.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        query: None,
        status: 200,
        latency_ms: 10 * i as u64,
        request_headers: json!({"content-type": "application/json", "authorization": "***"}),
        request_body: None,
        response_body: None,
    };
    let mut e1 = row(
        1,
        Some(&a),
        "moysklad",
        "entity.list",
        "GET",
        "/api/remap/1.2/entity/product",
    );
    e1.query = Some("limit=10".into());
    e1.response_body = Some("{\"rows\":[]}".into());
    let mut e2 = row(
        2,
        Some(&a),
        "moysklad",
        "entity.create",
        "POST",
        "/api/remap/1.2/entity/customerorder",
    );
    e2.status = 400;
    e2.request_body = Some("{\"name\":\"Заказ 50%\"}".into());
    e2.response_body = Some("{\"errors\":[]}".into());
    let mut e3 = row(
        3,
        Some(&a),
        "retailcrm",
        "orders.list",
        "GET",
        "/api/v5/orders",
    );
    e3.query = Some("filter[ids][]=7".into());
    e3.response_body = Some("{\"success\":true}".into());
    let e4 = row(
        4,
        Some(&other),
        "moysklad",
        "entity.list",
        "GET",
        "/api/remap/1.2/entity/product",
    );
    let mut e5 = row(
        5,
        Some(&a),
        "kassa",
        "payments.create",
        "POST",
        "/api/v3/payments",
    );
    e5.status = 500;
    e5.request_body = Some("{}".into());
    e5.response_body = Some("upstream_timeout".into());
    let mut e6 = row(6, None, "retailcrm", "auth", "GET", "/api/v5/unknown");
    e6.status = 401;
    e6.response_body = Some("{\"errorMsg\":\"Wrong apiKey\"}".into());
    let entries = vec![e1, e2, e3, e4, e5, e6];
    ok(store.append_log(&entries[..3]).await, "append_log");
    ok(store.append_log(&entries[3..]).await, "append_log");
    Fixture {
        a,
        base,
        tag,
        entries,
    }
}

async fn names(store: &dyn Store, f: &Fixture, query: LogQuery) -> Vec<String> {
    let page = ok(
        store.query_log(&query).await,
        &format!("query_log {query:?}"),
    );
    f.names(&page.items)
}

/// Entries come back field for field, under growing ids.
pub async fn log_append_and_get(store: Arc<dyn Store>) {
    let store = &*store;
    let f = fixture(store).await;
    let page = ok(store.query_log(&f.window()).await, "query_log");
    let mut found: Vec<LogEntry> = page.items.clone();
    found.reverse();
    let entries: Vec<NewLogEntry> = found.iter().map(|e| e.entry.clone()).collect();
    assert_eq!(entries, f.entries, "logged entries, oldest first");
    assert!(
        found.windows(2).all(|w| w[0].id < w[1].id),
        "log ids must grow in append order"
    );
    for entry in &found {
        let got = ok(store.get_log(entry.id).await, "get_log");
        assert_eq!(got.as_ref(), Some(entry), "get_log({})", entry.id);
    }
    assert_eq!(
        ok(store.get_log(i64::MAX - 3).await, "get_log"),
        None,
        "get_log of a missing id"
    );
}

/// Every filter, alone and combined, newest first.
pub async fn log_queries(store: Arc<dyn Store>) {
    let store = &*store;
    let f = fixture(store).await;
    let of_a = || LogQuery {
        account: Some(f.a.clone()),
        limit: 100,
        ..LogQuery::default()
    };
    let cases: Vec<(LogQuery, &[&str])> = vec![
        (of_a(), &["e5", "e3", "e2", "e1"]),
        (f.window(), &["e6", "e5", "e4", "e3", "e2", "e1"]),
        (
            LogQuery {
                dialect: Some("moysklad".into()),
                ..of_a()
            },
            &["e2", "e1"],
        ),
        (
            LogQuery {
                dialect: Some("retailcrm".into()),
                ..f.window()
            },
            &["e6", "e3"],
        ),
        (
            LogQuery {
                endpoint: Some("entity.list".into()),
                ..f.window()
            },
            &["e4", "e1"],
        ),
        (
            LogQuery {
                endpoint: Some("entity.list".into()),
                ..of_a()
            },
            &["e1"],
        ),
        (
            LogQuery {
                status_min: Some(400),
                ..f.window()
            },
            &["e6", "e5", "e2"],
        ),
        (
            LogQuery {
                status_min: Some(400),
                status_max: Some(499),
                ..f.window()
            },
            &["e6", "e2"],
        ),
        (
            LogQuery {
                status_max: Some(299),
                ..f.window()
            },
            &["e4", "e3", "e1"],
        ),
        (
            LogQuery {
                from: Some(f.at(2)),
                to: Some(f.at(4)),
                ..f.window()
            },
            &["e4", "e3", "e2"],
        ),
        (
            LogQuery {
                from: Some(f.at(5)),
                ..of_a()
            },
            &["e5"],
        ),
        (
            LogQuery {
                to: Some(f.at(2)),
                ..of_a()
            },
            &["e2", "e1"],
        ),
    ];
    for (query, expected) in cases {
        let what = format!("query_log {query:?}");
        assert_eq!(names(store, &f, query).await, strings(expected), "{what}");
    }
    let texts: [(&str, &[&str]); 11] = [
        ("customerorder", &["e2"]),
        ("entity/product", &["e4", "e1"]),
        ("limit=10", &["e1"]),
        ("filter[ids]", &["e3"]),
        ("Заказ", &["e2"]),
        ("50%", &["e2"]),
        ("%", &["e2"]),
        ("_", &["e5"]),
        ("upstream_", &["e5"]),
        ("rows", &["e1"]),
        ("apiKey", &["e6"]),
    ];
    for (text, expected) in texts {
        let query = LogQuery {
            text: Some(text.into()),
            ..f.window()
        };
        assert_eq!(
            names(store, &f, query).await,
            strings(expected),
            "query_log text {text:?}"
        );
    }
}

/// `next_cursor` is the last id shown; as `before_id` it continues the walk.
pub async fn log_paging(store: Arc<dyn Store>) {
    let store = &*store;
    let f = fixture(store).await;
    for (limit, pages) in [
        (2, vec![vec!["e5", "e3"], vec!["e2", "e1"]]),
        (3, vec![vec!["e5", "e3", "e2"], vec!["e1"]]),
        (4, vec![vec!["e5", "e3", "e2", "e1"]]),
        (1, vec![vec!["e5"], vec!["e3"], vec!["e2"], vec!["e1"]]),
    ] {
        let mut before_id = None;
        for (i, expected) in pages.iter().enumerate() {
            let query = LogQuery {
                account: Some(f.a.clone()),
                before_id,
                limit,
                ..LogQuery::default()
            };
            let page = ok(store.query_log(&query).await, "query_log");
            assert_eq!(
                f.names(&page.items),
                strings(expected),
                "page {i} of {limit}"
            );
            let last = i + 1 == pages.len();
            match (&page.next_cursor, last) {
                (None, true) => {}
                (Some(cursor), false) => {
                    let id = cursor
                        .parse::<i64>()
                        .unwrap_or_else(|_| panic!("cursor {cursor:?} is not an id"));
                    let shown = page.items.last().map(|e| e.id);
                    assert_eq!(Some(id), shown, "next_cursor must be the last id shown");
                    before_id = Some(id);
                }
                (next, _) => {
                    panic!("page {i} of {limit}: next_cursor {next:?} on the last page = {last}")
                }
            }
        }
    }
}
