//! SMS verification: a check sends a code to a phone (the vendor does it for loyalty
//! actions), the module confirms the code the customer read out (`verification/sms/
//! confirm`) and asks how the check stands (`verification/sms/{checkId}/status`). Twin
//! sends no SMS: checks start in Twin's admin API (`crate::admin_extra`) with a code the
//! test knows. A check expires on Twin's clock.

use axum::response::Response;
use chrono::Duration;
use serde_json::{json, Map, Value};
use twin_store::Document;

use crate::customers::entity;
use crate::customers::fields::Problems;
use crate::error::{texts, RetailError, RetailResult};
use crate::render::ok;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};

const CHECK: &str = "sms_verification";

/// The action types the seed lists.
pub const ACTIONS: [&str; 3] = [
    "verify_loyalty_account",
    "verify_loyalty_account_phone",
    "confirm_loyalty_charge",
];

/// How long a code is valid unless the check says (*Inferred*: the seed gives no time).
pub const LIFETIME_SECONDS: i64 = 300;

/// A check the admin API starts: its action, its code (four digits derived from its
/// number unless given) and lifetime. Answers `(checkId, code)`.
pub async fn start(
    ctx: &Ctx,
    action: &str,
    code: Option<String>,
    lifetime: i64,
) -> RetailResult<(String, String)> {
    let number = ctx.next_id(CHECK).await?;
    let check_id = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        number,
        ctx.now.timestamp_millis()
    );
    let code = code.unwrap_or_else(|| format!("{:04}", (number * 7919 + 1000) % 10000));
    let body = json!({
        "checkId": check_id,
        "actionType": action,
        "createdAt": timestamp(ctx.now),
        "expiredAt": timestamp(ctx.now + Duration::seconds(lifetime)),
        "_code": code,
    });
    let doc = Document::new(ctx.scope.key(CHECK, &check_id), body);
    crate::journal::put(ctx, doc, None).await?;
    Ok((check_id, code))
}

async fn find(ctx: &Ctx, check_id: &str) -> RetailResult<Document> {
    ctx.core
        .entities
        .find(&ctx.scope, CHECK, check_id)
        .await?
        .ok_or_else(RetailError::not_found)
}

/// `{createdAt, expiredAt, verifiedAt?, checkId, actionType}`.
fn answer(body: &Value) -> Response {
    let verification: Map<String, Value> = [
        "createdAt",
        "expiredAt",
        "verifiedAt",
        "checkId",
        "actionType",
    ]
    .iter()
    .filter(|f| !body[**f].is_null())
    .map(|f| ((*f).to_owned(), body[*f].clone()))
    .collect();
    ok(success(json!({ "verification": verification })))
}

/// `POST /api/v5/verification/sms/confirm`: `verification=<json>` `{code, checkId}` (both
/// required). A check no one started: 404; one already confirmed, expired (its
/// `expiredAt` passed on Twin's clock) or a wrong code: 400 with its own message
/// (*Inferred* texts). Answers the verification with `verifiedAt`.
pub async fn confirm(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "verification")?;
    let mut problems = Problems::new();
    for field in ["code", "checkId"] {
        if doc
            .get(field)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            problems.insert(field.into(), texts::BLANK.into());
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let before = find(ctx, doc["checkId"].as_str().unwrap_or_default()).await?;
    let mut check = before.body.clone();
    if !check["verifiedAt"].is_null() {
        return Err(RetailError::bad_request(
            "The verification is already confirmed",
        ));
    }
    let expired = check["expiredAt"]
        .as_str()
        .and_then(parse_time)
        .is_none_or(|at| ctx.now >= at);
    if expired {
        return Err(RetailError::bad_request(
            "The verification code has expired",
        ));
    }
    if doc["code"] != check["_code"] {
        return Err(RetailError::bad_request("Invalid verification code"));
    }
    check["verifiedAt"] = json!(timestamp(ctx.now));
    let stored = Document::new(before.key.clone(), check.clone());
    crate::journal::put(ctx, stored, Some(&before)).await?;
    Ok(answer(&check))
}

/// `GET /api/v5/verification/sms/{checkId}/status`: the verification (`verifiedAt` once
/// confirmed); 404 for a check no one started.
pub async fn status(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let check = find(ctx, request.arg()).await?;
    Ok(answer(&check.body))
}
