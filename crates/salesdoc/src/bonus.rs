//! Bonus programs (`getBonus` 9.36), per filial: `{name, active}`, shown as `{CS_id,
//! SD_id, name, active}` without `code_1C` and under `result.data` (as documented). The
//! docs give no SET method and link no program from orders (an order's `bonusProducts`
//! are products), so programs stand alone, seeded in admin (`seed`).

use axum::response::Response;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::{self, Options};
use crate::reference::named::named_kind;
use crate::reference::rules::Rules;
use crate::reference::RefKind;
use crate::request::Ctx;

/// Key `bonus`.
pub const BONUS: RefKind = named_kind("bonus");

/// Shown without `code_1C`; a seeded item without identifiers makes a program.
pub const BONUS_RULES: Rules = Rules::UNCODED;

/// `getBonus` (9.36): a page of programs under `result.data`.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let options = Options {
        answer_key: Some("data"),
        ..Options::ruled(&BONUS_RULES)
    };
    list::get_with(ctx, envelope, &BONUS, Include::Ignored, options).await
}
