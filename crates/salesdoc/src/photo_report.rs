//! Agents' photo reports and their categories, per filial: `getPRCategory` (9.37) and
//! `getPhotoReport` (9.38). Agents make both in the mobile app; no API method writes
//! them, so Twin seeds them in admin (`seed`).
//!
//! Categories are named references numbered `1`, `2`, ... (the docs' `"SD_id": "1"`),
//! shown as `{CS_id, SD_id, name, active}` without `code_1C` (as documented), with the
//! filial's prefix in `CS_id` as every record of a filial.
//!
//! A photo report names its agent and client (required) and its category (optional) by
//! `CS_id` / `SD_id` / `code_1C`, each found in the filial (an unknown one fails the
//! record), and carries the photo's `url`, the `date` it was taken (default: the moment
//! it is seeded) and the `role` of the user who took it (default `"4"`, an agent, as in
//! the docs' example). getPhotoReport shows the reports of the current day only (as
//! documented): the day of the account's clock in server time.

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{CmpOp, Filter};

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::list::{self, Listing};
use crate::reference::named::named_kind;
use crate::reference::rules::{plain, Rules};
use crate::reference::upsert::{save, Refused, StoreRecord, Target, NOT_OBJECT};
use crate::reference::{find_in, nested, Ids, Record, RefKind};
use crate::render::page;
use crate::request::Ctx;
use crate::values::{datetime, period_bound, text, Bound};

/// Key `prCategory`.
pub const PR_CATEGORY: RefKind = named_kind("prCategory");

/// Numbered plainly, shown without `code_1C`; a seeded item without identifiers makes
/// one (they have no 1C code in the docs).
pub const PR_CATEGORY_RULES: Rules = Rules {
    numbering: plain,
    ..Rules::UNCODED
};

/// The stored kind and answer member of photo reports.
pub const PHOTO_REPORT: &str = "photoReport";
/// The documented example's role: an agent.
const AGENT_ROLE: &str = "4";

/// `getPRCategory` (9.37).
pub async fn get_categories(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let options = list::Options::ruled(&PR_CATEGORY_RULES);
    list::get_with(ctx, envelope, &PR_CATEGORY, Include::Ignored, options).await
}

/// How admin seeding stores a photo report: found by its own identifiers when it gives
/// some, else new.
pub struct PhotoReports;

impl StoreRecord for PhotoReports {
    async fn store(&self, ctx: &Ctx, record: &Value) -> Result<Record, Refused> {
        let Some(item) = record.as_object() else {
            return Err(Refused::Item(vec![NOT_OBJECT.into()]));
        };
        let mut errors = Vec::new();
        let mut fields = Map::new();
        for (member, key, required, shown_as) in [
            ("agent", "agent", true, "agent_id"),
            ("client", "client", true, "client_id"),
            ("category", PR_CATEGORY.key, false, "cat_id"),
        ] {
            let linked = match nested(ctx, key, item, member).await? {
                Some(Ok(found)) => Value::from(found.sd_id),
                Some(Err(error)) => {
                    errors.push(error);
                    Value::Null
                }
                None if required => {
                    errors.push(format!("{member} is required"));
                    Value::Null
                }
                None => Value::Null,
            };
            fields.insert(shown_as.into(), linked);
        }
        let date = match item.get("date").and_then(text) {
            None => Some(datetime(ctx.now)),
            Some(raw) => period_bound(&raw, Bound::Start),
        };
        if date.is_none() {
            errors.push("date must be a date and time YYYY-MM-DD HH:MM:SS".into());
        }
        fields.insert("date".into(), json!(date));
        let role = item.get("role").and_then(text);
        fields.insert("role".into(), json!(role.as_deref().unwrap_or(AGENT_ROLE)));
        fields.insert("url".into(), json!(item.get("url").and_then(text)));
        if !errors.is_empty() {
            return Err(Refused::Item(errors));
        }
        let ids = Ids::of(item);
        let existing = if ids.is_empty() {
            None
        } else {
            find_in(ctx, PHOTO_REPORT, &ids).await?
        };
        let target = Target::of(ctx, PHOTO_REPORT, &Rules::PLAIN, existing.as_ref()).await?;
        save(ctx, PHOTO_REPORT, &ids, target, fields).await
    }
}

/// `getPhotoReport` (9.38): the page of today's photo reports (`limit`, `page`,
/// `period` and `sort` as every GET, *Inferred*).
pub async fn get_reports(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let listing = Listing::read(envelope, Include::Ignored)?;
    let today = &datetime(ctx.now)[..10];
    let mut on_today = Vec::new();
    for (op, bound) in [(CmpOp::Ge, Bound::Start), (CmpOp::Le, Bound::End)] {
        if let Some(at) = period_bound(today, bound) {
            on_today.push(Filter::cmp("fields.date", op, at));
        }
    }
    let (reports, total) = listing.fetch(ctx, PHOTO_REPORT, on_today).await?;
    let items = reports
        .iter()
        .map(|report| {
            let shown = |member: &str| report.fields.get(member).cloned().unwrap_or_default();
            json!({
                "CS_id": report.cs_id(ctx),
                "SD_id": report.sd_id,
                "agent_id": shown("agent_id"),
                "client_id": shown("client_id"),
                "cat_id": shown("cat_id"),
                "role": shown("role"),
                "url": shown("url"),
                "date": shown("date"),
            })
        })
        .collect();
    Ok(page(
        PHOTO_REPORT,
        items,
        listing.limit,
        total,
        listing.page,
    ))
}
