//! Entity CRUD with optimistic versions and change history, the pattern every dialect's
//! resources follow: each write commits the document and its history entry together.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use twin_store::{
    Applied, Batch, Document, Expect, HistoryQuery, ListQuery, NewChange, NewDelivery, Page, Scope,
    Store, StoreError, Write,
};

use crate::{CoreError, CoreResult};

#[derive(Clone)]
pub struct Entities {
    store: Arc<dyn Store>,
}

/// One entity write with what it should cause besides: webhooks to queue with it.
#[derive(Debug, Clone)]
pub struct EntityWrite {
    pub doc: Document,
    pub at: DateTime<Utc>,
    pub deliveries: Vec<NewDelivery>,
}

impl EntityWrite {
    pub fn new(doc: Document, at: DateTime<Utc>) -> Self {
        Self {
            doc,
            at,
            deliveries: Vec::new(),
        }
    }
}

fn not_found(kind: &str, id: &str) -> CoreError {
    CoreError::NotFound(format!("{kind} {id}"))
}

/// Maps a store conflict on an entity write to what a client understands.
fn write_error(error: StoreError) -> CoreError {
    match error {
        StoreError::Duplicate { name, value, .. } => {
            CoreError::Conflict(format!("{name} {value:?} is already taken"))
        }
        other => other.into(),
    }
}

impl Entities {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    pub async fn find(&self, scope: &Scope, kind: &str, id: &str) -> CoreResult<Option<Document>> {
        Ok(self.store.get(&scope.key(kind, id)).await?)
    }

    pub async fn get(&self, scope: &Scope, kind: &str, id: &str) -> CoreResult<Document> {
        self.find(scope, kind, id)
            .await?
            .ok_or_else(|| not_found(kind, id))
    }

    pub async fn find_by(
        &self,
        scope: &Scope,
        kind: &str,
        lookup: &str,
        value: &str,
    ) -> CoreResult<Option<Document>> {
        Ok(self
            .store
            .find_by_lookup(scope, kind, lookup, value)
            .await?)
    }

    pub async fn list(&self, query: &ListQuery) -> CoreResult<Page<Document>> {
        Ok(self.store.list(query).await?)
    }

    /// Creates the document; fails with `Conflict` when its id or a lookup is taken.
    pub async fn create(&self, write: EntityWrite) -> CoreResult<Document> {
        self.put_many(vec![(write, None)])
            .await?
            .pop()
            .ok_or_else(|| CoreError::Internal("store returned no document".into()))
    }

    /// Creates the documents in one transaction (a mass create): all of them with their
    /// history and webhooks, or none when one id or lookup is taken.
    pub async fn create_many(&self, writes: Vec<EntityWrite>) -> CoreResult<Vec<Document>> {
        self.put_many(writes.into_iter().map(|write| (write, None)).collect())
            .await
    }

    /// Creates or replaces documents in one transaction, all or none: each write with
    /// the document it replaces as read (`None`: a create), whose version it expects and
    /// from which its history entry records the changed fields.
    pub async fn put_many(
        &self,
        puts: Vec<(EntityWrite, Option<Document>)>,
    ) -> CoreResult<Vec<Document>> {
        let mut batch = Batch::new();
        for (write, before) in puts {
            let (expect, change) = match before {
                None => (Expect::Absent, created(&write.doc, write.at)),
                Some(old) => (
                    Expect::Version(old.version),
                    updated(&old, &write.doc, write.at),
                ),
            };
            batch.writes.push(Write::Put {
                doc: write.doc,
                expect,
            });
            batch.changes.push(change);
            batch.deliveries.extend(write.deliveries);
        }
        let applied = self.store.apply(batch).await.map_err(write_error)?;
        Ok(applied.documents.into_iter().flatten().collect())
    }

    /// Replaces the document stored at `write.doc.version`; a concurrent change in between
    /// is a `Conflict`. The history entry records the fields that changed.
    pub async fn update(&self, write: EntityWrite) -> CoreResult<Document> {
        let key = &write.doc.key;
        let old = self
            .store
            .get(key)
            .await?
            .ok_or_else(|| not_found(&key.kind, &key.id))?;
        let expect = Expect::Version(write.doc.version);
        let change = updated(&old, &write.doc, write.at);
        self.commit(write, expect, change).await
    }

