//! SET of a reference kind: each record of the group found by its identifiers and
//! updated, or created when none matches; a record's failure is reported with its index
//! and never stops the others.
//!
//! Every kind stores its records through [`StoreRecord`]. The plain and ruled kinds use
//! [`Ruled`]: identify the record (as the kind's [`Rules`] allow), resolve the item's
//! links, read the fields, save (numbered as the rules say). Kinds with more to do per
//! record (agents create a user, visits are found by agent, client and day) implement
//! [`StoreRecord`] themselves and reuse [`identify`], [`Target`], [`allocate`] and
//! [`save`].

use axum::response::Response;
use serde_json::{Map, Value};
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
pub const NOT_OBJECT: &str = "The record must be a JSON object";
const NO_ID: &str = "One of CS_id, SD_id or code_1C is required";
const CHANGED: &str = "The record was changed by another request; send it again";

/// How one kind stores one record of its SET group.
pub trait StoreRecord {
    /// The stored record, or why it was not stored.
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused>;
}

/// A kind stored under its rules.
pub struct Ruled<'a> {
    pub kind: &'a RefKind,
    pub rules: &'a Rules,
}

impl StoreRecord for Ruled<'_> {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, self.kind, self.rules, record).await?;
        let item = link::resolve(ctx, self.rules.links, item).await?;
        self.write(ctx, &item, &ids, existing.as_ref()).await
    }
}

impl Ruled<'_> {
    /// Reads the item (its links resolved) over `existing` and saves it, or a new record.
    pub async fn write(
        &self,
        ctx: &Ctx,
        item: &Map<String, Value>,
        ids: &Ids,
        existing: Option<&Record>,
    ) -> Result<Record, Refused> {
        let fields = (self.kind.read)(item, existing.map(|r| &r.fields)).map_err(Refused::Item)?;
        let target = Target::of(ctx, self.kind.key, self.rules, existing).await?;
        save(ctx, self.kind.key, ids, target, fields).await
    }
}

/// The plain kinds: [`Rules::PLAIN`].
impl StoreRecord for RefKind {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let plain = Ruled {
            kind: self,
            rules: &Rules::PLAIN,
        };
        plain.store(ctx, record).await
    }
}

/// `set<Kind>`: the group `data.<key>` stored record by record.
pub async fn set(ctx: &Ctx, envelope: &Envelope, kind: &RefKind) -> SdResult<Response> {
    set_with(ctx, envelope, kind.key, kind).await
}

/// `set<Kind>` of a kind with its own rules (numbering, links, ...).
pub async fn set_by_rules(
    ctx: &Ctx,
    envelope: &Envelope,
    kind: &RefKind,
    rules: &Rules,
) -> SdResult<Response> {
    set_with(ctx, envelope, kind.key, &Ruled { kind, rules }).await
}

/// `set<Kind>` with the kind's own way of storing a record: the group `data.<key>`.
pub async fn set_with(
    ctx: &Ctx,
    envelope: &Envelope,
    key: &str,
    storer: &impl StoreRecord,
) -> SdResult<Response> {
    let records = batch::group(&envelope.data, key)?;
    Ok(store_group(ctx, storer, records).await?.answer(key))
}

/// Stores a group's records one by one: the outcome of each, for the caller to answer
/// (setPriceType answers two groups; setClientType's `data` is the bare array; admin
/// seeding stores records from elsewhere).
pub async fn store_group(
    ctx: &Ctx,
    storer: &impl StoreRecord,
    records: &[Value],
) -> SdResult<Outcome> {
    let mut outcome = Outcome::default();
    for (index, record) in records.iter().enumerate() {
        match storer.store(ctx, record).await {
            Ok(stored) => outcome.done(stored.ids(ctx)),
            Err(Refused::Item(errors)) => outcome.failed(index, record, errors),
            Err(Refused::Request(error)) => return Err(error),
        }
    }
    Ok(outcome)
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

/// The item as an object, its identifiers (one required unless the rules take unnamed
/// items) and the record they find.
pub async fn identify<'a>(
    ctx: &Ctx,
    kind: &RefKind,
    rules: &Rules,
    record: &'a Value,
) -> Result<(&'a Map<String, Value>, Ids, Option<Record>), Refused> {
    let Some(item) = record.as_object() else {
        return Err(Refused::Item(vec![NOT_OBJECT.into()]));
    };
    let ids = Ids::of(item);
    if ids.is_empty() {
        if rules.unnamed {
            return Ok((item, ids, None));
        }
        return Err(Refused::Item(vec![NO_ID.into()]));
    }
    let existing = find(ctx, kind, &ids).await?;
    Ok((item, ids, existing))
}

