//! The addresses of a corporate customer.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Filter, TextMode};

use super::parts::{self, Part};
use crate::customers::entity;
use crate::customers::fields::{checked_text, Problems};
use crate::customers::list::short_text;
use crate::error::{texts, RetailError, RetailResult};
use crate::request::{Ctx, RetailRequest};

pub const ADDRESS: Part = Part {
    kind: "customer_corporate_address",
    name: "address",
    member: "addresses",
    main: "mainAddress",
};

/// The most addresses a corporate customer has (the seed's limit).
const MAX: usize = 100;

/// Text fields of an address (SerializedCustomerAddress).
const TEXTS: [&str; 16] = [
    "index",
    "countryIso",
    "region",
    "city",
    "cityType",
    "street",
    "streetType",
    "building",
    "flat",
    "house",
    "housing",
    "metro",
    "notes",
    "text",
    "externalId",
    "name",
];

/// Integer fields of an address.
const INTEGERS: [&str; 5] = ["regionId", "cityId", "streetId", "floor", "block"];

/// The parts of a detailed address its `text` is made of, in order.
const TEXT_PARTS: [&str; 8] = [
    "index", "region", "city", "street", "house", "building", "housing", "flat",
];

/// Reads an address document into `into` (`null` clears a field); problems are keyed by
/// `prefix` and the field (`address[city]`). A detailed address without `text` gets one
/// made of its parts, joined by ", " (*Inferred*: the seed says it is generated).
pub fn read(doc: &Map<String, Value>, into: &mut Map<String, Value>, problems: &mut Problems) {
    for (name, value) in doc {
        let known = TEXTS.contains(&name.as_str()) || INTEGERS.contains(&name.as_str());
        if !known {
            continue;
        }
        if value.is_null() {
            into.remove(name);
            continue;
        }
        let read = if INTEGERS.contains(&name.as_str()) {
            let number = value
                .as_i64()
                .or_else(|| value.as_str().and_then(|s| s.parse().ok()));
            if number.is_none() {
                problems.insert(name.clone(), texts::INTEGER.to_owned());
            }
            number.map(Value::from)
        } else {
            checked_text(problems, name, value)
        };
        if let Some(read) = read {
            into.insert(name.clone(), read);
        }
    }
    if !doc.contains_key("text") || into.get("text").is_none() {
        let text: Vec<String> = TEXT_PARTS
            .iter()
            .filter_map(|part| into.get(*part).and_then(Value::as_str))
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect();
        if !text.is_empty() {
            into.insert("text".into(), json!(text.join(", ")));
        }
    }
}

/// `GET /api/v5/customers-corporate/{externalId}/addresses`: `by`, `site`, `limit`,
/// `page`, `filter[ids][]`, `filter[name]`, `filter[city]`, `filter[region]` (any part,
/// case-insensitive).
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters = Vec::new();
    for name in ["name", "city", "region"] {
        if let Some(text) = short_text(filter, name, &mut problems) {
            filters.push(Filter::text(name, TextMode::Contains, text, true));
        }
    }
    parts::list(ctx, &ADDRESS, request, filters, problems).await
}

/// `POST /api/v5/customers-corporate/{externalId}/addresses/create`: `address=<json>`,
/// `by`, `site`; 201 `{"id": N}`. At most 100 addresses per corporate customer.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "address")?;
    let owner = parts::owner(ctx, request).await?;
    if parts::all(ctx, &ADDRESS, &owner.body["id"]).await?.len() >= MAX {
        return Err(RetailError::bad_request(
            "No more than 100 addresses can be created for a customer",
        ));
    }
    let mut problems = Problems::new();
    let mut body = Map::new();
    read(&doc, &mut body, &mut problems);
    let is_main = parts::is_main(&doc, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = json!(parts::next_ids(ctx, &ADDRESS, 1).await?);
    body.insert("id".into(), id.clone());
    let journal = parts::stage(ctx, &ADDRESS, &owner, None, body, is_main).await?;
    parts::finish(journal, &id, true).await
}

/// `POST /api/v5/customers-corporate/{externalId}/addresses/{entityExternalId}/edit`:
/// `address=<json>` with the fields to change, `by`, `entityBy`, `site`; `{"id": N}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "address")?;
    let owner = parts::owner(ctx, request).await?;
    let before = parts::find(ctx, &ADDRESS, &owner, request).await?;
    let mut body = before.body.as_object().cloned().unwrap_or_default();
    let mut problems = Problems::new();
    read(&doc, &mut body, &mut problems);
    let is_main = parts::is_main(&doc, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = before.body["id"].clone();
    let journal = parts::stage(ctx, &ADDRESS, &owner, Some(&before), body, is_main).await?;
    parts::finish(journal, &id, false).await
}
