//! The documents that take stock out of one warehouse: `setSupplierReturn` (11.9, a
//! return to the supplier, group `return`, getStoreLog name `PurchaseRefund`, DIGEST
//! §3.2) and `setExcretion` (11.10, a write-off, group `excretion`, name `Excretion`).
//! Each item posts one line (− quantity) per product out of its warehouse (`store`,
//! resp. `fromStore`) at its `date`; the warehouse's stock is checked, so a document
//! that would take it below zero is refused per record with the ledger's shortage text.
//! Both create or update: an identifier that finds the document replaces its lines
//! (the check then takes the net change); one that finds none creates a document
//! carrying its `code_1C`. No GET method lists them; getStoreLog does.
//!
//! A return also needs `priceType` and keeps each line's `price` (not negative, optional:
//! *Inferred*, the docs mark it neither way). `quantity` is required and above zero, as
//! documented. *Inferred*: an item is all or nothing; a product listed twice fails it.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::ledger::Line;
use crate::reference::rules::Rules;
use crate::reference::upsert::{set_with, Refused, StoreRecord, Target};
use crate::reference::Record;
use crate::request::Ctx;
use crate::stock_doc::identified;
use crate::stock_doc::{
    document_date, linked, non_negative, optional, positive, product_lines, save_posted,
    DocumentKind,
};
use crate::values::number;
use crate::warehouse;

/// One kind of outgoing document.
struct Outgoing {
    kind: DocumentKind,
    /// The SET group.
    group: &'static str,
    /// The member naming the warehouse.
    store: &'static str,
    /// Whether the document has a price type and line prices (returns).
    priced: bool,
}

const SUPPLIER_RETURN: Outgoing = Outgoing {
    kind: DocumentKind {
        key: "supplierReturn",
        log_type: "PurchaseRefund",
    },
    group: "return",
    store: "store",
    priced: true,
};

const EXCRETION: Outgoing = Outgoing {
    kind: DocumentKind {
        key: "excretion",
        log_type: "Excretion",
    },
    group: "excretion",
    store: "fromStore",
    priced: false,
};

/// `setSupplierReturn` (11.9).
pub async fn set_supplier_return(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, SUPPLIER_RETURN.group, &SUPPLIER_RETURN).await
}

/// `setExcretion` (11.10).
pub async fn set_excretion(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    set_with(ctx, envelope, EXCRETION.group, &EXCRETION).await
}

impl StoreRecord for Outgoing {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identified(ctx, self.kind.key, record).await?;
        let mut errors = Vec::new();
        let date = document_date(item, &mut errors);
        let price_type = if self.priced {
            linked(ctx, item, "priceType", "priceType", true, &mut errors).await?
        } else {
            None
        };
        let store = linked(ctx, item, self.store, warehouse::KEY, true, &mut errors).await?;
        let priced = self.priced;
        let taken = product_lines(ctx, item, &mut errors, |line, errors| {
            let quantity = positive(line.item, &line.at, "quantity", errors);
            let price = if priced {
                non_negative(line.item, &line.at, "price", false, errors)
                    .map_or(Value::Null, number)
            } else {
                Value::Null
            };
            Some((quantity?, price))
        })
        .await?;
        let (Some(date), Some(store), true) = (date, store, errors.is_empty()) else {
            return Err(Refused::Item(errors));
        };
        let mut detail = Vec::new();
        let mut lines = Vec::new();
        for (product, (quantity, price)) in taken {
            let mut row = json!({ "product": product.sd_id, "quantity": number(quantity) });
            if priced {
                row["price"] = price;
            }
            detail.push(row);
            lines.push(Line {
                warehouse: store.sd_id.clone(),
                product: product.sd_id,
                date: date.clone(),
                quantity: -quantity,
            });
        }
        let mut fields = Map::new();
        fields.insert("date".into(), Value::from(date.as_str()));
        fields.insert("comment".into(), optional(item, "comment"));
        if let Some(price_type) = price_type {
            fields.insert("priceType".into(), Value::Object(price_type.ids(ctx)));
        }
        fields.insert(self.store.into(), Value::Object(store.ids(ctx)));
        fields.insert("detail".into(), Value::from(detail));
        let target = Target::of(ctx, self.kind.key, &Rules::PLAIN, existing.as_ref()).await?;
        save_posted(ctx, &self.kind, &ids, target, fields, lines).await
    }
}
