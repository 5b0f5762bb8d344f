//! `GET /api/v5/store/products/properties` and `.../properties/values`: the properties the
//! catalog's products and offers carry, derived from them (there is no method to define
//! a property: a property exists while some product or offer has it). A property is
//! `{code, name, visible, variative, sites, groups}`: `name` the one a product gave it
//! (else its code), `visible` true (*Inferred*: the API gives no way to hide one),
//! `variative` whether offers carry it (the seed: used when creating variations),
//! `sites` and `groups` those of the products that have it.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Value};

use super::list::{page, Catalog, Criteria};
use crate::error::RetailResult;
use crate::request::{Ctx, RetailRequest};

#[derive(Default)]
struct Property {
    name: Option<String>,
    variative: bool,
    sites: Vec<String>,
    groups: Vec<i64>,
    values: Vec<String>,
}

impl Property {
    fn add(&mut self, entity: &Value, code: &str, value: &Value, product: &Value) {
        if let Some(name) = entity["_propertyNames"][code].as_str() {
            self.name.get_or_insert_with(|| name.to_owned());
        }
        if let Some(site) = product["site"].as_str() {
            if !self.sites.iter().any(|s| s == site) {
                self.sites.push(site.to_owned());
            }
        }
        for group in product["groups"].as_array().into_iter().flatten() {
            if let Some(id) = group["id"].as_i64().filter(|id| !self.groups.contains(id)) {
                self.groups.push(id);
            }
        }
        if let Some(text) = value
            .as_str()
            .filter(|t| !self.values.iter().any(|v| v == t))
        {
            self.values.push(text.to_owned());
        }
    }

    fn render(&self, code: &str) -> Value {
        json!({
            "code": code,
            "name": self.name.clone().unwrap_or_else(|| code.to_owned()),
            "visible": true,
            "variative": self.variative,
            "sites": self.sites,
            "groups": self.groups.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
        })
    }
}

/// The properties of the products the filters keep, by code, with the filters on the
/// properties themselves applied: `ids[]` (products or services), `sites[]`,
/// `catalogs[]`, `groups[]` (and their subgroups), `name` (any part, case-insensitive),
/// `code`, `visible`, `variative`.
async fn derived(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
) -> RetailResult<BTreeMap<String, Property>> {
    let filter = request.filter();
    let mut c = Criteria::new(filter);
    let ids = c.integers("ids");
    let catalogs = c.integers("catalogs");
    let groups = c.groups(ctx).await?;
    let name = c.text("name").map(str::to_lowercase);
    let code = c.text("code");
    let visible = c.flag("visible");
    let variative = c.flag("variative");
    c.finish()?;
    let catalog = Catalog::load(ctx, filter).await?;
    let mut found: BTreeMap<String, Property> = BTreeMap::new();
    for product in &catalog.products {
        let keep = ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| product["id"] == *id))
            && catalogs
                .as_ref()
                .is_none_or(|c| c.iter().any(|c| product["catalogId"] == *c))
            && groups.as_ref().is_none_or(|g| {
                product["groups"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["id"].as_i64().is_some_and(|id| g.contains(&id)))
            });
        if !keep {
            continue;
        }
        let offers = catalog.offers_of(product);
        let carriers =
            std::iter::once((product, false)).chain(offers.into_iter().map(|o| (o, true)));
        for (entity, is_offer) in carriers {
            for (code, value) in entity["properties"].as_object().into_iter().flatten() {
                let property = found.entry(code.clone()).or_default();
                property.variative |= is_offer;
                property.add(entity, code, value, product);
            }
        }
    }
    found.retain(|key, property| {
        let shown_name = property
            .name
            .clone()
            .unwrap_or_else(|| key.clone())
            .to_lowercase();
        name.as_ref()
            .is_none_or(|n| shown_name.contains(n.as_str()))
            && code.is_none_or(|c| c == key)
            && visible.is_none_or(|v| v)
            && variative.is_none_or(|v| v == property.variative)
    });
    Ok(found)
}

/// `GET /api/v5/store/products/properties`: `limit`, `page` and the filters of
/// `derived`; `{pagination, properties}` in code order.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let found = derived(ctx, request).await?;
    let items = found.iter().map(|(code, p)| p.render(code)).collect();
    Ok(page(paging, "properties", items))
}

/// `GET /api/v5/store/products/properties/values`: the same filters; each value a
/// property has, once: `{pagination, productPropertyValues: [{property: {code, name},
/// value}]}` (*Inferred*: the seed's answer table is cut short), by property code and
/// then in the order the values appeared.
pub async fn values(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let found = derived(ctx, request).await?;
    let items = found
        .iter()
        .flat_map(|(code, p)| {
            let property = json!({ "code": code, "name": p.render(code)["name"] });
            p.values
                .iter()
                .map(move |value| json!({ "property": property, "value": value }))
        })
        .collect();
    Ok(page(paging, "productPropertyValues", items))
}
