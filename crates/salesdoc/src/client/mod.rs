//! Clients (`getClient` 9.10 / `setClient` 10.17), their extra phones
//! (`setClientPhone` 10.18) and the requests for new ones awaiting moderation
//! (`getClientPending` 9.41 / `deleteClientPending` 15.4), per filial. See `fields` for the members and `links` for
//! the category, type, channel, city, price types and agents.

mod fields;
mod links;
pub mod pending;
pub mod phone;

use axum::response::Response;
use serde_json::Value;
use twin_store::{Filter, SortKey};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::reference::list::{date_range, identifier_filters, Listing};
use crate::reference::rules::Rules;
use crate::reference::upsert::{identify, save, Refused, StoreRecord, Target};
use crate::reference::{Record, RefKind};
use crate::render::page;
use crate::request::Ctx;
use crate::values::active;

/// Stored as `client`, the group and answer key of both methods.
pub const CLIENT: RefKind = RefKind {
    key: "client",
    read: |item, stored| fields::read(item, stored, &links::Resolved::default()),
    render: fields::render,
};

/// How `setClient` (10.17) stores a client: its links resolved, then its fields.
pub struct Clients;

impl StoreRecord for Clients {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let (item, ids, existing) = identify(ctx, &CLIENT, &Rules::PLAIN, record).await?;
        let resolved = links::resolve(ctx, item).await?.map_err(Refused::Item)?;
        let stored = existing.as_ref().map(|r| &r.fields);
        let fields = fields::read(item, stored, &resolved).map_err(Refused::Item)?;
        let target = Target::of(ctx, CLIENT.key, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, CLIENT.key, &ids, target, fields).await
    }
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
            if let Some(range) = period.get(by).filter(|r| r.is_object()) {
                let name = format!("params.filter.period.{by}");
                listing.filters.extend(date_range(range, field, &name)?);
            }
        }
    }
    listing.filters.extend(identifier_filters(ctx, &filter));
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
    let mut shown_links = links::Shown::new(ctx);
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
        for links::ClientLink { link, shown_as } in links::LINKS {
            let sd = record.fields.get(*shown_as).and_then(Value::as_str);
            let value = shown_links.reference(ctx, link, sd).await?;
            shown.insert((*shown_as).into(), value);
        }
        shown.insert("expeditor".into(), Value::Null);
        let agents = shown_links.agents(ctx, record.fields.get("agents")).await?;
        shown.insert("agents".into(), agents);
        items.push(Value::Object(shown));
    }
    Ok(page(CLIENT.key, items, listing.limit, total, listing.page))
}
