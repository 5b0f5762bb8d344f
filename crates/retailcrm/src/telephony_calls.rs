//! `telephony/calls/upload`: a telephony's call history kept per account. Each call names
//! the user who took it (`userId`, else the extension `code` of the account's telephony
//! modules' `additionalCodes`), the store (`site`, else the store whose number is
//! `externalPhone` in the modules' `externalPhones`) and is linked to the customer with
//! its phone. The CRM shows calls in its interface; Twin shows them in its admin API:
//! `GET /admin/api/accounts/{id}/retailcrm/calls` answers `{"calls": [...]}` in upload
//! order (`customer {id, externalId?, site}` for a linked call).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use twin_http::{AppState, Problem};
use twin_store::{Batch, Document, Expect, ListQuery, PageRequest, Write};

use crate::admin::{problem, user_ctx};
use crate::cost_refs::SOURCE_FIELDS;
use crate::customers::fields::{checked_text, object, Problems};
use crate::customers::{identity, public};
use crate::error::{texts, RetailError, RetailResult};
use crate::modules::MODULE;
use crate::render::ok;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};
use crate::telephony::{customer_by_phone, digits};
use crate::{sites, users};

pub const CALL: &str = "telephony_call";
/// The unique lookup of calls' external ids in the account.
const EXTERNAL_ID: &str = "externalId";
/// At most this many calls in one upload (the seed).
const UPLOAD_LIMIT: usize = 50;
/// The most documents of a kind Twin reads at once here (*Inferred*: small accounts).
const READ_LIMIT: u32 = 1000;
const TYPES: [&str; 2] = ["in", "out"];
const RESULTS: [&str; 6] = [
    "failed",
    "answered",
    "busy",
    "no answer",
    "not allowed",
    "unknown",
];
/// *Inferred* texts of problems the seed names without wording them.
const NO_USER: &str = "User not found.";
const NO_CODE: &str = "Extension code not found.";
const NO_RECORD: &str = "The record must be an http(s) link to a .wav or .mp3 file.";
const TOO_SHORT: &str = "The duration must be more than the waiting time.";

/// The account's telephony settings: `(code, userId)` of `additionalCodes` and
/// `(externalPhone digits, siteCode)` of `externalPhones`, of its active modules.
struct Settings {
    codes: Vec<(String, i64)>,
    phones: Vec<(String, String)>,
}

async fn settings(ctx: &Ctx) -> RetailResult<Settings> {
    let query = ListQuery::new(ctx.scope.clone(), MODULE).page(PageRequest::Offset {
        offset: 0,
        limit: READ_LIMIT,
    });
    let modules = ctx.core.entities.list(&query).await?.items;
    let mut out = Settings {
        codes: Vec::new(),
        phones: Vec::new(),
    };
    for module in modules.iter().filter(|m| m.body["active"] != false) {
        let telephony = &module.body["integrations"]["telephony"];
        for entry in telephony["additionalCodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let code = entry["code"].as_str().map(str::to_owned);
            if let (Some(code), Some(user)) = (code, integer(&entry["userId"])) {
                out.codes.push((code, user));
            }
        }
        for entry in telephony["externalPhones"].as_array().into_iter().flatten() {
            if let (Some(phone), Some(site)) =
                (entry["externalPhone"].as_str(), entry["siteCode"].as_str())
            {
                out.phones.push((digits(phone), site.to_owned()));
            }
        }
    }
    Ok(out)
}

