//! Clients (`getClient` 9.10 / `setClient` 10.17) and their extra phones
//! (`setClientPhone` 10.18), per filial. See `fields` for the members and `links` for
//! the category, type, channel, city, price types and agents.

mod fields;
mod links;
pub mod phone;

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::{Filter, SortKey};

use crate::batch::Outcome;
use crate::endpoint::Filial;
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::list::Listing;
use crate::reference::upsert::{self, Create};
use crate::reference::{sd_of_cs, RefKind};
use crate::render::page;
use crate::request::Ctx;
use crate::values::{active, period_bound, text, Bound};

/// Stored as `client`, the group and answer key of both methods.
pub const CLIENT: RefKind = RefKind {
    key: "client",
    read: |item, stored| fields::read(item, stored, &links::Resolved::default()),
    render: fields::render,
};

/// `setClient` (10.17): each client's links resolved first, then the client stored.
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let records = crate::batch::group(&envelope.data, CLIENT.key)?;
    let mut outcome = Outcome::default();
    for (index, record) in records.iter().enumerate() {
        let resolved = match record.as_object() {
            Some(item) => links::resolve(ctx, item).await?,
            None => Ok(links::Resolved::default()),
        };
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(errors) => {
                outcome.failed(index, record, errors);
                continue;
            }
        };
        let read = |item: &Map<String, Value>, stored: Option<&Map<String, Value>>| {
            fields::read(item, stored, &resolved)
        };
        let stored = upsert::store(ctx, &CLIENT, record, Create::Yes, read).await;
        upsert::settle(ctx, &mut outcome, index, record, stored)?;
    }
    Ok(outcome.answer(CLIENT.key))
}

/// getClient's own filters (`filter.period.{update,create}.{from,to}`, `filter.CS_id |
/// SD_id | code_1C`, `filter.active`) and `params.sortBy {name: updatedAt | createdAt,
/// asc}` over the shared list parameters (`params.period`, `params.sort` work too,
/// *Inferred*). Several identifiers must all match (*Inferred*).
fn client_listing(ctx: &Ctx, envelope: &Envelope) -> SdResult<Listing> {
    let mut listing = Listing::read(envelope, Include::Ignored)?;
    let filter = envelope.filter();
    if let Some(period) = filter.get("period").and_then(Value::as_object) {
        for (by, field) in [("update", "updated"), ("create", "created")] {
            let Some(range) = period.get(by).and_then(Value::as_object) else {
                continue;
            };
            for (member, op, bound) in [
                ("from", twin_store::CmpOp::Ge, Bound::Start),
                ("to", twin_store::CmpOp::Le, Bound::End),
            ] {
                let Some(raw) = range.get(member).and_then(text) else {
                    continue;
                };
                let at = period_bound(&raw, bound).ok_or_else(|| {
                    SdError::bad_request(format!(
                        "params.filter.period.{by}.{member} is not a valid date"
                    ))
                })?;
                listing.filters.push(Filter::cmp(field, op, at));
            }
        }
    }
    if let Some(cs) = filter.get("CS_id").and_then(text) {
        let sd = sd_of_cs(ctx, &cs, Filial::Scoped);
        listing.filters.push(Filter::IdIn(sd.into_iter().collect()));
    }
    if let Some(sd) = filter.get("SD_id").and_then(text) {
        listing.filters.push(Filter::IdIn(vec![sd]));
    }
    if let Some(code) = filter.get("code_1C").and_then(text) {
        listing.filters.push(Filter::eq("code_1C", code));
    }
    if let Some(flag) = filter.get("active").filter(|v| !v.is_null()) {
        let flag = active(flag)
            .ok_or_else(|| SdError::bad_request("params.filter.active must be Y or N"))?;
        listing.filters.push(Filter::eq("fields.active", flag));
    }
    if let Some(sort_by) = envelope.params.get("sortBy").and_then(Value::as_object) {
        let field = match sort_by.get("name").and_then(Value::as_str) {
            None | Some("createdAt") => "created",
            Some("updatedAt") => "updated",
            Some(_) => {
                return Err(SdError::bad_request(
                    "params.sortBy.name must be updatedAt or createdAt",
                ))
            }
        };
        let ascending = sort_by.get("asc").and_then(active).unwrap_or(true);
        let key = |path: &str| {
            if ascending {
                SortKey::asc(path)
            } else {
                SortKey::desc(path)
            }
        };
        listing.sort = vec![key(field), key("n")];
    }
    Ok(listing)
}

/// `getClient` (9.10): a page of clients with their links.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = client_listing(ctx, envelope)?;
    let (records, total) = listing.fetch(ctx, CLIENT.key, Vec::new()).await?;
    let mut shown_links = links::Shown::default();
    let mut items = Vec::with_capacity(records.len());
    for record in &records {
        let mut shown = record.ids(ctx);
        shown.extend(fields::render(&record.fields));
        for at in ["updated", "created"] {
            let member = if at == "updated" {
                "updatedAt"
            } else {
                "createdAt"
            };
            shown.insert(member.into(), record.doc.body[at].clone());
        }
        for link in links::LINKS {
            let sd = record.fields.get(link.shown_as).and_then(Value::as_str);
            let value = shown_links.reference(ctx, link, sd).await?;
            shown.insert(link.shown_as.into(), value);
        }
        shown.insert("expeditor".into(), Value::Null);
        let agents = shown_links.agents(ctx, record.fields.get("agents")).await?;
        shown.insert("agents".into(), agents);
        items.push(Value::Object(shown));
    }
    Ok(page(CLIENT.key, items, listing.limit, total, listing.page))
}
