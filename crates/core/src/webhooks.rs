//! Webhooks leave through the store's outbox: a dialect queues a delivery in the same
//! transaction as the change that caused it, and this worker sends it, retrying with
//! exponential backoff and recording every attempt. Several workers (in one process or
//! many on one PostgreSQL database) share the queue through leases.
//!
//! A dialect may bring its own policy (its vendor's time limit, success statuses and
//! retries). A worker sends the deliveries to one receiver one at a time in queue order,
//! so the receiver sees events in the order they happened (workers of several processes
//! do not coordinate this); different receivers are served in parallel.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use twin_store::{Attempt, Delivery, Store};

use crate::clock::Clock;
use crate::destinations::{Destinations, REFUSED};
use crate::CoreResult;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// The wait before the second attempt; each later wait doubles, up to `max_delay`.
    /// Zero means the vendor retries "immediately, sequentially": the worker repeats a
    /// failed attempt at once, before the receiver's next delivery.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
    /// Which answers count as delivered.
    pub success: Success,
    /// How long a claimed delivery stays reserved for its worker: longer than a round
    /// can take, since a lane's deliveries wait for the ones before them. Claims serve
    /// every dialect, so only the worker's own policy sets this, not a dialect's.
    pub lease: Duration,
    /// Deliveries claimed per round (the worker's own policy only, as `lease`).
    pub batch: u32,
}

/// The answers that count as delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Success {
    /// Any 2xx status.
    #[default]
    AnyTwoHundred,
    /// Only these statuses (e.g. MoySklad: 200 and 204).
    Only(Vec<u16>),
}

impl Success {
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            Self::AnyTwoHundred => (200..300).contains(&status),
            Self::Only(statuses) => statuses.contains(&status),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(600),
            timeout: Duration::from_secs(10),
            success: Success::AnyTwoHundred,
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

/// Attempts made by this process's workers, for metrics, and when a worker last finished a
/// round (the console's sign that delivery is alive).
#[derive(Debug, Default)]
pub struct WebhookStats {
    pub succeeded: AtomicU64,
    pub failed: AtomicU64,
    /// Milliseconds since the Unix epoch; 0 before the first round.
    pub last_round_ms: AtomicI64,
}

impl WebhookStats {
    pub fn last_round(&self) -> Option<DateTime<Utc>> {
        match self.last_round_ms.load(Ordering::Relaxed) {
            0 => None,
            ms => DateTime::from_timestamp_millis(ms),
        }
    }
}

/// How much of a receiver's answer is read and kept for inspection; the rest is never
/// read, so a receiver answering an endless body costs one small buffer.
const EXCERPT_BYTES: usize = 2048;

pub struct DeliveryWorker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: RetryPolicy,
    /// Policies of dialects whose vendors send differently, by dialect name.
    dialects: HashMap<String, RetryPolicy>,
    client: reqwest::Client,
    stats: Arc<WebhookStats>,
    destinations: Arc<Destinations>,
}

impl DeliveryWorker {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        policy: RetryPolicy,
        stats: Arc<WebhookStats>,
    ) -> Self {
        // Redirects are not followed: a 3xx is the receiver's answer, and a failure (no
        // vendor follows them), so a redirect loop costs one request per attempt.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client without TLS always builds");
        Self {
            store,
            clock,
            policy,
            dialects: HashMap::new(),
            client,
            stats,
            destinations: Arc::default(),
        }
    }

    /// Sends only to destinations `destinations` allows; the others are given up unsent.
    pub fn with_destinations(mut self, destinations: Arc<Destinations>) -> Self {
        self.destinations = destinations;
        self
    }

    /// Sends and retries the deliveries of `dialect` by `policy` instead of the worker's.
    pub fn with_dialect_policy(mut self, dialect: &str, policy: RetryPolicy) -> Self {
        self.dialects.insert(dialect.to_owned(), policy);
        self
    }

    fn policy_for(&self, dialect: &str) -> &RetryPolicy {
        self.dialects.get(dialect).unwrap_or(&self.policy)
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
        let mut lanes: BTreeMap<String, Vec<Delivery>> = BTreeMap::new();
        for delivery in due {
            lanes
                .entry(receiver(&delivery.url).to_owned())
                .or_default()
                .push(delivery);
        }
        let sends = lanes.into_values().map(|lane| async move {
            for delivery in lane {
                self.deliver(delivery).await?;
            }
            CoreResult::Ok(())
        });
        for result in futures_util::future::join_all(sends).await {
            result?;
        }
        self.stats
            .last_round_ms
            .store(Utc::now().timestamp_millis(), Ordering::Relaxed);
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

    /// One attempt, and at once the next ones while the policy retries without a wait.
    async fn deliver(&self, mut delivery: Delivery) -> CoreResult<()> {
        let policy = self.policy_for(&delivery.dialect);
        loop {
            let attempt = self.attempt(&delivery, policy).await;
            let retry_now = attempt.retry_at.is_some() && policy.base_delay.is_zero();
            delivery = self.store.record_attempt(delivery.id, attempt).await?;
            if !retry_now {
                return Ok(());
            }
        }
    }

    async fn attempt(&self, delivery: &Delivery, policy: &RetryPolicy) -> Attempt {
        if !self.destinations.allows(&delivery.url) {
            self.stats.failed.fetch_add(1, Ordering::Relaxed);
            return Attempt {
                at: self.clock.now(),
                http_status: None,
                latency_ms: 0,
                succeeded: false,
                response_excerpt: None,
                error: Some(REFUSED.to_owned()),
                retry_at: None,
            };
        }
        let started = Instant::now();
        let mut request = self
            .client
            .post(&delivery.url)
            .timeout(policy.timeout)
            .body(delivery.body.clone());
        for (name, value) in &delivery.headers {
            request = request.header(name, value);
        }
        let outcome = request.send().await;
        let (http_status, succeeded, excerpt, error) = match outcome {
            Ok(response) => {
                let status = response.status();
                let body = excerpt_of(response).await;
                let excerpt = String::from_utf8_lossy(&body).into_owned();
                (
                    Some(status.as_u16()),
                    policy.success.accepts(status.as_u16()),
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
                + chrono::Duration::from_std(policy.backoff(failures)).unwrap_or_default()
        });
        Attempt {
            at: self.clock.now(),
            http_status,
            latency_ms,
            succeeded,
            response_excerpt: excerpt,
            error,
            retry_at,
        }
    }
}

/// The first `EXCERPT_BYTES` of an answer's body (fewer if it breaks off); the rest is
/// left unread and the connection dropped.
async fn excerpt_of(mut response: reqwest::Response) -> Vec<u8> {
    let mut kept = Vec::new();
    while kept.len() < EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
            _ => break,
        }
    }
    kept.truncate(EXCERPT_BYTES);
    kept
}

/// The receiver a delivery goes to: its URL without the query, which may differ per
/// delivery (MoySklad's `requestId`).
fn receiver(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}
