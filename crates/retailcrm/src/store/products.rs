//! A product's (or service's) fields as batch create and edit read them, and a product as
//! the lists show it: with its offers, its price range and its stock.

use serde_json::{json, Map, Value};

use super::offers::{self, price_of};
use super::{catalog_site, groups, num};
use crate::customers::fields::{boolean, checked_text, Problems};
use crate::error::{texts, RetailResult};
use crate::orders::fields::integer;
use crate::request::Ctx;

pub const TYPES: [&str; 2] = ["product", "service"];
const TEXTS: [&str; 7] = [
    "name",
    "article",
    "url",
    "imageUrl",
    "externalId",
    "manufacturer",
    "xmlId",
];
const FLAGS: [&str; 6] = [
    "popular",
    "stock",
    "novelty",
    "recommended",
    "active",
    "markable",
];

/// Reads `doc` over `product` (a stored product, or `{}` for a new one), each problem
/// keyed by field. `catalogId` must name the catalog of a site the key reaches; changing
/// it clears the product's groups and properties (the seed). Groups are named by `id`,
/// else `externalId`, within the catalog; `[]` clears them. A service has no
/// `manufacturer` nor `markable` (the seed: ignored).
pub async fn read(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    product: &mut Map<String, Value>,
    problems: &mut Problems,
) -> RetailResult<()> {
    if let Some(value) = doc.get("type").filter(|v| !v.is_null()) {
        match value.as_str().filter(|t| TYPES.contains(t)) {
            Some(kind) if product.get("type").is_none_or(|t| t == kind) => {
                product.insert("type".into(), json!(kind));
            }
            _ => {
                problems.insert("type".into(), texts::CHOICE.into());
            }
        }
    }
    product.entry("type").or_insert(json!("product"));
    if let Some(value) = doc.get("catalogId").filter(|v| !v.is_null()) {
        let id = integer(problems, "catalogId", value).and_then(|v| v.as_i64());
        if let Some(id) = id {
            match catalog_site(ctx, id).await? {
                Some(site) => {
                    if product.get("catalogId").is_some_and(|c| c != id) {
                        product.insert("groups".into(), json!([]));
                        product.insert("properties".into(), json!({}));
                        product.insert("_propertyNames".into(), json!({}));
                    }
                    product.insert("catalogId".into(), json!(id));
                    product.insert("site".into(), json!(site));
                }
                None => {
                    problems.insert("catalogId".into(), "Catalog not found.".into());
                }
            }
        }
    }
    if doc
        .get("name")
        .is_some_and(|n| n.as_str().is_some_and(|n| n.trim().is_empty()))
    {
        problems.insert("name".into(), texts::BLANK.into());
    }
    for field in TEXTS {
        if let Some(value) = doc
            .get(field)
            .filter(|v| !v.is_null() && !problems.contains_key(field))
        {
            if let Some(text) = checked_text(problems, field, value) {
                product.insert(field.into(), text);
            }
        }
    }
    if let Some(value) = doc.get("description").filter(|v| !v.is_null()) {
        product.insert(
            "description".into(),
            json!(value.as_str().unwrap_or_default()),
        );
    }
    for field in FLAGS {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            match boolean(value) {
                Some(flag) => {
                    product.insert(field.into(), json!(flag));
                }
                None => {
                    problems.insert(field.into(), texts::BOOLEAN.into());
                }
            }
        }
    }
    for (field, default) in FLAGS.iter().map(|f| (*f, *f == "active")) {
        product.entry(field).or_insert(json!(default));
    }
    if let Some(given) = doc.get("properties") {
        offers::read_properties(given, product, problems);
    }
    if let (Some(list), Some(site)) = (
        doc.get("groups").filter(|v| !v.is_null()),
        product
            .get("site")
            .and_then(Value::as_str)
            .map(str::to_owned),
    ) {
        let mut found = Vec::new();
        for (i, link) in list.as_array().into_iter().flatten().enumerate() {
            match groups::linked(ctx, &site, link).await? {
                Some(group) => found.push(json!({
                    "id": group.body["id"],
                    "externalId": group.body["externalId"],
                })),
                None => {
                    problems.insert(format!("groups[{i}]"), "Product group not found.".into());
                }
            }
        }
        product.insert("groups".into(), Value::Array(found));
    }
    if product["type"] == "service" {
        product.remove("manufacturer");
        product.insert("markable".into(), json!(false));
    }
    for field in ["name", "catalogId"] {
        if !product.contains_key(field) && !problems.contains_key(field) {
            problems.insert(field.into(), texts::BLANK.into());
        }
    }
    product.entry("groups").or_insert(json!([]));
    product.entry("properties").or_insert(json!({}));
    Ok(())
}

/// The lowest and highest price of `price_type` (the base price) among the offers.
pub fn price_range(offers: &[&Value], price_type: Option<&str>) -> Option<(f64, f64)> {
    let prices: Vec<f64> = offers
        .iter()
        .filter_map(|o| price_of(o, price_type))
        .collect();
    let min = prices.iter().copied().reduce(f64::min)?;
    let max = prices.iter().copied().reduce(f64::max)?;
    Some((min, max))
}

/// The product's stock: the sum of its offers'.
pub fn quantity(offers: &[&Value]) -> f64 {
    offers.iter().map(|o| offers::quantity(o)).sum()
}

/// The product as `store/products` shows it: its fields, `minPrice`/`maxPrice` (its
/// offers' base prices), `quantity` (their stock) and `offers`, without Twin's fields
/// and `site` (a product names its catalog).
pub fn render(product: &Value, offers: &[&Value]) -> Value {
    let mut shown = crate::customers::public(product);
    let (min, max) = price_range(offers, None).unwrap_or_default();
    shown["minPrice"] = num(min);
    shown["maxPrice"] = num(max);
    shown["quantity"] = num(quantity(offers));
    shown["offers"] = offers.iter().map(|o| offers::render(o)).collect();
    if let Value::Object(map) = &mut shown {
        map.remove("site");
    }
    shown
}
