//! Whole-account operations behind the admin API: reset (purge) one vendor or all, and
//! save/restore an account (export/import), which must round-trip byte for byte and
//! leave the account working: lookups, sequences and history ids continue.

use std::sync::Arc;

use serde_json::json;

use super::support::*;
use crate::{
    Batch, DeliveryQuery, Document, Expect, LogQuery, NewLogEntry, Scope, Snapshot, SnapshotChange,
    SnapshotDocument, SnapshotSequence, Store, Write,
};

/// Two products (one with a lookup), a history of two, a sequence at 2, a delivery and
/// a log entry in `s`.
async fn populate(store: &dyn Store, s: &Scope) {
    let p1 = Document::new(s.key("product", "p1"), json!({"n": 1})).with_lookup("code", "C1");
    let p2 = Document::new(s.key("product", "p2"), json!({"n": 2}));
    let t = time(2001, 0);
    let batch = Batch::new()
        .write(Write::Put {
            doc: p1,
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: p2,
            expect: Expect::Absent,
        })
        .change(change(s, "product", "p1", "create", t))
        .change(change(s, "product", "p2", "create", t))
        .delivery(delivery(s, "product.created", t));
    ok(store.apply(batch).await, &format!("populate {s:?}"));
    for _ in 0..2 {
        ok(store.next_sequence(s, "order").await, "next_sequence");
    }
    let entry = NewLogEntry {
        at: t,
        request_id: unique("req"),
        account: Some(s.account.clone()),
        dialect: s.dialect.clone(),
        endpoint: "entity.list".into(),
        method: "GET".into(),
        path: "/".into(),
        query: None,
        status: 200,
        latency_ms: 1,
        request_headers: json!({}),
        request_body: None,
        response_body: None,
    };
    ok(store.append_log(&[entry]).await, "append_log");
}

/// What remains of `s`: (products, has C1, history ids, deliveries, log entries).
async fn remains(store: &dyn Store, s: &Scope) -> (Vec<String>, bool, Vec<i64>, usize, usize) {
    let products = ids(&ok(store.list(&query(s, "product")).await, "list"));
    let lookup = ok(
        store.find_by_lookup(s, "product", "code", "C1").await,
        "find",
    )
    .is_some();
    let deliveries = delivery_ids(store, &s.account, Some(&s.dialect))
        .await
        .len();
    let log = LogQuery {
        account: Some(s.account.clone()),
        dialect: Some(s.dialect.clone()),
        limit: 100,
        ..LogQuery::default()
    };
    let log = ok(store.query_log(&log).await, "query_log").items.len();
    (
        products,
        lookup,
        history_ids(store, s).await,
        deliveries,
        log,
    )
}

fn intact() -> (Vec<String>, bool, Vec<i64>, usize, usize) {
    (strings(&["p1", "p2"]), true, vec![1, 2], 1, 1)
}

fn gone() -> (Vec<String>, bool, Vec<i64>, usize, usize) {
    (vec![], false, vec![], 0, 0)
}

