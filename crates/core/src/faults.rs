//! Fault rules: what the admin API asks Twin to do to matching vendor requests (add
//! latency, refuse with the vendor's 429 or a 5xx, time out, drop the connection), how
//! often each rule fired, and the draw that decides whether a rule fires.
//!
//! Rules live in the process, like the rate-limit counters: replicas sharing a database
//! each keep their own, and a restart forgets them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{CoreError, CoreResult, DIALECTS};

/// The most rules held at once, so a runaway script cannot grow the process without end.
pub const MAX_RULES: usize = 1000;

/// The longest latency or timeout a rule may hold a request for.
pub const MAX_HOLD_MS: u64 = 60_000;

/// The longest wait a rate-limit rule may announce.
pub const MAX_RETRY_AFTER_MS: u64 = 86_400_000;

/// The server errors a rule may answer with.
pub const ERROR_STATUSES: [u16; 4] = [500, 502, 503, 504];

/// What a matching request gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Action {
    /// Waits `ms`, then the request goes on as usual.
    Latency { ms: u64 },
    /// The dialect's own 429, announcing `retry_after_ms` (else its limiter's window).
    RateLimit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_ms: Option<u64>,
    },
    /// The dialect's server error with this status.
    Error { status: u16 },
    /// Holds the request `ms` (else the request timeout), then the dialect's timeout.
    Timeout {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ms: Option<u64>,
    },
    /// Closes the connection without an answer. (Braces, so that unknown fields are
    /// refused here too.)
    Drop {},
}

/// A rule as the admin API receives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRule {
    pub dialect: Option<String>,
    pub endpoint: Option<String>,
    pub account: Option<String>,
    pub probability: Option<f64>,
    pub count: Option<u64>,
    pub action: Action,
}

/// A rule as held and shown: what it matches, what it does and how often it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub dialect: Option<String>,
    pub endpoint: Option<String>,
    pub account: Option<String>,
    pub probability: f64,
    /// Fires at most this many times (none: without end); a spent rule stays listed.
    pub count: Option<u64>,
    pub action: Action,
    pub fired: u64,
    pub created_at: DateTime<Utc>,
}

/// One request as a rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub dialect: &'a str,
    pub endpoint: &'a str,
    pub account: &'a str,
}

impl Rule {
    fn matches(&self, target: Target<'_>) -> bool {
        let fits =
            |wanted: &Option<String>, actual: &str| wanted.as_deref().is_none_or(|w| w == actual);
        fits(&self.dialect, target.dialect)
            && fits(&self.endpoint, target.endpoint)
            && fits(&self.account, target.account)
    }

    fn spent(&self) -> bool {
        self.count.is_some_and(|count| self.fired >= count)
    }
}

/// The rules of the process, oldest first.
#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    /// How many rules `rules` holds, kept in step under its lock, so that a request can
    /// see there are none without taking the lock.
    held: AtomicUsize,
}

impl Faults {
    /// Checks and keeps a rule; `now` is its creation time.
    pub fn add(&self, new: NewRule, now: DateTime<Utc>) -> CoreResult<Rule> {
        let rule = Rule {
            id: Uuid::new_v4().simple().to_string(),
            dialect: checked_dialect(new.dialect)?,
            endpoint: checked_name("endpoint", new.endpoint)?,
            account: checked_name("account", new.account)?,
            probability: checked_probability(new.probability)?,
            count: checked_count(new.count)?,
            action: checked_action(new.action)?,
            fired: 0,
            created_at: now,
        };
        let mut rules = self.rules.lock().expect("faults lock");
        if rules.len() >= MAX_RULES {
            return Err(CoreError::Conflict(format!(
                "at most {MAX_RULES} fault rules; delete some first"
            )));
        }
        rules.push(rule.clone());
        self.held.store(rules.len(), Ordering::Release);
        Ok(rule)
    }

    /// Every rule, newest first.
    pub fn list(&self) -> Vec<Rule> {
        let rules = self.rules.lock().expect("faults lock");
        rules.iter().rev().cloned().collect()
    }

    pub fn get(&self, id: &str) -> Option<Rule> {
        let rules = self.rules.lock().expect("faults lock");
        rules.iter().find(|rule| rule.id == id).cloned()
    }

    /// Whether a rule with this id was there.
    pub fn remove(&self, id: &str) -> bool {
        let mut rules = self.rules.lock().expect("faults lock");
        let before = rules.len();
        rules.retain(|rule| rule.id != id);
        self.held.store(rules.len(), Ordering::Release);
        rules.len() != before
    }

