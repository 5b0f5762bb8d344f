//! Finding offers, for the catalog's own methods and for other modules (order items name
//! offers by `id`, `externalId` or `xmlId`): an offer with its product, its prices, its
//! purchase price and its stock. The orders module is to call `find_offer` (issue 9);
//! until it does, parts of this API are unused.
#![allow(dead_code)]

use serde_json::{json, Value};
use twin_store::{Document, Filter};

use super::offers::{self, price_of};
use super::{all, in_reach, num, OFFER, PRODUCT};
use crate::customers;
use crate::error::RetailResult;
use crate::request::Ctx;

/// An offer and its product, as stored.
#[derive(Debug, Clone)]
pub struct FoundOffer {
    pub offer: Document,
    pub product: Value,
}

impl FoundOffer {
    pub fn id(&self) -> i64 {
        self.offer.body["id"].as_i64().unwrap_or_default()
    }

    /// The offer's name (its product's when it has none).
    pub fn name(&self) -> &str {
        self.offer.body["name"]
            .as_str()
            .or(self.product["name"].as_str())
            .unwrap_or_default()
    }

    pub fn product_name(&self) -> &str {
        self.product["name"].as_str().unwrap_or_default()
    }

    /// The price of `price_type` (the base price when `None`).
    pub fn price(&self, price_type: Option<&str>) -> Option<f64> {
        price_of(&self.offer.body, price_type)
    }

    pub fn purchase_price(&self) -> Option<f64> {
        self.offer.body["purchasePrice"].as_f64()
    }

    /// The stock over every store.
    pub fn quantity(&self) -> f64 {
        offers::quantity(&self.offer.body)
    }

    pub fn is_service(&self) -> bool {
        self.product["type"] == "service"
    }

    /// What an order item may show of it: `{id, externalId, xmlId, name, article,
    /// displayName, prices, purchasePrice, quantity, unit, properties}`.
    pub fn summary(&self) -> Value {
        let mut shown = offers::render(&self.offer.body);
        shown["displayName"] = json!(self.name());
        shown["productName"] = json!(self.product_name());
        if let Some(price) = self.purchase_price() {
            shown["purchasePrice"] = num(price);
        }
        shown
    }
}

/// The offer `link` names: by `id`, else by `externalId` (within `site` when given),
/// else by `xmlId`; only offers of sites the key reaches. `None` when there is none.
pub async fn find_offer(
    ctx: &Ctx,
    link: &Value,
    site: Option<&str>,
) -> RetailResult<Option<FoundOffer>> {
    let found = if let Some(id) = link["id"].as_i64() {
        by_id(ctx, id).await?
    } else if let Some(external) = link["externalId"].as_str() {
        customers::by_external_id(ctx, OFFER, site, external).await?
    } else if let Some(xml) = link["xmlId"].as_str() {
        by_xml_id(ctx, xml, site).await?.into_iter().next()
    } else {
        None
    };
    match found.filter(|doc| reachable(ctx, doc)) {
        Some(offer) => with_product(ctx, offer).await,
        None => Ok(None),
    }
}

fn reachable(ctx: &Ctx, doc: &Document) -> bool {
    ctx.may_reach(doc.body["site"].as_str().unwrap_or_default())
}

/// The offer with this id.
pub async fn by_id(ctx: &Ctx, id: i64) -> RetailResult<Option<Document>> {
    let found = ctx
        .core
        .entities
        .find(&ctx.scope, OFFER, &id.to_string())
        .await?;
    Ok(found.filter(|doc| reachable(ctx, doc)))
}

/// Every offer with this `xmlId` (in `site` when given) the key reaches: the id of the
/// warehouse system need not be unique.
pub async fn by_xml_id(ctx: &Ctx, xml_id: &str, site: Option<&str>) -> RetailResult<Vec<Document>> {
    let mut filters = vec![Filter::eq("xmlId", xml_id)];
    filters.extend(in_reach(ctx));
    if let Some(site) = site {
        filters.push(Filter::eq("site", site));
    }
    all(ctx, OFFER, Some(Filter::And(filters))).await
}

/// The offer with its product (`None` for an offer whose product is gone).
pub async fn with_product(ctx: &Ctx, offer: Document) -> RetailResult<Option<FoundOffer>> {
    let product_id = offer.body["productId"].to_string();
    let product = ctx
        .core
        .entities
        .find(&ctx.scope, PRODUCT, &product_id)
        .await?;
    Ok(product.map(|product| FoundOffer {
        offer,
        product: product.body,
    }))
}
