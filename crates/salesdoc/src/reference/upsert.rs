//! SET of a reference kind: each record of the group found by its identifiers and
//! updated, or created when none matches; a record's failure is reported with its index
//! and never stops the others.

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::{Batch, Document, Expect, StoreError, Write};

use super::{body, find, Ids, Record, RefKind};
use crate::batch::{self, Outcome};
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::request::Ctx;
use crate::values::datetime;

/// *Inferred* item texts (the docs give none).
const NOT_OBJECT: &str = "The record must be a JSON object";
const NO_ID: &str = "One of CS_id, SD_id or code_1C is required";
const CHANGED: &str = "The record was changed by another request; send it again";
const NOT_FOUND: &str = "No record with these identifiers";

/// `set<Kind>`: the group `data.<key>` stored record by record.
pub async fn set(ctx: &Ctx, envelope: &Envelope, kind: &RefKind) -> SdResult<Response> {
    let records = batch::group(&envelope.data, kind.key)?;
    set_records(ctx, kind, records, kind.key).await
}

/// The records stored one by one (created when new), answered under `answer_key`: for
/// the methods whose group is not the kind's key, or whose `data` is the bare array.
pub async fn set_records(
    ctx: &Ctx,
    kind: &RefKind,
    records: &[Value],
    answer_key: &str,
) -> SdResult<Response> {
    let mut outcome = Outcome::default();
    for (index, record) in records.iter().enumerate() {
        let stored = store(ctx, kind, record, Create::Yes, |item, stored| {
            (kind.read)(item, stored)
        });
        settle(ctx, &mut outcome, index, record, stored.await)?;
    }
    Ok(outcome.answer(answer_key))
}

/// Files a record's result in the outcome: its identifiers, or its errors under its
/// index; a failure of the whole request is returned.
pub fn settle(
    ctx: &Ctx,
    outcome: &mut Outcome,
    index: usize,
    record: &Value,
    result: Result<Record, Refused>,
) -> SdResult<()> {
    match result {
        Ok(stored) => outcome.done(stored.ids(ctx)),
        Err(Refused::Item(errors)) => outcome.failed(index, record, errors),
        Err(Refused::Request(error)) => return Err(error),
    }
    Ok(())
}

/// Why a record was not stored: its own fault, or one that fails the whole request.
pub enum Refused {
    Item(Vec<String>),
    Request(SdError),
}

impl From<SdError> for Refused {
    fn from(error: SdError) -> Self {
        Refused::Request(error)
    }
}

/// Whether a record no identifier finds is created, or refused (the methods that only
/// update, as setClientPhone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    Yes,
    No,
}

/// Finds the record the item names and writes the fields `read` makes of the item over
/// it, or creates it. `read` is the kind's own, or one that brings what the item's
/// nested references resolved to.
pub async fn store(
    ctx: &Ctx,
    kind: &RefKind,
    record: &Value,
    create: Create,
    read: impl FnOnce(
        &Map<String, Value>,
        Option<&Map<String, Value>>,
    ) -> Result<Map<String, Value>, Vec<String>>,
) -> Result<Record, Refused> {
    let Some(item) = record.as_object() else {
        return Err(Refused::Item(vec![NOT_OBJECT.into()]));
    };
    let ids = Ids::of(item);
    if ids.is_empty() {
        return Err(Refused::Item(vec![NO_ID.into()]));
    }
    let existing = find(ctx, kind, &ids).await?;
    if existing.is_none() && create == Create::No {
        return Err(Refused::Item(vec![NOT_FOUND.into()]));
    }
    let fields = read(item, existing.as_ref().map(|r| &r.fields)).map_err(Refused::Item)?;
    let now = datetime(ctx.now);
    let (doc, expect) = match &existing {
        Some(found) => {
            let created = found.doc.body["created"]
                .as_str()
                .unwrap_or(&now)
                .to_owned();
            let n = found.doc.body["n"].as_i64().unwrap_or_default();
            // A code sent with another identifier links the record to 1C (or changes its
            // code); without one the stored code stays.
            let code = ids.code_1c.as_deref().or(found.code_1c.as_deref());
            let mut doc = Document::new(
                found.doc.key.clone(),
                body(n, ctx, code, &created, &now, fields),
            );
            doc.lookups = found.doc.lookups.clone();
            (doc, Expect::Version(found.doc.version))
        }
        None => {
            let n = ctx
                .core
                .store
                .next_sequence(&ctx.scope, kind.key)
                .await
                .map_err(SdError::from)?;
            let key = ctx.scope.key(kind.key, format!("d0_{n}"));
            let body = body(n, ctx, ids.code_1c.as_deref(), &now, &now, fields);
            (Document::new(key, body), Expect::Absent)
        }
    };
    let stored = Record::from_doc(doc.clone());
    match ctx
        .core
        .store
        .apply(Batch::new().write(Write::Put { doc, expect }))
        .await
    {
        Ok(_) => Ok(stored),
        Err(StoreError::Conflict(_) | StoreError::Duplicate { .. }) => {
            Err(Refused::Item(vec![CHANGED.into()]))
        }
        Err(other) => Err(Refused::Request(other.into())),
    }
}
