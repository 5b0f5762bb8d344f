//! The webhook outbox.

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Row, SqlitePool};
use twin_store::sql::{self, SqlWriter};
use twin_store::*;

use crate::flavor::Sqlite;
use crate::rows::{self, backend, bind_all, from_millis, millis, parse_json, to_json};
use crate::write_tx::WriteTx;

pub async fn insert(conn: &mut SqliteConnection, delivery: &NewDelivery) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO deliveries (account, dialect, event, url, headers, body, status, created_at,
                                 next_attempt_at, max_attempts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7, ?8) RETURNING id",
    )
    .bind(&delivery.account)
    .bind(&delivery.dialect)
    .bind(&delivery.event)
    .bind(&delivery.url)
    .bind(to_json(&delivery.headers))
    .bind(&delivery.body)
    .bind(millis(delivery.due_at))
    .bind(i64::from(delivery.max_attempts))
    .fetch_one(conn)
    .await
    .map_err(backend)
}

fn delivery(row: &SqliteRow) -> StoreResult<Delivery> {
    let headers: String = rows::get(row, "headers")?;
    let attempts: String = rows::get(row, "attempts")?;
    let status: String = rows::get(row, "status")?;
    Ok(Delivery {
        id: rows::get(row, "id")?,
        account: rows::get(row, "account")?,
        dialect: rows::get(row, "dialect")?,
        event: rows::get(row, "event")?,
        url: rows::get(row, "url")?,
        headers: parse_json(&headers)?,
        body: rows::get(row, "body")?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("unknown delivery status {status}")))?,
        created_at: from_millis(rows::get(row, "created_at")?),
        next_attempt_at: from_millis(rows::get(row, "next_attempt_at")?),
        max_attempts: rows::get::<i64>(row, "max_attempts")? as u32,
        attempts: parse_json(&attempts)?,
    })
}

pub async fn claim(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u32,
) -> StoreResult<Vec<Delivery>> {
    let mut claimed = sqlx::query(
        "UPDATE deliveries SET leased_until = ?1 WHERE id IN (
             SELECT id FROM deliveries
             WHERE status = 'pending' AND next_attempt_at <= ?2
               AND (leased_until IS NULL OR leased_until <= ?2)
             ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING *",
    )
    .bind(millis(lease_until))
    .bind(millis(now))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(backend)?
    .iter()
    .map(delivery)
    .collect::<StoreResult<Vec<_>>>()?;
    claimed.sort_by_key(|d| (d.next_attempt_at, d.id));
    Ok(claimed)
}

pub async fn get(pool: &SqlitePool, id: i64) -> StoreResult<Option<Delivery>> {
    sqlx::query("SELECT * FROM deliveries WHERE id = ?1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(backend)?
        .map(|row| delivery(&row))
        .transpose()
}

pub async fn record_attempt(pool: &SqlitePool, id: i64, attempt: Attempt) -> StoreResult<Delivery> {
    let mut tx = WriteTx::begin(pool).await?;
    let row = sqlx::query("SELECT * FROM deliveries WHERE id = ?1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("delivery {id}")))?;
    let mut current = delivery(&row)?;
    current.status = attempt.outcome();
    if let Some(retry_at) = attempt.retry_at {
        current.next_attempt_at = retry_at;
    }
    current.attempts.push(attempt);
    sqlx::query(
        "UPDATE deliveries SET status = ?1, next_attempt_at = ?2, attempts = ?3, leased_until = NULL
         WHERE id = ?4",
    )
    .bind(current.status.as_str())
    .bind(millis(current.next_attempt_at))
    .bind(to_json(&current.attempts))
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await?;
    Ok(current)
}

pub async fn requeue(pool: &SqlitePool, id: i64, at: DateTime<Utc>) -> StoreResult<Delivery> {
    let row = sqlx::query(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = ?1, leased_until = NULL
         WHERE id = ?2 RETURNING *",
    )
    .bind(millis(at))
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(backend)?
    .ok_or_else(|| StoreError::NotFound(format!("delivery {id}")))?;
    delivery(&row)
}

pub async fn pending(pool: &SqlitePool) -> StoreResult<u64> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE status = 'pending'")
        .fetch_one(pool)
        .await
        .map_err(backend)?;
    Ok(count as u64)
}

pub async fn list(pool: &SqlitePool, query: &DeliveryQuery) -> StoreResult<Page<Delivery>> {
    let mut w = SqlWriter::<Sqlite>::default();
    let conditions = sql::delivery_conditions(&mut w, query);
    let count_args = w.args.len();
    let page = sql::limit_offset(&mut w, query.limit, query.offset);
    let total: i64 = bind_all(
        sqlx::query(&format!(
            "SELECT count(*) FROM deliveries WHERE {conditions}"
        )),
        &w.args[..count_args],
    )
    .fetch_one(pool)
    .await
    .map_err(backend)?
    .try_get(0)
    .map_err(backend)?;
    let items = bind_all(
        sqlx::query(&format!(
            "SELECT * FROM deliveries WHERE {conditions} ORDER BY id DESC{page}"
        )),
        &w.args,
    )
    .fetch_all(pool)
    .await
    .map_err(backend)?
    .iter()
    .map(delivery)
    .collect::<StoreResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: Some(total as u64),
        next_cursor: None,
    })
}
