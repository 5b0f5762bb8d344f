//! Stock and purchase prices per offer and store: `store/inventories` (list) and
//! `store/inventories/upload`. An offer keeps one line per store of the account's
//! `reference/stores` (`{store, quantity, purchasePrice}`); its stock anywhere else (the
//! catalog lists, order items) is their sum, derived when read.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use super::list::{page, Catalog, Criteria};
use super::read::{by_id, by_xml_id};
use super::{commit, num, offers, put, OFFER};
use crate::customers::fields::Problems;
use crate::customers::{self, keyed};
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::fields::amount;
use crate::reference::{self, STORES};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};
use crate::sites;

/// At most this many offers an upload, and stores an offer (the seed).
const OFFERS_LIMIT: usize = 250;
const STORES_LIMIT: usize = 500;
const UPLOAD_ERROR: &str =
    "Error on leftover stocks uploading, or the current system settings don't allow to edit stocks";

fn failure(errors: Problems) -> RetailError {
    RetailError {
        errors,
        ..RetailError::new(StatusCode::BAD_REQUEST, UPLOAD_ERROR)
    }
}

/// One offer of the inventory list: `{id, externalId, xmlId, quantity, purchasePrice}`,
/// its `site` when the list spans several sites, and with `details` its per-store lines
/// (`stores: [{store, quantity, purchasePrice}]`).
fn render(offer: &Value, details: bool, with_site: bool) -> Value {
    let mut shown = json!({ "id": offer["id"], "quantity": num(offers::quantity(offer)) });
    for field in ["externalId", "xmlId"] {
        if !offer[field].is_null() {
            shown[field] = offer[field].clone();
        }
    }
    if let Some(price) = offer["purchasePrice"].as_f64() {
        shown["purchasePrice"] = num(price);
    }
    if with_site {
        shown["site"] = offer["site"].clone();
    }
    if details {
        shown["stores"] = offer["stores"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|line| {
                let mut line = line.clone();
                line["quantity"] = num(line["quantity"].as_f64().unwrap_or_default());
                if let Some(price) = line["purchasePrice"].as_f64() {
                    line["purchasePrice"] = num(price);
                }
                line
            })
            .collect();
    }
    shown
}

/// `GET /api/v5/store/inventories`: `limit`, `page`, `filter[...]`: `ids[]` (offers),
/// `sites[]`, `details` (the per-store lines), `productExternalId`, `productArticle`,
/// `productActive`, `offerExternalId`, `offerXmlId`, `offerArticle`, `offerActive`. The
/// offers of products, both active and not unless asked (services keep no stock), in id
/// order; `site` only when the answer spans several sites (the seed).
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut c = Criteria::new(filter);
    let ids = c.integers("ids");
    let details = c.flag("details").unwrap_or(false);
    let exact: Vec<(bool, &str, &str)> = [
        (true, "productExternalId", "externalId"),
        (true, "productArticle", "article"),
        (false, "offerExternalId", "externalId"),
        (false, "offerXmlId", "xmlId"),
        (false, "offerArticle", "article"),
    ]
    .into_iter()
    .filter_map(|(of_product, name, field)| c.text(name).map(|v| (of_product, field, v)))
    .collect();
    let product_active = c.flag("productActive");
    let offer_active = c.flag("offerActive");
    c.finish()?;
    let catalog = Catalog::load(ctx, filter).await?;
    let pairs: Vec<(&Value, &Value)> = catalog
        .pairs()
        .into_iter()
        .filter(|(product, offer)| {
            product["type"] != "service"
                && ids
                    .as_ref()
                    .is_none_or(|ids| ids.iter().any(|id| offer["id"] == *id))
                && exact.iter().all(|(of_product, field, value)| {
                    let entity = if *of_product { product } else { offer };
                    entity[*field] == *value
                })
                && product_active.is_none_or(|a| product["active"] == a)
                && offer_active.is_none_or(|a| offer["active"] == a)
        })
        .collect();
    let mut site_codes: Vec<&Value> = pairs.iter().map(|(_, o)| &o["site"]).collect();
    site_codes.dedup();
    let with_site = site_codes.len() > 1;
    let items = pairs
        .into_iter()
        .map(|(_, offer)| render(offer, details, with_site))
        .collect();
    Ok(page(paging, "offers", items))
}

/// The offers an upload entry names: by `id`, else `xmlId` (every offer with it), else
/// `externalId` within `site` (the seed's order).
async fn named(ctx: &Ctx, entry: &Value, site: Option<&str>) -> RetailResult<Vec<Document>> {
    if let Some(id) = entry["id"].as_i64() {
        Ok(by_id(ctx, id).await?.into_iter().collect())
    } else if let Some(xml) = entry["xmlId"].as_str() {
        by_xml_id(ctx, xml, site).await
    } else if let Some(external) = entry["externalId"].as_str() {
        Ok(customers::by_external_id(ctx, OFFER, site, external)
            .await?
            .filter(|d| ctx.may_reach(d.body["site"].as_str().unwrap_or_default()))
            .into_iter()
            .collect())
    } else {
        Ok(Vec::new())
    }
}

