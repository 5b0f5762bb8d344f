//! Trade directions (`getTradeDirection` 9.18), per filial: `{name, desc, active}`,
//! shown without `code_1C` (as documented). No SET method: seeded in admin (`seed`).

use axum::response::Response;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::Listing;
use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::RefKind;
use crate::render::page;
use crate::request::Ctx;

/// Key `tradeDirection`.
pub const TRADE_DIRECTION: RefKind = RefKind {
    key: "tradeDirection",
    read: |item, stored| read_members(item, stored, &["desc"], Flag::Active),
    render: |fields| render_members(fields, &["desc"], Flag::Active),
};

/// `getTradeDirection` (9.18): a page of `tradeDirection`, each without `code_1C`.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, total) = listing.fetch(ctx, TRADE_DIRECTION.key, Vec::new()).await?;
    let items = records
        .iter()
        .map(|record| {
            let mut shown = record.render(ctx, &TRADE_DIRECTION);
            if let Some(shown) = shown.as_object_mut() {
                shown.remove("code_1C");
            }
            shown
        })
        .collect();
    Ok(page(
        TRADE_DIRECTION.key,
        items,
        listing.limit,
        total,
        listing.page,
    ))
}
