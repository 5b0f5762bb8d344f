//! Totals of list queries, remembered until the next write. A list page reads a hundred
//! rows, but its total (`meta.size`, `totalCount`) counts every match, a scan of JSON
//! bodies whenever the filter has no index; clients page through lists and poll them
//! far more often than they write. The database is this process's alone (one writer),
//! so a counter of committed writes tells when a remembered total may be stale.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use twin_store::sql::SqlArg;

/// Remembered totals at most; all are dropped when full.
const CAPACITY: usize = 4096;
/// Longer keys (a count over a computed set of thousands of ids) are not remembered: such
/// sets rarely repeat, and 4096 of them would hold gigabytes.
const MAX_KEY_BYTES: usize = 16 * 1024;

#[derive(Default)]
pub struct Counts {
    /// Bumped as every write that may change what a query counts begins and ends.
    writes: AtomicU64,
    /// Writes begun and not ended: meanwhile no total is remembered.
    writing: AtomicU64,
    totals: Mutex<HashMap<String, (u64, u64)>>,
}

impl Counts {
    /// The key of a count query and its arguments.
    pub fn key(sql: &str, args: &[SqlArg]) -> String {
        format!("{sql}\u{0}{args:?}")
    }

    /// The write generation to tag a count with: read before counting, so a write that
    /// commits meanwhile makes the count stale rather than wrongly current.
    pub fn generation(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &str) -> Option<u64> {
        let now = self.generation();
        let totals = self.totals.lock().unwrap_or_else(|p| p.into_inner());
        totals
            .get(key)
            .filter(|(_, generation)| *generation == now)
            .map(|(total, _)| *total)
    }

    pub fn put(&self, key: String, total: u64, generation: u64) {
        if key.len() > MAX_KEY_BYTES || self.writing.load(Ordering::Acquire) > 0 {
            return;
        }
        let mut totals = self.totals.lock().unwrap_or_else(|p| p.into_inner());
        if totals.len() >= CAPACITY {
            totals.clear();
        }
        totals.insert(key, (total, generation));
    }

    /// Before a write.
    pub fn begin_write(&self) {
        self.writing.fetch_add(1, Ordering::AcqRel);
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// After it (committed or not).
    pub fn end_write(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
        self.writing.fetch_sub(1, Ordering::AcqRel);
    }
}