/// Purging one dialect leaves the account's other dialects and other accounts alone.
pub async fn purge_one_dialect(store: Arc<dyn Store>) {
    let store = &*store;
    let a_ms = scope("moysklad");
    let a_rc = Scope::new(a_ms.account.clone(), "retailcrm");
    let b_ms = scope("moysklad");
    for s in [&a_ms, &a_rc, &b_ms] {
        populate(store, s).await;
    }
    // Read first, so a backend that remembers reads must forget them on purge.
    assert_eq!(
        remains(store, &a_ms).await,
        intact(),
        "A moysklad before its purge"
    );
    ok(
        store.purge(&a_ms.account, Some("moysklad")).await,
        "purge A moysklad",
    );
    assert_eq!(
        remains(store, &a_ms).await,
        gone(),
        "A moysklad after its purge"
    );
    assert_eq!(
        remains(store, &a_rc).await,
        intact(),
        "A retailcrm after purging A moysklad"
    );
    assert_eq!(
        remains(store, &b_ms).await,
        intact(),
        "B after purging A moysklad"
    );
    assert_eq!(
        ok(store.next_sequence(&a_ms, "order").await, "seq"),
        1,
        "purged sequence restarts"
    );
    assert_eq!(
        ok(store.next_sequence(&a_rc, "order").await, "seq"),
        3,
        "kept sequence"
    );
    assert_eq!(
        ok(store.next_sequence(&b_ms, "order").await, "seq"),
        3,
        "other account's sequence"
    );
    let t = time(2001, 0);
    let applied = ok(
        store
            .apply(Batch::new().change(change(&a_ms, "product", "p9", "create", t)))
            .await,
        "change",
    );
    assert_eq!(
        applied.change_ids,
        vec![1],
        "history ids restart after a purge"
    );
    populate(store, &a_ms).await;
    let found = ok(
        store.find_by_lookup(&a_ms, "product", "code", "C1").await,
        "find",
    );
    assert!(found.is_some(), "a purged lookup value can be taken again");
}

/// Purging an account removes all its dialects, and only its.
pub async fn purge_whole_account(store: Arc<dyn Store>) {
    let store = &*store;
    let a_ms = scope("moysklad");
    let a_rc = Scope::new(a_ms.account.clone(), "retailcrm");
    let a_kassa = Scope::new(a_ms.account.clone(), "kassa");
    let b_ms = scope("moysklad");
    for s in [&a_ms, &a_rc, &a_kassa, &b_ms] {
        populate(store, s).await;
    }
    ok(store.purge(&a_ms.account, None).await, "purge A");
    for s in [&a_ms, &a_rc, &a_kassa] {
        assert_eq!(
            remains(store, s).await,
            gone(),
            "{s:?} after purging its account"
        );
        assert_eq!(
            ok(store.next_sequence(s, "order").await, "seq"),
            1,
            "sequence after purge"
        );
    }
    let all_a = DeliveryQuery {
        account: Some(a_ms.account.clone()),
        limit: 100,
        ..Default::default()
    };
    let left = ok(store.list_deliveries(&all_a).await, "list_deliveries");
    assert_eq!(
        (left.items.len(), left.total),
        (0, Some(0)),
        "A's deliveries after purge"
    );
    assert_eq!(remains(store, &b_ms).await, intact(), "B after purging A");
    ok(
        store.purge(&unique("nobody"), None).await,
        "purge of an unknown account",
    );
    assert_eq!(
        remains(store, &b_ms).await,
        intact(),
        "B after purging an unknown account"
    );
}

fn bytes(snapshot: &Snapshot) -> Vec<u8> {
    serde_json::to_vec(snapshot).expect("snapshots serialise")
}