fn integer(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// A record link: `http(s)://...` ending in `.wav` or `.mp3` (the seed's formats).
fn record_url(text: &str) -> bool {
    let lower = text.to_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && (path.ends_with(".wav") || path.ends_with(".mp3"))
}

/// The user who took the call: `userId` first, then `code` (the seed's order).
fn user(doc: &Map<String, Value>, settings: &Settings, problems: &mut Problems) -> Option<i64> {
    if let Some(given) = doc.get("userId").filter(|v| !v.is_null()) {
        let found = integer(given).filter(|id| users::by_id(*id).is_some());
        if found.is_none() {
            problems.insert("userId".into(), NO_USER.into());
        }
        return found;
    }
    let Some(code) = doc.get("code").and_then(Value::as_str) else {
        problems.insert("code".into(), texts::BLANK.into());
        return None;
    };
    let found = settings.codes.iter().find(|(c, _)| c == code).map(|c| c.1);
    if found.is_none() {
        problems.insert("code".into(), NO_CODE.into());
    }
    found
}

/// Reads one call into its stored form (without id), recording problems by field.
async fn read(
    ctx: &Ctx,
    doc: &Map<String, Value>,
    settings: &Settings,
    problems: &mut Problems,
) -> RetailResult<Map<String, Value>> {
    let mut call = Map::new();
    match doc.get("date").and_then(Value::as_str) {
        Some(text) if text.len() == 19 && parse_time(text).is_some() => {
            call.insert("date".into(), json!(text));
        }
        Some(_) => {
            problems.insert("date".into(), texts::DATETIME.into());
        }
        None => {
            problems.insert("date".into(), texts::BLANK.into());
        }
    }
    for (field, choices) in [("type", &TYPES[..]), ("result", &RESULTS[..])] {
        match doc.get(field).and_then(Value::as_str) {
            Some(text) if choices.contains(&text) => {
                call.insert(field.into(), json!(text));
            }
            Some(_) => {
                problems.insert(field.into(), texts::CHOICE.into());
            }
            None if field == "type" => {
                problems.insert(field.into(), texts::BLANK.into());
            }
            None => {}
        }
    }
    match doc.get("phone") {
        Some(phone) => {
            if let Some(phone) = checked_text(problems, "phone", phone) {
                call.insert("phone".into(), phone);
            }
        }
        None => {
            problems.insert("phone".into(), texts::BLANK.into());
        }
    }
    if let Some(id) = user(doc, settings, problems) {
        call.insert("userId".into(), json!(id));
    }
    for field in ["code", "externalId", "externalPhone", "clientId"] {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            if let Some(text) = checked_text(problems, field, value) {
                call.insert(field.into(), text);
            }
        }
    }
    for field in ["duration", "durationWaiting"] {
        if let Some(value) = doc.get(field).filter(|v| !v.is_null()) {
            match integer(value) {
                Some(seconds) if seconds >= 0 => {
                    call.insert(field.into(), json!(seconds));
                }
                Some(_) => {
                    problems.insert(field.into(), texts::POSITIVE_OR_ZERO.into());
                }
                None => {
                    problems.insert(field.into(), texts::INTEGER.into());
                }
            }
        }
    }
    if let (Some(total), Some(waiting)) = (
        call.get("duration").and_then(Value::as_i64),
        call.get("durationWaiting").and_then(Value::as_i64),
    ) {
        if total <= waiting {
            problems.insert("duration".into(), TOO_SHORT.into());
        }
    }
    match doc.get("recordUrl").filter(|v| !v.is_null()) {
        None => {}
        Some(Value::String(url)) if record_url(url) => {
            call.insert("recordUrl".into(), json!(url));
        }
        Some(_) => {
            problems.insert("recordUrl".into(), NO_RECORD.into());
        }
    }
    if let Some(source) = doc.get("source").filter(|v| !v.is_null()) {
        if let Some(read) = object(problems, "source", source, &SOURCE_FIELDS) {
            call.insert("source".into(), read);
        }
    }
    let site = match doc.get("site").and_then(Value::as_str) {
        Some(code) => Some(sites::check(ctx, code).await?),
        None => call
            .get("externalPhone")
            .and_then(Value::as_str)
            .map(digits)
            .and_then(|wanted| settings.phones.iter().rev().find(|(p, _)| *p == wanted))
            .map(|(_, site)| site.clone())
            .filter(|site| ctx.may_reach(site)),
    };
    if let Some(site) = &site {
        call.insert("site".into(), json!(site));
    }
    let phone = call.get("phone").and_then(Value::as_str).map(digits);
    if let Some(phone) = phone.filter(|p| !p.is_empty()) {
        if let Some(customer) = customer_by_phone(ctx, &phone, site.as_deref()).await? {
            call.insert("customer".into(), identity(&customer));
        }
    }
    Ok(call)
}

