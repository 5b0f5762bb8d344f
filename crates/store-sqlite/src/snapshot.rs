//! Whole-account operations: purge, export and import.

use sqlx::sqlite::SqliteConnection;
use sqlx::SqlitePool;
use twin_store::*;

use crate::documents::{insert_lookup, HISTORY_SEQUENCE};
use crate::rows::{self, backend, from_millis, millis, parse_json, to_json};
use crate::write_tx::WriteTx;

/// Tables that hold an account's data; import replaces the first four.
const ACCOUNT_TABLES: [&str; 6] = [
    "documents",
    "lookups",
    "sequences",
    "history",
    "deliveries",
    "request_log",
];

pub async fn purge(pool: &SqlitePool, account: &str, dialect: Option<&str>) -> StoreResult<()> {
    let mut tx = WriteTx::begin(pool).await?;
    delete_account(&mut tx, account, dialect, &ACCOUNT_TABLES).await?;
    tx.commit().await
}

async fn delete_account(
    conn: &mut SqliteConnection,
    account: &str,
    dialect: Option<&str>,
    tables: &[&str],
) -> StoreResult<()> {
    for table in tables {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE account = ?1 AND (?2 IS NULL OR dialect = ?2)"
        ))
        .bind(account)
        .bind(dialect)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

pub async fn export(pool: &SqlitePool, account: &str) -> StoreResult<Snapshot> {
    let mut tx = WriteTx::begin(pool).await?;
    let documents = sqlx::query(
        "SELECT dialect, kind, id, version, body, lookups FROM documents WHERE account = ?1
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
            body: parse_json(&rows::get::<String>(row, "body")?)?,
            lookups: parse_json(&rows::get::<String>(row, "lookups")?)?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    // The history counter is internal: import derives it from the history.
    let sequences = sqlx::query(
        "SELECT dialect, name, value FROM sequences WHERE account = ?1 AND name <> ?2
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
        "SELECT dialect, id, kind, entity_id, action, at, data FROM history WHERE account = ?1
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
            data: parse_json(&rows::get::<String>(row, "data")?)?,
        })
    })
    .collect::<StoreResult<Vec<_>>>()?;
    tx.commit().await?;
    Ok(Snapshot {
        documents,
        sequences,
        history,
    })
}

pub async fn import(pool: &SqlitePool, account: &str, snapshot: &Snapshot) -> StoreResult<()> {
    let mut tx = WriteTx::begin(pool).await?;
    delete_account(&mut tx, account, None, &ACCOUNT_TABLES[..4]).await?;
    for doc in &snapshot.documents {
        sqlx::query(
            "INSERT INTO documents (account, dialect, kind, id, version, body, lookups)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(account)
        .bind(&doc.dialect)
        .bind(&doc.kind)
        .bind(&doc.id)
        .bind(doc.version)
        .bind(to_json(&doc.body))
        .bind(to_json(&doc.lookups))
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::Invalid(format!("snapshot document {}: {e}", doc.id)))?;
        let key = Scope::new(account, doc.dialect.clone()).key(doc.kind.clone(), doc.id.clone());
        for (name, value) in &doc.lookups {
            insert_lookup(&mut tx, &key, name, value).await?;
        }
    }
    for sequence in &snapshot.sequences {
        sqlx::query(
            "INSERT INTO sequences (account, dialect, name, value) VALUES (?1, ?2, ?3, ?4)",
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(account)
        .bind(&change.dialect)
        .bind(change.id)
        .bind(&change.kind)
        .bind(&change.entity_id)
        .bind(&change.action)
        .bind(millis(change.at))
        .bind(to_json(&change.data))
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::Invalid(format!("snapshot change {}: {e}", change.id)))?;
    }
    // New changes continue after the imported ones.
    sqlx::query(
        "INSERT INTO sequences (account, dialect, name, value)
         SELECT account, dialect, ?2, max(id) FROM history WHERE account = ?1 GROUP BY dialect
         ON CONFLICT (account, dialect, name) DO UPDATE SET value = max(value, excluded.value)",
    )
    .bind(account)
    .bind(HISTORY_SEQUENCE)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await
}
