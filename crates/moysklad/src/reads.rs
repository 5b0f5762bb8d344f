//! Reads remembered while a page of rows renders or a batch of elements is written: rows
//! of a page share folders, price types, owners and expanded references, elements of a
//! mass create share settings, attribute definitions and webhook subscriptions, and each
//! is read once instead of once per row. The engine's writes forget what they change
//! ([`Ctx::forget`]); the memo is off (and empty) outside the scopes that turn it on,
//! where a handler may write around the engine and read the result back.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use twin_store::{Document, Filter, ListQuery};

use crate::engine;
use crate::error::MsResult;
use crate::model::Ctx;

#[derive(Default)]
pub struct Reads {
    memo: Arc<Mutex<Option<Memo>>>,
}

#[derive(Default)]
struct Memo {
    documents: HashMap<(String, String), Option<Document>>,
    /// Query results by `(kind, what the caller says the query is)`.
    lists: HashMap<(String, String), Vec<Document>>,
    /// Unique values taken by writes still in progress: `(name, value)` → the claiming
    /// entity's id (`None` for one not created yet).
    claims: HashMap<(String, String), Option<String>>,
    /// How many documents of a kind refer to an id by a field: `(kind, field, id)`.
    referrers: HashMap<(String, String, String), u64>,
    /// Unique values whose holders in the store are known: the taken ones are claimed
    /// for their holders, the others are free (see [`Ctx::checked`]).
    checked: HashSet<(String, String)>,
    /// Counter values reserved for this scope and not handed out yet, by counter.
    numbers: HashMap<String, Range<i64>>,
    /// Elements of the scope not checked yet: how many counter values to reserve at once.
    elements_left: u32,
}

/// A counter value from [`Ctx::next_number`].
pub struct Number {
    pub value: i64,
    /// When this value opened a newly reserved block: the whole block (this value
    /// first), for the caller to check all its values in one query.
    pub opened: Option<Range<i64>>,
}

/// While it lives, reads through [`Ctx::find`], [`Ctx::list_remembered`] and
/// [`Ctx::count_referring`] are remembered. Scopes nest: the outermost one ends it.
pub struct Remembering(Option<Reads>);

impl Drop for Remembering {
    fn drop(&mut self) {
        if let Some(reads) = &self.0 {
            *reads.lock() = None;
        }
    }
}

impl Reads {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Memo>> {
        self.memo
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Ctx {
    /// Turns the memo on until the returned scope ends.
    pub fn remembering(&self) -> Remembering {
        let mut memo = self.reads.lock();
        if memo.is_some() {
            return Remembering(None);
        }
        *memo = Some(Memo::default());
        Remembering(Some(Reads {
            memo: Arc::clone(&self.reads.memo),
        }))
    }

    /// Forgets what is remembered of `kind`: the engine wrote the document `id`.
    pub fn forget(&self, kind: &str, id: &str) {
        if let Some(memo) = self.reads.lock().as_mut() {
            memo.documents.remove(&(kind.to_owned(), id.to_owned()));
            memo.lists.retain(|(of, _), _| of != kind);
            memo.referrers.retain(|(of, _, _), _| of != kind);
            // What the entity held may have changed: its values are checked again.
            let held: Vec<_> = memo
                .claims
                .iter()
                .filter(|(_, holder)| holder.as_deref() == Some(id))
                .map(|(key, _)| key.clone())
                .collect();
            for key in held {
                memo.claims.remove(&key);
                memo.checked.remove(&key);
            }
        }
    }

    /// Claims a unique value (a good's `code`) for `owner` (`None`: an entity still to be
    /// created) among the writes of this scope, whose creates are stored together at its
    /// end and so cannot see each other in the store: false when another entity claimed it.
    /// Without the memo every claim holds.
    pub fn claim(&self, name: &str, value: &str, owner: Option<&str>) -> bool {
        let mut memo = self.reads.lock();
        let Some(memo) = memo.as_mut() else {
            return true;
        };
        let key = (name.to_owned(), value.to_owned());
        match memo.claims.get(&key) {
            Some(holder) => holder.is_some() && holder.as_deref() == owner,
            None => {
                memo.claims.insert(key, owner.map(str::to_owned));
                true
            }
        }
    }

    /// Tells the memo how many elements of the scope are still to be checked, this one
    /// included: counter values are reserved for all of them at once.
    pub fn elements_left(&self, count: usize) {
        if let Some(memo) = self.reads.lock().as_mut() {
            memo.elements_left = u32::try_from(count).unwrap_or(u32::MAX);
        }
    }

    /// The next value of the per-account counter `name`. Inside a scope, values are
    /// reserved for the elements left in one round trip; those an element does not take
    /// (it gave its own code) are skipped, as a failed write's value is.
    pub async fn next_number(&self, name: &str) -> MsResult<Number> {
        let block = match self.reads.lock().as_mut() {
            Some(memo) => {
                if let Some(range) = memo.numbers.get_mut(name).filter(|r| !r.is_empty()) {
                    let value = range.start;
                    range.start += 1;
                    return Ok(Number {
                        value,
                        opened: None,
                    });
                }
                memo.elements_left.max(1)
            }
            None => 1,
        };
        let first = self
            .core
            .store
            .reserve_sequence(&self.scope, name, block)
            .await
            .map_err(twin_core::CoreError::from)?;
        let reserved = first..first + i64::from(block);
        if let Some(memo) = self.reads.lock().as_mut() {
            memo.numbers
                .insert(name.to_owned(), first + 1..reserved.end);
        }
        Ok(Number {
            value: first,
            opened: Some(reserved),
        })
    }

    /// Remembers that the store's holders of these values of the unique key `name` are
    /// known: `taken` maps each held value to its holder, which claims it.
    pub fn mark_checked<'a>(
        &self,
        name: &str,
        values: impl IntoIterator<Item = &'a str>,
        taken: &HashMap<String, String>,
    ) {
        let mut memo = self.reads.lock();
        let Some(memo) = memo.as_mut() else {
            return;
        };
        for value in values {
            let key = (name.to_owned(), value.to_owned());
            if let Some(holder) = taken.get(value) {
                memo.claims
                    .entry(key.clone())
                    .or_insert(Some(holder.clone()));
            }
            memo.checked.insert(key);
        }
    }

