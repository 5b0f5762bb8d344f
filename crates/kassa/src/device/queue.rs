//! The device queue: one marker per operation waiting for its cash register, kept outside
//! every account so that the workers of all replicas find the work of all accounts in one
//! list. A marker is written with the operation (create, retry) and removed in the same
//! transaction that settles it.

use serde_json::json;
use twin_core::SYSTEM_ACCOUNT;
use twin_store::{Document, Expect, ListQuery, PageRequest, Scope, Store, Write};

use crate::error::KassaResult;
use crate::DIALECT;

const KIND: &str = "device_queue";

/// How many waiting operations one pass of a worker looks at.
const BATCH: u32 = 200;

fn scope() -> Scope {
    Scope::new(SYSTEM_ACCOUNT, DIALECT)
}

/// The marker of a new or retried operation of `account` on `cashbox`.
pub fn enqueue(account: &str, operation: &str, cashbox: &str) -> Write {
    let body = json!({ "account": account, "operation": operation, "cashbox": cashbox });
    Write::Put {
        doc: Document::new(scope().key(KIND, operation), body),
        expect: Expect::Absent,
    }
}

/// Removes the marker of a settled operation.
pub fn dequeue(marker: &Document) -> Write {
    Write::Delete {
        key: marker.key.clone(),
        expect: Expect::Any,
    }
}

/// The waiting operations, oldest first.
pub async fn waiting(store: &dyn Store) -> KassaResult<Vec<Document>> {
    let query = ListQuery::new(scope(), KIND).page(PageRequest::Offset {
        offset: 0,
        limit: BATCH,
    });
    let mut query = query;
    query.count_total = false;
    Ok(store
        .list(&query)
        .await
        .map_err(twin_core::CoreError::from)?
        .items)
}
