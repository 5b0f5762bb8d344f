//! Twin-only controls of the MoySklad dialect, mounted in the admin API:
//! `GET|PUT /admin/api/accounts/{id}/moysklad/stock` reads and sets stock levels, which no
//! vendor endpoint in scope writes; `POST .../moysklad/seed` loads demo data as a job.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use twin_http::{AppState, Problem};

use crate::dataset::{self, SeedRequest};
use crate::error::MsError;
use crate::model::Ctx;
use crate::representation::{format_time, parse_time};
use crate::stock::{self, Setting};
use crate::webhooks::RequestWebhooks;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/moysklad/stock",
            get(read_stock).put(set_stock),
        )
        .route("/accounts/{id}/moysklad/seed", post(seed))
}

/// Starts loading a dataset (`twin seed`'s) into the account in the background: 202
/// with the job, which `GET /admin/api/jobs/{id}` follows; 409 while one runs.
async fn seed(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, Problem> {
    let request: SeedRequest = if body.is_empty() {
        SeedRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| Problem::bad_request(format!("malformed request: {e}")))?
    };
    let job = dataset::start_job(&state, &account, request).await?;
    let location = format!("/admin/api/jobs/{}", job.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(job),
    ))
}

fn problem(error: MsError) -> Problem {
    let title = if error.status == StatusCode::NOT_FOUND {
        "Not found"
    } else {
        "Invalid value"
    };
    let status = if error.status.is_client_error() {
        error.status
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    Problem::new(status, title, error.message)
}

/// What a handler reaches for an account; writes are the admin's, not an employee's.
async fn context(state: &AppState, account: &str) -> Result<Ctx, Problem> {
    let account = state.core.accounts.get(account).await?;
    Ok(Ctx::new(
        state.core.clone(),
        &state.public_url,
        account,
        String::new(),
        "admin".into(),
        RequestWebhooks::default(),
    ))
}

/// Sets levels: one object or an array of `{assortment, store, stock, reserve, inTransit,
/// moment}`; all or none are set. Answers the levels now in force.
async fn set_stock(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, Problem> {
    let ctx = context(&state, &account).await?;
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("malformed JSON: {e}")))?;
    let items = match body {
        Value::Array(items) => items,
        single => vec![single],
    };
    let settings = items
        .iter()
        .map(|item| Setting::parse(item, ctx.now))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Problem::bad_request)?;
    let lines = stock::set(&ctx, &settings).await.map_err(problem)?;
    Ok(Json(Value::Array(lines)))
}

#[derive(Deserialize)]
struct ReadQuery {
    moment: Option<String>,
}

/// Every (good, warehouse) level at `moment` (now by default).
async fn read_stock(
    State(state): State<AppState>,
    Path(account): Path<String>,
    Query(query): Query<ReadQuery>,
) -> Result<Json<Value>, Problem> {
    let ctx = context(&state, &account).await?;
    let moment = match query.moment {
        Some(text) => parse_time(&text)
            .ok_or_else(|| Problem::bad_request(format!("`moment` is not a time: {text:?}")))?,
        None => ctx.now,
    };
    let moment = format_time(moment);
    let records = stock::records(&ctx, None).await.map_err(problem)?;
    let lines = records
        .iter()
        .map(|record| stock::line(record, record.at(&moment)))
        .collect();
    Ok(Json(Value::Array(lines)))
}
