//! The simulated cash registers: a background worker that runs waiting operations in
//! order, one at a time per cash register, `DRAFT` → `IN_PROGRESS` → `COMPLETE` or
//! `FAIL`. Safe with several replicas on one database: a worker claims an operation by
//! writing `IN_PROGRESS` at the version it read (a second worker's claim conflicts and
//! gives way), and settles it in one transaction with the cash register's new state, the
//! queue marker's removal and the webhooks (`OPERATION_COMPLETED` / `OPERATION_FAILED`,
//! `CASHBOX_DATA_CHANGED` when the balance or the shift changed).

mod execute;
mod fiscal;
pub mod queue;

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use tokio::sync::watch;
use twin_core::{Core, CoreError};
use twin_store::{Document, Scope};

use crate::error::KassaResult;
use crate::operations::KIND;
use crate::render::public;
use crate::seed::CASHBOX;
use crate::webhooks;
use crate::writes::Changes;
use crate::DIALECT;

pub use execute::messages;

/// How often a busy worker looks for waiting operations.
pub const POLL: Duration = Duration::from_millis(50);
/// The longest an idle worker waits between looks: each empty look doubles the wait up to
/// this, so an idle server does not query the queue twenty times a second.
const IDLE_POLL: Duration = Duration::from_millis(400);

/// A claim older than this (wall time) belongs to a worker that died: another takes over.
const STALE_MS: i64 = 10_000;

/// Runs the device worker until `shutdown` turns true.
pub async fn run(core: Core, mut shutdown: watch::Receiver<bool>) {
    let mut wait = POLL;
    while !*shutdown.borrow() {
        wait = match pass(&core).await {
            Ok(true) => POLL,
            Ok(false) => (wait * 2).min(IDLE_POLL),
            Err(error) => {
                tracing::warn!(?error, "kassa device: pass failed");
                POLL
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// One look at the queue: the oldest waiting operation of each cash register runs.
/// Whether there was any.
async fn pass(core: &Core) -> KassaResult<bool> {
    let mut seen = HashSet::new();
    let waiting = queue::waiting(core.store.as_ref()).await?;
    let busy = !waiting.is_empty();
    for marker in waiting {
        let register = (
            marker.body["account"].to_string(),
            marker.body["cashbox"].to_string(),
        );
        if seen.insert(register) {
            if let Err(error) = settle(core, &marker).await {
                tracing::warn!(?error, key = %marker.key, "kassa device: operation not run");
            }
        }
    }
    Ok(busy)
}

fn wall_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Runs the marker's operation, unless another worker is on it.
async fn settle(core: &Core, marker: &Document) -> KassaResult<()> {
    let store = core.store.as_ref();
    let forget = || async {
        Changes::new(Utc::now())
            .raw(queue::dequeue(marker))
            .apply(store)
            .await
    };
    let account = match core
        .accounts
        .get(marker.body["account"].as_str().unwrap_or_default())
        .await
    {
        Ok(account) => account,
        Err(CoreError::NotFound(_)) => return Ok(forget().await.map(drop)?),
        Err(error) => return Err(error.into()),
    };
    let scope = account.scope(DIALECT);
    let id = marker.body["operation"].as_str().unwrap_or_default();
    let Some(found) = core.entities.find(&scope, KIND, id).await? else {
        return Ok(forget().await.map(drop)?);
    };
    let claimable = match found.body["status"].as_str() {
        Some("DRAFT") => true,
        Some("IN_PROGRESS") => {
            found.body["_claimedAt"].as_i64().unwrap_or_default() + STALE_MS < wall_ms()
        }
        _ => return Ok(forget().await.map(drop)?),
    };
    if !claimable {
        return Ok(());
    }
    let now = account.now(core.clock.as_ref());
    let mut body = found.body.clone();
    body["status"] = json!("IN_PROGRESS");
    body["_claimedAt"] = json!(wall_ms());
    let claimed = match Changes::new(now).update(&found, body).apply(store).await {
        Ok(applied) => applied.documents.into_iter().flatten().next(),
        // Another worker claimed it first.
        Err(CoreError::Conflict(_)) => return Ok(()),
        Err(error) => return Err(error.into()),
    };
    let Some(claimed) = claimed else {
        return Ok(());
    };
    finish(core, &scope, marker, &claimed).await
}

/// Runs the claimed operation on its cash register and settles both at once.
async fn finish(
    core: &Core,
    scope: &Scope,
    marker: &Document,
    claimed: &Document,
) -> KassaResult<()> {
    let account = core.accounts.get(&scope.account).await?;
    let now = account.now(core.clock.as_ref());
    let cashbox_id = claimed.body["cashboxId"].as_str().unwrap_or_default();
    let cashbox = core.entities.find(scope, CASHBOX, cashbox_id).await?;
    let mut body = claimed.body.clone();
    let (outcome, cashbox) = match &cashbox {
        Some(doc) => (execute::run(&claimed.body, &doc.body, now), doc),
        None => {
            body["status"] = json!("FAIL");
            body["message"] = json!(messages::NO_CASHBOX);
            return commit(core, scope, marker, claimed, body, None, now).await;
        }
    };
    match outcome.failure {
        Some(message) => {
            body["status"] = json!("FAIL");
            body["message"] = json!(message);
        }
        None => {
            body["status"] = json!("COMPLETE");
            body["message"] = Value::Null;
        }
    }
    body["details"] = outcome.details;
    let changed = (outcome.cashbox != cashbox.body).then_some((cashbox, outcome.cashbox));
    commit(core, scope, marker, claimed, body, changed, now).await
}

/// Writes the settled operation, the cash register's new state and the queue marker's
/// removal in one transaction, with the webhooks they cause.
async fn commit(
    core: &Core,
    scope: &Scope,
    marker: &Document,
    claimed: &Document,
    mut body: Value,
    cashbox: Option<(&Document, Value)>,
    now: chrono::DateTime<Utc>,
) -> KassaResult<()> {
    if let Some(map) = body.as_object_mut() {
        map.remove("_claimedAt");
    }
    let event = if body["status"] == "COMPLETE" {
        "OPERATION_COMPLETED"
    } else {
        "OPERATION_FAILED"
    };
    let content = public(body.clone());
    let mut changes = Changes::new(now)
        .update(claimed, body)
        .raw(queue::dequeue(marker))
        .deliveries(webhooks::deliveries(core, scope, event, &content, None, now).await?);
    if let Some((before, after)) = cashbox {
        let content = public(after.clone());
        changes = changes.update(before, after).deliveries(
            webhooks::deliveries(core, scope, "CASHBOX_DATA_CHANGED", &content, None, now).await?,
        );
    }
    changes.apply(core.store.as_ref()).await?;
    Ok(())
}
