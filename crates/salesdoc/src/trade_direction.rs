//! Trade directions (`getTradeDirection` 9.18), per filial: `{name, desc, active}`,
//! shown without `code_1C` (as documented). No SET method: seeded in admin (`seed`).

use axum::response::Response;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list;
use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::RefKind;
use crate::request::Ctx;

/// Shown without `code_1C` and numbered plainly (`"1"`), as every example shows them.
pub const RULES: Rules = Rules {
    shows_code: false,
    numbering: plain,
    ..Rules::PLAIN
};

/// Key `tradeDirection`.
pub const TRADE_DIRECTION: RefKind = RefKind {
    key: "tradeDirection",
    read: |item, stored| read_members(item, stored, &["desc"], Flag::Active),
    render: |fields| render_members(fields, &["desc"], Flag::Active),
};

/// `getTradeDirection` (9.18): a page of `tradeDirection`, each without `code_1C`.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let options = list::Options::ruled(&RULES);
    list::get_with(ctx, envelope, &TRADE_DIRECTION, Include::Ignored, options).await
}
