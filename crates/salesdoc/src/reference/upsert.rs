//! SET of a reference kind: each record of the group found by its identifiers and
//! updated, or created when none matches; a record's failure is reported with its index
//! and never stops the others.

use axum::response::Response;
use serde_json::Value;
use twin_store::{Batch, Document, Expect, StoreError, Write};

use super::link;
use super::rules::Rules;
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

/// `set<Kind>`: the group `data.<key>` stored record by record.
pub async fn set(ctx: &Ctx, envelope: &Envelope, kind: &RefKind) -> SdResult<Response> {
    set_by_rules(ctx, envelope, kind, &Rules::PLAIN).await
}

/// `set` of a kind with its own rules (numbering, links, ...).
pub async fn set_by_rules(
    ctx: &Ctx,
    envelope: &Envelope,
    kind: &RefKind,
    rules: &Rules,
) -> SdResult<Response> {
    let records = batch::group(&envelope.data, kind.key)?;
    Ok(store_group(ctx, kind, rules, records)
        .await?
        .answer(kind.key))
}

/// Stores a group's records one by one: the outcome of each.
pub async fn store_group(
    ctx: &Ctx,
    kind: &RefKind,
    rules: &Rules,
    records: &[Value],
) -> SdResult<Outcome> {
    let mut outcome = Outcome::default();
    for (index, record) in records.iter().enumerate() {
        match store_linked(ctx, kind, rules, record).await {
            Ok(stored) => outcome.done(stored.ids(ctx)),
            Err(Refused::Item(errors)) => outcome.failed(index, record, errors),
            Err(Refused::Request(error)) => return Err(error),
        }
    }
    Ok(outcome)
}

/// Resolves the item's links, then stores it.
async fn store_linked(
    ctx: &Ctx,
    kind: &RefKind,
    rules: &Rules,
    record: &Value,
) -> Result<Record, Refused> {
    match record.as_object() {
        Some(item) if !rules.links.is_empty() => {
            let resolved = link::resolve(ctx, rules.links, item).await?;
            store(ctx, kind, &Value::Object(resolved), rules).await
        }
        _ => store(ctx, kind, record, rules).await,
    }
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

/// Finds the record the item names and writes the item over it, or creates it.
pub async fn store(
    ctx: &Ctx,
    kind: &RefKind,
    record: &Value,
    rules: &Rules,
) -> Result<Record, Refused> {
    let Some(item) = record.as_object() else {
        return Err(Refused::Item(vec![NOT_OBJECT.into()]));
    };
    let ids = Ids::of(item);
    if ids.is_empty() && !rules.unnamed {
        return Err(Refused::Item(vec![NO_ID.into()]));
    }
    let existing = if ids.is_empty() {
        None
    } else {
        find(ctx, kind, &ids).await?
    };
    let fields = (kind.read)(item, existing.as_ref().map(|r| &r.fields)).map_err(Refused::Item)?;
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
            let key = ctx.scope.key(kind.key, (rules.numbering)(n));
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
