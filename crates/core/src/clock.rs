//! Time as Twin's services see it. A base clock (the system's, or a manual one in tests)
//! and, per account, a setting that freezes or shifts it, so one account's test can stop
//! time without touching the others.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
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

    pub fn apply(&self, command: ClockCommand, base: &dyn Clock) -> Self {
        let shifted_to = |at: DateTime<Utc>| Self::Shifted {
            offset_ms: (at - base.now()).num_milliseconds(),
        };
        match command {
            ClockCommand::Freeze { at } => Self::Frozen {
                at: at.unwrap_or_else(|| self.now(base)),
            },
            ClockCommand::Set { at } => match self {
                Self::Frozen { .. } => Self::Frozen { at },
                _ => shifted_to(at),
            },
            ClockCommand::Advance { seconds } => {
                let at = self.now(base) + Duration::seconds(seconds);
                match self {
                    Self::Frozen { .. } => Self::Frozen { at },
                    _ => shifted_to(at),
                }
            }
            ClockCommand::Release => Self::Real,
        }
    }
}
