//! What addresses, companies and contact persons of a corporate customer share: each is
//! a document of its own (its owner in `_owner`, its external id unique per owner), found
//! by `entityBy` (`externalId` by default, or `id`), listed page by page, and the owner
//! names its main one (`mainAddress`, `mainCompany`, `mainCustomerContact`), from which
//! every part's `isMain` is answered. Their changes are records of the owner's history
//! (`Journal::part`), in the transaction of the change.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_core::CoreError;
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::customers::list::ids;
use crate::customers::{self, identity as owner_identity, public, CORPORATE};
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::{created, ok};
use crate::request::{success, Ctx, RetailRequest};

/// One kind of part.
pub struct Part {
    /// The stored kind.
    pub kind: &'static str,
    /// Its name in history records (`address`: the field and the member naming it).
    pub name: &'static str,
    /// The list answer's member (`addresses`).
    pub member: &'static str,
    /// The owner's field naming the main one.
    pub main: &'static str,
}

pub const OWNER: &str = "_owner";
const EXTERNAL_ID: &str = "externalId";

/// The corporate customer the path names (`by`, `site`).
pub async fn owner(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Document> {
    customers::find_of(ctx, CORPORATE, request, request.arg()).await
}

fn lookup(owner: &Document, external_id: &str) -> String {
    format!("{}\u{1f}{external_id}", owner.key.id)
}

/// `{id, externalId?, name?}`: how records and the owner's main field name a part.
pub fn identity(body: &Value) -> Value {
    crate::customers::pick(body, &["id", "externalId", "name"])
}

/// Whether a reference (`{id}` or `{externalId}`, the id a number or its text) names
/// `body`.
pub fn names(reference: &Value, body: &Value) -> bool {
    let id = &reference["id"];
    let by_id = id
        .as_i64()
        .or_else(|| id.as_str().and_then(|s| s.parse().ok()));
    match by_id {
        Some(id) => body["id"].as_i64() == Some(id),
        None => !reference["externalId"].is_null() && body["externalId"] == reference["externalId"],
    }
}

/// The part as the API shows it, with `isMain`.
pub fn shown(part: &Part, owner: &Value, body: &Value) -> Value {
    let mut out = public(body);
    out["isMain"] = json!(owner[part.main]["id"] == body["id"]);
    out
}

/// The part the path's second placeholder names, by `entityBy`; 404 when the owner has
/// none such.
pub async fn find(
    ctx: &Ctx,
    part: &Part,
    owner: &Document,
    request: &RetailRequest<'_>,
) -> RetailResult<Document> {
    let reference = request.args.get(1).copied().unwrap_or_default();
    let found = match request.text("entityBy") {
        None | Some("externalId") => {
            let value = lookup(owner, reference);
            ctx.core
                .entities
                .find_by(&ctx.scope, part.kind, EXTERNAL_ID, &value)
                .await?
        }
        Some("id") => ctx
            .core
            .entities
            .find(&ctx.scope, part.kind, reference)
            .await?
            .filter(|doc| doc.body[OWNER] == owner.body["id"]),
        Some(_) => return Err(RetailError::parameter("entityBy", texts::CHOICE)),
    };
    found.ok_or_else(RetailError::not_found)
}

/// Every part of the owner, in id order.
pub async fn all(ctx: &Ctx, part: &Part, owner_id: &Value) -> RetailResult<Vec<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), part.kind)
        .filter(Filter::eq(OWNER, owner_id.clone()))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    Ok(ctx.core.entities.list(&query).await?.items)
}

/// A page of the owner's parts (`filter[ids][]` and the caller's `filters`), answered
/// as `{pagination, <member>: [...]}`, each through `show`.
pub async fn list(
    ctx: &Ctx,
    part: &Part,
    request: &RetailRequest<'_>,
    mut filters: Vec<Filter>,
    mut problems: BTreeMap<String, String>,
) -> RetailResult<Response> {
    let owner = owner(ctx, request).await?;
    let paging = request.paging()?;
    filters.extend(ids(request.filter(), &mut problems));
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    filters.push(Filter::eq(OWNER, owner.body["id"].clone()));
    let query = ListQuery::new(ctx.scope.clone(), part.kind)
        .filter(Filter::And(filters))
        .page(PageRequest::Offset {
            offset: paging.offset(),
            limit: paging.limit,
        });
    let page = ctx.core.entities.list(&query).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|doc| shown(part, &owner.body, &doc.body))
        .collect();
    let mut answer = json!({ "pagination": paging.pagination(page.total.unwrap_or_default()) });
    answer[part.member] = Value::Array(items);
    Ok(ok(success(answer)))
}

