//! Documents, lookups, sequences and history.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::postgres::PgConnection;
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use twin_store::sql::{self, finish_page, list_sql, BatchTx, ListSql, SqlWriter};
use twin_store::*;

use crate::flavor::Pg;
use crate::rows::{self, backend, bind_all, from_millis, millis, raced};

/// The sequence that numbers history entries per `(account, dialect)`.
pub const HISTORY_SEQUENCE: &str = "__history";

/// How often a write re-reads a key that concurrent transactions keep inserting and
/// deleting under it before giving up with a conflict.
const RACE_RETRIES: usize = 5;

const BY_KEY: &str = "account = $1 AND dialect = $2 AND kind = $3 AND id = $4";

pub async fn get(pool: &PgPool, key: &DocKey) -> StoreResult<Option<Document>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM documents WHERE {BY_KEY}",
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

/// One statement, so the lookup and the document come from the same snapshot.
pub async fn find_by_lookup(
    pool: &PgPool,
    scope: &Scope,
    kind: &str,
    name: &str,
    value: &str,
) -> StoreResult<Option<Document>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM documents WHERE account = $1 AND dialect = $2 AND kind = $3 AND id = (
             SELECT id FROM lookups
             WHERE account = $1 AND dialect = $2 AND kind = $3 AND name = $4 AND value = $5)",
        sql::DOCUMENT_COLUMNS
    ))
    .bind(&scope.account)
    .bind(&scope.dialect)
    .bind(kind)
    .bind(name)
    .bind(value)
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.map(|row| rows::document(&row).map(|(_, doc)| doc))
        .transpose()
}

