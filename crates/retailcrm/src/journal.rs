//! Writes with their history, the vendor's way: one history record per changed field
//! (`first_name`, `address.city`, ...), each its own entry in the core history so its id
//! is the record's id. Ids grow per (account, dialect) in commit order, so a client that
//! polls with `sinceId` sees every change once. The documents and their records commit in
//! one transaction, or nothing does.

use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::{Applied, Batch, DocKey, Document, Expect, NewChange, StoreError, Write};

use crate::error::{RetailError, RetailResult};
use crate::request::Ctx;

/// Twin's record of which number each API key shows as `apiKey.id`.
const API_KEY: &str = "api_key";

pub struct Journal<'c> {
    ctx: &'c Ctx,
    batch: Batch,
    /// Who makes the changes: the request's key (`apiKey.id` its number) or a user.
    actor: Actor,
}

/// The author of a change: an API key (`source: "api"`, `apiKey {id}` its number) or a
/// CRM user working in the interface, which Twin's admin API stands for (`source:
/// "user"`, `user {id}`, no `apiKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Key(i64),
    User(i64),
}

/// The vendor's name of a field in history: snake case (`firstName` → `first_name`), an
/// underscore before a capital that follows a small letter or digit, as Doctrine's
/// underscore naming (the vendor runs on Symfony), so `INN` is `inn`, not `i_n_n`.
pub fn field_name(name: &str) -> String {
    let mut out = String::new();
    let mut after_small = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && after_small {
            out.push('_');
        }
        after_small = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The members whose values differ, by name: `(name, old, new)`, `null` for missing.
pub fn differing(old: &Value, new: &Value) -> Vec<(String, Value, Value)> {
    let empty = Map::new();
    let (old, new) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let before = old.get(name).unwrap_or(&Value::Null);
            let after = new.get(name).unwrap_or(&Value::Null);
            (before != after).then(|| (name.clone(), before.clone(), after.clone()))
        })
        .collect()
}

/// The changed fields between two bodies as `(history field, old, new)`, in name order.
/// Objects of fields (`address`, `contragent`) change per member (`address.city`); custom
/// fields as `custom_<code>`, the code as given (*Inferred*); lists (`phones`, `tags`)
/// whole. Twin's own fields (a leading `_`) and what never changes are left out.
pub fn changes(old: &Value, new: &Value) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    for (name, before, after) in differing(old, new) {
        if name.starts_with('_') || matches!(name.as_str(), "id" | "type" | "site" | "createdAt") {
            continue;
        }
        match name.as_str() {
            "address" | "contragent" => out.extend(
                differing(&before, &after)
                    .into_iter()
                    .map(|(member, was, now)| {
                        (format!("{name}.{}", field_name(&member)), was, now)
                    }),
            ),
            "customFields" => out.extend(
                differing(&before, &after)
                    .into_iter()
                    .map(|(code, was, now)| (format!("custom_{code}"), was, now)),
            ),
            _ => out.push((field_name(&name), before, after)),
        }
    }
    out
}

