//! `GET /api/v5/store/products` and `GET /api/v5/store/offers`. Their filters reach
//! across a product and its offers (a product by its offers' prices and stock, an offer
//! by its product's groups), so the catalog of the sites asked is read whole and
//! filtered here (`Catalog`), then paged.

use std::collections::{BTreeMap, HashMap};

use axum::response::Response;
use serde_json::{json, Value};
use twin_store::Filter;

use super::groups::with_subgroups;
use super::offers::{self, price_of};
use super::{all, in_reach, number, products, OFFER, PRODUCT};
use crate::customers::fields::boolean;
use crate::customers::list::{list_of, short_text};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, Paging, RetailRequest};
use crate::sites;

/// The products and offers of the sites a list asks for (`filter[sites][]`, each
/// checked like `site`) among those the key reaches, in id order.
pub struct Catalog {
    pub products: Vec<Value>,
    pub offers: HashMap<i64, Vec<Value>>,
}

impl Catalog {
    pub async fn load(ctx: &Ctx, filter: &Value) -> RetailResult<Self> {
        let mut filters: Vec<Filter> = in_reach(ctx).into_iter().collect();
        let mut wanted = Vec::new();
        for site in list_of(&filter["sites"])
            .into_iter()
            .filter_map(Value::as_str)
        {
            wanted.push(Value::String(sites::check(ctx, site).await?));
        }
        if !wanted.is_empty() {
            filters.push(Filter::In {
                path: vec!["site".into()],
                values: wanted,
            });
        }
        let scope = (!filters.is_empty()).then_some(Filter::And(filters));
        let products = all(ctx, PRODUCT, scope.clone()).await?;
        let mut offers: HashMap<i64, Vec<Value>> = HashMap::new();
        for offer in all(ctx, OFFER, scope).await? {
            let product = offer.body["productId"].as_i64().unwrap_or_default();
            offers.entry(product).or_default().push(offer.body);
        }
        Ok(Self {
            products: products.into_iter().map(|d| d.body).collect(),
            offers,
        })
    }

    pub fn offers_of(&self, product: &Value) -> Vec<&Value> {
        let id = product["id"].as_i64().unwrap_or_default();
        self.offers
            .get(&id)
            .map(|o| o.iter().collect())
            .unwrap_or_default()
    }

    /// Each offer with its product.
    pub fn pairs(&self) -> Vec<(&Value, &Value)> {
        let mut pairs: Vec<(&Value, &Value)> = self
            .products
            .iter()
            .flat_map(|p| self.offers_of(p).into_iter().map(move |o| (p, o)))
            .collect();
        pairs.sort_by_key(|(_, o)| o["id"].as_i64());
        pairs
    }
}

/// The filters both lists read, by name; a value that is not of its type is a problem.
pub struct Criteria<'f> {
    filter: &'f Value,
    pub problems: BTreeMap<String, String>,
}

impl<'f> Criteria<'f> {
    pub fn new(filter: &'f Value) -> Self {
        Self {
            filter,
            problems: BTreeMap::new(),
        }
    }

    /// `filter[<name>][]` of integers (`None` when not given).
    pub fn integers(&mut self, name: &str) -> Option<Vec<i64>> {
        let given = list_of(&self.filter[name]);
        if given.is_empty() {
            return None;
        }
        let mut values = Vec::new();
        for (i, value) in given.iter().enumerate() {
            match value.as_str().and_then(|t| t.parse().ok()) {
                Some(n) => values.push(n),
                None => {
                    self.problems
                        .insert(format!("filter[{name}][{i}]"), texts::INTEGER.into());
                }
            }
        }
        Some(values)
    }

