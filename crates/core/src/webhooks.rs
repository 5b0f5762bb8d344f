//! Webhooks leave through the store's outbox: a dialect queues a delivery in the same
//! transaction as the change that caused it, and this worker sends it, retrying with
//! exponential backoff and recording every attempt. Several workers (in one process or
//! many on one PostgreSQL database) share the queue through leases.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use twin_store::{Attempt, Delivery, Store};

use crate::clock::Clock;
use crate::CoreResult;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// The wait before the second attempt; each later wait doubles, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
    /// How long a claimed delivery stays reserved for its worker.
    pub lease: Duration,
    /// Deliveries claimed per round.
    pub batch: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(600),
            timeout: Duration::from_secs(10),
            lease: Duration::from_secs(60),
            batch: 16,
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failed attempt.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Attempts made by this process's workers, for metrics.
#[derive(Debug, Default)]
pub struct WebhookStats {
    pub succeeded: AtomicU64,
    pub failed: AtomicU64,
}

/// How much of a receiver's answer is kept for inspection.
const EXCERPT_BYTES: usize = 2048;

pub struct DeliveryWorker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: RetryPolicy,
    client: reqwest::Client,
    stats: Arc<WebhookStats>,
}

impl DeliveryWorker {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        policy: RetryPolicy,
        stats: Arc<WebhookStats>,
    ) -> Self {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client without TLS always builds");
        Self {
            store,
            clock,
            policy,
            client,
            stats,
        }
    }

    /// Sends every delivery due now, once; returns how many were attempted.
    pub async fn run_once(&self) -> CoreResult<usize> {
        let now = self.clock.now();
        let lease_until = now + chrono::Duration::from_std(self.policy.lease).unwrap_or_default();
        let due = self
            .store
            .claim_deliveries(now, lease_until, self.policy.batch)
            .await?;
        let count = due.len();
        let sends = due.into_iter().map(|delivery| self.send(delivery));
        for result in futures_util::future::join_all(sends).await {
            result?;
        }
        Ok(count)
    }

    /// Polls until `shutdown` resolves.
    pub async fn run(self, poll: Duration, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            match self.run_once().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "webhook worker round failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn send(&self, delivery: Delivery) -> CoreResult<()> {
        let started = Instant::now();
        let mut request = self.client.post(&delivery.url).body(delivery.body.clone());
        for (name, value) in &delivery.headers {
            request = request.header(name, value);
        }
        let outcome = request.send().await;
        let (http_status, succeeded, excerpt, error) = match outcome {
            Ok(response) => {
                let status = response.status();
                let body = response.bytes().await.unwrap_or_default();
                let excerpt =
                    String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]).into_owned();
                (
                    Some(status.as_u16()),
                    status.is_success(),
                    Some(excerpt),
                    None,
                )
            }
            Err(error) => (None, false, None, Some(error.to_string())),
        };
        let latency_ms = started.elapsed().as_millis() as u64;
        let counter = if succeeded {
            &self.stats.succeeded
        } else {
            &self.stats.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let failures = delivery.attempts.iter().filter(|a| !a.succeeded).count() as u32 + 1;
        let attempts_left = (delivery.attempts.len() as u32 + 1) < delivery.max_attempts;
        let retry_at = (!succeeded && attempts_left).then(|| {
            self.clock.now()
                + chrono::Duration::from_std(self.policy.backoff(failures)).unwrap_or_default()
        });
        let attempt = Attempt {
            at: self.clock.now(),
            http_status,
            latency_ms,
            succeeded,
            response_excerpt: excerpt,
            error,
            retry_at,
        };
        self.store.record_attempt(delivery.id, attempt).await?;
        Ok(())
    }
}
