//! Temporary runner of the store conformance suite on SQLite, while the server's
//! integration-test binary (crates/server/tests/it, which has the same suite as
//! `store_conformance`) cannot build. Remove once that binary builds again.

use std::sync::Arc;

use twin_store::conformance::guard::Guarded;
use twin_store::Store;

/// A fresh SQLite file in a temp dir that lives as long as the store.
async fn open_sqlite(_case: &'static str) -> Option<Arc<dyn Store>> {
    let dir = tempfile::tempdir().expect("create a temp dir");
    let path = dir.path().join("twin.db");
    let path = path.to_str().expect("temp path is UTF-8");
    let store = twin_store_sqlite::SqliteStore::open(path)
        .await
        .expect("open a SQLite store");
    Some(Guarded::wrap(Arc::new(store), dir))
}

twin_store::conformance_suite!(sqlite, open_sqlite);
