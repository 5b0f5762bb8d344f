//! Documents, lookups, sequences and history.

use std::collections::BTreeSet;

use sqlx::sqlite::SqliteConnection;
use sqlx::{Row, SqlitePool};
use twin_store::sql::{self, finish_page, list_sql, BatchTx, ListSql, SqlWriter};
use twin_store::*;

use crate::counts::Counts;
use crate::flavor::Sqlite;
use crate::rows::{self, backend, bind_all, from_millis, millis, parse_json, to_json};
use crate::write_tx::WriteTx;

pub async fn get(pool: &SqlitePool, key: &DocKey) -> StoreResult<Option<Document>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM documents WHERE account = ?1 AND dialect = ?2 AND kind = ?3 AND id = ?4",
        sql::DOCUMENT_COLUMNS
    ))
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.map(|row| rows::document(&row).map(|(_, doc)| doc))
        .transpose()
}

/// The id of the document of `kind` whose unique lookup `name` equals `value`.
pub async fn lookup_id(
    pool: &SqlitePool,
    scope: &Scope,
    kind: &str,
    name: &str,
    value: &str,
) -> StoreResult<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM lookups WHERE account = ?1 AND dialect = ?2 AND kind = ?3 AND name = ?4 AND value = ?5",
    )
    .bind(&scope.account)
    .bind(&scope.dialect)
    .bind(kind)
    .bind(name)
    .bind(value)
    .fetch_optional(pool)
    .await
    .map_err(backend)
}

pub async fn list(
    pool: &SqlitePool,
    counts: &Counts,
    indexed: &[String],
    query: &ListQuery,
) -> StoreResult<Page<Document>> {
    let sql: ListSql = list_sql::<Sqlite>(query, indexed)?;
    let total = match &sql.count {
        Some(count) => {
            let args = &sql.args[..sql.count_args];
            let key = Counts::key(count, args);
            match counts.get(&key) {
                Some(total) => Some(total),
                None => {
                    let generation = counts.generation();
                    let row = bind_all(sqlx::query(count), args)
                        .fetch_one(pool)
                        .await
                        .map_err(backend)?;
                    let total = row.try_get::<i64, _>(0).map_err(backend)? as u64;
                    counts.put(key, total, generation);
                    Some(total)
                }
            }
        }
        None => None,
    };
    let rows = if sql.wants_rows() {
        bind_all(sqlx::query(&sql.select), &sql.args)
            .fetch_all(pool)
            .await
            .map_err(backend)?
            .iter()
            .map(rows::document)
            .collect::<StoreResult<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let (items, next_cursor) = finish_page(rows, &sql);
    Ok(Page {
        items,
        total,
        next_cursor,
    })
}

/// What SQLite's planner does with a list's page query, one step per line.
pub async fn plan(pool: &SqlitePool, indexed: &[String], query: &ListQuery) -> StoreResult<String> {
    let sql = list_sql::<Sqlite>(query, indexed)?;
    let steps = bind_all(
        sqlx::query(&format!("EXPLAIN QUERY PLAN {}", sql.select)),
        &sql.args,
    )
    .fetch_all(pool)
    .await
    .map_err(backend)?
    .iter()
    .map(|row| rows::get::<String>(row, "detail"))
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(steps.join("\n"))
}

/// Rows per multi-row `INSERT`: well under SQLite's limit on bound parameters.
const ROWS_PER_INSERT: usize = 100;

/// Every statement is a round trip to the connection's thread, so a batch's new documents
/// (the bulk of a mass create) and its history go in multi-row inserts.
pub async fn apply(pool: &SqlitePool, batch: Batch) -> StoreResult<Applied> {
    let mut tx = WriteTx::begin(pool).await?;
    match sql::apply_batch(&mut BatchOn(&mut tx), batch).await {
        Ok(applied) => tx.commit().await.map(|()| applied),
        // A conflict is common: the connection stays, its transaction rolled back.
        Err(error) => {
            tx.rollback().await;
            Err(error)
        }
    }
}

/// A batch's statements on the writer's transaction.
struct BatchOn<'c>(&'c mut SqliteConnection);

