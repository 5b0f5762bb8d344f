//! `statistic/update`: the vendor queues a recomputation of its key indicators (customers'
//! order counts and sums, the dashboards) and refuses a new one within 60 seconds. Twin
//! keeps no precomputed statistic to go stale: what it shows is computed when written or
//! read (an order's totals on each write, a customer's sum of completed orders for
//! loyalty levels when asked), so there is nothing to recompute. The method does what a
//! client can observe: it answers `{"success": true}` and keeps the time, refusing a
//! repeat within the seed's 60 seconds by the account's clock.

use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::json;
use twin_store::Document;

use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx};

/// Twin's record of the last update's time.
const LAST_UPDATE: &str = "statistic_update";
/// The seed's retry timeout.
const RETRY_SECONDS: i64 = 60;

/// `GET /api/v5/statistic/update`: `{"success": true}`; 400 when the last one was less
/// than 60 seconds ago (*Inferred* text).
pub async fn update(ctx: &Ctx) -> RetailResult<Response> {
    let before = ctx
        .core
        .entities
        .find(&ctx.scope, LAST_UPDATE, "last")
        .await?;
    let last = before
        .as_ref()
        .and_then(|doc| doc.body["at"].as_str())
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.with_timezone(&Utc));
    if last.is_some_and(|at| (ctx.now - at).num_seconds() < RETRY_SECONDS) {
        return Err(RetailError::bad_request(format!(
            "Statistics can be updated once in {RETRY_SECONDS} seconds"
        )));
    }
    let doc = Document::new(
        ctx.scope.key(LAST_UPDATE, "last"),
        json!({ "at": ctx.now.to_rfc3339() }),
    );
    crate::journal::put(ctx, doc, before.as_ref()).await?;
    Ok(ok(success(json!({}))))
}