    /// Whether the store's holder of this unique value is known (see
    /// [`Ctx::mark_checked`]); then [`Ctx::claim`] alone tells whether it is free.
    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.reads
            .lock()
            .as_ref()
            .is_some_and(|m| m.checked.contains(&(name.to_owned(), value.to_owned())))
    }

    /// The query's documents (of `kind`), remembered under `key` while the memo is on.
    pub async fn list_remembered(
        &self,
        kind: &str,
        key: &str,
        query: &ListQuery,
    ) -> MsResult<Vec<Document>> {
        let memo_key = (kind.to_owned(), key.to_owned());
        if let Some(known) = self
            .reads
            .lock()
            .as_ref()
            .and_then(|m| m.lists.get(&memo_key))
        {
            return Ok(known.clone());
        }
        let found = self.core.entities.list(query).await?.items;
        if let Some(memo) = self.reads.lock().as_mut() {
            memo.lists.insert(memo_key, found.clone());
        }
        Ok(found)
    }

    /// The stored document, remembered while a page renders.
    pub async fn find(&self, kind: &str, id: &str) -> MsResult<Option<Document>> {
        let key = (kind.to_owned(), id.to_owned());
        if let Some(known) = self
            .reads
            .lock()
            .as_ref()
            .and_then(|m| m.documents.get(&key))
        {
            return Ok(known.clone());
        }
        let found = self.core.entities.find(&self.scope, kind, id).await?;
        if let Some(memo) = self.reads.lock().as_mut() {
            memo.documents.insert(key, found.clone());
        }
        Ok(found)
    }

    /// Reads the `kind` documents among `ids` that are not remembered yet, in one query,
    /// and remembers them (and the missing ones as missing); nothing when the memo is off.
    pub async fn prefetch(&self, kind: &str, ids: Vec<String>) -> MsResult<Vec<Document>> {
        let unknown: Vec<String> = match self.reads.lock().as_ref() {
            None => return Ok(Vec::new()),
            Some(memo) => ids
                .into_iter()
                .filter(|id| !memo.documents.contains_key(&(kind.to_owned(), id.clone())))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
        };
        if unknown.is_empty() {
            return Ok(Vec::new());
        }
        let query = ListQuery::new(self.scope.clone(), kind).filter(Filter::IdIn(unknown.clone()));
        let found = engine::all(self, query).await?;
        if let Some(memo) = self.reads.lock().as_mut() {
            for id in unknown {
                memo.documents.insert((kind.to_owned(), id), None);
            }
            for doc in &found {
                memo.documents
                    .insert((kind.to_owned(), doc.key.id.clone()), Some(doc.clone()));
            }
        }
        Ok(found)
    }

    /// How many `kind` documents refer to `id` by `field` (`product` for a variant's
    /// product); answered from [`Ctx::count_referring_all`] when the page asked it.
    pub async fn count_referring(&self, kind: &str, field: &str, id: &str) -> MsResult<u64> {
        let key = (kind.to_owned(), field.to_owned(), id.to_owned());
        if let Some(count) = self
            .reads
            .lock()
            .as_ref()
            .and_then(|m| m.referrers.get(&key))
        {
            return Ok(*count);
        }
        let query = ListQuery::new(self.scope.clone(), kind)
            .filter(Filter::eq(&format!("{field}.id"), id))
            .page(twin_store::PageRequest::Offset {
                offset: 0,
                limit: 0,
            });
        Ok(self
            .core
            .entities
            .list(&query)
            .await?
            .total
            .unwrap_or_default())
    }

    /// Counts the referrers of every id at once, for the page's rows to find; nothing
    /// when the memo is off.
    pub async fn count_referring_all(
        &self,
        kind: &str,
        field: &str,
        ids: &[String],
    ) -> MsResult<()> {
        if self.reads.lock().is_none() || ids.is_empty() {
            return Ok(());
        }
        let path = format!("{field}.id");
        let query = ListQuery::new(self.scope.clone(), kind).filter(Filter::In {
            path: Filter::path(&path),
            values: ids.iter().map(|id| id.as_str().into()).collect(),
        });
        let mut counts: HashMap<&str, u64> = ids.iter().map(|id| (id.as_str(), 0)).collect();
        let referrers = engine::all(self, query).await?;
        for doc in &referrers {
            let target = doc.body[field]["id"].as_str().unwrap_or_default();
            if let Some(count) = counts.get_mut(target) {
                *count += 1;
            }
        }
        if let Some(memo) = self.reads.lock().as_mut() {
            for (id, count) in counts {
                memo.referrers
                    .insert((kind.to_owned(), field.to_owned(), id.to_owned()), count);
            }
        }
        Ok(())
    }
}