/// `count` new ids of the part's kind.
pub async fn next_ids(ctx: &Ctx, part: &Part, count: u32) -> RetailResult<i64> {
    ctx.core
        .store
        .reserve_sequence(&ctx.scope, part.kind, count)
        .await
        .map_err(|e| CoreError::from(e).into())
}

/// The stored document of a part body (with its `id`) of `owner_id`.
pub fn document(
    ctx: &Ctx,
    part: &Part,
    owner_id: &Value,
    mut body: Map<String, Value>,
) -> Document {
    body.insert(OWNER.into(), owner_id.clone());
    body.remove("isMain");
    let id = body.get("id").map(Value::to_string).unwrap_or_default();
    let external = body
        .get(EXTERNAL_ID)
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut doc = Document::new(ctx.scope.key(part.kind, id), Value::Object(body));
    if let Some(external) = external {
        doc = doc.with_lookup(EXTERNAL_ID, format!("{owner_id}\u{1f}{external}"));
    }
    doc
}

/// Makes `part_body` the owner's main part when asked (`isMain: true`), or when the
/// owner has none and not told otherwise (*Inferred*: the first one is main); `isMain:
/// false` on the main one leaves the owner without. Returns whether it is main now.
pub fn set_main(part: &Part, owner: &mut Value, part_body: &Value, is_main: Option<bool>) -> bool {
    let current = owner[part.main]["id"].clone();
    let main = is_main.unwrap_or(current.is_null() || current == part_body["id"]);
    if main {
        owner[part.main] = identity(part_body);
    } else if current == part_body["id"] {
        if let Some(map) = owner.as_object_mut() {
            map.remove(part.main);
        }
    }
    main
}

/// Writes one part (new when `before` is none) and, when its main changed, the owner,
/// with their records; the caller may add writes before `finish`.
pub async fn stage<'c>(
    ctx: &'c Ctx,
    part: &Part,
    owner: &Document,
    before: Option<&Document>,
    body: Map<String, Value>,
    is_main: Option<bool>,
) -> RetailResult<Journal<'c>> {
    let doc = document(ctx, part, &owner.body["id"], body);
    let mut owner_body = owner.body.clone();
    let main = set_main(part, &mut owner_body, &doc.body, is_main);
    let mut named = identity(&doc.body);
    named["isMain"] = json!(main);
    let snapshot = owner_identity(&owner.body);
    let mut journal = Journal::new(ctx).await?;
    let mut doc = doc;
    doc.version = before.map_or(0, |b| b.version);
    journal.part(
        (&owner.key, "customer", &snapshot),
        (part.name, named),
        before,
        doc,
    );
    if owner_body != owner.body {
        let mut changed = customers::document(ctx, owner_body);
        changed.version = owner.version;
        journal.update(owner, changed, "customer", snapshot);
    }
    Ok(journal)
}

/// Commits and answers `{"id": N}`: 201 for a new part, 200 for a change.
pub async fn finish(journal: Journal<'_>, id: &Value, new: bool) -> RetailResult<Response> {
    journal.commit(taken).await?;
    let answer = customers::id_answer(id);
    Ok(if new { created(answer) } else { ok(answer) })
}

/// A part's external id already used by another part of the owner. *Inferred* text.
fn taken(_: &str) -> RetailError {
    RetailError::entity(
        [(
            "externalId".to_owned(),
            "An entity with the same externalId already exists.".to_owned(),
        )]
        .into(),
    )
}

/// `isMain` of a part document: a boolean, else a problem.
pub fn is_main(doc: &Map<String, Value>, problems: &mut BTreeMap<String, String>) -> Option<bool> {
    let value = doc.get("isMain").filter(|v| !v.is_null())?;
    let flag = customers::fields::boolean(value);
    if flag.is_none() {
        problems.insert("isMain".into(), texts::BOOLEAN.into());
    }
    flag
}
