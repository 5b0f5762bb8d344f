//! `setCode` (12.4): 1C codes given to existing documents. `data.document` names the
//! kind as getStoreLog does (`Order`, `OrderDefect`, `OrderReplace`, `Purchase`,
//! `PurchaseRefund`, `Exchange`, `VsExchange`, `Excretion`, and `StoreCorrector` for
//! corrections and inventories, *Inferred* from "any other existing model with
//! code_1C"); another name is a 400. Each of `data.documents` is `{SD_id (or CS_id),
//! code_1C}`: the document found gets the code (nothing else changes; its update date
//! moves), one not found is refused, as is an item without `code_1C`. The answer lists
//! the documents under `documents`.

use axum::response::Response;
use serde_json::Value;
use twin_store::{Batch, Document, Expect, Write};

use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::upsert::{commit, set_with, Refused, StoreRecord, NOT_OBJECT};
use crate::reference::{by_sd_in, sd_of_cs, Record};
use crate::request::Ctx;
use crate::values::{datetime, text};

/// `data.document` → the stored kind, and the transfer type a movement must have.
const KINDS: &[(&str, &str, Option<i64>)] = &[
    ("Order", super::ORDER, None),
    ("OrderDefect", super::DEFECT, None),
    ("OrderReplace", super::REPLACE, None),
    ("Purchase", crate::purchase::KEY, None),
    ("PurchaseRefund", "supplierReturn", None),
    ("Exchange", crate::movement::KEY, Some(1)),
    ("VsExchange", crate::movement::KEY, Some(2)),
    ("Excretion", "excretion", None),
    ("StoreCorrector", crate::stock_count::CORRECTION, None),
];

struct Codes {
    key: &'static str,
    movement_type: Option<i64>,
}

impl StoreRecord for Codes {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let sd_id = item.get("SD_id").and_then(text).or_else(|| {
            let cs = item.get("CS_id").and_then(text)?;
            sd_of_cs(ctx, &cs)
        });
        let Some(code) = item.get("code_1C").and_then(text) else {
            return Err(Refused::Item(vec!["code_1C is required".into()]));
        };
        let found = match sd_id {
            Some(sd) => by_sd_in(ctx, self.key, &sd).await?,
            None => None,
        };
        let found = found.filter(|doc| {
            self.movement_type
                .is_none_or(|t| doc.fields["type"].as_i64() == Some(t))
        });
        let Some(found) = found else {
            return Err(Refused::Item(vec!["Document not found".into()]));
        };
        let mut body = found.doc.body.clone();
        body["code_1C"] = Value::from(code);
        body["updated"] = Value::from(datetime(ctx.now));
        let mut doc = Document::new(found.doc.key.clone(), body);
        doc.lookups = found.doc.lookups.clone();
        let stored = Record::from_doc(doc.clone());
        let write = Write::Put {
            doc,
            expect: Expect::Version(found.doc.version),
        };
        commit(
            ctx,
            Batch::new().write(write),
            std::slice::from_ref(&found.doc),
        )
        .await?;
        Ok(stored)
    }
}

/// `setCode` (12.4).
pub async fn set_code(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let named = envelope.data.get("document").and_then(text);
    let Some((_, key, movement_type)) = KINDS
        .iter()
        .find(|(name, _, _)| Some(*name) == named.as_deref())
    else {
        let names: Vec<&str> = KINDS.iter().map(|(name, _, _)| *name).collect();
        return Err(SdError::bad_request(format!(
            "data.document must be one of {}",
            names.join(", ")
        )));
    };
    let codes = Codes {
        key,
        movement_type: *movement_type,
    };
    set_with(ctx, envelope, "documents", &codes).await
}
