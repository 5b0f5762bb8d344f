use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An account's data, detached from the account: it can be imported into the same account
/// or another. Field and row order are fixed, so an export, import and export again give
/// the same bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub documents: Vec<SnapshotDocument>,
    pub sequences: Vec<SnapshotSequence>,
    pub history: Vec<SnapshotChange>,
}

/// Documents in `(dialect, kind)` order, then insertion order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotDocument {
    pub dialect: String,
    pub kind: String,
    pub id: String,
    pub version: i64,
    pub body: Value,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lookups: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotSequence {
    pub dialect: String,
    pub name: String,
    pub value: i64,
}

/// History in `(dialect, id)` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotChange {
    pub dialect: String,
    pub id: i64,
    pub kind: String,
    pub entity_id: String,
    pub action: String,
    pub at: DateTime<Utc>,
    pub data: Value,
}