    pub async fn delete(
        &self,
        scope: &Scope,
        kind: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<Document> {
        self.delete_with(scope, kind, id, at, Vec::new()).await
    }

    /// `delete`, queueing the webhooks it causes in the same transaction.
    pub async fn delete_with(
        &self,
        scope: &Scope,
        kind: &str,
        id: &str,
        at: DateTime<Utc>,
        deliveries: Vec<NewDelivery>,
    ) -> CoreResult<Document> {
        let old = self.get(scope, kind, id).await?;
        let change = deleted(&old, at);
        let write = Write::Delete {
            key: old.key.clone(),
            expect: Expect::Version(old.version),
        };
        let mut batch = Batch::new().write(write).change(change);
        batch.deliveries = deliveries;
        self.store.apply(batch).await.map_err(write_error)?;
        Ok(old)
    }

    /// Applies writes a dialect built itself, each with the history entry the methods
    /// above record: a put of a new document a `create`, a put over a stored one an
    /// `update` with the changed fields, a delete a `delete`. The documents the puts
    /// replace and the deletes remove come from `read` (what the caller read before
    /// building the writes) when a write expects exactly the version read there, and
    /// are read from the store first otherwise. Writes of the `unrecorded` kinds (say,
    /// ledger lines derived from a document whose own history tells the change) record
    /// nothing. Store errors come back as they are, for the caller to map.
    pub async fn apply_recorded(
        &self,
        mut batch: Batch,
        read: &[Document],
        at: DateTime<Utc>,
        unrecorded: &[&str],
    ) -> Result<Applied, StoreError> {
        for write in &batch.writes {
            if unrecorded.contains(&write.key().kind.as_str()) {
                continue;
            }
            let before = match write {
                Write::Put {
                    expect: Expect::Absent,
                    ..
                } => None,
                other => match handed_in(read, other) {
                    Some(doc) => Some(doc.clone()),
                    None => self.store.get(other.key()).await?,
                },
            };
            let change = match (write, before) {
                (Write::Put { doc, .. }, None) => created(doc, at),
                (Write::Put { doc, .. }, Some(old)) => updated(&old, doc, at),
                (Write::Delete { .. }, Some(old)) => deleted(&old, at),
                (Write::Delete { .. }, None) => continue,
            };
            batch.changes.push(change);
        }
        self.store.apply(batch).await
    }

    pub async fn history(&self, query: &HistoryQuery) -> CoreResult<Page<twin_store::Change>> {
        Ok(self.store.history(query).await?)
    }

    async fn commit(
        &self,
        write: EntityWrite,
        expect: Expect,
        change: NewChange,
    ) -> CoreResult<Document> {
        let mut batch = Batch::new()
            .write(Write::Put {
                doc: write.doc,
                expect,
            })
            .change(change);
        batch.deliveries = write.deliveries;
        let applied = self.store.apply(batch).await.map_err(write_error)?;
        applied
            .documents
            .into_iter()
            .next()
            .flatten()
            .ok_or_else(|| CoreError::Internal("store returned no document".into()))
    }
}

/// The document `write` replaces or removes among those its caller read: one under its
/// key at the very version it expects (a write that commits finds just that one stored).
fn handed_in<'a>(read: &'a [Document], write: &Write) -> Option<&'a Document> {
    let (Write::Put {
        expect: Expect::Version(version),
        ..
    }
    | Write::Delete {
        expect: Expect::Version(version),
        ..
    }) = write
    else {
        return None;
    };
    read.iter()
        .find(|doc| doc.key == *write.key() && doc.version == *version)
}

fn created(doc: &Document, at: DateTime<Utc>) -> NewChange {
    change(doc, "create", json!({ "after": doc.body }), at)
}

fn updated(old: &Document, new: &Document, at: DateTime<Utc>) -> NewChange {
    change(
        new,
        "update",
        json!({ "diff": diff(&old.body, &new.body) }),
        at,
    )
}

fn deleted(old: &Document, at: DateTime<Utc>) -> NewChange {
    change(old, "delete", json!({ "before": old.body }), at)
}

fn change(doc: &Document, action: &str, data: Value, at: DateTime<Utc>) -> NewChange {
    NewChange {
        scope: doc.key.scope.clone(),
        kind: doc.key.kind.clone(),
        entity_id: doc.key.id.clone(),
        action: action.to_owned(),
        at,
        data,
    }
}

/// The top-level fields whose values differ: `{field: {"old": .., "new": ..}}`, with
/// `null` standing for a missing field.
pub fn diff(old: &Value, new: &Value) -> Value {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let fields: BTreeMap<&String, ()> = old.keys().chain(new.keys()).map(|k| (k, ())).collect();
    let mut changed = Map::new();
    for field in fields.keys() {
        let before = old.get(*field).unwrap_or(&Value::Null);
        let after = new.get(*field).unwrap_or(&Value::Null);
        if before != after {
            changed.insert((*field).clone(), json!({ "old": before, "new": after }));
        }
    }
    Value::Object(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_at(version: i64) -> Document {
        let mut doc = Document::new(Scope::new("a", "d").key("k", "1"), json!({}));
        doc.version = version;
        doc
    }

    #[test]
    fn a_handed_in_document_serves_only_the_version_the_write_expects() {
        let read = [read_at(3)];
        let key = read[0].key.clone();
        let put = |expect| Write::Put {
            doc: Document::new(key.clone(), json!({})),
            expect,
        };
        assert!(handed_in(&read, &put(Expect::Version(3))).is_some());
        assert!(handed_in(&read, &put(Expect::Version(4))).is_none());
        assert!(handed_in(&read, &put(Expect::Any)).is_none());
        let delete = Write::Delete {
            key: key.clone(),
            expect: Expect::Version(3),
        };
        assert!(handed_in(&read, &delete).is_some());
        let other = Write::Delete {
            key: Scope::new("a", "d").key("k", "2"),
            expect: Expect::Version(3),
        };
        assert!(handed_in(&read, &other).is_none());
    }
}
