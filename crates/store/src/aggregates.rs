//! The console's aggregate queries (documents per kind, request-log samples, deliveries
//! by state), run the same way by every SQL backend: the SQL and the reading of its rows
//! live here; a backend only runs a query through [`SqlRows`].

use async_trait::async_trait;
use chrono::{TimeZone, Utc};

use crate::sql::{delivery_conditions, limit_offset, log_conditions, SqlArg, SqlFlavor, SqlWriter};
use crate::{
    DeliveryCounts, DeliveryQuery, DeliveryStatus, KindCount, LogQuery, LogSample, SampleQuery,
    StoreError, StoreResult,
};

/// The type of a result column: aggregates return only these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Text,
    /// A 64-bit integer (`BIGINT`).
    Int,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

/// A backend's way to run a query of this module.
#[async_trait]
pub trait SqlRows: Sync {
    type Flavor: SqlFlavor + Send;
    type Row: Send;

    async fn fetch(&self, sql: &str, args: &[SqlArg]) -> StoreResult<Vec<Self::Row>>;

    /// Cell `n` (0-based) of a row, read as `column` says.
    fn cell(row: &Self::Row, n: usize, column: Column) -> StoreResult<Cell>;
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Int(n) => n.to_string(),
    }
}

fn int(cell: &Cell) -> i64 {
    match cell {
        Cell::Int(n) => *n,
        Cell::Text(_) => 0,
    }
}

fn count(cell: &Cell) -> u64 {
    u64::try_from(int(cell)).unwrap_or_default()
}

/// Runs `sql`: each row's cells, read as `columns` says.
async fn rows<D: SqlRows>(
    db: &D,
    w: SqlWriter<D::Flavor>,
    sql: &str,
    columns: &[Column],
) -> StoreResult<Vec<Vec<Cell>>> {
    let rows = db.fetch(sql, &w.args).await?;
    rows.iter()
        .map(|row| {
            let cells = columns.iter().enumerate();
            cells.map(|(n, column)| D::cell(row, n, *column)).collect()
        })
        .collect()
}

/// See `Store::count_kinds`.
pub async fn count_kinds<D: SqlRows>(
    db: &D,
    account: &str,
    dialect: Option<&str>,
) -> StoreResult<Vec<KindCount>> {
    let mut w = SqlWriter::<D::Flavor>::default();
    let mut conditions = format!("account = {}", w.bind(SqlArg::Text(account.to_owned())));
    if let Some(dialect) = dialect {
        let dialect = w.bind(SqlArg::Text(dialect.to_owned()));
        conditions.push_str(&format!(" AND dialect = {dialect}"));
    }
    let sql = format!(
        "SELECT dialect, kind, count(*) FROM documents WHERE {conditions} \
         GROUP BY dialect, kind ORDER BY dialect, kind"
    );
    let columns = [Column::Text, Column::Text, Column::Int];
    Ok(rows(db, w, &sql, &columns)
        .await?
        .iter()
        .map(|row| KindCount {
            dialect: text(&row[0]),
            kind: text(&row[1]),
            count: count(&row[2]),
        })
        .collect())
}

/// See `Store::log_samples`.
pub async fn log_samples<D: SqlRows>(db: &D, query: &SampleQuery) -> StoreResult<Vec<LogSample>> {
    let mut w = SqlWriter::<D::Flavor>::default();
    let window = LogQuery {
        account: query.account.clone(),
        from: Some(query.from),
        to: Some(query.to),
        ..LogQuery::default()
    };
    let conditions = log_conditions(&mut w, &window);
    let limit = limit_offset(&mut w, query.limit, 0);
    let sql = format!(
        "SELECT at, dialect, CAST(status AS BIGINT), latency_ms FROM request_log \
         WHERE {conditions} ORDER BY at DESC, id DESC{limit}"
    );
    let columns = [Column::Int, Column::Text, Column::Int, Column::Int];
    rows(db, w, &sql, &columns)
        .await?
        .iter()
        .map(|row| {
            let at = Utc.timestamp_millis_opt(int(&row[0])).single();
            Ok(LogSample {
                at: at.ok_or_else(|| StoreError::Backend("a log time out of range".into()))?,
                dialect: text(&row[1]),
                status: u16::try_from(int(&row[2])).unwrap_or_default(),
                latency_ms: count(&row[3]),
            })
        })
        .collect()
}

/// See `Store::count_deliveries`.
pub async fn count_deliveries<D: SqlRows>(
    db: &D,
    query: &DeliveryQuery,
) -> StoreResult<DeliveryCounts> {
    let mut w = SqlWriter::<D::Flavor>::default();
    let conditions = delivery_conditions(&mut w, query);
    let sql = format!("SELECT status, count(*) FROM deliveries WHERE {conditions} GROUP BY status");
    let mut counts = DeliveryCounts::default();
    for row in rows(db, w, &sql, &[Column::Text, Column::Int]).await? {
        let n = count(&row[1]);
        match DeliveryStatus::parse(&text(&row[0])) {
            Some(DeliveryStatus::Pending) => counts.pending += n,
            Some(DeliveryStatus::Delivered) => counts.delivered += n,
            Some(DeliveryStatus::Failed) => counts.failed += n,
            None => {}
        }
    }
    Ok(counts)
}
