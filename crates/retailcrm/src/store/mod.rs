//! The catalog and its stock: product groups, products and services with their offers,
//! their properties, and the stock and purchase prices of offers per store.
//!
//! Each site has one catalog, numbered like the site (`catalogId` is the site's `id`;
//! *Inferred*: the seed names catalogs without a method to list them). Groups, products
//! and offers are documents of their own with integer ids from account-wide sequences and
//! an external id unique within their site (`customers::keyed`); an offer names its
//! product (`productId`). An offer keeps its stock as per-store lines (`stores`); its
//! `quantity`, and a product's, are sums derived when shown, never stored, so they cannot
//! disagree with the lines. A key limited to sites sees the catalogs of those sites only.

pub mod batch;
pub mod groups;
pub mod inventories;
pub mod list;
pub mod offers;
pub mod products;
pub mod properties;
pub mod read;
pub mod warehouses;

use serde_json::Value;
use twin_store::{Document, Expect, Filter, ListQuery, PageRequest, Write};

use crate::error::{RetailError, RetailResult};
use crate::request::Ctx;
use crate::sites;

pub const GROUP: &str = "product_group";
pub const PRODUCT: &str = "product";
pub const OFFER: &str = "offer";

/// For order items, which name offers (`find_offer`); linked by the orders module after
/// this one (issue 9).
#[allow(unused_imports)]
pub use read::{find_offer, FoundOffer};

/// Every document of `kind` matching `filter`, in insertion order. Catalog lists filter
/// on sums derived from several documents (a product's stock), so they read the whole
/// catalog of the sites the key reaches and page the result themselves.
pub async fn all(ctx: &Ctx, kind: &str, filter: Option<Filter>) -> RetailResult<Vec<Document>> {
    const CHUNK: u32 = 500;
    let mut docs = Vec::new();
    loop {
        let mut query = ListQuery::new(ctx.scope.clone(), kind).page(PageRequest::Offset {
            offset: docs.len() as u64,
            limit: CHUNK,
        });
        if let Some(filter) = &filter {
            query = query.filter(filter.clone());
        }
        let page = ctx.core.entities.list(&query).await?;
        let done = page.items.len() < CHUNK as usize;
        docs.extend(page.items);
        if done {
            return Ok(docs);
        }
    }
}

/// The site codes of the account with their catalog ids, those the key reaches.
pub async fn catalogs(ctx: &Ctx) -> RetailResult<Vec<(String, i64)>> {
    Ok(sites::codes_with_ids(ctx)
        .await?
        .into_iter()
        .filter(|(code, _)| ctx.may_reach(code))
        .collect())
}

/// The site of the catalog `id`, when the key reaches it.
pub async fn catalog_site(ctx: &Ctx, id: i64) -> RetailResult<Option<String>> {
    Ok(catalogs(ctx)
        .await?
        .into_iter()
        .find(|(_, catalog)| *catalog == id)
        .map(|(code, _)| code))
}

/// `site` among the sites the key reaches (all of them when it reaches all).
pub fn in_reach(ctx: &Ctx) -> Option<Filter> {
    (!ctx.key_sites().is_empty()).then(|| Filter::In {
        path: vec!["site".into()],
        values: ctx.key_sites().iter().cloned().map(Value::String).collect(),
    })
}

/// A number given as a JSON number or as text.
pub fn number(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str().and_then(|t| t.trim().parse().ok()))
        .filter(|n| n.is_finite())
}

/// The write of `doc`, new (`before` none) or replacing `before`'s version.
pub fn put(doc: Document, before: Option<&Document>) -> Write {
    let expect = before.map_or(Expect::Absent, |d| Expect::Version(d.version));
    Write::Put { doc, expect }
}

/// Applies the writes in one transaction. Catalog changes have no history in the API,
/// so the journal only lends its commit: a taken external id is `duplicate`'s error, a
/// concurrent change a 400 to repeat.
pub async fn commit(
    ctx: &Ctx,
    writes: Vec<Write>,
    duplicate: impl FnOnce(&str) -> RetailError,
) -> RetailResult<()> {
    let mut journal = crate::journal::Journal::by_user(ctx, 0);
    for write in writes {
        journal.raw(write);
    }
    journal.commit(duplicate).await?;
    Ok(())
}

/// A number as the vendor writes it: whole numbers without a fraction (`5`, not `5.0`).
pub fn num(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}
