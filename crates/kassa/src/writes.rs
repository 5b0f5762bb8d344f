//! Several documents changed in one store transaction, each with its history entry and
//! an optimistic version check: an operation, its cash register and the device queue
//! move together, with the webhooks the change causes, or not at all.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use twin_core::entities::diff;
use twin_core::CoreResult;
use twin_store::{Applied, Batch, Document, Expect, NewChange, NewDelivery, Store, Write};

pub struct Changes {
    batch: Batch,
    at: DateTime<Utc>,
}

impl Changes {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            batch: Batch::new(),
            at,
        }
    }

    fn history(&mut self, doc: &Document, action: &str, data: Value) {
        self.batch.changes.push(NewChange {
            scope: doc.key.scope.clone(),
            kind: doc.key.kind.clone(),
            entity_id: doc.key.id.clone(),
            action: action.to_owned(),
            at: self.at,
            data,
        });
    }

    /// A new document; fails if the key is taken.
    pub fn create(mut self, doc: Document) -> Self {
        self.history(&doc, "create", json!({ "after": doc.body }));
        self.batch.writes.push(Write::Put {
            doc,
            expect: Expect::Absent,
        });
        self
    }

    /// `before` (as read) gets `body`; fails if it changed since it was read.
    pub fn update(mut self, before: &Document, body: Value) -> Self {
        self.history(
            before,
            "update",
            json!({ "diff": diff(&before.body, &body) }),
        );
        let mut doc = before.clone();
        doc.body = body;
        self.batch.writes.push(Write::Put {
            doc,
            expect: Expect::Version(before.version),
        });
        self
    }

    /// Twin's own bookkeeping, kept without history (the device queue).
    pub fn raw(mut self, write: Write) -> Self {
        self.batch.writes.push(write);
        self
    }

    pub fn deliveries(mut self, deliveries: Vec<NewDelivery>) -> Self {
        self.batch.deliveries.extend(deliveries);
        self
    }

    /// Commits it all; a concurrent change of any document is a `Conflict`.
    pub async fn apply(self, store: &dyn Store) -> CoreResult<Applied> {
        Ok(store.apply(self.batch).await?)
    }
}
