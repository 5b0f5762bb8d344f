//! Notifications a module sends to the CRM's users (`notifications/send`). Twin shows no
//! interface, so it keeps each one sent; Twin's admin API lists them
//! (`crate::admin_extra`). The seed's limits apply per user and per API key: `api.error`
//! 3 in the last hour, `api.info` 10 in the last 30 minutes, on Twin's clock.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::customers::fields::Problems;
use crate::customers::{entity, public};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};
use crate::users;

const NOTIFICATION: &str = "notification";

/// The HTML tags a message may hold (the seed).
const TAGS: [&str; 9] = ["b", "i", "strong", "em", "br", "span", "div", "p", "a"];

/// The longest message, without its tags (the seed).
const MAX_LENGTH: usize = 160;

/// The only group a notification may name (the seed).
const SUPERADMINS: &str = "superadmins";

/// How many notifications of a type one user may get from one key, and in what window.
fn limit(kind: &str) -> (usize, Duration) {
    match kind {
        "api.error" => (3, Duration::hours(1)),
        _ => (10, Duration::minutes(30)),
    }
}

/// The text of a message without its tags, or `None` when it holds a tag not allowed.
fn plain_text(message: &str) -> Option<String> {
    let mut text = String::new();
    let mut rest = message;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = rest[start..].find('>')? + start;
        let tag = rest[start + 1..end].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !TAGS.contains(&name.to_lowercase().as_str()) {
            return None;
        }
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    Some(text)
}

/// The recipients of `doc`: `userIds` (users of the account) or `userGroups`
/// (`superadmins`, the administrators), exactly one of them.
fn recipients(doc: &Map<String, Value>, problems: &mut Problems) -> Vec<i64> {
    let given = |field: &str| doc.get(field).filter(|v| !v.is_null());
    let mut out = Vec::new();
    match (given("userIds"), given("userGroups")) {
        (Some(_), Some(_)) => {
            problems.insert(
                "userGroups".into(),
                "Only one of userIds and userGroups may be given.".into(),
            );
        }
        (None, None) => {
            problems.insert(
                "userIds".into(),
                "One of userIds and userGroups must be given.".into(),
            );
        }
        (Some(ids), None) => {
            for (i, id) in ids.as_array().into_iter().flatten().enumerate() {
                match id.as_i64() {
                    Some(id) if users::by_id(id).is_some() => out.push(id),
                    Some(_) => {
                        problems.insert(format!("userIds[{i}]"), "User not found.".into());
                    }
                    None => {
                        problems.insert(format!("userIds[{i}]"), texts::INTEGER.into());
                    }
                }
            }
            if out.is_empty() && !problems.keys().any(|k| k.starts_with("userIds")) {
                problems.insert("userIds".into(), texts::BLANK.into());
            }
        }
        (None, Some(groups)) => {
            let list = groups.as_array().cloned().unwrap_or_default();
            if list.is_empty() {
                problems.insert("userGroups".into(), texts::BLANK.into());
            }
            for (i, group) in list.iter().enumerate() {
                if group == SUPERADMINS {
                    out.extend(users::admins());
                } else {
                    problems.insert(format!("userGroups[{i}]"), texts::CHOICE.into());
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The times of the notifications of `kind` the key sent to `user` since `from`.
async fn sent_since(
    ctx: &Ctx,
    kind: &str,
    user: i64,
    from: DateTime<Utc>,
) -> RetailResult<Vec<DateTime<Utc>>> {
    let query = ListQuery::new(ctx.scope.clone(), NOTIFICATION)
        .filter(Filter::And(vec![
            Filter::eq("_key", ctx.credential.id.as_str()),
            Filter::eq("type", kind),
            Filter::Holds {
                path: vec!["_recipients".into()],
                text: user.to_string(),
            },
        ]))
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page
        .items
        .iter()
        .filter_map(|d| d.body["createdAt"].as_str().and_then(parse_time))
        .filter(|at| *at > from)
        .collect())
}

/// What the recipient with the fewest left has left, and when that one gets more.
async fn balance(ctx: &Ctx, kind: &str, to: &[i64]) -> RetailResult<(usize, Option<String>)> {
    let (max, window) = limit(kind);
    let mut least = (max, None);
    for user in to {
        let times = sent_since(ctx, kind, *user, ctx.now - window).await?;
        let left = max.saturating_sub(times.len());
        if left <= least.0 {
            let again = times.iter().min().map(|oldest| timestamp(*oldest + window));
            least = (left, again);
        }
    }
    Ok(least)
}

fn with_limits(mut response: Response, left: usize, again: Option<String>) -> Response {
    let headers = response.headers_mut();
    headers.insert("X-RateLimit-Remaining", HeaderValue::from(left));
    if let Some(value) = again.and_then(|at| HeaderValue::from_str(&at).ok()) {
        headers.insert("X-RateLimit-Retry-After", value);
    }
    response
}

/// `POST /api/v5/notifications/send`: `notification=<json>` `{type (api.info|api.error),
/// message (≤ 160 characters without tags; only the seed's tags), userIds[] |
/// userGroups[] (superadmins)}`. 200 `{"success": true}` with `X-RateLimit-Remaining`
/// (and `X-RateLimit-Retry-After`, a time, *Inferred* format) after it; a recipient with
/// none left: 429 with the seed's text and nothing sent (*Inferred* status).
pub async fn send(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "notification")?;
    let mut problems = BTreeMap::new();
    let kind = doc.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind.is_empty() {
        problems.insert("type".into(), texts::BLANK.into());
    } else if !["api.info", "api.error"].contains(&kind) {
        problems.insert("type".into(), texts::CHOICE.into());
    }
    let message = doc
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match plain_text(message) {
        _ if message.trim().is_empty() => {
            problems.insert("message".into(), texts::BLANK.into());
        }
        None => {
            problems.insert(
                "message".into(),
                "The message holds HTML tags that are not allowed.".into(),
            );
        }
        Some(text) if text.chars().count() > MAX_LENGTH => {
            problems.insert(
                "message".into(),
                "This value is too long. It should have 160 characters or less.".into(),
            );
        }
        Some(_) => {}
    }
    let to = recipients(&doc, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let (left, again) = balance(ctx, kind, &to).await?;
    if left == 0 {
        let refused = RetailError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Request execution error. Request limit has been exceeded over the last time.",
        );
        return Ok(with_limits(refused.into_response(), 0, again));
    }
    let id = ctx.next_id(NOTIFICATION).await?;
    let mut body = json!({
        "id": id, "type": kind, "message": message, "userIds": to,
        "createdAt": timestamp(ctx.now),
        "_key": ctx.credential.id,
        "_recipients": to.iter().map(i64::to_string).collect::<Vec<_>>(),
    });
    if let Some(groups) = doc.get("userGroups").filter(|v| !v.is_null()) {
        body["userGroups"] = groups.clone();
    }
    let stored = Document::new(ctx.scope.key(NOTIFICATION, id.to_string()), body);
    crate::journal::put(ctx, stored, None).await?;
    let again = again.or_else(|| Some(timestamp(ctx.now + limit(kind).1)));
    Ok(with_limits(ok(success(json!({}))), left - 1, again))
}

/// The notifications sent in the account, in order, as Twin's admin API lists them.
pub async fn sent(ctx: &Ctx) -> RetailResult<Vec<Value>> {
    let query = ListQuery::new(ctx.scope.clone(), NOTIFICATION).page(PageRequest::Offset {
        offset: 0,
        limit: 1000,
    });
    let page = ctx.core.entities.list(&query).await?;
    Ok(page.items.iter().map(|d| public(&d.body)).collect())
}
