//! How SalesDoc writes values: identifiers as strings (numbers accepted), the `active`
//! flag in any of its documented spellings, and dates in server time as
//! `YYYY-MM-DD HH:MM:SS`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::Value;

/// The vendor's servers run on Tashkent time (UTC+05:00, no daylight saving); dates in
/// answers and `period` bounds are in it, and so are the time windows of §9
/// (*Inferred*: the docs say "server time" without naming the zone).
pub const SERVER_OFFSET_SECONDS: i32 = 5 * 3600;

pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// An identifier or text member: a non-empty string (trimmed) or a number written as
/// one; `null`, `""` and other types count as absent.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The documented readings of `active` (§16): `true`/`false`, `"Y"`/`"N"`, `"True"`
/// and `1`/`0`; also `"False"`, `"true"`/`"false"` and `"1"`/`"0"` (*Inferred*: the
/// same words in the other spellings). `None` for anything else.
pub fn active(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "y" | "true" | "1" => Some(true),
            "n" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A number as answers write it: whole numbers as integers (`6`, not `6.0`), others as
/// floats; `null` for what JSON cannot hold (NaN, infinities).
pub fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// How answers write a flag: `"Y"` or `"N"`.
pub fn yes_no(flag: bool) -> &'static str {
    if flag {
        "Y"
    } else {
        "N"
    }
}

fn server_zone() -> FixedOffset {
    FixedOffset::east_opt(SERVER_OFFSET_SECONDS).expect("a valid offset")
}

/// A moment in server time.
pub fn server_time(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&server_zone()).naive_local()
}

/// A moment as answers and stored records write it.
pub fn datetime(at: DateTime<Utc>) -> String {
    server_time(at).format(DATETIME_FORMAT).to_string()
}

/// Which end of a range a date-only bound stands for.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    Start,
    End,
}

/// A `period` bound in the stored format: `YYYY-MM-DD HH:MM:SS`, ISO-8601 with a `T`,
/// or a bare date (the day's first second as a start, its last as an end; *Inferred*).
pub fn period_bound(raw: &str, bound: Bound) -> Option<String> {
    let raw = raw.trim();
    let formats = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"];
    let parsed = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .or_else(|| {
            let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
            let time = match bound {
                Bound::Start => NaiveTime::MIN,
                Bound::End => NaiveTime::from_hms_opt(23, 59, 59)?,
            };
            Some(day.and_time(time))
        })?;
    Some(parsed.format(DATETIME_FORMAT).to_string())
}
