//! Keyed rate limiting with the policies the four vendors publish: fixed windows, sliding
//! windows with per-request weights (Kassa) and token buckets. Each dialect picks its key
//! (account, credential, endpoint) and policy, and renders the 429 its own way.
//!
//! Counters live in the process: replicas sharing a PostgreSQL database each count their
//! own requests.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Policy {
    /// At most `limit` weight per window aligned to multiples of `window`.
    FixedWindow { limit: u64, window: Duration },
    /// At most `limit` weight within any `window`-long span ending now.
    SlidingWindow { limit: u64, window: Duration },
    /// Up to `capacity` at once, refilled at `per_second`.
    TokenBucket { capacity: u64, per_second: f64 },
}

impl Policy {
    pub fn limit(&self) -> u64 {
        match *self {
            Self::FixedWindow { limit, .. } | Self::SlidingWindow { limit, .. } => limit,
            Self::TokenBucket { capacity, .. } => capacity,
        }
    }
}

/// The answer to one request, with what the vendors put in their headers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// How long until a request of the same weight would pass (zero when allowed).
    pub retry_after: Duration,
    /// How long until the budget is whole again.
    pub reset_after: Duration,
}

#[derive(Debug)]
enum Bucket {
    Fixed {
        window_start: i64,
        used: u64,
    },
    Sliding {
        entries: VecDeque<(i64, u64)>,
        used: u64,
    },
    Tokens {
        tokens: f64,
        at: i64,
    },
}

#[derive(Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, (Bucket, i64)>>,
}

/// Past this many keys, idle ones are dropped.
const MAX_IDLE_KEYS: usize = 10_000;

fn ms(duration: Duration) -> i64 {
    duration.as_millis().min(i64::MAX as u128) as i64
}

fn duration(ms: i64) -> Duration {
    Duration::from_millis(ms.max(0) as u64)
}

impl RateLimiter {
    /// Spends `weight` from `key`'s budget under `policy` if it fits.
    pub fn check(&self, key: &str, policy: &Policy, weight: u64, now: DateTime<Utc>) -> Decision {
        let now = now.timestamp_millis();
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() > MAX_IDLE_KEYS {
            buckets.retain(|_, (_, last)| now - *last < 3_600_000);
        }
        let (bucket, last) = buckets
            .entry(key.to_owned())
            .or_insert_with(|| (new_bucket(policy, now), now));
        *last = now;
        decide(bucket, policy, weight, now)
    }

    /// Forgets every counter whose key starts with `prefix` (an account's reset).
    pub fn forget(&self, prefix: &str) {
        self.buckets
            .lock()
            .expect("rate limiter lock")
            .retain(|key, _| !key.starts_with(prefix));
    }
}

fn new_bucket(policy: &Policy, now: i64) -> Bucket {
    match *policy {
        Policy::FixedWindow { .. } => Bucket::Fixed {
            window_start: now,
            used: 0,
        },
        Policy::SlidingWindow { .. } => Bucket::Sliding {
            entries: VecDeque::new(),
            used: 0,
        },
        Policy::TokenBucket { capacity, .. } => Bucket::Tokens {
            tokens: capacity as f64,
            at: now,
        },
    }
}

fn decide(bucket: &mut Bucket, policy: &Policy, weight: u64, now: i64) -> Decision {
    let limit = policy.limit();
    match (bucket, *policy) {
        (Bucket::Fixed { window_start, used }, Policy::FixedWindow { window, .. }) => {
            let window = ms(window).max(1);
            if now - *window_start >= window || now < *window_start {
                *window_start = now - now.rem_euclid(window);
                *used = 0;
            }
            let reset = duration(*window_start + window - now);
            let allowed = *used + weight <= limit;
            if allowed {
                *used += weight;
            }
            Decision {
                allowed,
                limit,
                remaining: limit.saturating_sub(*used),
                retry_after: if allowed { Duration::ZERO } else { reset },
                reset_after: reset,
            }
        }
        (Bucket::Sliding { entries, used }, Policy::SlidingWindow { window, .. }) => {
            let window = ms(window).max(1);
            while entries.front().is_some_and(|(at, _)| *at <= now - window) {
                let (_, spent) = entries.pop_front().expect("front exists");
                *used -= spent;
            }
            let allowed = *used + weight <= limit;
            if allowed {
                *used += weight;
                entries.push_back((now, weight));
            }
            // When enough of the oldest weight expires for this request to fit.
            let mut freed = limit.saturating_sub(*used);
            let mut retry_at = now;
            if !allowed {
                for (at, spent) in entries.iter() {
                    freed += spent;
                    retry_at = at + window;
                    if freed >= weight {
                        break;
                    }
                }
            }
            let reset_at = entries.back().map_or(now, |(at, _)| at + window);
            Decision {
                allowed,
                limit,
                remaining: limit.saturating_sub(*used),
                retry_after: duration(retry_at - now),
                reset_after: duration(reset_at - now),
            }
        }
        (
            Bucket::Tokens { tokens, at },
            Policy::TokenBucket {
                capacity,
                per_second,
            },
        ) => {
            let elapsed = (now - *at).max(0) as f64 / 1000.0;
            *tokens = (*tokens + elapsed * per_second).min(capacity as f64);
            *at = now;
            let allowed = *tokens >= weight as f64;
            if allowed {
                *tokens -= weight as f64;
            }
            let seconds_for = |amount: f64| {
                if per_second > 0.0 {
                    Duration::from_secs_f64((amount.max(0.0)) / per_second)
                } else {
                    Duration::MAX
                }
            };
            Decision {
                allowed,
                limit,
                remaining: tokens.floor() as u64,
                retry_after: if allowed {
                    Duration::ZERO
                } else {
                    seconds_for(weight as f64 - *tokens)
                },
                reset_after: seconds_for(capacity as f64 - *tokens),
            }
        }
        (bucket, policy) => {
            // The policy of a key changed (an admin edit): start over under the new one.
            *bucket = new_bucket(&policy, now);
            decide(bucket, &policy, weight, now)
        }
    }
}
