//! Failed-login limits: after too many wrong secrets from one client address within a
//! window, further attempts are refused (each dialect answers its own 429) until the
//! oldest failure leaves the window.
//!
//! Two subjects, two limits. A password is guessed for a known login, so failures are
//! counted per login and address, and a correct password clears them (MoySklad documents
//! error 1048 for too many wrong passwords). Keys and tokens are random and guessed by
//! trying many, so failures are counted per address across all of them, and a valid key
//! clears nothing (else one valid key would reset a scan). While locked, even a correct
//! secret is refused: answering it would tell a guesser it had found one.
//!
//! Counters live in the process, like the rate limits.

use std::collections::{HashMap, VecDeque};
use std::fmt::Display;
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// At most `failures` wrong attempts within `window`; zero failures switches it off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub failures: usize,
    pub window: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoginLimits {
    /// Per login and client address.
    pub password: Limit,
    /// Per dialect and client address, for API keys and tokens.
    pub secret: Limit,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            password: Limit {
                failures: 10,
                window: Duration::from_secs(300),
            },
            secret: Limit {
                failures: 100,
                window: Duration::from_secs(60),
            },
        }
    }
}

/// What an attempt presents: a password for a login, or a key or token.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Login(&'a str),
    Secret,
}

/// Past this many keys, those with no failure left in the window are dropped.
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct LoginGuard {
    limits: RwLock<LoginLimits>,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl LoginGuard {
    pub fn configure(&self, limits: LoginLimits) {
        *self.limits.write().unwrap_or_else(|e| e.into_inner()) = limits;
    }

    pub fn limits(&self) -> LoginLimits {
        *self.limits.read().unwrap_or_else(|e| e.into_inner())
    }

    fn limit(&self, subject: Subject) -> Limit {
        let limits = self.limits();
        match subject {
            Subject::Login(_) => limits.password,
            Subject::Secret => limits.secret,
        }
    }

    fn key(dialect: &str, subject: Subject, client: impl Display) -> String {
        match subject {
            Subject::Login(login) => format!(
                "{dialect}\u{0}login\u{0}{}\u{0}{client}",
                login.to_lowercase()
            ),
            Subject::Secret => format!("{dialect}\u{0}secret\u{0}{client}"),
        }
    }

    /// How long until an attempt may be made, when the subject is locked now.
    pub fn locked(
        &self,
        dialect: &str,
        subject: Subject,
        client: impl Display,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let limit = self.limit(subject);
        if limit.failures == 0 {
            return None;
        }
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let recent = failures.get_mut(&Self::key(dialect, subject, client))?;
        forget_old(recent, limit.window, now);
        if recent.len() < limit.failures {
            return None;
        }
        let oldest = *recent.front()?;
        let until = oldest + chrono::Duration::from_std(limit.window).ok()?;
        Some(
            (until - now)
                .to_std()
                .unwrap_or_default()
                .max(Duration::from_secs(1)),
        )
    }

    pub fn failed(
        &self,
        dialect: &str,
        subject: Subject,
        client: impl Display,
        now: DateTime<Utc>,
    ) {
        let limit = self.limit(subject);
        if limit.failures == 0 {
            return;
        }
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= MAX_KEYS {
            let limits = self.limits();
            let longest = limits.password.window.max(limits.secret.window);
            failures.retain(|_, recent| {
                forget_old(recent, longest, now);
                !recent.is_empty()
            });
        }
        let recent = failures
            .entry(Self::key(dialect, subject, client))
            .or_default();
        forget_old(recent, limit.window, now);
        recent.push_back(now);
    }

    /// A correct password clears its login's failures from that address.
    pub fn succeeded(&self, dialect: &str, subject: Subject, client: impl Display) {
        if let Subject::Login(_) = subject {
            self.failures
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&Self::key(dialect, subject, client));
        }
    }
}

fn forget_old(recent: &mut VecDeque<DateTime<Utc>>, window: Duration, now: DateTime<Utc>) {
    let Ok(window) = chrono::Duration::from_std(window) else {
        return;
    };
    while recent.front().is_some_and(|at| *at + window <= now) {
        recent.pop_front();
    }
}
