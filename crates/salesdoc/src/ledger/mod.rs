//! The stock ledger: the one place stock lives. Every stock-moving document (inventory
//! today; purchases, movements, returns, write-offs, corrections, exchanges,
//! inter-filial moves and orders next) posts dated lines per (warehouse, product),
//! signed (+ receipt, − issue), owned by the document: [`post`] replaces a document's
//! lines with its new ones in the same store transaction as the document itself, so an
//! edited or cancelled document rewrites its rows rather than adding reversals (DIGEST
//! §3.2). Lines carry the document's date, not the wall clock, so a back-dated document
//! changes historical stock.
//!
//! Stock at a moment is the sum of the lines dated up to it ([`read::stock_at`]). Current
//! stock is kept as well, per cell (`stockCell`, one per warehouse and product), updated
//! in the same transaction as the lines, each write expecting the version it read: that
//! makes the availability check race-free (two documents taking the last units conflict,
//! one is refused) and gives getStock a pageable list. A cell always equals the sum of
//! its lines; the ledger tests check it.

pub mod read;

use std::collections::BTreeMap;

use serde_json::json;
use twin_store::{Batch, Document, Expect, Filter, Write};

use crate::reference::upsert::{commit_or, Refused};
use crate::request::Ctx;

/// The stored kind of one ledger line.
pub const LINE: &str = "stockLine";
/// The stored kind of the current stock of one warehouse and product.
pub const CELL: &str = "stockCell";

/// Quantities are kept to this many decimals, so sums of floats never drift.
const SCALE: f64 = 1_000_000.0;

/// A quantity rounded to the ledger's precision.
pub fn round(quantity: f64) -> f64 {
    (quantity * SCALE).round() / SCALE
}

/// *Inferred* item text (the docs give none).
const CHANGED: &str = "The stock was changed by another request; send it again";

/// The document that owns lines: its type as getStoreLog names it (`Purchase`,
/// `StoreCorrector`, `Excretion`, ...), the stored kind of the document and its `SD_id`.
#[derive(Debug, Clone)]
pub struct Owner {
    pub log_type: &'static str,
    pub kind: &'static str,
    pub sd_id: String,
}

impl Owner {
    fn key(&self) -> String {
        format!("{}.{}", self.kind, self.sd_id)
    }
}

/// One movement of one product in one warehouse (both by `SD_id`), at the document's
/// date (`YYYY-MM-DD HH:MM:SS`, server time).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub warehouse: String,
    pub product: String,
    pub date: String,
    pub quantity: f64,
}

/// Whether a posting may leave a cell below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Negative {
    /// A cell its document lowers must stay at zero or above (the documented default:
    /// "availability checked").
    Refuse,
    /// For the documents the docs let go below zero.
    Allow,
}

impl Negative {
    /// What a document whose stock the docs check gets: `Refuse`, unless the account
    /// setting `salesdoc.negativeStock` is `true` (the vendor's servers can switch the
    /// stock check off, DIGEST §3.2).
    pub fn checked(ctx: &Ctx) -> Self {
        let allowed = ctx
            .account
            .setting(crate::DIALECT, "negativeStock")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        if allowed {
            Negative::Allow
        } else {
            Negative::Refuse
        }
    }
}

/// A document's lines, to replace whatever lines it posted before.
pub struct Posting {
    pub owner: Owner,
    pub lines: Vec<Line>,
    pub negative: Negative,
}

/// What stopped a posting: not enough stock (the item's error), or a store failure.
fn shortage(warehouse: &str, product: &str, available: f64, wanted: f64) -> String {
    format!(
        "Not enough stock of product {product} in warehouse {warehouse}: {available} available, {wanted} needed"
    )
}

/// The cell's id: one per warehouse and product.
fn cell_id(warehouse: &str, product: &str) -> String {
    format!("{warehouse}.{product}")
}

/// Commits `document_writes` (the document itself) with the posting's lines in one
/// transaction (see [`writes_all`]); `read`: the documents they replace as just read
/// ([`Ctx::apply_read`]).
pub async fn post(
    ctx: &Ctx,
    posting: Posting,
    document_writes: Vec<Write>,
    read: &[Document],
) -> Result<(), Refused> {
    post_all(ctx, vec![posting], document_writes, read).await
}