/// The store lines of an upload entry, checked: `code` an active store of the account,
/// `available` and `purchasePrice` numbers ≥ 0 (`available` may be fractional).
fn lines(entry: &Value, i: usize, stores: &[String], problems: &mut Problems) -> Vec<Value> {
    let given = entry["stores"].as_array().cloned().unwrap_or_default();
    if given.len() > STORES_LIMIT {
        problems.insert(
            format!("offers[{i}][stores]"),
            "This collection should contain 500 elements or less.".into(),
        );
        return Vec::new();
    }
    let mut read = Vec::new();
    for (j, line) in given.iter().enumerate() {
        let path = format!("offers[{i}][stores][{j}]");
        let code = line["code"]
            .as_str()
            .filter(|c| stores.iter().any(|s| s == c));
        let Some(code) = code else {
            problems.insert(format!("{path}[code]"), texts::CHOICE.into());
            continue;
        };
        let mut out = json!({ "store": code });
        for (field, into) in [
            ("available", "quantity"),
            ("purchasePrice", "purchasePrice"),
        ] {
            if let Some(value) = line.get(field).filter(|v| !v.is_null()) {
                if let Some(n) = amount(problems, &format!("{path}[{field}]"), value) {
                    out[into] = n;
                }
            }
        }
        read.push(out);
    }
    read
}

/// Sets the offer's lines of the stores given; a purchase price given for a store is
/// also the offer's own (the latest one uploaded, *Inferred*).
fn apply(offer: &mut Map<String, Value>, given: &[Value]) {
    let mut stored = offer
        .get("stores")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for line in given {
        let at = match stored.iter().position(|l| l["store"] == line["store"]) {
            Some(at) => at,
            None => {
                stored.push(json!({ "store": line["store"], "quantity": 0.0 }));
                stored.len() - 1
            }
        };
        for field in ["quantity", "purchasePrice"] {
            if !line[field].is_null() {
                stored[at][field] = line[field].clone();
            }
        }
        if !line["purchasePrice"].is_null() {
            offer.insert("purchasePrice".into(), line["purchasePrice"].clone());
        }
    }
    offer.insert("stores".into(), Value::Array(stored));
}

/// `POST /api/v5/store/inventories/upload`: `offers=<json list>` of up to 250, each naming
/// an offer by `id`, `xmlId` or `externalId` (with `site`) and its `stores[]` (up to 500:
/// `code`, `available`, `purchasePrice`). Offers of services are left alone (the seed);
/// entries naming no offer are answered in `notFoundOffers`. All lines are written in one
/// transaction. 200 `{"success": true, "processedOffersCount", "notFoundOffers"}`.
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let entries = match request.document("offers")? {
        Value::Array(list) if !list.is_empty() && list.len() <= OFFERS_LIMIT => list,
        _ => {
            return Err(failure(BTreeMap::from([(
                "offers".to_owned(),
                "This collection should contain 1 element or more and 250 elements or less."
                    .to_owned(),
            )])))
        }
    };
    let site = sites::resolve(ctx, request).await?;
    let stores = reference::codes(ctx, STORES).await?;
    let mut problems = Problems::new();
    let mut changed: BTreeMap<String, (Document, Map<String, Value>)> = BTreeMap::new();
    let mut not_found = Vec::new();
    let mut processed = 0;
    for (i, entry) in entries.iter().enumerate() {
        if ["id", "xmlId", "externalId"]
            .iter()
            .all(|f| entry[*f].is_null())
        {
            problems.insert(
                format!("offers[{i}]"),
                "The offer must have one of id, xmlId or externalId.".into(),
            );
            continue;
        }
        let given = lines(entry, i, &stores, &mut problems);
        let found = named(ctx, entry, site.as_deref()).await?;
        if found.is_empty() {
            let mut missing = Map::new();
            for field in ["id", "externalId", "xmlId"] {
                if !entry[field].is_null() {
                    missing.insert(field.into(), entry[field].clone());
                }
            }
            not_found.push(Value::Object(missing));
            continue;
        }
        processed += 1;
        for doc in found {
            let product = super::read::with_product(ctx, doc.clone()).await?;
            if product.is_none_or(|p| p.is_service()) {
                continue;
            }
            let key = doc.key.id.clone();
            let (_, body) = changed.entry(key).or_insert_with(|| {
                let body = doc.body.as_object().cloned().unwrap_or_default();
                (doc, body)
            });
            apply(body, &given);
        }
    }
    if !problems.is_empty() {
        return Err(failure(problems));
    }
    let writes = changed
        .into_values()
        .map(|(before, body)| put(keyed(ctx, OFFER, Value::Object(body)), Some(&before)))
        .collect();
    commit(ctx, writes, |_| failure(Problems::new())).await?;
    Ok(ok(success(json!({
        "processedOffersCount": processed,
        "notFoundOffers": not_found,
    }))))
}
