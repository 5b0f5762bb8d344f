//! Client requests awaiting moderation, per filial: `getClientPending` (9.41 = 15.3)
//! lists them, `deleteClientPending` (15.4) removes them. Agents make them in the mobile
//! app; no API method does, so Twin seeds them in admin (`seed`), each a setClient item
//! (`shortName`, `firmName`, `orentir`, ..., `clientCategory` required, `clientType`,
//! `clientChannel`, `territory`, read and checked as setClient reads them) with the
//! agent who made it as `createdBy` (`{CS_id|SD_id|code_1C}`, optional; an unknown one
//! fails the record). An item without identifiers makes a new request, as agents' do.
//!
//! getClientPending shows a request as getClient shows a client, without `updatedAt`,
//! `nspCode`, `expeditor` and `agents`, with `createdAt` and `createdBy {CS_id, SD_id,
//! code_1C, name}` (`null` when it names no agent; *Inferred*).
//!
//! deleteClientPending takes the body's top-level `clientPending` list (also
//! `data.clientPending`, the other SET methods' place: *Inferred*), at most 250
//! identifiers (407 beyond), each `{CS_id|SD_id|code_1C}` found as any record is. It
//! answers `result.data` as the bare list of the identifiers deleted, as sent; one that
//! finds no request is refused with its index (*Inferred*: a delete of nothing is more
//! likely a mistake than a wish), the others still deleted.

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::{Batch, Expect, Write};

use super::{fields, links};
use crate::batch::{self, Outcome};
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::list::Listing;
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{by_sd_in, find_in, nested, Ids, Record, RefKind};
use crate::render::page;
use crate::request::Ctx;

/// Stored as `clientPending`, the answer member and the group of both methods.
pub const CLIENT_PENDING: RefKind = RefKind {
    key: "clientPending",
    read: |item, stored| fields::read(item, stored, &links::Resolved::default()),
    render: fields::render,
};

/// Items without identifiers make a request.
const RULES: Rules = Rules {
    unnamed: true,
    ..Rules::PLAIN
};

const AGENT: &str = crate::agent::AGENT.kind.key;
const IDENTIFIERS: [&str; 3] = ["CS_id", "SD_id", "code_1C"];
/// *Inferred* item texts.
const NO_ID: &str = "One of CS_id, SD_id or code_1C is required";
const NOT_FOUND: &str = "Client request not found";

/// How admin seeding stores a client request: as setClient stores a client, with its
/// `createdBy`.
pub struct Pending;

impl StoreRecord for Pending {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &CLIENT_PENDING, &RULES, record).await?;
        let mut errors = Vec::new();
        let resolved = match links::resolve(ctx, item).await? {
            Ok(resolved) => resolved,
            Err(mut refused) => {
                errors.append(&mut refused);
                links::Resolved::default()
            }
        };
        let creator = match nested(ctx, AGENT, item, "createdBy").await? {
            Some(Ok(agent)) => Some(agent.sd_id),
            Some(Err(error)) => {
                errors.push(error);
                None
            }
            None => None,
        };
        let stored = existing.as_ref().map(|r| &r.fields);
        let mut fields = match fields::read(item, stored, &resolved) {
            Ok(fields) if errors.is_empty() => fields,
            Ok(_) => return Err(Refused::Item(errors)),
            Err(mut refused) => {
                errors.append(&mut refused);
                return Err(Refused::Item(errors));
            }
        };
        if let Some(agent) = creator {
            fields.insert("createdBy".into(), Value::from(agent));
        }
        let target = Target::of(ctx, CLIENT_PENDING.key, &RULES, existing.as_ref()).await?;
        save(ctx, CLIENT_PENDING.key, &ids, target, fields).await
    }
}

/// `getClientPending` (9.41 / 15.3): a page of the filial's requests.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let (requests, total) = listing.fetch(ctx, CLIENT_PENDING.key, Vec::new()).await?;
    let mut shown_links = links::Shown::new(ctx);
    let mut items = Vec::with_capacity(requests.len());
    for request in &requests {
        let mut shown = request.ids(ctx);
        let mut own = fields::render(&request.fields);
        own.remove("nspCode");
        let bank = own.remove("bankDetails").unwrap_or_default();
        shown.extend(own);
        shown.insert("createdAt".into(), request.doc.body["created"].clone());
        shown.insert("bankDetails".into(), bank);
        for links::ClientLink { link, shown_as } in links::LINKS {
            let sd = request.fields.get(*shown_as).and_then(Value::as_str);
            let value = shown_links.reference(ctx, link, sd).await?;
            shown.insert((*shown_as).into(), value);
        }
        let creator = request.fields.get("createdBy").and_then(Value::as_str);
        shown.insert("createdBy".into(), created_by(ctx, creator).await?);
        items.push(Value::Object(shown));
    }
    let key = CLIENT_PENDING.key;
    Ok(page(key, items, listing.limit, total, listing.page))
}

/// The agent who made a request: `{CS_id, SD_id, code_1C, name}`, `null` when none.
async fn created_by(ctx: &Ctx, sd_id: Option<&str>) -> SdResult<Value> {
    let Some(sd_id) = sd_id else {
        return Ok(Value::Null);
    };
    Ok(match by_sd_in(ctx, AGENT, sd_id).await? {
        Some(agent) => {
            let mut shown = agent.ids(ctx);
            let name = agent.fields.get("name").cloned().unwrap_or_default();
            shown.insert("name".into(), name);
            Value::Object(shown)
        }
        None => Value::Null,
    })
}

/// `deleteClientPending` (15.4).
pub async fn delete(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let key = CLIENT_PENDING.key;
    let list = envelope
        .rest
        .get(key)
        .or_else(|| envelope.data.get(key))
        .ok_or_else(|| SdError::bad_request(format!("Required field \"{key}\" is missing")))?;
    let items = list
        .as_array()
        .ok_or_else(|| SdError::bad_request(format!("{key} must be a list")))?;
    batch::check_limit(list)?;
    let mut outcome = Outcome::default();
    for (index, item) in items.iter().enumerate() {
        match remove(ctx, item).await? {
            Ok(given) => outcome.done(given),
            Err(error) => outcome.failed(index, item, vec![error.into()]),
        }
    }
    Ok(outcome.answer_list(key))
}

/// Deletes the request an item names; the identifiers as sent, or why it was refused.
async fn remove(ctx: &Ctx, item: &Value) -> SdResult<Result<Map<String, Value>, &'static str>> {
    let Some(given) = item.as_object() else {
        return Ok(Err(NOT_OBJECT));
    };
    let ids = Ids::of(given);
    if ids.is_empty() {
        return Ok(Err(NO_ID));
    }
    let Some(found) = find_in(ctx, CLIENT_PENDING.key, &ids).await? else {
        return Ok(Err(NOT_FOUND));
    };
    let delete = Write::Delete {
        key: found.doc.key.clone(),
        expect: Expect::Version(found.doc.version),
    };
    ctx.apply_read(Batch::new().write(delete), std::slice::from_ref(&found.doc))
        .await?;
    let echo = IDENTIFIERS
        .iter()
        .filter_map(|member| Some(((*member).to_owned(), given.get(*member)?.clone())))
        .collect();
    Ok(Ok(echo))
}
