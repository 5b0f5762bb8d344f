//! Row decoding and parameter binding.

use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite};
use twin_store::sql::SqlArg;
use twin_store::{DocKey, Document, Scope, StoreError, StoreResult};

pub fn backend(error: sqlx::Error) -> StoreError {
    StoreError::Backend(error.to_string())
}

pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub fn parse_json<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("corrupt JSON column: {e}")))
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("JSON values always serialise")
}

pub fn get<'r, T>(row: &'r SqliteRow, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(column).map_err(backend)
}

/// A row of `twin_store::sql::DOCUMENT_COLUMNS`, with its insertion sequence.
pub fn document(row: &SqliteRow) -> StoreResult<(i64, Document)> {
    let body: String = get(row, "body")?;
    let lookups: String = get(row, "lookups")?;
    Ok((
        get(row, "seq")?,
        Document {
            key: DocKey {
                scope: Scope::new(
                    get::<String>(row, "account")?,
                    get::<String>(row, "dialect")?,
                ),
                kind: get(row, "kind")?,
                id: get(row, "id")?,
            },
            version: get(row, "version")?,
            body: parse_json(&body)?,
            lookups: parse_json(&lookups)?,
        },
    ))
}

pub fn bind_all<'q>(
    mut query: Query<'q, Sqlite, SqliteArguments<'q>>,
    args: &'q [SqlArg],
) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    for arg in args {
        query = match arg {
            SqlArg::Text(text) => query.bind(text.as_str()),
            SqlArg::Int(int) => query.bind(*int),
            SqlArg::Real(real) => query.bind(*real),
            SqlArg::Json(value) => query.bind(to_json(value)),
            SqlArg::TextList(list) => query.bind(to_json(list)),
        };
    }
    query
}
