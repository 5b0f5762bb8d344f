//! The request log.

use sqlx::sqlite::SqliteRow;
use sqlx::SqlitePool;
use twin_store::sql::{self, SqlWriter};
use twin_store::*;

use crate::flavor::Sqlite;
use crate::rows::{self, backend, bind_all, from_millis, millis, parse_json, to_json};
use crate::write_tx::WriteTx;

pub async fn append(pool: &SqlitePool, entries: &[NewLogEntry]) -> StoreResult<()> {
    let mut tx = WriteTx::begin(pool).await?;
    for entry in entries {
        sqlx::query(
            "INSERT INTO request_log (at, request_id, account, dialect, endpoint, method, path, query,
                                      status, latency_ms, request_headers, request_body, response_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .bind(millis(entry.at))
        .bind(&entry.request_id)
        .bind(&entry.account)
        .bind(&entry.dialect)
        .bind(&entry.endpoint)
        .bind(&entry.method)
        .bind(&entry.path)
        .bind(&entry.query)
        .bind(i64::from(entry.status))
        .bind(entry.latency_ms as i64)
        .bind(to_json(&entry.request_headers))
        .bind(&entry.request_body)
        .bind(&entry.response_body)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    tx.commit().await
}

fn entry(row: &SqliteRow) -> StoreResult<LogEntry> {
    let headers: String = rows::get(row, "request_headers")?;
    Ok(LogEntry {
        id: rows::get(row, "id")?,
        entry: NewLogEntry {
            at: from_millis(rows::get(row, "at")?),
            request_id: rows::get(row, "request_id")?,
            account: rows::get(row, "account")?,
            dialect: rows::get(row, "dialect")?,
            endpoint: rows::get(row, "endpoint")?,
            method: rows::get(row, "method")?,
            path: rows::get(row, "path")?,
            query: rows::get(row, "query")?,
            status: rows::get::<i64>(row, "status")? as u16,
            latency_ms: rows::get::<i64>(row, "latency_ms")? as u64,
            request_headers: parse_json(&headers)?,
            request_body: rows::get(row, "request_body")?,
            response_body: rows::get(row, "response_body")?,
        },
    })
}

pub async fn get(pool: &SqlitePool, id: i64) -> StoreResult<Option<LogEntry>> {
    sqlx::query("SELECT * FROM request_log WHERE id = ?1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(backend)?
        .map(|row| entry(&row))
        .transpose()
}

pub async fn query(pool: &SqlitePool, query: &LogQuery) -> StoreResult<Page<LogEntry>> {
    let mut w = SqlWriter::<Sqlite>::default();
    let conditions = sql::log_conditions(&mut w, query);
    let page = sql::limit_offset(&mut w, query.limit.saturating_add(1), 0);
    let mut items = bind_all(
        sqlx::query(&format!(
            "SELECT * FROM request_log WHERE {conditions} ORDER BY id DESC{page}"
        )),
        &w.args,
    )
    .fetch_all(pool)
    .await
    .map_err(backend)?
    .iter()
    .map(entry)
    .collect::<StoreResult<Vec<_>>>()?;
    let mut next_cursor = None;
    if items.len() > query.limit as usize {
        items.truncate(query.limit as usize);
        next_cursor = items.last().map(|e| e.id.to_string());
    }
    Ok(Page {
        items,
        total: None,
        next_cursor,
    })
}
