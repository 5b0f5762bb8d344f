//! What the engine knows of each entity type: its fields (for filters, sorting, search
//! and references) and its write rules.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use twin_core::accounts::Account;
use twin_core::Core;
use twin_store::Scope;

use crate::error::MsResult;
use crate::representation::{format_time, Links};
use crate::webhooks::RequestWebhooks;

/// A field's JSON type, as filters and sorting treat it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Id,
    Str,
    Int,
    Float,
    Bool,
    /// `YYYY-MM-DD HH:MM:SS.mmm`, stored as text so it sorts and compares as time.
    Time,
    /// A reference to an entity of this keyword, stored as `{"type","id"}`.
    Ref(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub ty: FieldType,
    pub filter: bool,
    pub sort: bool,
}

impl FieldSpec {
    pub const fn new(name: &'static str, ty: FieldType, filter: bool, sort: bool) -> Self {
        Self {
            name,
            ty,
            filter,
            sort,
        }
    }
}

/// Fields every "common" entity (not currency) has.
pub const COMMON_FIELDS: [FieldSpec; 9] = [
    FieldSpec::new("id", FieldType::Id, true, true),
    FieldSpec::new("accountId", FieldType::Id, true, false),
    FieldSpec::new("owner", FieldType::Ref("employee"), true, false),
    FieldSpec::new("group", FieldType::Ref("group"), true, false),
    FieldSpec::new("shared", FieldType::Bool, true, false),
    FieldSpec::new("updated", FieldType::Time, true, true),
    FieldSpec::new("updatedBy", FieldType::Str, true, true),
    FieldSpec::new("externalCode", FieldType::Str, true, true),
    FieldSpec::new("archived", FieldType::Bool, true, true),
];

pub struct EntityInfo {
    pub keyword: &'static str,
    /// The entity's own fields, besides `COMMON_FIELDS` when `common`.
    pub fields: &'static [FieldSpec],
    /// Fields `search=` looks in (case-insensitive substring).
    pub search: &'static [&'static str],
    /// Whether it carries accountId, owner, group, shared, updated, externalCode, archived.
    pub common: bool,
    /// Whether lists leave archived rows out unless `archived` is filtered.
    pub hides_archived: bool,
    /// Whether clients may create, update and delete it.
    pub writable: bool,
    /// Whether it has user-defined attributes (доп. поля).
    pub attributes: bool,
    /// Whether it has states (statuses) in its metadata.
    pub states: bool,
}

impl EntityInfo {
    pub fn field(&self, name: &str) -> Option<FieldSpec> {
        let common: &[FieldSpec] = if self.common {
            &COMMON_FIELDS
        } else {
            &COMMON_FIELDS[..1]
        };
        self.fields
            .iter()
            .chain(common)
            .copied()
            .find(|f| f.name == name)
    }

    pub fn references(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        let common: &[FieldSpec] = if self.common { &COMMON_FIELDS } else { &[] };
        self.fields.iter().chain(common).filter_map(|f| match f.ty {
            FieldType::Ref(keyword) => Some((f.name, keyword)),
            _ => None,
        })
    }
}

/// What a request's handling can reach.
pub struct Ctx {
    pub core: Core,
    pub links: Links,
    pub account: Account,
    pub scope: Scope,
    /// The requesting employee's id (owner of what they create).
    pub employee: String,
    pub uid: String,
    pub now: DateTime<Utc>,
    /// What the request's headers say about the webhooks its writes cause.
    pub webhooks: RequestWebhooks,
    pub(crate) reads: crate::reads::Reads,
}

impl Ctx {
    /// Work in `account` as `employee` (login `uid`): its scope, its clock's now and links
    /// from Twin's public URL.
    pub fn new(
        core: Core,
        public_url: &str,
        account: Account,
        employee: String,
        uid: String,
        webhooks: RequestWebhooks,
    ) -> Self {
        Self {
            links: Links::new(public_url),
            scope: account.scope(crate::DIALECT),
            now: account.now(core.clock.as_ref()),
            core,
            account,
            employee,
            uid,
            webhooks,
            reads: Default::default(),
        }
    }

    pub fn now_text(&self) -> String {
        format_time(self.now)
    }
}

/// An entity type's write rules. The engine handles ids, meta, common fields, versions,
/// history and mass operations around them.
#[async_trait]
pub trait Entity: Send + Sync {
    fn info(&self) -> &'static EntityInfo;

    /// The stored body of a new entity from a client's object (without `id` and the
    /// common fields, which the engine fills; a `shared` it sets is the default the engine
    /// keeps unless the client gives one).
    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>>;

    /// Reads in one go what checking these new entities' inputs will need (a mass
    /// create's codes); each input is checked without it too, only slower.
    async fn prepare_creates(&self, _ctx: &Ctx, _inputs: &[&Map<String, Value>]) -> MsResult<()> {
        Ok(())
    }

    /// Reads in one go what rendering the page's rows will need (see
    /// [`Ctx::count_referring_all`]); rows render without it too, only slower.
    async fn prepare_page(&self, _ctx: &Ctx, _rows: &[twin_store::Document]) -> MsResult<()> {
        Ok(())
    }

    /// The stored body after a partial update.
    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>>;

    /// Whether it carries `owner`, `group` and `shared` besides the other common fields
    /// (variants and consignments do not).
    fn has_owner(&self) -> bool {
        true
    }

    /// Refuses deletes the vendor refuses, and removes what goes with the entity.
    async fn before_delete(&self, _ctx: &Ctx, _stored: &Map<String, Value>) -> MsResult<()> {
        Ok(())
    }

    /// Work that follows a successful update: what depends on the entity follows it
    /// (child folders re-path, variants rename). A new entity has no dependants yet.
    async fn after_update(&self, _ctx: &Ctx, _body: &Map<String, Value>) -> MsResult<()> {
        Ok(())
    }

    /// Work that follows a successful create (e.g. a welcome
    /// bonus for a new counterparty).
    async fn after_create(&self, _ctx: &Ctx, _body: &Map<String, Value>) -> MsResult<()> {
        Ok(())
    }

    /// Keys the store keeps unique among this type's entities, `(name, value)`: a rule
    /// checked before writing (one active bonus program) that concurrent writes could
    /// otherwise both pass. A clash found only by the store answers 3006.
    fn unique_keys(&self, _body: &Map<String, Value>) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// Expand paths through nested objects that the entity resolves in `decorate`
    /// (`rate.currency`), besides its top-level references.
    fn nested_expands(&self) -> &'static [&'static str] {
        &[]
    }

    /// Fields computed at read time (e.g. inherited VAT), given the request's expand paths.
    async fn decorate(
        &self,
        _ctx: &Ctx,
        _body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        Ok(())
    }
}
