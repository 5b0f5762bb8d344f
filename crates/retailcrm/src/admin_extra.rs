//! Twin-only controls of the RetailCRM dialect for notifications and SMS verification,
//! mounted in the admin API next to `crate::admin`:
//! `GET /admin/api/accounts/{id}/retailcrm/notifications` lists the notifications sent
//! (`{"notifications": [{id, type, message, userIds, userGroups?, createdAt}]}`), as the
//! CRM's users would see them; `POST /admin/api/accounts/{id}/retailcrm/verification/sms`
//! with `{"actionType"?: one of the seed's (default `verify_loyalty_account`), "code"?:
//! digits (default: derived from the check's number), "expiresIn"?: seconds (default
//! 300)}` starts a check as if an SMS went out, answering `{"checkId", "code"}`.
//! `GET /admin/api/accounts/{id}/retailcrm/web-analytics` shows the web analytics records
//! uploaded (`{"clientIds", "sources", "visits"}`, each in id order), which the vendor
//! shows only in its interface.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use twin_http::{AppState, Problem};

use crate::admin::{problem, user_ctx};
use crate::notifications;
use crate::verification::{self, ACTIONS, LIFETIME_SECONDS};
use crate::web_analytics;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts/{id}/retailcrm/notifications", get(sent))
        .route("/accounts/{id}/retailcrm/web-analytics", get(web_analytics))
        .route(
            "/accounts/{id}/retailcrm/verification/sms",
            post(start_check),
        )
}

async fn sent(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let (ctx, _) = user_ctx(&state, &account, &Value::Null).await?;
    let list = notifications::sent(&ctx).await.map_err(problem)?;
    Ok(Json(json!({ "notifications": list })))
}

async fn web_analytics(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let (ctx, _) = user_ctx(&state, &account, &Value::Null).await?;
    let mut out = json!({});
    for (member, kind) in [
        ("clientIds", web_analytics::CLIENT_ID),
        ("sources", web_analytics::SOURCE),
        ("visits", web_analytics::VISIT),
    ] {
        out[member] = Value::Array(web_analytics::stored(&ctx, kind).await.map_err(problem)?);
    }
    Ok(Json(out))
}

async fn start_check(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| Problem::bad_request(format!("malformed JSON: {e}")))?
    };
    let action = match body.get("actionType") {
        None | Some(Value::Null) => ACTIONS[0],
        Some(given) => given
            .as_str()
            .filter(|a| ACTIONS.contains(a))
            .ok_or_else(|| Problem::bad_request(format!("actionType: one of {ACTIONS:?}")))?,
    };
    let code = match body.get("code") {
        None | Some(Value::Null) => None,
        Some(given) => Some(
            given
                .as_str()
                .filter(|c| !c.is_empty() && c.chars().all(|d| d.is_ascii_digit()))
                .ok_or_else(|| Problem::bad_request("code: digits"))?
                .to_owned(),
        ),
    };
    let lifetime = match body.get("expiresIn") {
        None | Some(Value::Null) => LIFETIME_SECONDS,
        Some(given) => given
            .as_i64()
            .filter(|s| *s > 0)
            .ok_or_else(|| Problem::bad_request("expiresIn: seconds, above 0"))?,
    };
    let (ctx, _) = user_ctx(&state, &account, &Value::Null).await?;
    let (check_id, code) = verification::start(&ctx, action, code, lifetime)
        .await
        .map_err(problem)?;
    Ok(Json(json!({ "checkId": check_id, "code": code })))
}
