//! `GET /health` and `GET /metrics`, for operators and orchestrators.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::sync::atomic::Ordering;
use twin_http::metrics::Gauges;
use twin_http::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// 200 when the store answers, 503 when it does not.
async fn health(State(state): State<AppState>) -> Response {
    match state.core.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "detail": error.to_string() })),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let stats = &state.core.webhook_stats;
    let gauges = Gauges {
        outbox_pending: state
            .core
            .store
            .pending_deliveries()
            .await
            .unwrap_or_default(),
        deliveries_failed: stats.failed.load(Ordering::Relaxed),
        deliveries_succeeded: stats.succeeded.load(Ordering::Relaxed),
    };
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(&gauges),
    )
        .into_response()
}
