//! New corporate customers, one (`create`) or up to 50 at once (`upload`), each with the
//! addresses and companies its document gives.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use super::addresses::{self, ADDRESS};
use super::companies::{self, COMPANY};
use super::new_body;
use super::parts::{self, Part};
use crate::customers::create::{next_ids, uploaded_answer};
use crate::customers::fields::Problems;
use crate::customers::{document, entity, external_id_taken, id_answer, identity, public, taken};
use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::created;
use crate::request::{Ctx, RetailRequest};
use crate::sites;

/// The most corporate customers one upload takes.
const UPLOAD_MAX: usize = 50;

/// A corporate customer read from its document, with its new parts.
struct Draft {
    body: Map<String, Value>,
    parts: Vec<(&'static Part, Document)>,
}

/// Reads `doc`: the corporate customer and its `addresses` and `companies` (a company's
/// `address {externalId}` may name one of the new addresses). Problems of parts are keyed
/// `addresses[i][field]`.
async fn draft(
    ctx: &Ctx,
    site: &str,
    doc: &Map<String, Value>,
    problems: &mut Problems,
) -> RetailResult<Draft> {
    let mut body = new_body(ctx, site, doc, problems);
    if let Some(external) = body.get("externalId").and_then(Value::as_str) {
        if external_id_taken(ctx, site, external).await? {
            problems.insert(
                "externalId".into(),
                "Customer with the same externalId already exists.".into(),
            );
        }
    }
    let mut parts: Vec<(&'static Part, Document)> = Vec::new();
    let owner_id = json!(0);
    let mut addresses_read = Vec::new();
    for (i, item) in list(doc, "addresses").iter().enumerate() {
        let mut found = Problems::new();
        let mut address = Map::new();
        let item = item.as_object().cloned().unwrap_or_default();
        addresses::read(&item, &mut address, &mut found);
        let is_main = parts::is_main(&item, &mut found);
        problems.extend(
            found
                .into_iter()
                .map(|(k, v)| (format!("addresses[{i}][{k}]"), v)),
        );
        addresses_read.push((address, is_main));
    }
    let new_addresses: Vec<Document> = addresses_read
        .iter()
        .map(|(address, _)| parts::document(ctx, &ADDRESS, &owner_id, address.clone()))
        .collect();
    let mut companies_read = Vec::new();
    for (i, item) in list(doc, "companies").iter().enumerate() {
        let mut found = Problems::new();
        let item = item.as_object().cloned().unwrap_or_default();
        let company = companies::new_body(ctx, &item, &new_addresses, &mut found);
        let is_main = parts::is_main(&item, &mut found);
        problems.extend(
            found
                .into_iter()
                .map(|(k, v)| (format!("companies[{i}][{k}]"), v)),
        );
        companies_read.push((company, is_main));
    }
    if !problems.is_empty() {
        return Ok(Draft { body, parts });
    }
    let mut owner = Value::Object(std::mem::take(&mut body));
    for (part, read) in [(&ADDRESS, addresses_read), (&COMPANY, companies_read)] {
        if read.is_empty() {
            continue;
        }
        let first = parts::next_ids(ctx, part, read.len() as u32).await?;
        for (n, (mut part_body, is_main)) in read.into_iter().enumerate() {
            part_body.insert("id".into(), json!(first + n as i64));
            parts::set_main(part, &mut owner, &Value::Object(part_body.clone()), is_main);
            parts.push((part, parts::document(ctx, part, &owner_id, part_body)));
        }
    }
    body = owner.as_object().cloned().unwrap_or_default();
    Ok(Draft { body, parts })
}

fn list(doc: &Map<String, Value>, name: &str) -> Vec<Value> {
    doc.get(name)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Gives the draft its id and stages it: the record `created` of the corporate customer,
/// then one record per part. Returns `{id, externalId?}`.
fn stage(ctx: &Ctx, journal: &mut Journal<'_>, draft: Draft, id: i64) -> Value {
    let Draft {
        mut body,
        parts: new_parts,
    } = draft;
    body.insert("id".into(), json!(id));
    let doc = document(ctx, Value::Object(body));
    let snapshot = public(&doc.body);
    let named = identity(&snapshot);
    let key = doc.key.clone();
    let owner_body = doc.body.clone();
    journal.create(doc, "customer", snapshot);
    for (part, part_doc) in new_parts {
        let mut part_body = part_doc.body.as_object().cloned().unwrap_or_default();
        part_body.remove("_owner");
        let part_doc = parts::document(ctx, part, &json!(id), part_body);
        let mut part_named = parts::identity(&part_doc.body);
        part_named["isMain"] = json!(owner_body[part.main]["id"] == part_doc.body["id"]);
        journal.part(
            (&key, "customer", &named),
            (part.name, part_named),
            None,
            part_doc,
        );
    }
    named
}

/// `POST /api/v5/customers-corporate/create`: `customerCorporate=<json>` and `site`; 201
/// `{"id": N}`. An external id already used in the site (by either kind) is a 400.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "customerCorporate")?;
    let site = sites::for_write(ctx, request).await?;
    let mut problems = Problems::new();
    let draft = draft(ctx, &site, &doc, &mut problems).await?;
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = next_ids(ctx, 1).await?;
    let mut journal = Journal::new(ctx).await?;
    stage(ctx, &mut journal, draft, id);
    journal.commit(taken).await?;
    Ok(created(id_answer(&json!(id))))
}

/// `POST /api/v5/customers-corporate/upload`: `customersCorporate=<json list>` (at most
/// 50) and `site`; the valid ones are created together: 201 `{"uploadedCustomers":
/// [{id, externalId}]}`, or 460 with `errors` when some were left out (*Inferred*: as the
/// customers' upload).
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let Value::Array(items) = request.document("customersCorporate")? else {
        return Err(RetailError::parameter(
            "customersCorporate",
            "This value should be of type array.",
        ));
    };
    if items.is_empty() || items.len() > UPLOAD_MAX {
        return Err(RetailError::parameter(
            "customersCorporate",
            "This collection should contain 1 element or more and 50 elements or less.",
        ));
    }
    let site = sites::for_write(ctx, request).await?;
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let doc = item.as_object().cloned().unwrap_or_default();
        let mut problems = Problems::new();
        let draft = draft(ctx, &site, &doc, &mut problems).await?;
        if let Some(external) = draft.body.get("externalId").and_then(Value::as_str) {
            if !seen.insert(external.to_owned()) {
                problems.insert(
                    "externalId".into(),
                    "Customer with the same externalId already exists.".into(),
                );
            }
        }
        match problems.into_iter().next() {
            Some((field, text)) => errors.push(format!("customersCorporate[{i}][{field}]: {text}")),
            None => drafts.push(draft),
        }
    }
    let mut uploaded = Vec::new();
    if !drafts.is_empty() {
        let first = next_ids(ctx, drafts.len() as u32).await?;
        let mut journal = Journal::new(ctx).await?;
        for (n, draft) in drafts.into_iter().enumerate() {
            let mut named = stage(ctx, &mut journal, draft, first + n as i64);
            if let Some(map) = named.as_object_mut() {
                map.remove("site");
            }
            uploaded.push(named);
        }
        journal.commit(taken).await?;
    }
    Ok(uploaded_answer(uploaded, errors))
}
