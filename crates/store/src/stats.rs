//! Aggregates for Twin's own console: what an account holds, and the request log and
//! outbox reduced to what charts need.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many documents one kind holds in one dialect of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub dialect: String,
    pub kind: String,
    pub count: u64,
}

/// One logged request, reduced to what the charts plot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSample {
    pub at: DateTime<Utc>,
    pub dialect: String,
    pub status: u16,
    pub latency_ms: u64,
}

/// Logged requests with `from <= at <= to` (both included, as in `LogQuery`), newest
/// first, at most `limit` of them.
#[derive(Debug, Clone)]
pub struct SampleQuery {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub account: Option<String>,
    pub limit: u32,
}

/// Deliveries by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}
