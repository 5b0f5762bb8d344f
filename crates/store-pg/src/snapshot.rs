//! Whole-account operations: purge, export and import.

use sqlx::postgres::PgConnection;
use sqlx::types::Json;
use sqlx::PgPool;
use twin_store::*;

use crate::documents::{insert_lookups, HISTORY_SEQUENCE};
use crate::rows::{self, backend, from_millis, millis};

/// Tables that hold an account's data; import replaces the first four.
const ACCOUNT_TABLES: [&str; 6] = [
    "documents",
    "lookups",
    "sequences",
    "history",
    "deliveries",
    "request_log",
];

pub async fn purge(pool: &PgPool, account: &str, dialect: Option<&str>) -> StoreResult<()> {
    let mut tx = rows::begin(pool).await?;
    delete_account(&mut tx, account, dialect, &ACCOUNT_TABLES).await?;
    tx.commit().await.map_err(backend)
}

async fn delete_account(
    conn: &mut PgConnection,
    account: &str,
    dialect: Option<&str>,
    tables: &[&str],
) -> StoreResult<()> {
    for table in tables {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE account = $1 AND ($2::text IS NULL OR dialect = $2)"
        ))
        .bind(account)
        .bind(dialect)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

/// One REPEATABLE READ snapshot, so documents, sequences and history agree.
pub async fn export(pool: &PgPool, account: &str) -> StoreResult<Snapshot> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(backend)?;
    let documents = sqlx::query(
        "SELECT dialect, kind, id, version, body, lookups FROM documents WHERE account = $1
         ORDER BY dialect, kind, seq",
    )
    .bind(account)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?
    .iter()
    .map(|row| {
        Ok(SnapshotDocument {
            dialect: rows::get(row, "dialect")?,
            kind: rows::get(row, "kind")?,
            id: rows::get(row, "id")?,
            version: rows::get(row, "version")?,
            body: rows::json(row, "body")?,
            lookups: rows::json(row, "lookups")?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    // The history counter is internal: import derives it from the history.
    let sequences = sqlx::query(
        "SELECT dialect, name, value FROM sequences WHERE account = $1 AND name <> $2
         ORDER BY dialect, name",
    )
    .bind(account)
    .bind(HISTORY_SEQUENCE)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?
    .iter()
    .map(|row| {
        Ok(SnapshotSequence {
            dialect: rows::get(row, "dialect")?,
            name: rows::get(row, "name")?,
            value: rows::get(row, "value")?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    let history = sqlx::query(
        "SELECT dialect, id, kind, entity_id, action, at, data FROM history WHERE account = $1
         ORDER BY dialect, id",
    )
    .bind(account)
    .fetch_all(&mut *tx)
    .await
    .map_err(backend)?
    .iter()
    .map(|row| {
        Ok(SnapshotChange {
            dialect: rows::get(row, "dialect")?,
            id: rows::get(row, "id")?,
            kind: rows::get(row, "kind")?,
            entity_id: rows::get(row, "entity_id")?,
            action: rows::get(row, "action")?,
            at: from_millis(rows::get(row, "at")?),
            data: rows::json(row, "data")?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    tx.commit().await.map_err(backend)?;
    Ok(Snapshot {
        documents,
        sequences,
        history,
    })
}

pub async fn import(pool: &PgPool, account: &str, snapshot: &Snapshot) -> StoreResult<()> {
    let mut tx = rows::begin(pool).await?;
    delete_account(&mut tx, account, None, &ACCOUNT_TABLES[..4]).await?;
    for doc in &snapshot.documents {
        sqlx::query(
            "INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
             VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)",
        )
        .bind(account)
        .bind(&doc.dialect)
        .bind(&doc.kind)
        .bind(&doc.id)
        .bind(doc.version)
        .bind(rows::jsonb(&doc.body))
        .bind(Json(&doc.lookups))
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::Invalid(format!("snapshot document {}: {e}", doc.id)))?;
        let key = Scope::new(account, doc.dialect.clone()).key(doc.kind.clone(), doc.id.clone());
        insert_lookups(&mut tx, &key, &doc.lookups).await?;
    }
    for sequence in &snapshot.sequences {
        sqlx::query(
            "INSERT INTO sequences (account, dialect, name, value) VALUES ($1, $2, $3, $4)",
        )
        .bind(account)
        .bind(&sequence.dialect)
        .bind(&sequence.name)
        .bind(sequence.value)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::Invalid(format!("snapshot sequence {}: {e}", sequence.name)))?;
    }
    for change in &snapshot.history {
        sqlx::query(
            "INSERT INTO history (account, dialect, id, kind, entity_id, action, at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
        )
        .bind(account)
        .bind(&change.dialect)
        .bind(change.id)
        .bind(&change.kind)
        .bind(&change.entity_id)
        .bind(&change.action)
        .bind(millis(change.at))
        .bind(rows::jsonb(&change.data))
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::Invalid(format!("snapshot change {}: {e}", change.id)))?;
    }
    // New changes continue after the imported ones.
    sqlx::query(
        "INSERT INTO sequences (account, dialect, name, value)
         SELECT account, dialect, $2, max(id) FROM history WHERE account = $1
         GROUP BY account, dialect
         ON CONFLICT (account, dialect, name)
         DO UPDATE SET value = GREATEST(sequences.value, excluded.value)",
    )
    .bind(account)
    .bind(HISTORY_SEQUENCE)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await.map_err(backend)
}
