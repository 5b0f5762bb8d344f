//! Unique secondary lookups (externalId, code, login): one holder per
//! `(account, dialect, kind, name, value)`, kept in step with the documents.

use std::sync::Arc;

use serde_json::json;

use super::support::*;
use crate::{Document, Expect, Scope, Store, StoreError};

async fn find(store: &dyn Store, s: &Scope, kind: &str, name: &str, value: &str) -> Option<String> {
    let what = format!("find_by_lookup {kind}.{name}={value}");
    ok(store.find_by_lookup(s, kind, name, value).await, &what).map(|doc| doc.key.id)
}

fn assert_duplicate(error: StoreError, name: &str, value: &str, holder: &str) {
    match error {
        StoreError::Duplicate {
            kind,
            name: n,
            value: v,
            holder: h,
        } => assert_eq!(
            (kind.as_str(), n.as_str(), v.as_str(), h.as_str()),
            ("product", name, value, holder),
            "StoreError::Duplicate must name the kind, lookup, value and holder"
        ),
        other => panic!("expected StoreError::Duplicate for {name}={value}, got {other:?}"),
    }
}

/// A second document with a taken value is refused, naming the holder.
pub async fn lookups_are_unique(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let p1 = Document::new(s.key("product", "p1"), json!({"n": 1})).with_lookup("externalId", "X");
    let stored = ok(put(store, p1.clone(), Expect::Absent).await, "create p1");
    assert_eq!(
        stored.lookups, p1.lookups,
        "the stored document keeps its lookups"
    );
    let got = ok(store.get(&p1.key).await, "get p1").expect("p1 exists");
    assert_eq!(got.lookups, p1.lookups, "get returns the lookups");
    assert_eq!(
        find(store, &s, "product", "externalId", "X")
            .await
            .as_deref(),
        Some("p1")
    );

    let p2 = Document::new(s.key("product", "p2"), json!({"n": 2})).with_lookup("externalId", "X");
    let error = err(
        put(store, p2.clone(), Expect::Absent).await,
        "create p2 with a taken value",
    );
    assert_duplicate(error, "externalId", "X", "p1");
    assert_eq!(
        ok(store.get(&p2.key).await, "get p2"),
        None,
        "a refused put stored its document"
    );
    let error = err(
        put(store, p2.clone(), Expect::Any).await,
        "put Any with a taken value",
    );
    assert_duplicate(error, "externalId", "X", "p1");

    let again = ok(
        put(store, p1.clone(), Expect::Version(1)).await,
        "re-put p1 with its own value",
    );
    assert_eq!(
        again.version, 2,
        "re-putting a document with its own lookup value"
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "X")
            .await
            .as_deref(),
        Some("p1")
    );
}

/// Changing or dropping a lookup frees the old value; so does deleting the document.
pub async fn lookups_follow_changes_and_deletes(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("retailcrm");
    let key1 = s.key("product", "p1");
    let p1 = Document::new(key1.clone(), json!({}))
        .with_lookup("externalId", "X")
        .with_lookup("code", "C1");
    ok(put(store, p1, Expect::Absent).await, "create p1");

    let moved = Document::new(key1.clone(), json!({}))
        .with_lookup("externalId", "Y")
        .with_lookup("code", "C1");
    ok(
        put(store, moved, Expect::Version(1)).await,
        "change p1's externalId",
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "X").await,
        None,
        "old value still found"
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "Y")
            .await
            .as_deref(),
        Some("p1")
    );
    assert_eq!(
        find(store, &s, "product", "code", "C1").await.as_deref(),
        Some("p1")
    );

    let p2 = Document::new(s.key("product", "p2"), json!({})).with_lookup("externalId", "X");
    ok(
        put(store, p2, Expect::Absent).await,
        "take the freed value X",
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "X")
            .await
            .as_deref(),
        Some("p2")
    );

    ok(
        put(
            store,
            Document::new(key1.clone(), json!({})),
            Expect::Version(2),
        )
        .await,
        "drop lookups",
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "Y").await,
        None,
        "dropped value still found"
    );
    assert_eq!(
        find(store, &s, "product", "code", "C1").await,
        None,
        "dropped value still found"
    );

    ok(
        delete(store, &s.key("product", "p2"), Expect::Any).await,
        "delete p2",
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "X").await,
        None,
        "deleted holder still found"
    );
    let p3 = Document::new(s.key("product", "p3"), json!({})).with_lookup("externalId", "X");
    ok(
        put(store, p3, Expect::Absent).await,
        "take the value of a deleted document",
    );
    assert_eq!(
        find(store, &s, "product", "externalId", "X")
            .await
            .as_deref(),
        Some("p3")
    );
}

/// The same value may be held once per account, dialect, kind and lookup name.
pub async fn lookups_are_scoped(store: Arc<dyn Store>) {
    let store = &*store;
    let s = scope("moysklad");
    let other_account = scope("moysklad");
    let other_dialect = crate::Scope::new(s.account.clone(), "kassa");
    let holders = [
        (&s, "product", "code", "a"),
        (&other_account, "product", "code", "b"),
        (&other_dialect, "product", "code", "c"),
        (&s, "service", "code", "d"),
        (&s, "product", "externalId", "e"),
    ];
    for (scope, kind, name, id) in holders {
        let doc = Document::new(scope.key(kind, id), json!({})).with_lookup(name, "V");
        let what = format!("{kind} {id} holding {name}=V in {scope:?}");
        ok(put(store, doc, Expect::Absent).await, &what);
    }
    for (scope, kind, name, id) in holders {
        let found = find(store, scope, kind, name, "V").await;
        assert_eq!(
            found.as_deref(),
            Some(id),
            "holder of {kind}.{name}=V in {scope:?}"
        );
    }
    assert_eq!(
        find(store, &s, "product", "code", "v").await,
        None,
        "lookup values are case-sensitive"
    );
    assert_eq!(
        find(store, &s, "product", "login", "V").await,
        None,
        "unknown lookup name"
    );
    assert_eq!(
        find(store, &s, "customer", "code", "V").await,
        None,
        "unknown kind"
    );
}
