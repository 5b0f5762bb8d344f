//! The receiving side's answer to a pending movement between filials, which API V2 has
//! no method for: `POST /admin/api/accounts/{id}/salesdoc/filial-movements/{SD_id}/
//! {approve|reject|cancel}` with `{"filial_id": "<the source filial>", "storeTo"?:
//! {CS_id|SD_id|code_1C}}`. Each takes a `pending` movement only (409 otherwise).
//! Approving moves its stock as setMovingToFilial does, into `storeTo` (found in the
//! destination filial) or, without one, the destination's first regular warehouse
//! (DIGEST §3.7's "main warehouse", *Inferred*); a shortage at the source is a 409 and
//! leaves the movement pending. The answer: `{SD_id, status}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use twin_http::{AppState, Problem};
use twin_store::Filter;

use super::set::rewrite;
use super::{post as post_stock, stored_destination, MovedStock, APPROVED, CANCELLED, KIND};
use super::{PENDING, REJECTED};
use crate::reference::upsert::Refused;
use crate::reference::{by_sd_in, find_in, first_where, Ids};
use crate::request::Ctx;
use crate::seed::admin_ctx;
use crate::warehouse;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/accounts/{id}/salesdoc/filial-movements/{sd_id}/{action}",
        post(answer),
    )
}

fn conflict(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::CONFLICT, "Conflict", detail)
}

async fn answer(
    State(state): State<AppState>,
    Path((account, sd_id, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    // The body names the source filial, where the movement lives: always needed.
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("malformed body: {e}")))?;
    let status = match action.as_str() {
        "approve" => APPROVED,
        "reject" => REJECTED,
        "cancel" => CANCELLED,
        other => {
            return Err(Problem::bad_request(format!(
                "{other}: approve, reject or cancel"
            )))
        }
    };
    let ctx = admin_ctx(&state, &account, body["filial_id"].as_str()).await?;
    let stored = |e: crate::error::SdError| Problem::bad_request(e.message);
    let found = by_sd_in(&ctx, KIND, &sd_id)
        .await
        .map_err(stored)?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "Not found", "no such movement"))?;
    let now = found.fields["status"].as_str().unwrap_or_default();
    if now != PENDING {
        return Err(conflict(format!("the movement is {now}, not pending")));
    }
    let mut fields = found.fields.clone();
    fields.insert("status".into(), Value::from(status));
    if status != APPROVED {
        let write = rewrite(&ctx, &found, fields);
        let batch = twin_store::Batch::new().write(write);
        ctx.apply_read(batch, std::slice::from_ref(&found.doc))
            .await
            .map_err(|e| conflict(e.to_string()))?;
        return Ok(Json(json!({ "SD_id": sd_id, "status": status })));
    }
    let target = ctx.with_filial(stored_destination(&ctx, &found.fields));
    let store_to = destination_store(&target, &body["storeTo"]).await?;
    fields.insert("storeTo".into(), Value::Object(store_to.ids(&target)));
    let detail = found.fields["detail"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let moved = MovedStock {
        sd_id: &sd_id,
        date: found.fields["date"].as_str().unwrap_or_default(),
        detail: &detail,
        store_from: found.fields["storeFrom"]["SD_id"]
            .as_str()
            .unwrap_or_default(),
        store_to: &store_to.sd_id,
    };
    match post_stock(
        &ctx,
        &target,
        &moved,
        rewrite(&ctx, &found, fields),
        std::slice::from_ref(&found.doc),
    )
    .await
    {
        Ok(()) => Ok(Json(json!({ "SD_id": sd_id, "status": status }))),
        Err(Refused::Item(errors)) => Err(conflict(errors.join("; "))),
        Err(Refused::Request(error)) => Err(stored(error)),
    }
}

/// The warehouse of the destination filial that receives: the one named, else its first
/// regular warehouse.
async fn destination_store(
    target: &Ctx,
    named: &Value,
) -> Result<crate::reference::Record, Problem> {
    let stored = |e: crate::error::SdError| Problem::bad_request(e.message);
    let found = match named.as_object() {
        Some(named) => find_in(target, warehouse::KEY, &Ids::of(named))
            .await
            .map_err(stored)?,
        None => {
            let regular = vec![Filter::eq("fields.type", "regular")];
            first_where(target, warehouse::KEY, regular)
                .await
                .map_err(stored)?
        }
    };
    found.ok_or_else(|| Problem::bad_request("storeTo: no warehouse of the destination filial"))
}
