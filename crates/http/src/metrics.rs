//! Prometheus metrics, kept in the process and rendered in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(&'static str, String, u16), u64>,
    latency: BTreeMap<(&'static str, String), Histogram>,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Gauges and counters owned elsewhere, read when metrics are scraped.
pub struct Gauges {
    pub outbox_pending: u64,
    pub deliveries_failed: u64,
    pub deliveries_succeeded: u64,
}

impl Metrics {
    pub fn record(&self, dialect: &'static str, endpoint: &str, status: u16, latency: Duration) {
        let mut inner = self.inner.lock().expect("metrics lock");
        *inner
            .requests
            .entry((dialect, endpoint.to_owned(), status))
            .or_default() += 1;
        let histogram = inner
            .latency
            .entry((dialect, endpoint.to_owned()))
            .or_default();
        let seconds = latency.as_secs_f64();
        for (slot, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *slot += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    pub fn render(&self, gauges: &Gauges) -> String {
        let inner = self.inner.lock().expect("metrics lock");
        let mut out = String::new();
        out.push_str(
            "# HELP twin_http_requests_total Requests answered, by dialect, endpoint and status.\n",
        );
        out.push_str("# TYPE twin_http_requests_total counter\n");
        for ((dialect, endpoint, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "twin_http_requests_total{{dialect=\"{dialect}\",endpoint=\"{endpoint}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP twin_http_request_duration_seconds Time to answer, by dialect and endpoint.\n",
        );
        out.push_str("# TYPE twin_http_request_duration_seconds histogram\n");
        for ((dialect, endpoint), histogram) in &inner.latency {
            let labels = format!("dialect=\"{dialect}\",endpoint=\"{endpoint}\"");
            for (count, bound) in histogram.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "twin_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "twin_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "twin_http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "twin_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
        let _ = write!(
            out,
            "# HELP twin_outbox_pending Webhook deliveries waiting to be sent.\n\
             # TYPE twin_outbox_pending gauge\n\
             twin_outbox_pending {}\n\
             # HELP twin_webhook_attempts_failed_total Webhook delivery attempts that failed.\n\
             # TYPE twin_webhook_attempts_failed_total counter\n\
             twin_webhook_attempts_failed_total {}\n\
             # HELP twin_webhook_attempts_succeeded_total Webhook delivery attempts that succeeded.\n\
             # TYPE twin_webhook_attempts_succeeded_total counter\n\
             twin_webhook_attempts_succeeded_total {}\n",
            gauges.outbox_pending, gauges.deliveries_failed, gauges.deliveries_succeeded
        );
        out
    }
}