/// Export, import elsewhere, export again: the same bytes, and a working account.
pub async fn export_import_round_trip(store: Arc<dyn Store>) {
    let store = &*store;
    let ms = scope("moysklad");
    let kassa = Scope::new(ms.account.clone(), "kassa");
    let t = |i| time(2001, i);
    let doc = |s: &Scope, kind: &str, id: &str| {
        Document::new(s.key(kind, id), json!({"id": id, "ru": "Привет"}))
    };
    let batch = Batch::new()
        .write(Write::Put {
            doc: doc(&ms, "product", "p2").with_lookup("code", "P2"),
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: doc(&ms, "customer", "c1").with_lookup("login", "c@x"),
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: doc(&ms, "product", "p1"),
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: doc(&kassa, "payment", "x1"),
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: doc(&ms, "product", "p2").with_lookup("code", "P2"),
            expect: Expect::Version(1),
        })
        .change(change(&ms, "product", "p2", "create", t(1)))
        .change(change(&ms, "customer", "c1", "create", t(2)))
        .change(change(&kassa, "payment", "x1", "create", t(3)))
        .change(change(&ms, "product", "p2", "update", t(4)));
    ok(store.apply(batch).await, "populate A");
    for (s, name, times) in [(&ms, "order", 3), (&kassa, "receipt", 1)] {
        for _ in 0..times {
            ok(store.next_sequence(s, name).await, "next_sequence");
        }
    }
    let exported = ok(store.export(&ms.account).await, "export A");
    let order: Vec<(&str, &str, &str, i64)> = exported
        .documents
        .iter()
        .map(|d| {
            (
                d.dialect.as_str(),
                d.kind.as_str(),
                d.id.as_str(),
                d.version,
            )
        })
        .collect();
    let expected = vec![
        ("kassa", "payment", "x1", 1),
        ("moysklad", "customer", "c1", 1),
        ("moysklad", "product", "p2", 2),
        ("moysklad", "product", "p1", 1),
    ];
    assert_eq!(
        order, expected,
        "exported documents: (dialect, kind), then insertion order"
    );
    let sequences = vec![
        SnapshotSequence {
            dialect: "kassa".into(),
            name: "receipt".into(),
            value: 1,
        },
        SnapshotSequence {
            dialect: "moysklad".into(),
            name: "order".into(),
            value: 3,
        },
    ];
    assert_eq!(
        exported.sequences, sequences,
        "exported sequences (and nothing internal)"
    );
    let history: Vec<(&str, i64, &str)> = exported
        .history
        .iter()
        .map(|c| (c.dialect.as_str(), c.id, c.entity_id.as_str()))
        .collect();
    let expected = vec![
        ("kassa", 1, "x1"),
        ("moysklad", 1, "p2"),
        ("moysklad", 2, "c1"),
        ("moysklad", 3, "p2"),
    ];
    assert_eq!(history, expected, "exported history: (dialect, id) order");

    // B has data of its own, which the import replaces (but not its request log).
    let b = scope("moysklad");
    populate(store, &b).await;
    for _ in 0..10 {
        ok(store.next_sequence(&b, "order").await, "next_sequence");
    }
    ok(store.import(&b.account, &exported).await, "import into B");
    let again = ok(store.export(&b.account).await, "export B");
    assert!(
        bytes(&again) == bytes(&exported),
        "export of B differs from the imported export of A:\n{}\n{}",
        String::from_utf8_lossy(&bytes(&again)),
        String::from_utf8_lossy(&bytes(&exported))
    );
    assert_eq!(
        ok(store.get(&b.key("product", "p1")).await, "get").map(|d| d.version),
        Some(1)
    );
    let old = ok(
        store.find_by_lookup(&b, "product", "code", "C1").await,
        "find old lookup",
    );
    assert_eq!(old, None, "lookups of B's replaced documents must go");
    let found = ok(
        store.find_by_lookup(&b, "product", "code", "P2").await,
        "find imported lookup",
    );
    assert_eq!(
        found.map(|d| (d.key.id, d.version)),
        Some(("p2".to_owned(), 2)),
        "imported lookup"
    );
    let found = ok(
        store.find_by_lookup(&b, "customer", "login", "c@x").await,
        "find imported lookup",
    );
    assert_eq!(
        found.map(|d| d.key.id),
        Some("c1".to_owned()),
        "imported login lookup"
    );
    let b_kassa = Scope::new(b.account.clone(), "kassa");
    assert_eq!(
        ok(store.next_sequence(&b, "order").await, "seq"),
        4,
        "imported sequence continues"
    );
    assert_eq!(
        ok(store.next_sequence(&b_kassa, "receipt").await, "seq"),
        2,
        "imported sequence continues"
    );
    let next = ok(
        store
            .apply(Batch::new().change(change(&b, "product", "p1", "update", t(5))))
            .await,
        "change",
    );
    assert_eq!(next.change_ids, vec![4], "history id after import");
    let next = ok(
        store
            .apply(Batch::new().change(change(&b_kassa, "payment", "x1", "update", t(6))))
            .await,
        "change",
    );
    assert_eq!(next.change_ids, vec![2], "history id after import");
    let p2 = Document::new(b.key("product", "p2"), json!({})).with_lookup("code", "P2");
    let p2 = ok(
        put(store, p2, Expect::Version(2)).await,
        "update imported p2",
    );
    assert_eq!(p2.version, 3, "imported versions continue");
    let log = LogQuery {
        account: Some(b.account.clone()),
        limit: 10,
        ..LogQuery::default()
    };
    assert_eq!(
        ok(store.query_log(&log).await, "query_log").items.len(),
        1,
        "import keeps the request log"
    );
    let a_again = ok(store.export(&ms.account).await, "export A again");
    assert!(
        bytes(&a_again) == bytes(&exported),
        "changes to B altered A's export"
    );
}