    /// `filter[<name>][]` of texts (`None` when not given).
    pub fn texts(&self, name: &str) -> Option<Vec<&'f str>> {
        let given: Vec<&str> = list_of(&self.filter[name])
            .into_iter()
            .filter_map(Value::as_str)
            .collect();
        (!given.is_empty()).then_some(given)
    }

    pub fn text(&mut self, name: &str) -> Option<&'f str> {
        short_text(self.filter, name, &mut self.problems)
    }

    pub fn flag(&mut self, name: &str) -> Option<bool> {
        let value = &self.filter[name];
        if value.is_null() || *value == "" {
            return None;
        }
        let flag = boolean(value);
        if flag.is_none() {
            self.problems
                .insert(format!("filter[{name}]"), texts::BOOLEAN.into());
        }
        flag
    }

    /// `filter[min<Name>]`/`filter[max<Name>]`: a range, open at an end not given.
    pub fn range(&mut self, name: &str) -> Option<(f64, f64)> {
        let mut bounds = [f64::NEG_INFINITY, f64::INFINITY];
        let mut given = false;
        for (i, end) in ["min", "max"].iter().enumerate() {
            let key = format!("{end}{name}");
            let value = &self.filter[key.as_str()];
            if value.is_null() || *value == "" {
                continue;
            }
            match number(value) {
                Some(n) => {
                    bounds[i] = n;
                    given = true;
                }
                None => {
                    self.problems
                        .insert(format!("filter[{key}]"), texts::NUMBER.into());
                }
            }
        }
        given.then_some((bounds[0], bounds[1]))
    }

    /// `filter[properties][code]=value`: pairs all of which must hold.
    pub fn properties(&self) -> Vec<(&'f str, String)> {
        self.filter["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(code, value)| (code.as_str(), value.as_str().unwrap_or_default().to_owned()))
            .collect()
    }

    /// `filter[groups][]` with all their subgroups.
    pub async fn groups(&mut self, ctx: &Ctx) -> RetailResult<Option<Vec<i64>>> {
        match self.integers("groups") {
            Some(roots) => Ok(Some(with_subgroups(ctx, &roots).await?)),
            None => Ok(None),
        }
    }

    pub fn finish(self) -> RetailResult<()> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(RetailError::parameters(self.problems))
        }
    }
}

fn within(value: f64, (min, max): (f64, f64)) -> bool {
    value >= min && value <= max
}

fn contains(field: &Value, text: &str) -> bool {
    field
        .as_str()
        .is_some_and(|f| f.to_lowercase().contains(&text.to_lowercase()))
}

fn has_properties(entity: &Value, wanted: &[(&str, String)]) -> bool {
    wanted
        .iter()
        .all(|(code, value)| entity["properties"][*code] == *value.as_str())
}

fn in_groups(product: &Value, groups: &[i64]) -> bool {
    product["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|g| g["id"].as_i64().is_some_and(|id| groups.contains(&id)))
}

/// The path of a URL without its scheme, host and query (`filter[urlLike]`).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = if url.contains("://") {
        rest.find('/').map_or("", |i| &rest[i..])
    } else {
        rest
    };
    rest.split(['?', '#']).next().unwrap_or_default()
}

/// One page of `items`, answered as `{pagination, <member>: [...]}`.
pub fn page(paging: Paging, member: &str, items: Vec<Value>) -> Response {
    let (shown, total) = paging.window(items);
    let mut answer = json!({ "pagination": paging.pagination(total) });
    answer[member] = Value::Array(shown);
    ok(success(answer))
}

