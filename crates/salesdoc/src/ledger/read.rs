//! Reading the ledger: lines (for getStoreLog and the documents that replace theirs),
//! stock at a moment as the sum of lines dated up to it (getStockForDate, inventory's
//! differences), and the current cells (getStock).

use std::collections::BTreeMap;

use twin_store::{CmpOp, Filter, ListQuery, PageRequest, SortKey};

use super::{round, CELL, LINE};
use crate::error::SdResult;
use crate::reference::in_filial;
use crate::request::Ctx;

/// How many documents one store query reads at a time.
const CHUNK: u32 = 1000;

/// A stored ledger line.
#[derive(Debug, Clone)]
pub struct StoredLine {
    /// The line's own id (its number).
    pub id: String,
    pub document: String,
    pub document_id: String,
    pub warehouse: String,
    pub product: String,
    pub date: String,
    pub quantity: f64,
}

/// The current stock of one warehouse and product.
#[derive(Debug, Clone)]
pub struct Cell {
    pub warehouse: String,
    pub product: String,
    pub quantity: f64,
}

/// Every line of the request's filial matching `filters`, by date, then as posted.
pub async fn lines_where(ctx: &Ctx, filters: Vec<Filter>) -> SdResult<Vec<StoredLine>> {
    let mut all = vec![in_filial(ctx)];
    all.extend(filters);
    let mut lines = Vec::new();
    loop {
        let query = ListQuery::new(ctx.scope.clone(), LINE)
            .filter(Filter::And(all.clone()))
            .sort(SortKey::asc("date"))
            .sort(SortKey::asc("n"))
            .page(PageRequest::Offset {
                offset: lines.len() as u64,
                limit: CHUNK,
            });
        let page = ctx.core.store.list(&query).await?;
        let read = page.items.len();
        lines.extend(page.items.into_iter().map(|doc| {
            let body = &doc.body;
            let text = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
            StoredLine {
                id: doc.key.id.clone(),
                document: text("document"),
                document_id: text("document_id"),
                warehouse: text("warehouse"),
                product: text("product"),
                date: text("date"),
                quantity: body["quantity"].as_f64().unwrap_or_default(),
            }
        }));
        if read < CHUNK as usize {
            return Ok(lines);
        }
    }
}

/// The filter of the lines dated up to `until` (inclusive, `YYYY-MM-DD HH:MM:SS`).
pub fn dated_until(until: &str) -> Filter {
    Filter::cmp("date", CmpOp::Le, until)
}

/// The stock of each product of `warehouse` (by `SD_id`) summed over its lines dated up
/// to `until` (all lines: `None`); products whose sum is zero are left out.
pub async fn stock_at(
    ctx: &Ctx,
    warehouse: &str,
    until: Option<&str>,
) -> SdResult<BTreeMap<String, f64>> {
    let mut filters = vec![Filter::eq("warehouse", warehouse)];
    filters.extend(until.map(dated_until));
    let mut stock: BTreeMap<String, f64> = BTreeMap::new();
    for line in lines_where(ctx, filters).await? {
        *stock.entry(line.product).or_default() += line.quantity;
    }
    stock.retain(|_, quantity| {
        *quantity = round(*quantity);
        *quantity != 0.0
    });
    Ok(stock)
}

/// A page of the filial's non-zero cells matching `filters`, by warehouse then product
/// number of posting, and the count of all of them.
pub async fn cells(
    ctx: &Ctx,
    filters: Vec<Filter>,
    offset: u64,
    limit: u32,
) -> SdResult<(Vec<Cell>, u64)> {
    let mut all = vec![in_filial(ctx), Filter::eq("held", true)];
    all.extend(filters);
    let query = ListQuery::new(ctx.scope.clone(), CELL)
        .filter(Filter::And(all))
        .sort(SortKey::asc("warehouse"))
        .sort(SortKey::asc("product"))
        .page(PageRequest::Offset { offset, limit });
    let page = ctx.core.store.list(&query).await?;
    let total = page.total.unwrap_or_default();
    let cells = page
        .items
        .into_iter()
        .map(|doc| {
            let body = &doc.body;
            Cell {
                warehouse: body["warehouse"].as_str().unwrap_or_default().to_owned(),
                product: body["product"].as_str().unwrap_or_default().to_owned(),
                quantity: body["quantity"].as_f64().unwrap_or_default(),
            }
        })
        .collect();
    Ok((cells, total))
}
