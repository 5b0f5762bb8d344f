use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One request and its response, secrets already masked by the writer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLogEntry {
    pub at: DateTime<Utc>,
    pub request_id: String,
    pub account: Option<String>,
    pub dialect: String,
    pub endpoint: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub latency_ms: u64,
    pub request_headers: Value,
    pub request_body: Option<String>,
    pub response_body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    #[serde(flatten)]
    pub entry: NewLogEntry,
}

/// Newest first. `before_id` continues a previous page.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub account: Option<String>,
    pub dialect: Option<String>,
    pub endpoint: Option<String>,
    pub status_min: Option<u16>,
    pub status_max: Option<u16>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// A substring of the path, query or either body.
    pub text: Option<String>,
    pub before_id: Option<i64>,
    pub limit: u32,
}
