//! One corporate customer (get, edit), the list, fix-external-ids and combine.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::{Filter, TextMode};

use super::addresses::ADDRESS;
use super::companies::COMPANY;
use super::contacts::CONTACT;
use super::notes::NOTE;
use super::parts;
use crate::customers::combine::{load_all, retire};
use crate::customers::edit::finish;
use crate::customers::fields::Problems;
use crate::customers::list::{common, page_of, short_text};
use crate::customers::{document, entity, find_of, identity, public, taken, CORPORATE, CUSTOMER};
use crate::error::RetailResult;
use crate::journal::Journal;
use crate::render::ok;
use crate::request::{every, success, Ctx, RetailRequest};

/// `GET /api/v5/customers-corporate/{externalId}`: by external id, or by id with `by=id`;
/// `site` narrows the search. A combined one is 404 with `combinedTo`.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find_of(ctx, CORPORATE, request, request.arg()).await?;
    Ok(ok(success(
        json!({ "customerCorporate": public(&doc.body) }),
    )))
}

/// `POST /api/v5/customers-corporate/{externalId}/edit`: `customerCorporate=<json>` with
/// the fields to change (`null` clears one), `by`, `site`; `{"id": N}`. With `by=id` the
/// document may set the external id. Each changed field is one history record. The
/// vendor's Python client sends the document as `customersCorporate=`: the seed names no
/// field for this method, so both are taken (*Inferred*).
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let field = match request.text("customerCorporate") {
        None if request.text("customersCorporate").is_some() => "customersCorporate",
        _ => "customerCorporate",
    };
    let changes = entity(request, field)?;
    let before = find_of(ctx, CORPORATE, request, request.arg()).await?;
    let by_id = request.by_id()?;
    edit_corporate(ctx, &before, changes, by_id, None).await
}

/// An edit of the corporate customer `before` by the API's rules, by the request's key
/// or, with `user`, by that CRM user (admin: `source: "user"` records).
pub async fn edit_corporate(
    ctx: &Ctx,
    before: &twin_store::Document,
    mut changes: serde_json::Map<String, Value>,
    by_id: bool,
    user: Option<i64>,
) -> RetailResult<Response> {
    if !by_id {
        changes.remove("externalId");
    }
    changes.remove("createdAt");
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    super::read(&changes, &mut body, &mut problems);
    finish(ctx, user, before, body, problems).await
}

/// `GET /api/v5/customers-corporate`: `limit`, `page` and `filter[...]`: `ids[]`,
/// `externalIds[]`, `name` (the nick name, any part), `sites[]`, `vip`, `bad`,
/// `dateFrom`/`dateTo`, `customFields[code]` and the others of `common`; `notes` (the
/// text of one of its notes, any part) and `email` (of one of its contact persons, any
/// part; *Inferred*: a corporate customer has no e-mail of its own); in id order.
/// Filters on data Twin does not keep are accepted and not applied
/// (docs/retailcrm/fidelity.md).
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters = common(ctx, CORPORATE, filter, &mut problems).await?;
    if let Some(text) = short_text(filter, "notes", &mut problems) {
        let notes = every(
            ctx,
            NOTE,
            Filter::text("text", TextMode::Contains, text, true),
        )
        .await?;
        let owners = notes
            .iter()
            .map(|n| n.body["customer"]["id"].clone())
            .collect();
        filters.push(Filter::In {
            path: vec!["id".into()],
            values: owners,
        });
    }
    if let Some(text) = short_text(filter, "email", &mut problems) {
        let people = every(
            ctx,
            CUSTOMER,
            Filter::text("email", TextMode::Contains, text, true),
        )
        .await?
        .iter()
        .map(|c| c.body["id"].clone())
        .collect();
        let linked = every(
            ctx,
            CONTACT.kind,
            Filter::In {
                path: Filter::path("customer.id"),
                values: people,
            },
        )
        .await?;
        let owners = linked
            .iter()
            .map(|c| c.body[parts::OWNER].clone())
            .collect();
        filters.push(Filter::In {
            path: vec!["id".into()],
            values: owners,
        });
    }
    page_of(
        ctx,
        CORPORATE,
        "customersCorporate",
        paging,
        filters,
        problems,
    )
    .await
}

/// `POST /api/v5/customers-corporate/fix-external-ids`: `customersCorporate=[{id,
/// externalId}]`, all or none, as the customers'.
pub async fn fix_external_ids(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    crate::customers::fix::fix_of(ctx, request, CORPORATE, "customersCorporate").await
}

/// `POST /api/v5/customers-corporate/combine`: `customers=[{id}]` into
/// `resultCustomer={id}`, as the customers': the result keeps its fields and gains every
/// address, company and contact person of the others (each a new part in its history;
/// the result's main ones stay main), and the others are removed (`deleted` records with
/// `combinedTo`). A contact person already linked to the result is dropped.
pub async fn combine(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (result, combined) = load_all(ctx, request, CORPORATE).await?;
    let mut journal = Journal::new(ctx).await?;
    let target = identity(&result.body);
    retire(ctx, &mut journal, &target, &combined);
    let mut owner = result.body.clone();
    let result_id = result.body["id"].clone();
    let linked: Vec<Value> = parts::all(ctx, &CONTACT, &result_id)
        .await?
        .into_iter()
        .map(|c| c.body["customer"]["id"].clone())
        .collect();
    for part in [&ADDRESS, &COMPANY, &CONTACT] {
        for doc in &combined {
            for moved in parts::all(ctx, part, &doc.body["id"]).await? {
                if part.kind == CONTACT.kind && linked.contains(&moved.body["customer"]["id"]) {
                    continue;
                }
                let mut body = moved.body.as_object().cloned().unwrap_or_default();
                body.remove("_owner");
                let mut new = parts::document(ctx, part, &result_id, body);
                new.version = moved.version;
                let main = owner[part.main].is_null().then_some(true).or(Some(false));
                let is_main = parts::set_main(part, &mut owner, &new.body, main);
                let mut named = parts::identity(&new.body);
                named["isMain"] = json!(is_main);
                journal.part(
                    (&result.key, "customer", &target),
                    (part.name, named),
                    None,
                    new,
                );
            }
        }
    }
    if owner != result.body {
        let mut doc = document(ctx, owner);
        doc.version = result.version;
        journal.update(&result, doc, "customer", target.clone());
    }
    journal.commit(taken).await?;
    Ok(ok(success(json!({}))))
}