#[async_trait::async_trait]
impl BatchTx for BatchOn<'_> {
    async fn insert_fresh(&mut self, docs: &[Document]) -> StoreResult<()> {
        insert_fresh(self.0, docs).await
    }

    async fn put(&mut self, doc: Document, expect: Expect) -> StoreResult<Document> {
        put(self.0, doc, expect).await
    }

    async fn delete(&mut self, key: &DocKey, expect: Expect) -> StoreResult<()> {
        delete(self.0, key, expect).await
    }

    /// The single writer connection already orders every batch.
    async fn lock_history(&mut self, _scopes: &BTreeSet<&Scope>) -> StoreResult<()> {
        Ok(())
    }

    async fn reserve_history(&mut self, scope: &Scope, count: u32) -> StoreResult<i64> {
        reserve_sequence(self.0, scope, HISTORY_SEQUENCE, count).await
    }

    async fn insert_history(&mut self, changes: &[NewChange], first_id: i64) -> StoreResult<()> {
        insert_history(self.0, changes, first_id).await
    }

    async fn insert_delivery(&mut self, delivery: &NewDelivery) -> StoreResult<i64> {
        crate::outbox::insert(self.0, delivery).await
    }
}

/// History rows numbered from `first_id`, in one statement.
async fn insert_history(
    conn: &mut SqliteConnection,
    changes: &[NewChange],
    first_id: i64,
) -> StoreResult<()> {
    let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; changes.len()].join(", ");
    let sql = format!(
        "INSERT INTO history (account, dialect, id, kind, entity_id, action, at, data) VALUES {rows}"
    );
    let mut query = sqlx::query(&sql);
    for (n, change) in changes.iter().enumerate() {
        query = query
            .bind(&change.scope.account)
            .bind(&change.scope.dialect)
            .bind(first_id + n as i64)
            .bind(&change.kind)
            .bind(&change.entity_id)
            .bind(&change.action)
            .bind(millis(change.at))
            .bind(to_json(&change.data));
    }
    query.execute(&mut *conn).await.map_err(backend)?;
    Ok(())
}

/// New documents without lookups, many per statement. A taken key fails the statement as
/// a whole; the documents then go one by one to name the one in conflict.
async fn insert_fresh(conn: &mut SqliteConnection, docs: &[Document]) -> StoreResult<()> {
    for chunk in docs.chunks(ROWS_PER_INSERT) {
        let rows = vec!["(?, ?, ?, ?, 1, ?, '{}')"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO documents (account, dialect, kind, id, version, body, lookups) VALUES {rows}"
        );
        let mut query = sqlx::query(&sql);
        for doc in chunk {
            query = query
                .bind(&doc.key.scope.account)
                .bind(&doc.key.scope.dialect)
                .bind(&doc.key.kind)
                .bind(&doc.key.id)
                .bind(to_json(&doc.body));
        }
        match query.execute(&mut *conn).await {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                for doc in chunk {
                    insert_new(conn, doc.clone()).await?;
                }
            }
            Err(error) => return Err(backend(error)),
        }
    }
    Ok(())
}

/// The sequence that numbers history entries per `(account, dialect)`.
pub const HISTORY_SEQUENCE: &str = "__history";

async fn current_version(conn: &mut SqliteConnection, key: &DocKey) -> StoreResult<Option<i64>> {
    sqlx::query_scalar(
        "SELECT version FROM documents WHERE account = ?1 AND dialect = ?2 AND kind = ?3 AND id = ?4",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .fetch_optional(conn)
    .await
    .map_err(backend)
}

fn check(key: &DocKey, expect: Expect, current: Option<i64>) -> StoreResult<()> {
    let holds = match expect {
        Expect::Any => true,
        Expect::Absent => current.is_none(),
        Expect::Version(version) => current == Some(version),
    };
    if holds {
        Ok(())
    } else {
        Err(StoreError::Conflict(key.clone()))
    }
}

async fn put(
    conn: &mut SqliteConnection,
    mut doc: Document,
    expect: Expect,
) -> StoreResult<Document> {
    if expect == Expect::Absent {
        return insert_new(conn, doc).await;
    }
    let current = current_version(conn, &doc.key).await?;
    check(&doc.key, expect, current)?;
    doc.version = current.unwrap_or(0) + 1;
    delete_lookups(conn, &doc.key).await?;
    for (name, value) in &doc.lookups {
        insert_lookup(conn, &doc.key, name, value).await?;
    }
    sqlx::query(
        "INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (account, dialect, kind, id)
         DO UPDATE SET version = excluded.version, body = excluded.body, lookups = excluded.lookups",
    )
    .bind(&doc.key.scope.account)
    .bind(&doc.key.scope.dialect)
    .bind(&doc.key.kind)
    .bind(&doc.key.id)
    .bind(doc.version)
    .bind(to_json(&doc.body))
    .bind(to_json(&doc.lookups))
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(doc)
}

/// A put that expects no document under the key: one insert, the key's uniqueness being
/// the check, and nothing to clear first.
async fn insert_new(conn: &mut SqliteConnection, mut doc: Document) -> StoreResult<Document> {
    doc.version = 1;
    sqlx::query(
        "INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
    )
    .bind(&doc.key.scope.account)
    .bind(&doc.key.scope.dialect)
    .bind(&doc.key.kind)
    .bind(&doc.key.id)
    .bind(to_json(&doc.body))
    .bind(to_json(&doc.lookups))
    .execute(&mut *conn)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(doc.key.clone())
        }
        _ => backend(error),
    })?;
    for (name, value) in &doc.lookups {
        insert_lookup(conn, &doc.key, name, value).await?;
    }
    Ok(doc)
}