/// `POST /api/v5/telephony/calls/upload`: `calls=<json list>` of 1 to 50 calls, each
/// `date` (`Y-m-d H:i:s`), `type` (`in`/`out`), `phone` and `userId` or `code` required;
/// `result`, `duration` (more than `durationWaiting`), `externalId`, `recordUrl` (.wav or
/// .mp3), `site`/`externalPhone`, `source`, `clientId` optional. All or none
/// (*Inferred*, as costs upload): any problem is 400 `Errors in the entity format` with
/// `calls[i][field]` keys. A call whose `externalId` the account already has (or an
/// earlier call of the upload has) is not created and is listed in `duplicateCalls`.
/// 200 `{"success": true, "processedCallsCount": <calls created>, "duplicateCalls": [...]}`.
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let list = request.batch("calls", UPLOAD_LIMIT)?;
    let settings = settings(ctx).await?;
    let mut problems = Problems::new();
    let mut calls = Vec::new();
    for (i, doc) in list.iter().enumerate() {
        let Some(doc) = doc.as_object() else {
            problems.insert(format!("calls[{i}]"), texts::CHOICE.into());
            continue;
        };
        let mut own = Problems::new();
        let call = read(ctx, doc, &settings, &mut own).await?;
        problems.extend(
            own.into_iter()
                .map(|(field, text)| (format!("calls[{i}][{field}]"), text)),
        );
        calls.push(call);
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let mut batch = Batch::new();
    let mut duplicates: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for mut call in calls {
        let external = call.get("externalId").and_then(Value::as_str);
        if let Some(external) = external.map(str::to_owned) {
            let stored = ctx
                .core
                .entities
                .find_by(&ctx.scope, CALL, EXTERNAL_ID, &external)
                .await?;
            if !seen.insert(external.clone()) || stored.is_some() {
                duplicates.push(json!(external));
                continue;
            }
        }
        let id = ctx.next_id(CALL).await?;
        call.insert("id".into(), json!(id));
        call.insert("createdAt".into(), json!(timestamp(ctx.now)));
        let mut doc = Document::new(ctx.scope.key(CALL, id.to_string()), Value::Object(call));
        if let Some(external) = doc.body["externalId"].as_str().map(str::to_owned) {
            doc = doc.with_lookup(EXTERNAL_ID, external);
        }
        batch.writes.push(Write::Put {
            doc,
            expect: Expect::Absent,
        });
    }
    let processed = batch.writes.len();
    if processed > 0 {
        // A concurrent upload of the same external id: the vendor's "repeat" answer.
        ctx.core
            .store
            .apply(batch)
            .await
            .map_err(|error| match error {
                twin_store::StoreError::Duplicate { .. } | twin_store::StoreError::Conflict(_) => {
                    RetailError::bad_request(
                        "The calls were uploaded by another request; repeat it",
                    )
                }
                other => twin_core::CoreError::from(other).into(),
            })?;
    }
    Ok(ok(success(json!({
        "processedCallsCount": processed,
        "duplicateCalls": duplicates,
    }))))
}

/// The account's calls in upload order, as the admin API shows them.
pub async fn stored(ctx: &Ctx) -> RetailResult<Vec<Value>> {
    let query = ListQuery::new(ctx.scope.clone(), CALL).page(PageRequest::Offset {
        offset: 0,
        limit: READ_LIMIT,
    });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page.items.iter().map(|doc| public(&doc.body)).collect())
}

pub fn admin_routes() -> Router<AppState> {
    Router::new().route("/accounts/{id}/retailcrm/calls", get(admin_list))
}

async fn admin_list(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let (ctx, _) = user_ctx(&state, &account, &Value::Null).await?;
    let calls = stored(&ctx).await.map_err(problem)?;
    Ok(Json(json!({ "calls": calls })))
}
