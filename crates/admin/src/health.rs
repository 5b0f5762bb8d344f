//! `/health`: what the console's home page shows of the store and the delivery worker.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::Admin;

/// Always 200: the store's state is in the body (`ok` or `unavailable` with the reason),
/// beside the outbox and this process's delivery counters.
pub async fn get(State(admin): State<Admin>) -> Json<Value> {
    let core = &admin.app.core;
    let store = match core.store.ping().await {
        Ok(()) => json!({ "status": "ok" }),
        Err(error) => json!({ "status": "unavailable", "detail": error.to_string() }),
    };
    let pending = core.store.pending_deliveries().await.ok();
    let stats = &core.webhook_stats;
    Json(json!({
        "publicUrl": admin.app.public_url.as_ref(),
        "now": core.clock.now(),
        "store": store,
        "deliveries": {
            "pending": pending,
            "succeeded": stats.succeeded.load(Ordering::Relaxed),
            "failed": stats.failed.load(Ordering::Relaxed),
        },
        "worker": { "lastRoundAt": stats.last_round() },
    }))
}
