//! Documents read by key (and ids found by a unique lookup), remembered until a write
//! touches them. Every authenticated request reads the same handful of documents before
//! its own (the credential, the account, the seed marker, the employee, then folders and
//! price types while rendering), and each read is a hand-off to a connection's thread.
//! The database is this process's alone (one writer), so dropping what each write touches
//! as it begins and as it ends, and remembering nothing while it is under way, keeps the
//! remembered documents exact: no reader sees one document of a commit new and another
//! old. PostgreSQL, shared by replicas, has no such cache.

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
    /// Bumped as every write begins and ends: a read that began before may have seen the
    /// old row and is not remembered.
    generation: u64,
    /// Writes begun and not ended: meanwhile nothing read is remembered, since a reader
    /// may see a document before the commit and another one after it.
    writing: u32,
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
        if state.writing == 0 && state.generation == generation {
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
        if state.writing == 0 && state.generation == generation {
            if state.lookups.len() >= CAPACITY {
                state.lookups.clear();
            }
            state.lookups.insert(key, id);
        }
    }

    /// Before a write of these documents: they and the lookups of their kinds are read
    /// again, and nothing is remembered until it ends.
    pub fn begin_write<'a>(&self, keys: impl IntoIterator<Item = &'a DocKey>) {
        let mut state = self.lock();
        state.writing += 1;
        state.forget(keys);
    }

    /// After the write (committed or not), with the same keys.
    pub fn end_write<'a>(&self, keys: impl IntoIterator<Item = &'a DocKey>) {
        let mut state = self.lock();
        state.writing -= 1;
        state.forget(keys);
    }

    /// Before a write that may touch any document (a purge or an import).
    pub fn begin_write_all(&self) {
        let mut state = self.lock();
        state.writing += 1;
        state.forget_all();
    }

    /// After it.
    pub fn end_write_all(&self) {
        let mut state = self.lock();
        state.writing -= 1;
        state.forget_all();
    }
}

impl State {
    fn forget<'a>(&mut self, keys: impl IntoIterator<Item = &'a DocKey>) {
        self.generation += 1;
        let mut kinds = HashSet::new();
        for key in keys {
            self.documents.remove(key);
            kinds.insert((&key.scope, key.kind.as_str()));
        }
        if !kinds.is_empty() {
            self.lookups
                .retain(|(scope, kind, _, _), _| !kinds.contains(&(scope, kind.as_str())));
        }
    }

    fn forget_all(&mut self) {
        self.generation += 1;
        self.documents.clear();
        self.lookups.clear();
    }
}
