use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Scope;

/// One entry of the change history. Ids grow by one per `(account, dialect)`, in commit
/// order, so `since_id` polling (RetailCRM's history) never skips an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: i64,
    #[serde(flatten)]
    pub scope: Scope,
    pub kind: String,
    pub entity_id: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub data: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewChange {
    pub scope: Scope,
    pub kind: String,
    pub entity_id: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub data: Value,
}

#[derive(Debug, Clone)]
pub struct HistoryQuery {
    pub scope: Scope,
    pub kind: Option<String>,
    pub entity_id: Option<String>,
    /// Only changes with a greater id.
    pub since_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub offset: u64,
    pub limit: u32,
}

impl HistoryQuery {
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            kind: None,
            entity_id: None,
            since_id: None,
            from: None,
            to: None,
            offset: 0,
            limit: 100,
        }
    }
}