pub async fn list(pool: &PgPool, query: &ListQuery) -> StoreResult<Page<Document>> {
    // The GIN index serves equality on any field, and PostgreSQL's planner weighs it.
    let sql: ListSql = list_sql::<Pg>(query, &[])?;
    let total = match &sql.count {
        Some(count) => {
            let row = bind_all(sqlx::query(count), &sql.args[..sql.count_args])
                .fetch_one(pool)
                .await
                .map_err(backend)?;
            Some(row.try_get::<i64, _>(0).map_err(backend)? as u64)
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

/// Rows per `unnest` statement: one round trip for a mass create's documents.
const ROWS_PER_INSERT: usize = 1000;

/// Every statement is a round trip to the server, so a batch's new documents (the bulk of
/// a mass create) and its history go in `unnest` inserts, many rows per statement.
pub async fn apply(pool: &PgPool, batch: Batch) -> StoreResult<Applied> {
    let mut tx = rows::begin(pool).await?;
    let applied = sql::apply_batch(&mut BatchOn(&mut tx), batch).await?;
    tx.commit().await.map_err(backend)?;
    Ok(applied)
}

/// A batch's statements on its transaction.
struct BatchOn<'c>(&'c mut PgConnection);

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

    async fn lock_history(&mut self, scopes: &BTreeSet<&Scope>) -> StoreResult<()> {
        for scope in scopes {
            lock_history(self.0, &scope.account, &scope.dialect).await?;
        }
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

/// History rows of one scope numbered from `first_id`, in one statement.
async fn insert_history(
    conn: &mut PgConnection,
    changes: &[NewChange],
    first_id: i64,
) -> StoreResult<()> {
    let scope = &changes[0].scope;
    let ids: Vec<i64> = (0..changes.len() as i64).map(|n| first_id + n).collect();
    let kinds: Vec<&str> = changes.iter().map(|c| c.kind.as_str()).collect();
    let entities: Vec<&str> = changes.iter().map(|c| c.entity_id.as_str()).collect();
    let actions: Vec<&str> = changes.iter().map(|c| c.action.as_str()).collect();
    let ats: Vec<i64> = changes.iter().map(|c| millis(c.at)).collect();
    let data: Vec<String> = changes.iter().map(|c| rows::jsonb(&c.data)).collect();
    sqlx::query(
        "INSERT INTO history (account, dialect, id, kind, entity_id, action, at, data)
         SELECT $1, $2, t.id, t.kind, t.entity, t.action, t.at, t.data::jsonb
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
              AS t(id, kind, entity, action, at, data)",
    )
    .bind(&scope.account)
    .bind(&scope.dialect)
    .bind(&ids)
    .bind(&kinds)
    .bind(&entities)
    .bind(&actions)
    .bind(&ats)
    .bind(&data)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// New documents without lookups, many per statement, in batch order (which gives their
/// insertion sequence). A taken key is skipped by the statement and then reported as the
/// conflict it is, the first in batch order, as putting them one by one would.
async fn insert_fresh(conn: &mut PgConnection, docs: &[Document]) -> StoreResult<()> {
    for chunk in docs.chunks(ROWS_PER_INSERT) {
        let column = |f: fn(&Document) -> &str| chunk.iter().map(f).collect::<Vec<&str>>();
        let bodies: Vec<String> = chunk.iter().map(|doc| rows::jsonb(&doc.body)).collect();
        let inserted: Vec<(String, String, String, String)> = sqlx::query_as(
            "INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
             SELECT t.account, t.dialect, t.kind, t.id, 1, t.body::jsonb, '{}'::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                  WITH ORDINALITY AS t(account, dialect, kind, id, body, n)
             ORDER BY t.n
             ON CONFLICT (account, dialect, kind, id) DO NOTHING
             RETURNING account, dialect, kind, id",
        )
        .bind(column(|doc| doc.key.scope.account.as_str()))
        .bind(column(|doc| doc.key.scope.dialect.as_str()))
        .bind(column(|doc| doc.key.kind.as_str()))
        .bind(column(|doc| doc.key.id.as_str()))
        .bind(&bodies)
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
        if inserted.len() < chunk.len() {
            let stored: BTreeSet<(String, String, String, String)> = inserted.into_iter().collect();
            let mut seen = BTreeSet::new();
            for doc in chunk {
                let key = &doc.key;
                let row = (
                    key.scope.account.clone(),
                    key.scope.dialect.clone(),
                    key.kind.clone(),
                    key.id.clone(),
                );
                // Taken before the batch, or given twice in it.
                if !stored.contains(&row) || !seen.insert(row) {
                    return Err(StoreError::Conflict(key.clone()));
                }
            }
        }
    }
    Ok(())
}

/// Held until commit, so a scope's history ids become visible in id order and a
/// `since_id` poller never sees id n+1 before id n.
async fn lock_history(conn: &mut PgConnection, account: &str, dialect: &str) -> StoreResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))")
        .bind(account)
        .bind(dialect)
        .execute(conn)
        .await
        .map_err(backend)?;
    Ok(())
}

/// Stores `doc` under its expectation without a separate read: the UPDATE locks the row
/// and checks the version of the latest committed one, the INSERT waits for a concurrent
/// insert of the key and then does nothing. Conflicts come before lookups, as in SQLite.
async fn put(conn: &mut PgConnection, mut doc: Document, expect: Expect) -> StoreResult<Document> {
    let key = doc.key.clone();
    for _ in 0..RACE_RETRIES {
        let updated = match expect {
            Expect::Absent => None,
            Expect::Version(version) => update(conn, &doc, Some(version)).await?,
            Expect::Any => update(conn, &doc, None).await?,
        };
        if let Some(version) = updated {
            doc.version = version;
            delete_lookups(conn, &key).await?;
            insert_lookups(conn, &key, &doc.lookups).await?;
            return Ok(doc);
        }
        if let Expect::Version(_) = expect {
            return Err(StoreError::Conflict(key));
        }
        if let Some(claimed) = insert(conn, &doc).await? {
            doc.version = 1;
            claim_rest(conn, &key, &doc.lookups, &claimed).await?;
            return Ok(doc);
        }
        if let Expect::Absent = expect {
            return Err(StoreError::Conflict(key));
        }
        // Expect::Any lost to a concurrent insert that committed: update that row instead.
    }
    Err(StoreError::Conflict(key))
}

/// The new version, or `None` when no row (of `version`, if given) is stored.
async fn update(
    conn: &mut PgConnection,
    doc: &Document,
    version: Option<i64>,
) -> StoreResult<Option<i64>> {
    let key = &doc.key;
    sqlx::query_scalar(&format!(
        "UPDATE documents SET version = version + 1, body = $5::jsonb, lookups = $6
         WHERE {BY_KEY} AND ($7::bigint IS NULL OR version = $7) RETURNING version"
    ))
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .bind(rows::jsonb(&doc.body))
    .bind(Json(&doc.lookups))
    .bind(version)
    .fetch_optional(conn)
    .await
    .map_err(raced(key))
}

/// Inserts the document and claims its lookups in one round trip: `None` when the key is
/// taken, else the lookup names claimed (the others are taken, see [`claim_rest`]).
async fn insert(conn: &mut PgConnection, doc: &Document) -> StoreResult<Option<Vec<String>>> {
    let key = &doc.key;
    let (names, values) = lookup_columns(&doc.lookups);
    let (stored, claimed): (bool, Vec<String>) = sqlx::query_as(
        "WITH doc AS (
             INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
             VALUES ($1, $2, $3, $4, 1, $5::jsonb, $6)
             ON CONFLICT (account, dialect, kind, id) DO NOTHING RETURNING id
         ), claimed AS (
             INSERT INTO lookups (account, dialect, kind, name, value, id)
             SELECT $1, $2, $3, l.name, l.value, doc.id
             FROM doc, unnest($7::text[], $8::text[]) AS l(name, value)
             ON CONFLICT DO NOTHING RETURNING name
         )
         SELECT EXISTS (SELECT 1 FROM doc), ARRAY(SELECT name FROM claimed)",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .bind(rows::jsonb(&doc.body))
    .bind(Json(&doc.lookups))
    .bind(&names)
    .bind(&values)
    .fetch_one(conn)
    .await
    .map_err(raced(key))?;
    Ok(stored.then_some(claimed))
}

async fn delete(conn: &mut PgConnection, key: &DocKey, expect: Expect) -> StoreResult<()> {
    if let Expect::Absent = expect {
        // Nothing to delete when it holds; a conflict when it does not.
        let stored: Option<i32> =
            sqlx::query_scalar(&format!("SELECT 1 FROM documents WHERE {BY_KEY}"))
                .bind(&key.scope.account)
                .bind(&key.scope.dialect)
                .bind(&key.kind)
                .bind(&key.id)
                .fetch_optional(conn)
                .await
                .map_err(raced(key))?;
        return match stored {
            Some(_) => Err(StoreError::Conflict(key.clone())),
            None => Ok(()),
        };
    }
    let version = match expect {
        Expect::Version(version) => Some(version),
        _ => None,
    };
    let deleted: Option<i64> = sqlx::query_scalar(&format!(
        "DELETE FROM documents WHERE {BY_KEY} AND ($5::bigint IS NULL OR version = $5)
         RETURNING version"
    ))
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await
    .map_err(raced(key))?;
    match (deleted, version) {
        // A separate statement, so it also sees lookups committed while the DELETE waited.
        (Some(_), _) => delete_lookups(conn, key).await,
        (None, Some(_)) => Err(StoreError::Conflict(key.clone())),
        (None, None) => Ok(()),
    }
}

async fn delete_lookups(conn: &mut PgConnection, key: &DocKey) -> StoreResult<()> {
    sqlx::query(&format!("DELETE FROM lookups WHERE {BY_KEY}"))
        .bind(&key.scope.account)
        .bind(&key.scope.dialect)
        .bind(&key.kind)
        .bind(&key.id)
        .execute(conn)
        .await
        .map_err(raced(key))?;
    Ok(())
}

fn lookup_columns(lookups: &BTreeMap<String, String>) -> (Vec<&str>, Vec<&str>) {
    lookups
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .unzip()
}

/// Claims all of a document's lookups in one statement (see [`claim_rest`]).
pub async fn insert_lookups(
    conn: &mut PgConnection,
    key: &DocKey,
    lookups: &BTreeMap<String, String>,
) -> StoreResult<()> {
    if lookups.is_empty() {
        return Ok(());
    }
    let (names, values) = lookup_columns(lookups);
    let claimed: Vec<String> = sqlx::query_scalar(
        "INSERT INTO lookups (account, dialect, kind, name, value, id)
         SELECT $1, $2, $3, name, value, $4 FROM unnest($5::text[], $6::text[]) AS l(name, value)
         ON CONFLICT DO NOTHING RETURNING name",
    )
    .bind(&key.scope.account)
    .bind(&key.scope.dialect)
    .bind(&key.kind)
    .bind(&key.id)
    .bind(&names)
    .bind(&values)
    .fetch_all(&mut *conn)
    .await
    .map_err(raced(key))?;
    claim_rest(conn, key, lookups, &claimed).await
}

/// The lookups a bulk claim did not get go one by one, in name order, so the error names
/// the first one taken and its holder, as SQLite's does.
async fn claim_rest(
    conn: &mut PgConnection,
    key: &DocKey,
    lookups: &BTreeMap<String, String>,
    claimed: &[String],
) -> StoreResult<()> {
    for (name, value) in lookups {
        if !claimed.contains(name) {
            insert_lookup(conn, key, name, value).await?;
        }
    }
    Ok(())
}

/// Claims `name=value` for the document, or reports who holds it. `DO NOTHING` waits for
/// a concurrent claimant to finish, so the holder read after it is committed.
async fn insert_lookup(
    conn: &mut PgConnection,
    key: &DocKey,
    name: &str,
    value: &str,
) -> StoreResult<()> {
    for _ in 0..RACE_RETRIES {
        let inserted = sqlx::query(
            "INSERT INTO lookups (account, dialect, kind, name, value, id)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&key.scope.account)
        .bind(&key.scope.dialect)
        .bind(&key.kind)
        .bind(name)
        .bind(value)
        .bind(&key.id)
        .execute(&mut *conn)
        .await
        .map_err(raced(key))?;
        if inserted.rows_affected() == 1 {
            return Ok(());
        }
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT id FROM lookups
             WHERE account = $1 AND dialect = $2 AND kind = $3 AND name = $4 AND value = $5",
        )
        .bind(&key.scope.account)
        .bind(&key.scope.dialect)
        .bind(&key.kind)
        .bind(name)
        .bind(value)
        .fetch_optional(&mut *conn)
        .await
        .map_err(raced(key))?;
        match holder {
            Some(holder) if holder != key.id => {
                return Err(StoreError::Duplicate {
                    kind: key.kind.clone(),
                    name: name.to_owned(),
                    value: value.to_owned(),
                    holder,
                })
            }
            Some(_) => return Ok(()),
            // Its holder let go between the two statements: try again.
            None => {}
        }
    }
    Err(StoreError::Conflict(key.clone()))
}

/// One atomic upsert: the row lock it takes orders concurrent bumps, so no value is
/// issued twice, also across processes.
/// The first of `count` consecutive values.
pub async fn reserve_sequence(
    conn: &mut PgConnection,
    scope: &Scope,
    name: &str,
    count: u32,
) -> StoreResult<i64> {
    let count = i64::from(count.max(1));
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO sequences (account, dialect, name, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account, dialect, name) DO UPDATE SET value = sequences.value + $4
         RETURNING value",
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

pub async fn history(pool: &PgPool, query: &HistoryQuery) -> StoreResult<Page<Change>> {
    let mut w = SqlWriter::<Pg>::default();
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
            data: rows::json(row, "data")?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: Some(total as u64),
        next_cursor: None,
    })
}