/// Where a SET writes: over a stored record, or a new one with its number and `SD_id`.
pub enum Target<'a> {
    Existing(&'a Record),
    New { n: i64, sd_id: String },
}

impl<'a> Target<'a> {
    /// Over `existing`, or a new record numbered now as the rules say.
    pub async fn of(
        ctx: &Ctx,
        key: &str,
        rules: &Rules,
        existing: Option<&'a Record>,
    ) -> SdResult<Self> {
        Ok(match existing {
            Some(found) => Target::Existing(found),
            None => {
                let n = allocate(ctx, key).await?;
                Target::New {
                    n,
                    sd_id: (rules.numbering)(n),
                }
            }
        })
    }
}

impl Target<'_> {
    /// The stored document a write over this target replaces, as read (none for a new
    /// record).
    pub fn read(&self) -> Vec<Document> {
        match self {
            Target::Existing(found) => vec![found.doc.clone()],
            Target::New { .. } => Vec::new(),
        }
    }
}

/// The next number (`N` of `d0_N`) of the kind stored as `key`.
pub async fn allocate(ctx: &Ctx, key: &str) -> SdResult<i64> {
    Ok(ctx.core.store.next_sequence(&ctx.scope, key).await?)
}

/// Writes `fields` over the target record of the kind stored as `key`.
pub async fn save(
    ctx: &Ctx,
    key: &str,
    ids: &Ids,
    target: Target<'_>,
    fields: Map<String, Value>,
) -> Result<Record, Refused> {
    let read = target.read();
    let (doc, expect) = prepare(ctx, key, ids, target, fields);
    let stored = Record::from_doc(doc.clone());
    commit(ctx, Batch::new().write(Write::Put { doc, expect }), &read).await?;
    Ok(stored)
}

/// Applies a record's writes: a write that lost a race (another request changed what it
/// expected) refuses the item, any other store failure the request. `read`: the
/// documents the writes replace as just read ([`Ctx::apply_read`]).
pub async fn commit(ctx: &Ctx, batch: Batch, read: &[Document]) -> Result<(), Refused> {
    commit_or(ctx, batch, read, CHANGED).await
}

/// [`commit`], a lost race refusing the item with `changed` (the stock ledger names the
/// stock).
pub async fn commit_or(
    ctx: &Ctx,
    batch: Batch,
    read: &[Document],
    changed: &str,
) -> Result<(), Refused> {
    match ctx.apply_read(batch, read).await {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict(_) | StoreError::Duplicate { .. }) => {
            Err(Refused::Item(vec![changed.into()]))
        }
        Err(other) => Err(Refused::Request(other.into())),
    }
}

/// The document [`save`] writes and the version it expects: for the documents that
/// commit more in the same transaction (stock documents post ledger lines with it).
pub fn prepare(
    ctx: &Ctx,
    key: &str,
    ids: &Ids,
    target: Target<'_>,
    fields: Map<String, Value>,
) -> (Document, Expect) {
    let now = datetime(ctx.now);
    match target {
        Target::Existing(found) => {
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
        Target::New { n, sd_id } => {
            let key = ctx.scope.key(key, sd_id);
            let body = body(n, ctx, ids.code_1c.as_deref(), &now, &now, fields);
            (Document::new(key, body), Expect::Absent)
        }
    }
}
