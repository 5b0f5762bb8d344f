//! Client types (`getClientType` 9.20 / `setClientType` 10.5): per filial, `{name,
//! color, active}`. The SET takes its records as the bare array `data` (as documented;
//! `data.clientType` is read too, *Inferred*) and answers them under `clientType`
//! (*Inferred*: the docs name no key). The GET answers a bare array, as channels.

use axum::response::Response;
use serde_json::Value;

use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::named::{read_members, render_members, Flag};
use crate::reference::rules::{plain, Rules};
use crate::reference::upsert::{self, Ruled};
use crate::reference::RefKind;
use crate::request::Ctx;

/// Key `clientType`; clients link one as `clientType` and show it as `type`.
pub const CLIENT_TYPE: RefKind = RefKind {
    key: "clientType",
    read: |item, stored| read_members(item, stored, &["color"], Flag::Active),
    render: |fields| render_members(fields, &["color"], Flag::Active),
};

/// Numbered plainly (`"1"`), as the docs show client types.
pub const RULES: Rules = Rules {
    numbering: plain,
    ..Rules::PLAIN
};

/// `setClientType` (10.5): the records of `data` itself.
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let records = match &envelope.data {
        Value::Array(records) => records.as_slice(),
        other => crate::batch::group(other, CLIENT_TYPE.key)?,
    };
    let storer = Ruled {
        kind: &CLIENT_TYPE,
        rules: &RULES,
    };
    let outcome = upsert::store_group(ctx, &storer, records).await?;
    Ok(outcome.answer(CLIENT_TYPE.key))
}
