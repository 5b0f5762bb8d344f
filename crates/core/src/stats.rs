//! Figures for the console's charts, from what every replica shares: the persisted
//! request log (requests per minute by dialect and status class, latency percentiles)
//! and the webhook outbox (deliveries by state).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::Serialize;
use twin_store::{DeliveryCounts, DeliveryQuery, LogSample, SampleQuery};

use crate::{Core, CoreError, CoreResult};

/// Requests read per window at most; a busier window is summarised from its newest
/// requests and marked `truncated`.
pub const MAX_SAMPLES: u32 = 100_000;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Whether the window held more than [`MAX_SAMPLES`] requests (the oldest left out).
    pub truncated: bool,
    pub per_minute: Vec<MinuteCount>,
    pub latency: Vec<Latency>,
    pub deliveries: Deliveries,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinuteCount {
    /// The start of the minute.
    pub minute: DateTime<Utc>,
    pub dialect: String,
    /// `2xx`, `3xx`, `4xx` or `5xx` (`1xx` would be its own).
    pub status_class: String,
    pub count: u64,
}

/// A dialect's latencies in milliseconds, nearest-rank percentiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Latency {
    pub dialect: String,
    pub count: u64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub max: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deliveries {
    pub delivered: u64,
    pub failed: u64,
    pub pending: u64,
    /// Delivered of those that ended; `None` when none has.
    pub success_rate: Option<f64>,
}

impl From<DeliveryCounts> for Deliveries {
    fn from(counts: DeliveryCounts) -> Self {
        let ended = counts.delivered + counts.failed;
        Self {
            delivered: counts.delivered,
            failed: counts.failed,
            pending: counts.pending,
            success_rate: (ended > 0).then(|| counts.delivered as f64 / ended as f64),
        }
    }
}

/// The last `minutes` minutes up to now (the requests logged so far included), of one
/// account or all; deliveries are those created in the window.
pub async fn collect(core: &Core, minutes: u32, account: Option<String>) -> CoreResult<Stats> {
    core.log.flush().await?;
    let to = core.clock.now();
    let from = to - Duration::minutes(i64::from(minutes));
    let query = SampleQuery {
        from,
        // `to` is included: a request logged in this very millisecond counts.
        to,
        account: account.clone(),
        limit: MAX_SAMPLES + 1,
    };
    let mut samples = core.store.log_samples(&query).await?;
    let truncated = samples.len() > MAX_SAMPLES as usize;
    samples.truncate(MAX_SAMPLES as usize);
    let deliveries = DeliveryQuery {
        account,
        created_from: Some(from),
        ..DeliveryQuery::default()
    };
    let counts = core.store.count_deliveries(&deliveries).await?;
    Ok(Stats {
        from,
        to,
        truncated,
        per_minute: per_minute(&samples)?,
        latency: latency(&samples),
        deliveries: counts.into(),
    })
}

/// Requests per minute, dialect and status class, in that order.
pub fn per_minute(samples: &[LogSample]) -> CoreResult<Vec<MinuteCount>> {
    let mut counts: BTreeMap<(DateTime<Utc>, &str, u16), u64> = BTreeMap::new();
    for sample in samples {
        let minute = sample
            .at
            .duration_trunc(Duration::minutes(1))
            .map_err(|e| CoreError::Internal(format!("minute of {}: {e}", sample.at)))?;
        *counts
            .entry((minute, &sample.dialect, sample.status / 100))
            .or_default() += 1;
    }
    Ok(counts
        .into_iter()
        .map(|((minute, dialect, class), count)| MinuteCount {
            minute,
            dialect: dialect.to_owned(),
            status_class: format!("{class}xx"),
            count,
        })
        .collect())
}

/// Latency percentiles per dialect, in dialect order.
pub fn latency(samples: &[LogSample]) -> Vec<Latency> {
    let mut by_dialect: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for sample in samples {
        by_dialect
            .entry(&sample.dialect)
            .or_default()
            .push(sample.latency_ms);
    }
    by_dialect
        .into_iter()
        .map(|(dialect, mut values)| {
            values.sort_unstable();
            Latency {
                dialect: dialect.to_owned(),
                count: values.len() as u64,
                p50: percentile(&values, 50),
                p90: percentile(&values, 90),
                p99: percentile(&values, 99),
                max: values.last().copied().unwrap_or_default(),
            }
        })
        .collect()
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `p`%
/// of the values at or below it.
pub fn percentile(sorted: &[u64], p: u64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() as u64 * p).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}