    /// Removes the rules scoped to a deleted account, so that a new account given the same
    /// id starts without them.
    pub fn forget_account(&self, account: &str) {
        let mut rules = self.rules.lock().expect("faults lock");
        rules.retain(|rule| rule.account.as_deref() != Some(account));
        self.held.store(rules.len(), Ordering::Release);
    }

    pub fn clear(&self) {
        let mut rules = self.rules.lock().expect("faults lock");
        rules.clear();
        self.held.store(0, Ordering::Release);
    }

    /// Whether no rule is held: read without the lock, so that the requests of a process
    /// without rules (the usual case) never take it.
    pub fn is_empty(&self) -> bool {
        self.held.load(Ordering::Acquire) == 0
    }

    /// The action of the newest unspent rule that matches the request and wins its
    /// probability draw, counted as fired; at most one rule fires per request.
    pub fn fire(&self, target: Target<'_>) -> Option<Action> {
        let mut rules = self.rules.lock().expect("faults lock");
        let rule = rules
            .iter_mut()
            .rev()
            .filter(|rule| !rule.spent() && rule.matches(target))
            .find(|rule| draw() < rule.probability)?;
        rule.fired += 1;
        Some(rule.action.clone())
    }
}

/// A uniform draw from `[0, 1)`, from the 48 random bits at the start of a v4 UUID.
fn draw() -> f64 {
    let bytes = Uuid::new_v4().into_bytes();
    let bits = bytes[..6]
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    bits as f64 / (1u64 << 48) as f64
}

fn checked_dialect(dialect: Option<String>) -> CoreResult<Option<String>> {
    match dialect {
        Some(name) if !DIALECTS.contains(&name.as_str()) => Err(CoreError::validation(
            "dialect",
            format!("one of {DIALECTS:?}"),
        )),
        other => Ok(other),
    }
}

fn checked_name(field: &str, name: Option<String>) -> CoreResult<Option<String>> {
    match name {
        Some(name) if name.is_empty() || name.len() > 200 => Err(CoreError::validation(
            field,
            "1 to 200 characters when given",
        )),
        other => Ok(other),
    }
}

fn checked_probability(probability: Option<f64>) -> CoreResult<f64> {
    let probability = probability.unwrap_or(1.0);
    if probability > 0.0 && probability <= 1.0 {
        Ok(probability)
    } else {
        Err(CoreError::validation(
            "probability",
            "more than 0 and at most 1",
        ))
    }
}

fn checked_count(count: Option<u64>) -> CoreResult<Option<u64>> {
    match count {
        Some(0) => Err(CoreError::validation("count", "at least 1 when given")),
        other => Ok(other),
    }
}

fn checked_action(action: Action) -> CoreResult<Action> {
    let within = |field: &str, ms: u64, max: u64| {
        if (1..=max).contains(&ms) {
            Ok(())
        } else {
            Err(CoreError::validation(field, format!("1 to {max}")))
        }
    };
    match &action {
        Action::Latency { ms } | Action::Timeout { ms: Some(ms) } => {
            within("action.ms", *ms, MAX_HOLD_MS)?
        }
        Action::RateLimit {
            retry_after_ms: Some(ms),
        } => within("action.retryAfterMs", *ms, MAX_RETRY_AFTER_MS)?,
        Action::Error { status } if !ERROR_STATUSES.contains(status) => {
            return Err(CoreError::validation(
                "action.status",
                format!("one of {ERROR_STATUSES:?}"),
            ))
        }
        _ => {}
    }
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(account: Option<&str>) -> NewRule {
        NewRule {
            dialect: None,
            endpoint: None,
            account: account.map(str::to_owned),
            probability: None,
            count: None,
            action: Action::Drop {},
        }
    }

    #[test]
    fn is_empty_follows_add_remove_forget_and_clear() {
        let faults = Faults::default();
        assert!(faults.is_empty());
        let first = faults.add(rule(None), Utc::now()).unwrap();
        assert!(!faults.is_empty());
        assert!(faults.remove(&first.id));
        assert!(faults.is_empty());
        faults.add(rule(Some("acc")), Utc::now()).unwrap();
        assert!(!faults.is_empty());
        faults.forget_account("acc");
        assert!(faults.is_empty());
        faults.add(rule(None), Utc::now()).unwrap();
        faults.add(rule(Some("acc")), Utc::now()).unwrap();
        faults.forget_account("acc");
        assert!(!faults.is_empty());
        faults.clear();
        assert!(faults.is_empty());
    }
}