/// One changed field of `Journal::update_fields`: `(field, old, new, part)`, the part
/// (`("item", item)`) a member of the record.
pub type Changed = (String, Value, Value, Option<(&'static str, Value)>);

/// The record of one changed field, naming the entity (`customer: snapshot`).
fn change_record(
    field: String,
    old: Value,
    new: Value,
    entity: (&str, &Value),
) -> Map<String, Value> {
    let mut record = Map::new();
    record.insert("field".into(), json!(field));
    record.insert("oldValue".into(), old);
    record.insert("newValue".into(), new);
    record.insert(entity.0.into(), entity.1.clone());
    record
}

impl<'c> Journal<'c> {
    pub async fn new(ctx: &'c Ctx) -> RetailResult<Self> {
        Ok(Self {
            ctx,
            batch: Batch::new(),
            actor: Actor::Key(key_number(ctx).await?),
        })
    }

    /// A journal of changes made by the user `user` (an admin write).
    pub fn by_user(ctx: &'c Ctx, user: i64) -> Self {
        Self {
            ctx,
            batch: Batch::new(),
            actor: Actor::User(user),
        }
    }

    /// A journal for `actor`: the request's key, or a user.
    pub async fn of(ctx: &'c Ctx, actor: Option<i64>) -> RetailResult<Self> {
        match actor {
            Some(user) => Ok(Self::by_user(ctx, user)),
            None => Self::new(ctx).await,
        }
    }

    /// A record of the entity `key` names.
    fn record(&mut self, key: &DocKey, mut record: Map<String, Value>) {
        match self.actor {
            Actor::Key(number) => {
                record.insert("source".into(), json!("api"));
                record.insert("apiKey".into(), json!({ "id": number }));
                record.insert("_credential".into(), json!(self.ctx.credential.id));
            }
            Actor::User(id) => {
                record.insert("source".into(), json!("user"));
                record.insert("user".into(), json!({ "id": id }));
            }
        }
        self.batch.changes.push(NewChange {
            scope: key.scope.clone(),
            kind: key.kind.clone(),
            entity_id: key.id.clone(),
            action: "change".into(),
            at: self.ctx.now,
            data: Value::Object(record),
        });
    }

    /// A new entity: one record `created` with the whole entity (under `entity`, the
    /// record's member naming it: `customer`).
    pub fn create(&mut self, doc: Document, entity: &str, snapshot: Value) {
        let id = doc.body["id"].clone();
        let mut record = Map::new();
        record.insert("created".into(), json!(true));
        record.insert("field".into(), json!("id"));
        record.insert("oldValue".into(), Value::Null);
        record.insert("newValue".into(), id);
        record.insert(entity.into(), snapshot);
        self.record(&doc.key, record);
        self.batch.writes.push(Write::Put {
            doc,
            expect: Expect::Absent,
        });
    }

    /// `before` (as read) becomes `doc`: one record per changed field, with the entity's
    /// identity (`snapshot`) after the change. Nothing is written when nothing changed.
    pub fn update(&mut self, before: &Document, doc: Document, entity: &str, snapshot: Value) {
        let changed = changes(&before.body, &doc.body)
            .into_iter()
            .map(|(field, old, new)| (field, old, new, None))
            .collect();
        self.update_fields(before, doc, entity, snapshot, changed);
    }

    /// `update` with the changed fields given (`(field, old, new, part)`): an entity whose
    /// records the caller words itself (an order's items: `order_product.quantity`, with
    /// the item under `part.0`).
    pub fn update_fields(
        &mut self,
        before: &Document,
        doc: Document,
        entity: &str,
        snapshot: Value,
        changed: Vec<Changed>,
    ) {
        if changed.is_empty() && before.lookups == doc.lookups {
            return;
        }
        for (field, old, new, part) in changed {
            let mut record = change_record(field, old, new, (entity, &snapshot));
            if let Some((name, value)) = part {
                record.insert(name.into(), value);
            }
            self.record(&doc.key, record);
        }
        self.batch.writes.push(Write::Put {
            doc,
            expect: Expect::Version(before.version),
        });
    }

    /// `before` is removed: one record `deleted`, with `extra` members (`combinedTo`).
    pub fn delete(
        &mut self,
        before: &Document,
        entity: &str,
        snapshot: Value,
        extra: Map<String, Value>,
    ) {
        let mut record = Map::new();
        record.insert("deleted".into(), json!(true));
        record.insert("field".into(), json!("id"));
        record.insert("oldValue".into(), before.body["id"].clone());
        record.insert("newValue".into(), Value::Null);
        record.insert(entity.into(), snapshot);
        record.extend(extra);
        self.record(&before.key, record);
        self.batch.writes.push(Write::Delete {
            key: before.key.clone(),
            expect: Expect::Version(before.version),
        });
    }

    /// A part of an entity (a corporate customer's address, company or contact person),
    /// new (`before` none) or changed, is written with its records in the owner's history
    /// (`owner`): a new part is one record `field: <part>` whose `newValue` is the part's
    /// `identity`; a change, one record per changed field (`address.city`). Each record
    /// names the owner (`entity: snapshot`) and the part (`<part>: identity`). A `doc`
    /// with a version replaces that version (a part moved to another owner is new there).
    pub fn part(
        &mut self,
        owner: (&DocKey, &str, &Value),
        part: (&str, Value),
        before: Option<&Document>,
        doc: Document,
    ) {
        let (key, entity, snapshot) = owner;
        let (name, identity) = part;
        let changed: Vec<(String, Value, Value)> = match before {
            None => vec![(name.to_owned(), Value::Null, identity.clone())],
            Some(before) => changes(&before.body, &doc.body)
                .into_iter()
                .map(|(field, old, new)| (format!("{name}.{field}"), old, new))
                .collect(),
        };
        let expect = match doc.version {
            0 => Expect::Absent,
            version => Expect::Version(version),
        };
        if changed.is_empty() {
            return;
        }
        for (field, old, new) in changed {
            let mut record = change_record(field, old, new, (entity, snapshot));
            record.insert(name.into(), identity.clone());
            self.record(key, record);
        }
        self.batch.writes.push(Write::Put { doc, expect });
    }

    /// A write without history (Twin's own bookkeeping).
    pub fn raw(&mut self, write: Write) {
        self.batch.writes.push(write);
    }

    /// Commits it all; a concurrent change of any document is a 400 asking to retry, a
    /// taken external id the caller's `duplicate` error.
    pub async fn commit(
        self,
        duplicate: impl FnOnce(&str) -> RetailError,
    ) -> RetailResult<Applied> {
        if self.batch.writes.is_empty() {
            return Ok(Applied::default());
        }
        match self.ctx.core.store.apply(self.batch).await {
            Ok(applied) => Ok(applied),
            Err(twin_store::StoreError::Duplicate { value, .. }) => Err(duplicate(&value)),
            Err(twin_store::StoreError::Conflict(_)) => Err(RetailError::bad_request(
                "The entity was changed by another request; repeat the request",
            )),
            Err(error) => Err(CoreError::from(error).into()),
        }
    }
}

/// The number the request's key shows as `apiKey.id`: given on the key's first write.
async fn key_number(ctx: &Ctx) -> RetailResult<i64> {
    let id = &ctx.credential.id;
    if let Some(doc) = ctx.core.entities.find(&ctx.scope, API_KEY, id).await? {
        return Ok(doc.body["number"].as_i64().unwrap_or_default());
    }
    let number = ctx
        .core
        .store
        .next_sequence(&ctx.scope, API_KEY)
        .await
        .map_err(CoreError::from)?;
    let doc = Document::new(ctx.scope.key(API_KEY, id), json!({ "number": number }));
    let batch = Batch::new().write(Write::Put {
        doc,
        expect: Expect::Absent,
    });
    match ctx.core.store.apply(batch).await {
        Ok(_) => Ok(number),
        // A concurrent first write numbered the key.
        Err(twin_store::StoreError::Conflict(_)) => Box::pin(key_number(ctx)).await,
        Err(error) => Err(CoreError::from(error).into()),
    }
}

/// Stores one document: `before`'s version is expected (none: it must be new); a
/// concurrent change is a 400 asking to repeat the request.
pub async fn put(ctx: &Ctx, doc: Document, before: Option<&Document>) -> RetailResult<()> {
    let expect = before.map_or(Expect::Absent, |d| Expect::Version(d.version));
    apply(ctx, Batch::new().write(Write::Put { doc, expect })).await
}

/// Applies writes without history in one transaction; a concurrent change is a 400
/// asking to repeat the request.
pub async fn apply(ctx: &Ctx, batch: Batch) -> RetailResult<()> {
    match ctx.core.store.apply(batch).await {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict(_) | StoreError::Duplicate { .. }) => {
            Err(RetailError::bad_request(
                "The entity was changed by another request; repeat the request",
            ))
        }
        Err(error) => Err(CoreError::from(error).into()),
    }
}
