//! The destination's side of an approved movement between filials: its ledger lines and
//! cells in the destination filial, as writes the source's `ledger::post` commits with
//! its own (the ledger posts one filial's lines per call). A receipt only adds stock and
//! is posted once (an approved movement never changes), so it has no old lines to
//! replace and no availability to check; each cell write still expects the version it
//! read, so a concurrent document conflicts rather than being lost.

use std::collections::BTreeMap;

use serde_json::json;
use twin_store::{Document, Expect, Write};

use crate::error::SdError;
use crate::ledger::{self, Line, Owner};
use crate::reference::upsert::Refused;
use crate::request::Ctx;

/// The writes of `lines` (all receipts) posted in `target`'s filial for `owner`.
pub async fn writes(target: &Ctx, owner: &Owner, lines: Vec<Line>) -> Result<Vec<Write>, Refused> {
    let mut added: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for line in &lines {
        *added.entry((&line.warehouse, &line.product)).or_default() += line.quantity;
    }
    let store = &target.core.store;
    let mut writes = Vec::new();
    for ((warehouse, product), quantity) in added {
        // The ledger's cell of a warehouse and product (`{warehouse}.{product}`).
        let key = target
            .scope
            .key(ledger::CELL, format!("{warehouse}.{product}"));
        let stored = store.get(&key).await.map_err(SdError::from)?;
        let current = stored
            .as_ref()
            .and_then(|d| d.body["quantity"].as_f64())
            .unwrap_or(0.0);
        let after = ledger::round(current + quantity);
        let expect = stored
            .as_ref()
            .map_or(Expect::Absent, |d| Expect::Version(d.version));
        let body = json!({ "filial": target.filial_id(), "warehouse": warehouse,
            "product": product, "quantity": after, "held": after != 0.0 });
        writes.push(Write::Put {
            doc: Document::new(key, body),
            expect,
        });
    }
    let count = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    if count == 0 {
        return Ok(writes);
    }
    let first = store
        .reserve_sequence(&target.scope, ledger::LINE, count)
        .await
        .map_err(SdError::from)?;
    for (n, line) in (first..).zip(lines) {
        let body = json!({ "n": n, "filial": target.filial_id(),
            "owner": format!("{}.{}", owner.kind, owner.sd_id), "document": owner.log_type,
            "document_id": owner.sd_id, "warehouse": line.warehouse, "product": line.product,
            "date": line.date, "quantity": ledger::round(line.quantity) });
        let doc = Document::new(target.scope.key(ledger::LINE, n.to_string()), body);
        writes.push(Write::Put {
            doc,
            expect: Expect::Absent,
        });
    }
    Ok(writes)
}
