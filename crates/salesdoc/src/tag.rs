//! Tags (`getTag` 9.47), per filial: `{id, name, active}` with an integer `id` (the
//! record's number: `d0_7` is tag 7), in `result.data` without `pagination` (as
//! documented). No SET method: seeded in admin (`seed`).

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::Listing;
use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::RefKind;
use crate::render::ok;
use crate::request::Ctx;

/// Stored as `tag`.
pub const TAG: RefKind = RefKind {
    key: "tag",
    read: |item, stored| read_members(item, stored, &[], Flag::Active),
    render: |fields| render_members(fields, &[], Flag::Active),
};

/// `getTag` (9.47): the tags, `limit` and `page` honoured (*Inferred*: the docs show
/// neither).
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (records, _) = listing.fetch(ctx, TAG.key, Vec::new()).await?;
    let items: Vec<Value> = records
        .iter()
        .map(|record| {
            let mut shown = Map::new();
            shown.insert("id".into(), record.doc.body["n"].clone());
            shown.extend((TAG.render)(&record.fields));
            Value::Object(shown)
        })
        .collect();
    Ok(ok(json!({ "status": true, "result": { "data": items } })))
}
