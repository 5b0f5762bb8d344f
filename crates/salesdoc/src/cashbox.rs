//! Cashboxes (`getCashbox` 9.31), per filial: `{name, active}`, numbered plainly (`"1"`,
//! `F1-1` in a filial) as every example shows them. No method writes them: they are
//! seeded in admin (`seed`, kind `cashbox`).
//!
//! *Inferred*: a filial without any cashbox gets a `Main cashbox` the first time one is
//! needed (getCashbox, a payment, a consumption naming its cashbox), as a SalesDoc
//! installation always has one: payments (setPayment takes no cashbox, getPayment shows
//! one) go to the filial's first cashbox. getCashbox shows `active` as a boolean and
//! `created_at`, as documented.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Batch, Document, Expect, StoreError, Write};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::list::Listing;
use crate::reference::named::{read_named, render_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::upsert::allocate;
use crate::reference::{body, first_where, Record, RefKind};
use crate::request::Ctx;
use crate::values::datetime;

/// Stored as `cashbox`, the answer's member.
pub const CASHBOX: RefKind = RefKind {
    key: "cashbox",
    read: read_named,
    render: |fields| render_members(fields, &[], Flag::None),
};

/// Numbered plainly, as documented.
pub const CASHBOX_RULES: Rules = Rules {
    numbering: plain,
    ..Rules::PLAIN
};

/// The name of the cashbox a filial starts with (*Inferred*).
const MAIN: &str = "Main cashbox";
/// One marker per filial: the main cashbox was made (a concurrent first use makes it once).
const MADE: &str = "cashboxMain";

/// The filial's first cashbox, made as `Main cashbox` when it has none.
pub async fn main(ctx: &Ctx) -> SdResult<Record> {
    if let Some(found) = first_where(ctx, CASHBOX.key, Vec::new()).await? {
        return Ok(found);
    }
    let n = allocate(ctx, CASHBOX.key).await?;
    let now = datetime(ctx.now);
    let mut fields = Map::new();
    fields.insert("name".into(), Value::from(MAIN));
    fields.insert("active".into(), Value::Bool(true));
    let key = ctx.scope.key(CASHBOX.key, plain(n));
    let doc = Document::new(key, body(n, ctx, None, &now, &now, fields));
    let marker = ctx.scope.key(MADE, format!("filial-{}", ctx.filial_id()));
    let batch = Batch::new()
        .write(Write::Put {
            doc: Document::new(marker, json!({ "filial": ctx.filial_id() })),
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc,
            expect: Expect::Absent,
        });
    match ctx.apply(batch).await {
        Ok(_) | Err(StoreError::Conflict(_) | StoreError::Duplicate { .. }) => {}
        Err(other) => return Err(other.into()),
    }
    first_where(ctx, CASHBOX.key, Vec::new())
        .await?
        .ok_or_else(|| SdError::new(500, "the main cashbox could not be made"))
}

/// `getCashbox` (9.31): a page of the filial's cashboxes.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    main(ctx).await?;
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, total) = listing.fetch(ctx, CASHBOX.key, Vec::new()).await?;
    let items = records
        .iter()
        .map(|record| {
            let mut shown = record.ids(ctx);
            shown.insert("name".into(), record.fields["name"].clone());
            let active = record.fields["active"].as_bool().unwrap_or(true);
            shown.insert("active".into(), Value::Bool(active));
            shown.insert("created_at".into(), record.doc.body["created"].clone());
            Value::Object(shown)
        })
        .collect();
    Ok(listing.answer(CASHBOX.key, items, total))
}
