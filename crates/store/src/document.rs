use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Whose data and which vendor's: one account keeps each dialect's data apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Scope {
    pub account: String,
    pub dialect: String,
}

impl Scope {
    pub fn new(account: impl Into<String>, dialect: impl Into<String>) -> Self {
        Self {
            account: account.into(),
            dialect: dialect.into(),
        }
    }

    pub fn key(&self, kind: impl Into<String>, id: impl Into<String>) -> DocKey {
        DocKey {
            scope: self.clone(),
            kind: kind.into(),
            id: id.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocKey {
    #[serde(flatten)]
    pub scope: Scope,
    pub kind: String,
    pub id: String,
}

impl fmt::Display for DocKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{}",
            self.scope.account, self.scope.dialect, self.kind, self.id
        )
    }
}

/// A stored JSON document. `version` starts at 1 and grows by one on every put.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    #[serde(flatten)]
    pub key: DocKey,
    pub version: i64,
    pub body: Value,
    /// Unique secondary keys within `(account, dialect, kind)`, e.g. `externalId`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lookups: BTreeMap<String, String>,
}

impl Document {
    pub fn new(key: DocKey, body: Value) -> Self {
        Self {
            key,
            version: 0,
            body,
            lookups: BTreeMap::new(),
        }
    }

    pub fn with_lookup(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.lookups.insert(name.into(), value.into());
        self
    }
}

/// The precondition a write checks against the stored version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Whatever is there (or nothing).
    Any,
    /// Nothing may be stored under the key yet.
    Absent,
    /// The stored version must be exactly this one.
    Version(i64),
}

#[derive(Debug, Clone)]
pub enum Write {
    /// Stores `doc` (its `version` is ignored and assigned by the store).
    Put {
        doc: Document,
        expect: Expect,
    },
    Delete {
        key: DocKey,
        expect: Expect,
    },
}

impl Write {
    /// The document this write stores or deletes.
    pub fn key(&self) -> &DocKey {
        match self {
            Write::Put { doc, .. } => &doc.key,
            Write::Delete { key, .. } => key,
        }
    }
}
