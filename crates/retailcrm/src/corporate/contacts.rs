//! The contact persons of a corporate customer: links to individual customers, each with
//! the owner's companies the person works for. Linking a customer makes it a contact
//! (`isContact: true`, a record of its own history).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use super::companies::COMPANY;
use super::parts::{self, Part};
use crate::customers::fields::Problems;
use crate::customers::{self, entity, identity, CUSTOMER};
use crate::error::{RetailError, RetailResult};
use crate::request::{Ctx, RetailRequest};

pub const CONTACT: Part = Part {
    kind: "customer_corporate_contact",
    name: "contact",
    member: "contacts",
    main: "mainCustomerContact",
};

/// `companies: [{company: {id} | {externalId}}]` naming the owner's companies, kept as
/// `[{id, company: {id, externalId?, name?}}]`.
fn companies(value: &Value, known: &[Document], problems: &mut Problems) -> Option<Value> {
    let items = value.as_array()?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let wanted = &item["company"];
        let found = known.iter().find(|c| parts::names(wanted, &c.body));
        match found {
            Some(company) => out.push(json!({
                "id": company.body["id"],
                "company": parts::identity(&company.body),
            })),
            None => {
                problems.insert(
                    format!("companies[{i}][company]"),
                    "Company not found".into(),
                );
            }
        }
    }
    Some(Value::Array(out))
}

/// The individual customer `contact[customer]` names: `{id}`, or `{externalId, site}`
/// (the owner's site when none is given).
async fn person(ctx: &Ctx, owner: &Document, wanted: &Value) -> RetailResult<Option<Document>> {
    let found = if let Some(id) = wanted["id"].as_i64() {
        ctx.core
            .entities
            .find(&ctx.scope, CUSTOMER, &id.to_string())
            .await?
    } else if let Some(external) = wanted["externalId"].as_str() {
        let site = wanted["site"].as_str().or(owner.body["site"].as_str());
        customers::by_external_id(ctx, CUSTOMER, site, external).await?
    } else {
        None
    };
    Ok(found.filter(|doc| ctx.may_reach(doc.body["site"].as_str().unwrap_or_default())))
}

/// The contact the path's second placeholder names: the contact person's external id, or
/// its id with `entityBy=id` (*Inferred*: a contact has no external id of its own).
async fn find(ctx: &Ctx, owner: &Document, request: &RetailRequest<'_>) -> RetailResult<Document> {
    let reference = request.args.get(1).copied().unwrap_or_default();
    let field = match request.text("entityBy") {
        None | Some("externalId") => "externalId",
        Some("id") => "id",
        Some(_) => {
            return Err(RetailError::parameter(
                "entityBy",
                crate::error::texts::CHOICE,
            ))
        }
    };
    parts::all(ctx, &CONTACT, &owner.body["id"])
        .await?
        .into_iter()
        .find(|doc| {
            let value = &doc.body["customer"][field];
            value.as_str() == Some(reference)
                || value.as_i64().is_some_and(|n| n.to_string() == reference)
        })
        .ok_or_else(RetailError::not_found)
}

/// `GET /api/v5/customers-corporate/{externalId}/contacts`: `by`, `site`, `limit`,
/// `page`, `filter[ids][]`.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    parts::list(ctx, &CONTACT, request, Vec::new(), BTreeMap::new()).await
}

/// `POST /api/v5/customers-corporate/{externalId}/contacts/create`: `contact=<json>`
/// (`isMain`, `customer {id | externalId, site}`, `companies`), `by`, `site`; 201
/// `{"id": N}`. A customer already a contact of this one, or none found, is a 400.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "contact")?;
    let owner = parts::owner(ctx, request).await?;
    let mut problems = Problems::new();
    let is_main = parts::is_main(&doc, &mut problems);
    let known = parts::all(ctx, &COMPANY, &owner.body["id"]).await?;
    let mut body = Map::new();
    if let Some(list) = doc
        .get("companies")
        .and_then(|v| companies(v, &known, &mut problems))
    {
        body.insert("companies".into(), list);
    }
    let person = person(ctx, &owner, doc.get("customer").unwrap_or(&Value::Null)).await?;
    let Some(person) = person else {
        problems.insert("customer".into(), "Customer not found".into());
        return Err(RetailError::entity(problems));
    };
    let linked = parts::all(ctx, &CONTACT, &owner.body["id"]).await?;
    if linked
        .iter()
        .any(|c| c.body["customer"]["id"] == person.body["id"])
    {
        problems.insert(
            "customer".into(),
            "The customer is already a contact person of this customer.".into(),
        );
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = json!(parts::next_ids(ctx, &CONTACT, 1).await?);
    body.insert("id".into(), id.clone());
    body.insert("customer".into(), identity(&person.body));
    let mut journal = parts::stage(ctx, &CONTACT, &owner, None, body, is_main).await?;
    if person.body["isContact"] != true {
        let mut changed = person.body.clone();
        changed["isContact"] = json!(true);
        let mut changed = customers::document(ctx, changed);
        changed.version = person.version;
        journal.update(&person, changed, "customer", identity(&person.body));
    }
    parts::finish(journal, &id, true).await
}

/// `POST /api/v5/customers-corporate/{externalId}/contacts/{entityExternalId}/edit`:
/// `contact=<json>` (`isMain`, `companies`), `by`, `entityBy`, `site`; `{"id": N}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "contact")?;
    let owner = parts::owner(ctx, request).await?;
    let before = find(ctx, &owner, request).await?;
    let mut problems = Problems::new();
    let is_main = parts::is_main(&doc, &mut problems);
    let known = parts::all(ctx, &COMPANY, &owner.body["id"]).await?;
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    if let Some(list) = doc
        .get("companies")
        .and_then(|v| companies(v, &known, &mut problems))
    {
        body.insert("companies".into(), list);
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = before.body["id"].clone();
    let journal = parts::stage(ctx, &CONTACT, &owner, Some(&before), body, is_main).await?;
    parts::finish(journal, &id, false).await
}