/// A snapshot written elsewhere (a file, another backend) imports and continues; an
/// empty one empties the account.
pub async fn import_hand_written_snapshot(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let document = |id: &str, version: i64| SnapshotDocument {
        dialect: "moysklad".into(),
        kind: "product".into(),
        id: id.into(),
        version,
        body: json!({"name": id, "price": 10.5}),
        lookups: Default::default(),
    };
    let mut a = document("a", 7);
    a.lookups.insert("code".into(), "A1".into());
    let entry = |id: i64| SnapshotChange {
        dialect: "moysklad".into(),
        id,
        kind: "product".into(),
        entity_id: "a".into(),
        action: "update".into(),
        at: time(2001, id),
        data: json!({"n": id}),
    };
    let snapshot = Snapshot {
        documents: vec![a, document("b", 1)],
        sequences: vec![SnapshotSequence {
            dialect: "moysklad".into(),
            name: "order".into(),
            value: 41,
        }],
        history: vec![entry(1), entry(2), entry(3)],
    };
    populate(store, &s).await;
    ok(
        store.import(&s.account, &snapshot).await,
        "import a hand-written snapshot",
    );
    let exported = ok(store.export(&s.account).await, "export");
    assert_eq!(
        exported, snapshot,
        "export after importing a hand-written snapshot"
    );
    assert!(
        bytes(&exported) == bytes(&snapshot),
        "export bytes differ from the imported snapshot"
    );
    let found = ok(
        store.find_by_lookup(&s, "product", "code", "A1").await,
        "find",
    );
    assert_eq!(
        found.map(|d| (d.key.id, d.version)),
        Some(("a".to_owned(), 7)),
        "imported lookup"
    );
    assert_eq!(
        ok(store.next_sequence(&s, "order").await, "seq"),
        42,
        "imported sequence continues"
    );
    let t = time(2001, 9);
    let next = ok(
        store
            .apply(Batch::new().change(change(&s, "product", "a", "touch", t)))
            .await,
        "change",
    );
    assert_eq!(
        next.change_ids,
        vec![4],
        "history continues after the imported ids"
    );

    ok(
        store.import(&s.account, &Snapshot::default()).await,
        "import an empty snapshot",
    );
    assert_eq!(
        ok(store.export(&s.account).await, "export"),
        Snapshot::default(),
        "export after empty import"
    );
    assert_eq!(
        ids(&ok(store.list(&query(&s, "product")).await, "list")),
        Vec::<String>::new()
    );
    assert_eq!(
        ok(
            store.find_by_lookup(&s, "product", "code", "A1").await,
            "find"
        ),
        None
    );
    assert_eq!(
        ok(store.next_sequence(&s, "order").await, "seq"),
        1,
        "sequence after empty import"
    );
    let next = ok(
        store
            .apply(Batch::new().change(change(&s, "product", "a", "touch", t)))
            .await,
        "change",
    );
    assert_eq!(next.change_ids, vec![1], "history after an empty import");
}
