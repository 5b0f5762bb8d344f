use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A webhook to send: queued in the same transaction as the change that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub account: String,
    pub dialect: String,
    pub event: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
    pub due_at: DateTime<Utc>,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One try at sending a delivery, as the worker saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub http_status: Option<u16>,
    pub latency_ms: u64,
    pub succeeded: bool,
    /// The start of the receiver's answer, for inspection.
    pub response_excerpt: Option<String>,
    /// Why no answer came (timeout, refused connection).
    pub error: Option<String>,
    /// When to try again; `None` after a success or the last allowed failure.
    pub retry_at: Option<DateTime<Utc>>,
}

impl Attempt {
    /// The state a delivery is in after this attempt.
    pub fn outcome(&self) -> DeliveryStatus {
        if self.succeeded {
            DeliveryStatus::Delivered
        } else if self.retry_at.is_some() {
            DeliveryStatus::Pending
        } else {
            DeliveryStatus::Failed
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub account: String,
    pub dialect: String,
    pub event: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
    pub status: DeliveryStatus,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub max_attempts: u32,
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery {
    pub account: Option<String>,
    pub dialect: Option<String>,
    pub status: Option<DeliveryStatus>,
    pub event: Option<String>,
    /// Only deliveries created at or after this instant.
    pub created_from: Option<DateTime<Utc>>,
    pub offset: u64,
    pub limit: u32,
}
