//! Puts, gets and deletes of single documents, and their version preconditions: the
//! optimistic locking every vendor API's updates rely on.

use std::sync::Arc;

use serde_json::json;

use super::support::*;
use crate::{Document, Expect, Store};

/// Versions start at 1 and grow by one; `Expect` is checked on every put.
pub async fn put_get_and_versions(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let key = s.key("product", "p1");
    assert_eq!(
        ok(store.get(&key).await, "get missing"),
        None,
        "get of a missing key"
    );

    let doc = Document::new(key.clone(), json!({"name": "first", "n": 1}));
    let v1 = ok(put(store, doc.clone(), Expect::Absent).await, "first put");
    assert_eq!(v1.version, 1, "a new document's version");
    assert_eq!(v1.key, key, "the stored key");
    assert_eq!(v1.body, json!({"name": "first", "n": 1}), "the stored body");
    assert_eq!(
        ok(store.get(&key).await, "get"),
        Some(v1.clone()),
        "get after create"
    );

    let body2 = json!({"name": "second", "nested": {"list": [1, 2.5, "x", null, true]}});
    let v2 = ok(
        put(
            store,
            Document::new(key.clone(), body2.clone()),
            Expect::Any,
        )
        .await,
        "put Any",
    );
    assert_eq!(v2.version, 2, "version after a put with Expect::Any");
    let body3 = json!({"name": "third"});
    let v3 = ok(
        put(
            store,
            Document::new(key.clone(), body3.clone()),
            Expect::Version(2),
        )
        .await,
        "put Version(2)",
    );
    assert_eq!(v3.version, 3, "version after a put with Expect::Version(2)");

    let stale = Document::new(key.clone(), json!({"name": "stale"}));
    assert_conflict(
        put(store, stale.clone(), Expect::Absent).await,
        &key,
        "put Absent on existing",
    );
    assert_conflict(
        put(store, stale.clone(), Expect::Version(2)).await,
        &key,
        "put stale Version(2)",
    );
    assert_conflict(
        put(store, stale.clone(), Expect::Version(4)).await,
        &key,
        "put future Version(4)",
    );
    let current = ok(store.get(&key).await, "get after conflicts").expect("document exists");
    assert_eq!(
        (current.version, current.body),
        (3, body3),
        "conflicting puts changed the document"
    );

    let other = s.key("product", "p2");
    let absent = Document::new(other.clone(), json!({}));
    assert_conflict(
        put(store, absent.clone(), Expect::Version(1)).await,
        &other,
        "put Version(1) on missing",
    );
    assert_eq!(
        ok(store.get(&other).await, "get p2"),
        None,
        "a failed put stored something"
    );

    let mut claimed = Document::new(key.clone(), json!({"name": "fourth"}));
    claimed.version = 99;
    let v4 = ok(
        put(store, claimed, Expect::Any).await,
        "put with a made-up version",
    );
    assert_eq!(
        v4.version, 4,
        "the store must ignore the version of the document it is given"
    );
}

/// Deletes check their `Expect` too; deleting nothing with `Any` is fine.
pub async fn deletes_with_expectations(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("retailcrm");
    let key = s.key("order", "o1");
    let missing = s.key("order", "nope");

    let applied = ok(
        store
            .apply(crate::Batch::new().write(crate::Write::Delete {
                key: missing.clone(),
                expect: Expect::Any,
            }))
            .await,
        "delete missing with Any",
    );
    assert_eq!(
        applied.documents,
        vec![None],
        "Applied::documents of a delete"
    );
    assert_conflict(
        delete(store, &missing, Expect::Version(1)).await,
        &missing,
        "delete missing Version(1)",
    );

    create(store, key.clone(), json!({"n": 1})).await;
    ok(
        put(
            store,
            Document::new(key.clone(), json!({"n": 2})),
            Expect::Version(1),
        )
        .await,
        "update",
    );
    assert_conflict(
        delete(store, &key, Expect::Version(1)).await,
        &key,
        "delete stale Version(1)",
    );
    assert_conflict(
        delete(store, &key, Expect::Absent).await,
        &key,
        "delete existing with Absent",
    );
    let kept = ok(store.get(&key).await, "get").expect("a conflicting delete removed the document");
    assert_eq!(kept.version, 2, "version after failed deletes");

    ok(
        delete(store, &key, Expect::Version(2)).await,
        "delete Version(2)",
    );
    assert_eq!(
        ok(store.get(&key).await, "get deleted"),
        None,
        "get after delete"
    );

    let again = create(store, key.clone(), json!({"n": 3})).await;
    assert_eq!(
        again.version, 1,
        "a re-created document starts at version 1 again"
    );
    ok(delete(store, &key, Expect::Any).await, "delete Any");
    assert_eq!(
        ok(store.get(&key).await, "get"),
        None,
        "get after delete with Any"
    );
}
