//! `store/products/batch/create` and `batch/edit`: up to 50 products or services a
//! request, each with its offers. A request is written whole or not at all (*Inferred*:
//! the seed names one error for the request): any problem is a 400 with the seed's
//! message and the problems keyed `products[i][field]` (`products[i][offers][j][field]`).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, Write};

use super::{all, commit, offers, products, put, OFFER, PRODUCT};
use crate::currencies;
use crate::customers::fields::Problems;
use crate::customers::{self, keyed};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::{created, ok};
use crate::request::{success, timestamp, Ctx, RetailRequest};
use crate::sites;

/// At most this many products a request (the seed).
const LIMIT: usize = 50;
const CREATE_ERROR: &str = "An error occurred while adding products or the array is too large";
const EDIT_ERROR: &str = "Error when changing products or the array is too large";

fn failure(message: &str, errors: Problems) -> RetailError {
    RetailError {
        errors,
        ..RetailError::new(StatusCode::BAD_REQUEST, message)
    }
}

/// `products=<json list>` of 1 to 50 objects, else the method's 400.
fn documents(request: &RetailRequest<'_>, message: &str) -> RetailResult<Vec<Map<String, Value>>> {
    let too_many = || {
        failure(
            message,
            BTreeMap::from([(
                "products".to_owned(),
                "This collection should contain 1 element or more and 50 elements or less."
                    .to_owned(),
            )]),
        )
    };
    let Value::Array(list) = request.document("products")? else {
        return Err(too_many());
    };
    if list.is_empty() || list.len() > LIMIT {
        return Err(too_many());
    }
    let mut docs = Vec::new();
    let mut problems = Problems::new();
    for (i, doc) in list.into_iter().enumerate() {
        match doc {
            Value::Object(map) => docs.push(map),
            _ => {
                problems.insert(format!("products[{i}]"), texts::CHOICE.into());
            }
        }
    }
    if problems.is_empty() {
        Ok(docs)
    } else {
        Err(failure(message, problems))
    }
}

/// Moves `own` problems into `problems` under `prefix` (`products[0]`): `name` becomes
/// `products[0][name]`, `prices[1][price]` becomes `products[0][prices][1][price]`.
fn nest(problems: &mut Problems, prefix: &str, own: Problems) {
    for (field, text) in own {
        let (head, rest) = field
            .split_once('[')
            .map_or((field.as_str(), ""), |(h, r)| (h, r));
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!("[{rest}")
        };
        problems.insert(format!("{prefix}[{head}]{rest}"), text);
    }
}

/// An external id taken in the site by another product or offer. *Inferred* text.
fn taken(message: &'static str) -> impl FnOnce(&str) -> RetailError {
    move |_| {
        failure(
            message,
            BTreeMap::from([(
                "externalId".to_owned(),
                "A product or offer with the same externalId already exists in the site."
                    .to_owned(),
            )]),
        )
    }
}

/// Reads the offers a product document gives (`offers[]`) over `existing` ones of the
/// product: one is matched by `id`, else `externalId`, else `xmlId`; an `id` that names
/// none of the product's offers is a problem, an offer matching none is new. Returns
/// the offers, stored (with their document) or new.
fn read_offers(
    doc: &Map<String, Value>,
    existing: &[Document],
    currency: &str,
    problems: &mut Problems,
) -> Vec<(Option<Document>, Map<String, Value>)> {
    let mut read = Vec::new();
    let given = doc.get("offers").and_then(Value::as_array).cloned();
    if doc
        .get("offers")
        .is_some_and(|o| !o.is_array() && !o.is_null())
    {
        problems.insert("offers".into(), texts::CHOICE.into());
    }
    for (j, offer_doc) in given.into_iter().flatten().enumerate() {
        let Some(offer_doc) = offer_doc.as_object() else {
            problems.insert(format!("offers[{j}]"), texts::CHOICE.into());
            continue;
        };
        let matched = existing.iter().find(|o| match offer_doc.get("id") {
            Some(id) if !id.is_null() => o.body["id"] == *id,
            _ => ["externalId", "xmlId"].iter().any(|f| {
                offer_doc
                    .get(*f)
                    .is_some_and(|v| !v.is_null() && o.body[*f] == *v)
            }),
        });
        if matched.is_none() && offer_doc.get("id").is_some_and(|v| !v.is_null()) {
            problems.insert(format!("offers[{j}][id]"), "Offer not found.".into());
            continue;
        }
        let mut offer = matched
            .and_then(|d| d.body.as_object().cloned())
            .unwrap_or_default();
        let mut own = Problems::new();
        offers::read(offer_doc, &mut offer, currency, &mut own);
        nest(problems, &format!("offers[{j}]"), own);
        read.push((matched.cloned(), offer));
    }
    read
}

/// The writes of a product and its offers: new offers get their ids, every offer the
/// product's id, site and (without a name of its own) the product's name.
async fn writes(
    ctx: &Ctx,
    product: &Map<String, Value>,
    before: Option<&Document>,
    offers: Vec<(Option<Document>, Map<String, Value>)>,
) -> RetailResult<Vec<Write>> {
    let mut out = vec![put(
        keyed(ctx, PRODUCT, Value::Object(product.clone())),
        before,
    )];
    for (stored, mut offer) in offers {
        if stored.is_none() {
            offer.insert("id".into(), json!(ctx.next_id(OFFER).await?));
            offer.insert("stores".into(), json!([]));
        }
        offer.insert("productId".into(), product["id"].clone());
        offer.insert("site".into(), product["site"].clone());
        if !offer.contains_key("name") {
            offer.insert("name".into(), product["name"].clone());
        }
        out.push(put(
            keyed(ctx, OFFER, Value::Object(offer)),
            stored.as_ref(),
        ));
    }
    Ok(out)
}

