//! The companies (legal requisites) of a corporate customer.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use super::addresses::ADDRESS;
use super::parts::{self, Part};
use crate::customers::fields::{apply, boolean, checked_text, contragent, Problems};
use crate::customers::{entity, public};
use crate::error::{texts, RetailError, RetailResult};
use crate::request::{timestamp, Ctx, RetailRequest};

pub const COMPANY: Part = Part {
    kind: "customer_corporate_company",
    name: "company",
    member: "companies",
    main: "mainCompany",
};

/// The fields of a company document (`isMain` is the owner's).
const FIELDS: [&str; 9] = [
    "externalId",
    "name",
    "brand",
    "site",
    "active",
    "contragent",
    "address",
    "createdAt",
    "customFields",
];

/// Reads a company document into `into` (`null` clears a field). `address` names one of
/// the owner's `addresses` (`{id}` or `{externalId}`), which the company keeps a copy of
/// (*Inferred*: a later edit of the address does not change the copy).
pub fn read(
    doc: &Map<String, Value>,
    addresses: &[Document],
    into: &mut Map<String, Value>,
    problems: &mut Problems,
) {
    for (name, value) in doc {
        if value.is_null() && FIELDS.contains(&name.as_str()) {
            into.remove(name);
            continue;
        }
        let read = match name.as_str() {
            "externalId" | "name" | "brand" | "site" => checked_text(problems, name, value),
            "active" => {
                let flag = boolean(value);
                if flag.is_none() {
                    problems.insert(name.clone(), texts::BOOLEAN.into());
                }
                flag.map(Value::Bool)
            }
            "contragent" => contragent(problems, value, into.get("contragent")),
            "address" => {
                let found = addresses.iter().find(|a| parts::names(value, &a.body));
                if found.is_none() {
                    problems.insert("address".into(), "Address not found".into());
                }
                found.map(|a| public(&a.body))
            }
            "createdAt" | "customFields" => {
                let mut shared = Map::new();
                apply(
                    &Map::from_iter([(name.clone(), value.clone())]),
                    &mut shared,
                    problems,
                );
                shared.remove(name)
            }
            _ => continue,
        };
        if let Some(read) = read {
            into.insert(name.clone(), read);
        }
    }
}

/// A new company body: `active` and `createdAt` now unless given (*Inferred* defaults).
pub fn new_body(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    addresses: &[Document],
    problems: &mut Problems,
) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("active".into(), json!(true));
    body.insert("createdAt".into(), json!(timestamp(ctx.now)));
    read(doc, addresses, &mut body, problems);
    body
}

/// `GET /api/v5/customers-corporate/{externalId}/companies`: `by`, `site`, `limit`,
/// `page`, `filter[ids][]`.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    parts::list(ctx, &COMPANY, request, Vec::new(), BTreeMap::new()).await
}

/// `POST /api/v5/customers-corporate/{externalId}/companies/create`: `company=<json>`,
/// `by`, `site`; 201 `{"id": N}`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "company")?;
    let owner = parts::owner(ctx, request).await?;
    let addresses = parts::all(ctx, &ADDRESS, &owner.body["id"]).await?;
    let mut problems = Problems::new();
    let mut body = new_body(ctx, &doc, &addresses, &mut problems);
    let is_main = parts::is_main(&doc, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = json!(parts::next_ids(ctx, &COMPANY, 1).await?);
    body.insert("id".into(), id.clone());
    let journal = parts::stage(ctx, &COMPANY, &owner, None, body, is_main).await?;
    parts::finish(journal, &id, true).await
}

/// `POST /api/v5/customers-corporate/{externalId}/companies/{entityExternalId}/edit`:
/// `company=<json>` with the fields to change, `by`, `entityBy`, `site`; `{"id": N}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "company")?;
    let owner = parts::owner(ctx, request).await?;
    let before = parts::find(ctx, &COMPANY, &owner, request).await?;
    let addresses = parts::all(ctx, &ADDRESS, &owner.body["id"]).await?;
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read(&doc, &addresses, &mut body, &mut problems);
    let is_main = parts::is_main(&doc, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = before.body["id"].clone();
    let journal = parts::stage(ctx, &COMPANY, &owner, Some(&before), body, is_main).await?;
    parts::finish(journal, &id, false).await
}
