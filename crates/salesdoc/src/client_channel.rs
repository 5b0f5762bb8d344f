//! Sales channels (`getClientChannel` 9.19 / `setClientChannel` 10.4): per filial, a
//! `name` only. The GET answers a bare array in `result`, without `pagination` (as
//! documented); `limit` and `page` still cut it (*Inferred*).

use axum::response::Response;
use serde_json::{json, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::Listing;
use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::RefKind;
use crate::render::ok;
use crate::request::Ctx;

/// Key `clientChannel`; clients link one as `clientChannel` and show it as `channel`.
pub const CLIENT_CHANNEL: RefKind = RefKind {
    key: "clientChannel",
    read: |item, stored| read_members(item, stored, &[], Flag::None),
    render: |fields| render_members(fields, &[], Flag::None),
};

/// A GET whose `result` is the bare array of the kind's records (getClientChannel,
/// getClientType).
pub async fn get_bare(ctx: &Ctx, envelope: &Envelope, kind: &RefKind) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, _) = listing.fetch(ctx, kind.key, Vec::new()).await?;
    let items: Vec<Value> = records.iter().map(|r| r.render(ctx, kind)).collect();
    Ok(ok(json!({ "status": true, "result": items })))
}