/// `POST /api/v5/store/products/batch/create`: `products=<json list>` of 1 to 50, each
/// with `name` and `catalogId` (required), `type` (`product`, the default, or
/// `service`), the fields `products::read` takes and `offers[]` (`offers::read`). A
/// product given no offers gets one, named like it (*Inferred*: every product is sold
/// through an offer, as in the vendor's catalog). 201 `{"success": true,
/// "processedProductsCount", "addedProducts": [ids]}`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let docs = documents(request, CREATE_ERROR)?;
    let currency = currencies::base_code(ctx).await?;
    let mut problems = Problems::new();
    let mut read = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let mut product = Map::new();
        let mut own = Problems::new();
        products::read(ctx, doc, &mut product, &mut own).await?;
        let mut offers = read_offers(doc, &[], &currency, &mut own);
        if offers.is_empty() {
            offers.push((None, Map::new()));
            offers::read(&Map::new(), &mut offers[0].1, &currency, &mut own);
        }
        nest(&mut problems, &format!("products[{i}]"), own);
        read.push((product, offers));
    }
    if !problems.is_empty() {
        return Err(failure(CREATE_ERROR, problems));
    }
    let mut all_writes = Vec::new();
    let mut added = Vec::new();
    for (mut product, offers) in read {
        let id = ctx.next_id(PRODUCT).await?;
        product.insert("id".into(), json!(id));
        product.insert("createdAt".into(), json!(timestamp(ctx.now)));
        added.push(id);
        all_writes.extend(writes(ctx, &product, None, offers).await?);
    }
    commit(ctx, all_writes, taken(CREATE_ERROR)).await?;
    Ok(created(success(json!({
        "processedProductsCount": added.len(),
        "addedProducts": added,
    }))))
}

/// The product an edit document names: by `id`, else by `externalId` in `site` (the
/// seed's order); `None` when there is none the key reaches.
async fn named(ctx: &Ctx, doc: &Map<String, Value>) -> RetailResult<Option<Document>> {
    let found = match (doc.get("id").and_then(Value::as_i64), doc.get("externalId")) {
        (Some(id), _) => {
            ctx.core
                .entities
                .find(&ctx.scope, PRODUCT, &id.to_string())
                .await?
        }
        (None, Some(Value::String(external))) => {
            let site = match doc.get("site").and_then(Value::as_str) {
                Some(site) => Some(sites::check(ctx, site).await?),
                None => None,
            };
            customers::by_external_id(ctx, PRODUCT, site.as_deref(), external).await?
        }
        _ => None,
    };
    Ok(found.filter(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default())))
}

/// `POST /api/v5/store/products/batch/edit`: `products=<json list>` of 1 to 50, each
/// naming its product by `id`, else `externalId` and `site`; only the fields given change
/// (`products::read`), `offers[]` change the offers they name and add the others (the
/// offers left out stay). A catalog change moves the offers with the product. Products
/// not found are skipped and named in `notFoundProducts` (`{id, externalId}`). 200
/// `{"success": true, "processedProductsCount", "notFoundProducts"}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let docs = documents(request, EDIT_ERROR)?;
    let currency = currencies::base_code(ctx).await?;
    let mut problems = Problems::new();
    let mut not_found = Vec::new();
    let mut read = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(before) = named(ctx, doc).await? else {
            let mut missing = Map::new();
            for field in ["id", "externalId"] {
                if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
                    missing.insert(field.into(), value.clone());
                }
            }
            not_found.push(Value::Object(missing));
            continue;
        };
        let mut product = before.body.as_object().cloned().unwrap_or_default();
        let mut own = Problems::new();
        products::read(ctx, doc, &mut product, &mut own).await?;
        let existing = all(
            ctx,
            OFFER,
            Some(Filter::eq("productId", product["id"].clone())),
        )
        .await?;
        let mut offers = read_offers(doc, &existing, &currency, &mut own);
        if product["site"] != before.body["site"] {
            for stored in &existing {
                if !offers
                    .iter()
                    .any(|(s, _)| s.as_ref().is_some_and(|s| s.key == stored.key))
                {
                    let body = stored.body.as_object().cloned().unwrap_or_default();
                    offers.push((Some(stored.clone()), body));
                }
            }
        }
        nest(&mut problems, &format!("products[{i}]"), own);
        read.push((before, product, offers));
    }
    if !problems.is_empty() {
        return Err(failure(EDIT_ERROR, problems));
    }
    let mut all_writes = Vec::new();
    let processed = read.len();
    for (before, mut product, offers) in read {
        product.insert("updatedAt".into(), json!(timestamp(ctx.now)));
        all_writes.extend(writes(ctx, &product, Some(&before), offers).await?);
    }
    commit(ctx, all_writes, taken(EDIT_ERROR)).await?;
    Ok(ok(success(json!({
        "processedProductsCount": processed,
        "notFoundProducts": not_found,
    }))))
}
