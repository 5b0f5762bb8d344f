//! `POST /api/v5/web-analytics/visits/upload`.

use serde_json::{json, Map, Value};

use super::{customer_link, fail, owner, site, source_of, Failure, VISIT};
use crate::error::{texts, RetailResult};
use crate::request::{parse_time, timestamp, Ctx};

/// A count member (`visitLength`, `pageViews`): an integer of at least 0, if given.
fn count(record: &Value, field: &str, out: &mut Map<String, Value>) -> Result<(), Failure> {
    match &record[field] {
        Value::Null => Ok(()),
        value => match value.as_i64() {
            Some(n) if n >= 0 => {
                out.insert(field.into(), json!(n));
                Ok(())
            }
            Some(_) => Err(fail(field, texts::POSITIVE_OR_ZERO)),
            None => Err(fail(field, texts::INTEGER)),
        },
    }
}

/// The visit's fields besides its links, checked.
fn fields(record: &Value) -> Result<Map<String, Value>, Failure> {
    let mut out = Map::new();
    if !record["createdAt"].is_null() {
        let at = record["createdAt"]
            .as_str()
            .and_then(parse_time)
            .ok_or_else(|| fail("createdAt", texts::DATETIME))?;
        out.insert("createdAt".into(), json!(timestamp(at)));
    }
    for field in ["visitLength", "pageViews", "pageDepth"] {
        count(record, field, &mut out)?;
    }
    for field in ["exitPage", "landingPage"] {
        if let Some(text) = record[field].as_str() {
            out.insert(field.into(), json!(text));
        }
    }
    if record["source"].is_object() {
        let source =
            source_of(&record["source"]).map_err(|(f, t)| fail(&format!("source][{f}"), &t))?;
        out.insert("source".into(), Value::Object(source));
    }
    if !record["pages"].is_null() {
        let Some(pages) = record["pages"].as_array() else {
            return Err(fail("pages", "This value should be of type array."));
        };
        let mut kept = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let Some(url) = page["url"].as_str().filter(|u| !u.is_empty()) else {
                return Err(fail(&format!("pages][{i}][url"), texts::BLANK));
            };
            let mut one = Map::new();
            one.insert("url".into(), json!(url));
            if let Some(title) = page["title"].as_str() {
                one.insert("title".into(), json!(title));
            }
            for field in ["countViews", "timeOnPage"] {
                count(page, field, &mut one)
                    .map_err(|(f, t)| fail(&format!("pages][{i}][{f}"), &t))?;
            }
            kept.push(Value::Object(one));
        }
        out.insert("pages".into(), Value::Array(kept));
    }
    Ok(out)
}

/// One record of `POST /api/v5/web-analytics/visits/upload` (seed: web analytics): `visits=<json
/// list>` of at most 50 `{site, customer? | clientId?, createdAt?, visitLength?,
/// exitPage?, landingPage?, pageViews?, pageDepth?, source?, pages?}`. Each visit needs
/// its `site` and a customer: named (`id`, else `externalId` within the site), or the one
/// its `clientId` was uploaded for. Numbers are integers of at least 0, each page needs
/// its `url`. A visit changes no customer field (the vendor shows visits in its
/// interface): it is kept and read through Twin's admin API. Records that fail are left
/// out: see `super::upload`. *Inferred* texts.
pub async fn one(ctx: &Ctx, record: &Value) -> RetailResult<Result<(), Failure>> {
    let mut stored = match fields(record) {
        Ok(stored) => stored,
        Err(failure) => return Ok(Err(failure)),
    };
    let site = match site(ctx, record).await? {
        Ok(Some(site)) => site,
        Ok(None) => return Ok(Err(fail("site", texts::BLANK))),
        Err(failure) => return Ok(Err(failure)),
    };
    let client_id = match super::short(record, "clientId") {
        Ok(value) => value,
        Err(failure) => return Ok(Err(failure)),
    };
    let missing = "One of the fields customer or clientId should be specified.";
    let owner = match owner(ctx, record, Some(&site), client_id.as_deref(), missing).await? {
        Ok(owner) => owner,
        Err(failure) => return Ok(Err(failure)),
    };
    stored
        .entry("createdAt")
        .or_insert_with(|| json!(timestamp(ctx.now)));
    stored.insert("customer".into(), customer_link(&owner));
    if let Some(value) = client_id {
        stored.insert("clientId".into(), json!(value));
    }
    stored.insert("site".into(), json!(site));
    let doc = super::record(ctx, VISIT, stored).await?;
    crate::journal::put(ctx, doc, None).await?;
    Ok(Ok(()))
}
