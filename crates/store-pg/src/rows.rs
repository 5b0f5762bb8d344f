//! Row decoding, parameter binding and error mapping.

use std::io;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Row, Transaction};
use twin_store::sql::SqlArg;
use twin_store::{DocKey, Document, Scope, StoreError, StoreResult};

/// Data exceptions (SQLSTATE class 22) are the caller's input that PostgreSQL cannot
/// store, such as a NUL character in text or `\u0000` in JSONB: SQLite keeps those, so
/// they are reported as invalid rather than as a failing database.
pub fn backend(error: sqlx::Error) -> StoreError {
    match sqlstate(&error) {
        Some(code) if code.starts_with("22") => StoreError::Invalid(error.to_string()),
        _ => StoreError::Backend(error.to_string()),
    }
}

pub fn sqlstate(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(db) => db.code().map(|code| code.into_owned()),
        _ => None,
    }
}

/// A write to `key` that lost a race (a unique index taken by a concurrent insert, a
/// deadlock between two batches) is a version conflict, which callers retry.
pub fn raced(key: &DocKey) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |error| match sqlstate(&error).as_deref() {
        Some("23505" | "40P01" | "40001") => StoreError::Conflict(key.clone()),
        _ => backend(error),
    }
}

/// serde_json writes an integral float such as 1e16 in exponent form; JSONB keeps the
/// number but not that it was a float, and it would read back as an integer. Writing
/// integral floats with a fraction digit ("10000000000000000.0") keeps the scale, so a
/// body round-trips to an equal `Value`, as it does in SQLite.
struct FloatsStayFloats;

impl serde_json::ser::Formatter for FloatsStayFloats {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        if value.is_finite() && value.fract() == 0.0 && value.abs() < 18_446_744_073_709_551_616.0 {
            write!(writer, "{value:.1}")
        } else {
            serde_json::ser::CompactFormatter.write_f64(writer, value)
        }
    }
}

/// JSON text for a JSONB column of free-form values (bind it with `$n::jsonb`).
pub fn jsonb(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, FloatsStayFloats);
    value
        .serialize(&mut serializer)
        .expect("JSON values always serialise");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// A write transaction at READ COMMITTED whatever the server's default: the race handling
/// (`ON CONFLICT DO NOTHING`, UPDATEs re-checked after a wait) relies on each statement
/// seeing what concurrent transactions committed before it.
pub async fn begin(pool: &PgPool) -> StoreResult<Transaction<'static, Postgres>> {
    pool.begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await
        .map_err(backend)
}

pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub fn get<'r, T>(row: &'r PgRow, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(column).map_err(backend)
}

/// A JSONB column decoded into `T`.
pub fn json<T: DeserializeOwned>(row: &PgRow, column: &str) -> StoreResult<T> {
    let value: Json<Value> = get(row, column)?;
    serde_json::from_value(value.0)
        .map_err(|e| StoreError::Backend(format!("corrupt JSON column {column}: {e}")))
}

/// A row of `twin_store::sql::DOCUMENT_COLUMNS`, with its insertion sequence.
pub fn document(row: &PgRow) -> StoreResult<(i64, Document)> {
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
            body: json(row, "body")?,
            lookups: json(row, "lookups")?,
        },
    ))
}

pub fn bind_all<'q>(
    mut query: Query<'q, Postgres, PgArguments>,
    args: &'q [SqlArg],
) -> Query<'q, Postgres, PgArguments> {
    for arg in args {
        query = match arg {
            SqlArg::Text(text) => query.bind(text.as_str()),
            SqlArg::Int(int) => query.bind(*int),
            SqlArg::Real(real) => query.bind(*real),
            SqlArg::Json(value) => query.bind(Json(value)),
            SqlArg::TextList(list) => query.bind(list.as_slice()),
        };
    }
    query
}