/// `GET /api/v5/store/products`: `limit`, `page`, `filter[...]`: `ids[]`, `sites[]`,
/// `catalogs[]`, `groups[]` (and their subgroups), `name` (the product's name or article,
/// or an offer's article or barcode: any part, case-insensitive), `manufacturer`,
/// `externalId`, `xmlId`, `url`, `urlLike` (the URL's path, any part), `offerIds[]`,
/// `offerExternalId`, `offerXmlId`, `properties[code]` (the product's or one offer's),
/// `active`, `markable`, `novelty`, `popular`, `stock`, `recommended`, `sinceId` (ids
/// after it), `minPrice`/`maxPrice` (an offer's price of `priceType`, the base price
/// without it), `minPurchasePrice`/`maxPurchasePrice` (an offer's) and
/// `minQuantity`/`maxQuantity` (the product's stock, the sum over its offers and
/// stores). In id order. `classSegment` (ABC/XYZ analysis) is not built and not applied.
pub async fn products(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut c = Criteria::new(filter);
    let ids = c.integers("ids");
    let catalogs = c.integers("catalogs");
    let offer_ids = c.integers("offerIds");
    let groups = c.groups(ctx).await?;
    let since = c.integers("sinceId").and_then(|v| v.first().copied());
    let name = c.text("name");
    let exact: Vec<(&str, &str)> = [
        ("manufacturer", "manufacturer"),
        ("externalId", "externalId"),
        ("xmlId", "xmlId"),
        ("url", "url"),
    ]
    .into_iter()
    .filter_map(|(name, field)| c.text(name).map(|v| (field, v)))
    .collect();
    let url_like = c.text("urlLike").map(url_path);
    let offer_external = c.text("offerExternalId");
    let offer_xml = c.text("offerXmlId");
    let flags: Vec<(&str, bool)> = [
        "active",
        "markable",
        "novelty",
        "popular",
        "stock",
        "recommended",
    ]
    .into_iter()
    .filter_map(|f| c.flag(f).map(|v| (f, v)))
    .collect();
    let price_type = c.text("priceType");
    let prices = c.range("Price");
    let purchase = c.range("PurchasePrice");
    let stock = c.range("Quantity");
    let properties = c.properties();
    c.finish()?;
    let catalog = Catalog::load(ctx, filter).await?;
    let mut found = Vec::new();
    for product in &catalog.products {
        let offers = catalog.offers_of(product);
        let id = product["id"].as_i64().unwrap_or_default();
        let offer_has = |f: &dyn Fn(&Value) -> bool| offers.iter().any(|o| f(o));
        let keep = ids.as_ref().is_none_or(|ids| ids.contains(&id))
            && catalogs
                .as_ref()
                .is_none_or(|c| c.iter().any(|c| product["catalogId"] == *c))
            && groups.as_ref().is_none_or(|g| in_groups(product, g))
            && since.is_none_or(|since| id > since)
            && offer_ids.as_ref().is_none_or(|want| {
                offer_has(&|o| o["id"].as_i64().is_some_and(|i| want.contains(&i)))
            })
            && offer_external.is_none_or(|e| offer_has(&|o| o["externalId"] == e))
            && offer_xml.is_none_or(|x| offer_has(&|o| o["xmlId"] == x))
            && name.is_none_or(|n| {
                contains(&product["name"], n)
                    || contains(&product["article"], n)
                    || offer_has(&|o| contains(&o["article"], n) || contains(&o["barcode"], n))
            })
            && exact.iter().all(|(field, value)| product[*field] == *value)
            && url_like.is_none_or(|u| {
                product["url"]
                    .as_str()
                    .is_some_and(|p| url_path(p).contains(u))
            })
            && flags.iter().all(|(field, value)| product[*field] == *value)
            && prices.is_none_or(|r| {
                offer_has(&|o| price_of(o, price_type).is_some_and(|p| within(p, r)))
            })
            && purchase.is_none_or(|r| {
                offer_has(&|o| o["purchasePrice"].as_f64().is_some_and(|p| within(p, r)))
            })
            && stock.is_none_or(|r| within(products::quantity(&offers), r))
            && (has_properties(product, &properties)
                || offer_has(&|o| has_properties(o, &properties)));
        if keep {
            found.push(products::render(product, &offers));
        }
    }
    Ok(page(paging, "products", found))
}

/// `GET /api/v5/store/offers`: `limit`, `page`, `filter[...]`: `ids[]`, `externalIds[]`,
/// `xmlIds[]`, `productIds[]`, `sites[]`, `groups[]` (the product's, and subgroups),
/// `name` (the product's name or article, the offer's article or barcode), `active`,
/// `properties[code]`, `minPrice`/`maxPrice` (of `priceType`, else the base price) and
/// `minQuantity`/`maxQuantity` (its stock; *Inferred*, as for products). In id order;
/// each offer with its `productId` and `site`.
pub async fn offers(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut c = Criteria::new(filter);
    let ids = c.integers("ids");
    let product_ids = c.integers("productIds");
    let external = c.texts("externalIds");
    let xml = c.texts("xmlIds");
    let groups = c.groups(ctx).await?;
    let name = c.text("name");
    let active = c.flag("active");
    let price_type = c.text("priceType");
    let prices = c.range("Price");
    let stock = c.range("Quantity");
    let properties = c.properties();
    c.finish()?;
    let catalog = Catalog::load(ctx, filter).await?;
    let found = catalog
        .pairs()
        .into_iter()
        .filter(|(product, offer)| {
            ids.as_ref()
                .is_none_or(|ids| offer["id"].as_i64().is_some_and(|i| ids.contains(&i)))
                && product_ids
                    .as_ref()
                    .is_none_or(|p| p.iter().any(|p| product["id"] == *p))
                && external
                    .as_ref()
                    .is_none_or(|e| e.iter().any(|e| offer["externalId"] == *e))
                && xml
                    .as_ref()
                    .is_none_or(|x| x.iter().any(|x| offer["xmlId"] == *x))
                && groups.as_ref().is_none_or(|g| in_groups(product, g))
                && name.is_none_or(|n| {
                    contains(&product["name"], n)
                        || contains(&product["article"], n)
                        || contains(&offer["article"], n)
                        || contains(&offer["barcode"], n)
                })
                && active.is_none_or(|a| offer["active"] == a)
                && prices.is_none_or(|r| price_of(offer, price_type).is_some_and(|p| within(p, r)))
                && stock.is_none_or(|r| within(offers::quantity(offer), r))
                && has_properties(offer, &properties)
        })
        .map(|(_, offer)| offers::render(offer))
        .collect();
    Ok(page(paging, "offers", found))
}
