//! The store conformance suite against every backend: SQLite always, PostgreSQL when
//! `TWIN_TEST_PG_URL` names an admin URL (e.g. `postgres://postgres@127.0.0.1:55432/postgres`).
//! Each case gets a store of its own: a temp-file SQLite database, or a fresh PostgreSQL
//! database dropped afterwards (kept when the case fails, for a look).

use std::sync::Arc;

use sqlx::{Connection, Executor, PgConnection};
use twin_store::conformance::guard::Guarded;
use twin_store::conformance::support::random_suffix;
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

/// An equality filter on an indexed field, alone or among others and over several kinds,
/// reads the field's index rather than every document of the kind; so do id sets and
/// lists of values; an unfiltered page of several kinds walks the scope in order.
#[tokio::test]
async fn sqlite_equality_on_indexed_fields_uses_the_index() {
    use twin_store::{Filter, ListQuery, Scope};
    let dir = tempfile::tempdir().expect("create a temp dir");
    let path = dir.path().join("twin.db");
    let store = twin_store_sqlite::SqliteStore::open(path.to_str().expect("UTF-8 path"))
        .await
        .expect("open a SQLite store");
    store
        .index_fields(&["code", "product.id"])
        .await
        .expect("index");
    let scope = Scope::new("a", "moysklad");
    let queries = [
        ListQuery::new(scope.clone(), "product").filter(Filter::eq("code", "00001")),
        ListQuery::new(scope.clone(), "product")
            .with_kinds(&["service", "variant"])
            .filter(Filter::eq("code", "00001")),
        ListQuery::new(scope.clone(), "variant").filter(Filter::And(vec![
            Filter::eq("archived", false),
            Filter::eq("product.id", "p1"),
        ])),
        // A page's worth of parents, and of ids: their indexes, not a walk of the kind.
        ListQuery::new(scope.clone(), "variant").filter(Filter::In {
            path: Filter::path("product.id"),
            values: vec!["p1".into(), "p2".into(), "p3".into()],
        }),
        ListQuery::new(scope.clone(), "variant")
            .filter(Filter::IdIn(vec!["v1".into(), "v2".into()])),
        // Several kinds in insertion order: one walk of the scope, no sort of them all.
        ListQuery::new(scope.clone(), "product").with_kinds(&["service", "variant"]),
    ];
    let expected = [
        "documents_field_code",
        "documents_field_code",
        "documents_field_product__id",
        "documents_field_product__id",
        "sqlite_autoindex_documents_1",
        "documents_by_scope",
    ];
    for (query, index) in queries.iter().zip(expected) {
        let plan = store.list_plan(query).await.expect("plan");
        assert!(plan.contains(index), "{index} unused: {plan}");
    }
    let unindexed = ListQuery::new(scope, "product").filter(Filter::eq("name", "x"));
    let plan = store.list_plan(&unindexed).await.expect("plan");
    assert!(!plan.contains("documents_field_"), "{plan}");
}

/// The admin URL with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, params) = match url.split_once('?') {
        Some((base, params)) => (base, format!("?{params}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let end = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{name}{params}", &base[..end])
}

/// Drops its database when the case is over, unless the case failed.
struct TempDatabase {
    admin_url: String,
    name: String,
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("keeping database {} of a failed case", self.name);
            return;
        }
        let (url, sql) = (
            self.admin_url.clone(),
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
        // Drop runs inside the test's runtime, which cannot block on a future: use a thread.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&url).await?;
                conn.execute(sql.as_str()).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop database {}: {error}", self.name);
        }
    }
}

/// A fresh database on the server of `TWIN_TEST_PG_URL`, or `None` when it is unset.
async fn open_postgres(case: &'static str) -> Option<Arc<dyn Store>> {
    let admin_url = std::env::var("TWIN_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())?;
    let name = format!("twin_{case}_{}", &random_suffix()[..12]);
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to TWIN_TEST_PG_URL: {e}"));
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    admin.close().await.ok();
    let guard = TempDatabase {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let store = twin_store_pg::PgStore::open(&with_database(&admin_url, &name))
        .await
        .unwrap_or_else(|e| panic!("open a PgStore on {name}: {e}"));
    Some(Guarded::wrap(Arc::new(store), guard))
}

twin_store::conformance_suite!(postgres, open_postgres);

#[test]
fn database_urls() {
    let cases = [
        (
            "postgres://postgres@127.0.0.1:55432/postgres",
            "postgres://postgres@127.0.0.1:55432/x",
        ),
        (
            "postgres://u:p@h/postgres?sslmode=disable",
            "postgres://u:p@h/x?sslmode=disable",
        ),
        ("postgres://h:5432", "postgres://h:5432/x"),
    ];
    for (admin, expected) in cases {
        assert_eq!(
            with_database(admin, "x"),
            expected,
            "database URL for {admin}"
        );
    }
}