/// [`post`] for a document whose lines have several getStoreLog names (an order's
/// `Order` and `BonusOrder` lines), all in one transaction with `document_writes`.
pub async fn post_all(
    ctx: &Ctx,
    postings: Vec<Posting>,
    document_writes: Vec<Write>,
    read: &[Document],
) -> Result<(), Refused> {
    let mut batch = Batch::new();
    for write in document_writes
        .into_iter()
        .chain(writes_all(ctx, postings).await?)
    {
        batch = batch.write(write);
    }
    commit_or(ctx, batch, read, CHANGED).await
}

/// The writes of one posting in `ctx`'s filial, to commit with its document (see
/// [`writes_all`]). A document that moves stock in two filials (an approved movement
/// between filials) commits both filials' writes at once.
pub async fn writes(ctx: &Ctx, posting: Posting) -> Result<Vec<Write>, Refused> {
    writes_all(ctx, vec![posting]).await
}

/// The writes of postings in `ctx`'s filial: every owner's old lines deleted, the new
/// ones written, the cells moved by the net change of all of them, each expecting the
/// version it read. Refuses the item when a cell the postings lower would go below zero
/// under the strictest `negative` of the postings.
pub async fn writes_all(ctx: &Ctx, postings: Vec<Posting>) -> Result<Vec<Write>, Refused> {
    let mut old = Vec::new();
    for posting in &postings {
        old.extend(read::lines_where(ctx, vec![Filter::eq("owner", posting.owner.key())]).await?);
    }
    let negative = if postings.iter().any(|p| p.negative == Negative::Refuse) {
        Negative::Refuse
    } else {
        Negative::Allow
    };
    let mut net: BTreeMap<(String, String), f64> = BTreeMap::new();
    for line in &old {
        *net.entry((line.warehouse.clone(), line.product.clone()))
            .or_default() -= line.quantity;
    }
    for line in postings.iter().flat_map(|p| &p.lines) {
        *net.entry((line.warehouse.clone(), line.product.clone()))
            .or_default() += line.quantity;
    }
    let mut writes = Vec::new();
    let mut errors = Vec::new();
    for ((warehouse, product), change) in &net {
        let change = round(*change);
        if change == 0.0 {
            continue;
        }
        let key = ctx.scope.key(CELL, cell_id(warehouse, product));
        let stored = ctx
            .core
            .store
            .get(&key)
            .await
            .map_err(crate::error::SdError::from)?;
        let current = stored
            .as_ref()
            .and_then(|doc| doc.body["quantity"].as_f64())
            .unwrap_or(0.0);
        let after = round(current + change);
        if change < 0.0 && after < 0.0 && negative == Negative::Refuse {
            errors.push(shortage(warehouse, product, current, -change));
            continue;
        }
        let expect = stored
            .as_ref()
            .map_or(Expect::Absent, |d| Expect::Version(d.version));
        let body = json!({
            "filial": ctx.filial_id(),
            "warehouse": warehouse,
            "product": product,
            "quantity": after,
            // Whether the cell holds stock: what getStock lists.
            "held": after != 0.0,
        });
        writes.push(Write::Put {
            doc: Document::new(key, body),
            expect,
        });
    }
    if !errors.is_empty() {
        return Err(Refused::Item(errors));
    }
    for line in old {
        writes.push(Write::Delete {
            key: ctx.scope.key(LINE, line.id),
            expect: Expect::Any,
        });
    }
    let lines: Vec<(&Owner, &Line)> = postings
        .iter()
        .flat_map(|p| p.lines.iter().map(move |line| (&p.owner, line)))
        .collect();
    if !lines.is_empty() {
        let count = u32::try_from(lines.len()).unwrap_or(u32::MAX);
        let first = ctx
            .core
            .store
            .reserve_sequence(&ctx.scope, LINE, count)
            .await
            .map_err(crate::error::SdError::from)?;
        for (n, (owner, line)) in (first..).zip(lines) {
            let body = json!({
                "n": n,
                "filial": ctx.filial_id(),
                "owner": owner.key(),
                "document": owner.log_type,
                "document_id": owner.sd_id,
                "warehouse": line.warehouse,
                "product": line.product,
                "date": line.date,
                "quantity": round(line.quantity),
            });
            let key = ctx.scope.key(LINE, n.to_string());
            writes.push(Write::Put {
                doc: Document::new(key, body),
                expect: Expect::Absent,
            });
        }
    }
    Ok(writes)
}
