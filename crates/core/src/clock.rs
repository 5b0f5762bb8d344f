//! Time as Twin's services see it. A base clock (the system's, or a manual one in tests)
//! and, per account, a setting that freezes or shifts it, so one account's test can stop
//! time without touching the others.

use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told; for tests of time-driven services.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }
    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The years an account's clock may show: what four-digit date formats (RFC 3339, the
/// vendors' own) can write, well inside what date arithmetic holds.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Why a clock command was refused.
pub const CLOCK_RANGE: &str = "the account's time must stay within the years 1 to 9999";

/// An account's view of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum ClockSetting {
    /// The base clock as it is.
    #[default]
    Real,
    /// Stopped at `at`.
    Frozen { at: DateTime<Utc> },
    /// Running, `offset_ms` ahead of the base clock (behind when negative).
    Shifted { offset_ms: i64 },
}

/// What an admin asks of an account's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase", deny_unknown_fields)]
pub enum ClockCommand {
    /// Stop time, at `at` or at the account's current time.
    Freeze { at: Option<DateTime<Utc>> },
    /// Jump to `at`; a frozen clock stays frozen there, a running one runs on from it.
    Set { at: DateTime<Utc> },
    /// Move forward (or back, when negative) by `seconds`.
    Advance { seconds: i64 },
    /// Back to the base clock.
    Release,
}

impl ClockSetting {
    pub fn now(&self, base: &dyn Clock) -> DateTime<Utc> {
        match *self {
            Self::Real => base.now(),
            Self::Frozen { at } => at,
            Self::Shifted { offset_ms } => base.now() + Duration::milliseconds(offset_ms),
        }
    }

    /// The setting after `command`; `None` when it would take the account's time out of
    /// [`YEARS`].
    pub fn apply(&self, command: ClockCommand, base: &dyn Clock) -> Option<Self> {
        let within = |at: DateTime<Utc>| YEARS.contains(&at.year()).then_some(at);
        let shifted_to = |at: DateTime<Utc>| Self::Shifted {
            offset_ms: (at - base.now()).num_milliseconds(),
        };
        let moved_to = |at: DateTime<Utc>| match self {
            Self::Frozen { .. } => Self::Frozen { at },
            _ => shifted_to(at),
        };
        Some(match command {
            ClockCommand::Freeze { at } => Self::Frozen {
                at: within(at.unwrap_or_else(|| self.now(base)))?,
            },
            ClockCommand::Set { at } => moved_to(within(at)?),
            ClockCommand::Advance { seconds } => {
                let by = Duration::try_seconds(seconds)?;
                moved_to(within(self.now(base).checked_add_signed(by)?)?)
            }
            ClockCommand::Release => Self::Real,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a test time")
    }

    #[test]
    fn commands_keep_the_time_within_four_digit_years() {
        let base = ManualClock::new(at("2025-01-31T09:30:00Z"));
        let real = ClockSetting::Real;
        let advance = |seconds| ClockCommand::Advance { seconds };
        assert_eq!(
            real.apply(advance(3600), &base),
            Some(ClockSetting::Shifted {
                offset_ms: 3_600_000
            })
        );
        for seconds in [i64::MAX, i64::MIN, 300_000_000_000_000] {
            assert_eq!(real.apply(advance(seconds), &base), None, "{seconds}");
        }
        let last = ClockSetting::Frozen {
            at: at("9999-12-31T23:59:59Z"),
        };
        assert_eq!(last.apply(advance(1), &base), None);
        assert_eq!(
            last.apply(advance(-1), &base),
            Some(ClockSetting::Frozen {
                at: at("9999-12-31T23:59:58Z")
            })
        );
        let set = |text| ClockCommand::Set { at: at(text) };
        assert_eq!(real.apply(set("+10000-01-01T00:00:00Z"), &base), None);
        assert!(real.apply(set("0001-01-01T00:00:00Z"), &base).is_some());
        let freeze = ClockCommand::Freeze {
            at: Some(at("-0001-06-01T00:00:00Z")),
        };
        assert_eq!(real.apply(freeze, &base), None);
    }
}