async fn delete(conn: &mut SqliteConnection, key: &DocKey, expect: Expect) -> StoreResult<()> {
    let current = current_version(conn, key).await?;
    check(key, expect, current)?;
    delete_lookups(conn, key).await?;
    sqlx::query(
        "DELETE FROM documents WHERE account = ?1 AND dialect = ?2 AND kind = ?3 AND id = ?4",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

async fn delete_lookups(conn: &mut SqliteConnection, key: &DocKey) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM lookups WHERE account = ?1 AND dialect = ?2 AND kind = ?3 AND id = ?4",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

pub async fn insert_lookup(
    conn: &mut SqliteConnection,
    key: &DocKey,
    name: &str,
    value: &str,
) -> StoreResult<()> {
    let holder: Option<String> = sqlx::query_scalar(
        "INSERT INTO lookups (account, dialect, kind, name, value, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (account, dialect, kind, name, value) DO UPDATE SET id = id RETURNING id",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(name)
    .bind(value)
    .bind(&key.id)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    match holder {
        Some(holder) if holder != key.id => Err(StoreError::Duplicate {
            kind: key.kind.clone(),
            name: name.to_owned(),
            value: value.to_owned(),
            holder,
        }),
        _ => Ok(()),
    }
}

/// The first of `count` consecutive values.
pub async fn reserve_sequence(
    conn: &mut SqliteConnection,
    scope: &Scope,
    name: &str,
    count: u32,
) -> StoreResult<i64> {
    let count = i64::from(count.max(1));
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO sequences (account, dialect, name, value) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account, dialect, name) DO UPDATE SET value = value + ?4 RETURNING value",
    )
    .bind(&scope.account)
    .bind(&scope.dialect)
    .bind(name)
    .bind(count)
    .fetch_one(conn)
    .await
    .map_err(backend)?;
    Ok(last - count + 1)
}

pub async fn history(pool: &SqlitePool, query: &HistoryQuery) -> StoreResult<Page<Change>> {
    let mut w = SqlWriter::<Sqlite>::default();
    let conditions = sql::history_conditions(&mut w, query);
    let count_args = w.args.len();
    let page = sql::limit_offset(&mut w, query.limit, query.offset);
    let total: i64 = bind_all(
        sqlx::query(&format!("SELECT count(*) FROM history WHERE {conditions}")),
        &w.args[..count_args],
    )
    .fetch_one(pool)
    .await
    .map_err(backend)?
    .try_get(0)
    .map_err(backend)?;
    let items = bind_all(
        sqlx::query(&format!(
            "SELECT * FROM history WHERE {conditions} ORDER BY id{page}"
        )),
        &w.args,
    )
    .fetch_all(pool)
    .await
    .map_err(backend)?
    .iter()
    .map(|row| {
        let data: String = rows::get(row, "data")?;
        Ok(Change {
            id: rows::get(row, "id")?,
            scope: Scope::new(
                rows::get::<String>(row, "account")?,
                rows::get::<String>(row, "dialect")?,
            ),
            kind: rows::get(row, "kind")?,
            entity_id: rows::get(row, "entity_id")?,
            action: rows::get(row, "action")?,
            at: from_millis(rows::get(row, "at")?),
            data: parse_json(&data)?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: Some(total as u64),
        next_cursor: None,
    })
}
