//! Suppliers (`getShipper` 9.33), per filial: `{name, phone_number, address, active}`,
//! shown as `{CS_id, SD_id, name, phone_number, address, active, code_1C}` with `active`
//! a boolean (as documented, unlike the `"Y"`/`"N"` of most references). No SET method
//! writes them: setPurchase makes the ones it names by a new `code_1C` (see `purchase`),
//! and admin seeds them (`seed`, path kind `shipper`). Numbered plainly (`"1"`), as the
//! docs show suppliers.

use axum::response::Response;
use serde_json::{Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::{self, Options};
use crate::reference::named::{members, read_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::RefKind;
use crate::request::Ctx;

/// The stored kind and the answer's member.
pub const KEY: &str = "shipper";
const TEXTS: &[&str] = &["phone_number", "address"];

pub const SHIPPER: RefKind = RefKind {
    key: KEY,
    read: |item, stored| read_members(item, stored, TEXTS, Flag::Active),
    render,
};

/// Numbered plainly (`"1"`).
pub const SHIPPER_RULES: Rules = Rules {
    numbering: plain,
    ..Rules::PLAIN
};

/// `{name, phone_number, address, active}` with `active` a boolean (created active).
fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = members(fields, &["name"]);
    shown.extend(members(fields, TEXTS));
    let active = fields
        .get("active")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    shown.insert("active".into(), Value::Bool(active));
    shown
}

/// `getShipper` (9.33): a page of the filial's suppliers.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let options = Options::ruled(&SHIPPER_RULES);
    list::get_with(ctx, envelope, &SHIPPER, Include::Ignored, options).await
}
