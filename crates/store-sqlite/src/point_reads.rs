//! Documents read by key (and ids found by a unique lookup), remembered until a write
//! touches them. Every authenticated request reads the same handful of documents before
//! its own (the credential, the account, the seed marker, the employee, then folders and
//! price types while rendering), and each read is a hand-off to a connection's thread.
//! The database is this process's alone (one writer), so dropping what each commit wrote
//! keeps the remembered documents exact; PostgreSQL, shared by replicas, has no such cache.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use twin_store::{DocKey, Document, Scope};

/// Remembered documents (and lookups) at most; all are dropped when full.
const CAPACITY: usize = 4096;

/// `(scope, kind, lookup name, value)`.
type LookupKey = (Scope, String, String, String);

#[derive(Default)]
pub struct PointReads {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Bumped by every write: a read that began before it may have seen the old row and
    /// is not remembered.
    generation: u64,
    documents: HashMap<DocKey, Option<Document>>,
    lookups: HashMap<LookupKey, Option<String>>,
}

impl PointReads {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to tag a read with, taken before reading.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// The remembered document at `key`: `Some(None)` when it is known to be absent.
    pub fn document(&self, key: &DocKey) -> Option<Option<Document>> {
        self.lock().documents.get(key).cloned()
    }

    pub fn remember_document(&self, key: &DocKey, doc: &Option<Document>, generation: u64) {
        let mut state = self.lock();
        if state.generation == generation {
            if state.documents.len() >= CAPACITY {
                state.documents.clear();
            }
            state.documents.insert(key.clone(), doc.clone());
        }
    }

    /// The id a lookup resolved to: `Some(None)` when it is known to match nothing.
    pub fn lookup(
        &self,
        scope: &Scope,
        kind: &str,
        name: &str,
        value: &str,
    ) -> Option<Option<String>> {
        let key = (
            scope.clone(),
            kind.to_owned(),
            name.to_owned(),
            value.to_owned(),
        );
        self.lock().lookups.get(&key).cloned()
    }

    pub fn remember_lookup(&self, key: LookupKey, id: Option<String>, generation: u64) {
        let mut state = self.lock();
        if state.generation == generation {
            if state.lookups.len() >= CAPACITY {
                state.lookups.clear();
            }
            state.lookups.insert(key, id);
        }
    }

    /// After a write of these documents (committed or not): they and the lookups of their
    /// kinds are read again.
    pub fn written<'a>(&self, keys: impl IntoIterator<Item = &'a DocKey>) {
        let mut state = self.lock();
        state.generation += 1;
        let mut kinds = HashSet::new();
        for key in keys {
            state.documents.remove(key);
            kinds.insert((&key.scope, key.kind.as_str()));
        }
        if !kinds.is_empty() {
            state
                .lookups
                .retain(|(scope, kind, _, _), _| !kinds.contains(&(scope, kind.as_str())));
        }
    }

    /// After a write that may touch any document (a purge or an import).
    pub fn forget_all(&self) {
        let mut state = self.lock();
        state.generation += 1;
        state.documents.clear();
        state.lookups.clear();
    }
}
