//! Application webhooks: the events the seed names, sent through the core outbox to the
//! endpoints applications register (`application-webhooks/endpoints`), as
//! `{"event","createdAt","content"}` with the endpoint's authorization. The vendor gives
//! a receiver 1.5 s to answer and retries undelivered webhooks.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use twin_core::webhooks::{RetryPolicy, Success};
use twin_core::Core;
use twin_store::{Filter, ListQuery, NewDelivery, PageRequest, Scope};

use crate::error::KassaResult;
use crate::request::timestamp;
use crate::DIALECT;

/// The stored kind of webhook endpoints.
pub const ENDPOINT: &str = "webhook_endpoint";

/// The events an endpoint may subscribe to.
pub const EVENTS: [&str; 5] = [
    "OPERATION_COMPLETED",
    "OPERATION_FAILED",
    "INTEGRATION_TERMINATED",
    "INTEGRATION_REQUEST_COMPLETED",
    "CASHBOX_DATA_CHANGED",
];

/// Deliveries a receiver does not accept are retried for about a day.
const MAX_ATTEMPTS: u32 = 10;

/// The vendor's receiver timeout; the retry schedule is Twin's (the seed says only that
/// it depends on the event).
pub fn delivery_policy() -> RetryPolicy {
    RetryPolicy {
        timeout: Duration::from_millis(1500),
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(3 * 3600),
        success: Success::AnyTwoHundred,
        ..RetryPolicy::default()
    }
}

/// The active endpoints of the account subscribed to `event`; with `app`, only those the
/// application registered (integration events concern one application).
async fn recipients(
    core: &Core,
    scope: &Scope,
    event: &str,
    app: Option<&str>,
) -> KassaResult<Vec<Value>> {
    let mut filter = Filter::eq("status", "ACTIVE");
    if let Some(app) = app {
        filter = Filter::And(vec![filter, Filter::eq("_appId", app)]);
    }
    let query = ListQuery::new(scope.clone(), ENDPOINT)
        .filter(filter)
        .page(PageRequest::Offset {
            offset: 0,
            limit: 1000,
        });
    Ok(core
        .entities
        .list(&query)
        .await?
        .items
        .into_iter()
        .map(|doc| doc.body)
        .filter(|body| {
            body["events"]
                .as_array()
                .is_some_and(|events| events.iter().any(|e| e == event))
        })
        .collect())
}

/// One delivery of `event` with `content` to an endpoint (as stored: its URL, secret and
/// application in the hidden fields `_url`, `_secret`, `_appId`).
pub fn delivery(
    account: &str,
    endpoint: &Value,
    event: &str,
    content: &Value,
    at: DateTime<Utc>,
) -> NewDelivery {
    let mut headers = BTreeMap::from([(
        "Content-Type".to_owned(),
        "application/json;charset=utf-8".to_owned(),
    )]);
    let secret = endpoint["_secret"].as_str().unwrap_or_default();
    let scheme = match endpoint["authType"].as_str() {
        Some("BEARER") => Some("Bearer"),
        Some("BASIC") => Some("Basic"),
        _ => None,
    };
    if let Some(scheme) = scheme.filter(|_| !secret.is_empty()) {
        headers.insert("Authorization".to_owned(), format!("{scheme} {secret}"));
    }
    let body = json!({ "event": event, "createdAt": timestamp(at), "content": content });
    NewDelivery {
        account: account.to_owned(),
        dialect: DIALECT.to_owned(),
        event: event.to_owned(),
        url: endpoint["_url"].as_str().unwrap_or_default().to_owned(),
        headers,
        body: body.to_string(),
        due_at: at,
        max_attempts: MAX_ATTEMPTS,
    }
}

/// The deliveries of an event in the account (`scope`), to queue with the change that
/// caused it.
pub async fn deliveries(
    core: &Core,
    scope: &Scope,
    event: &str,
    content: &Value,
    app: Option<&str>,
    at: DateTime<Utc>,
) -> KassaResult<Vec<NewDelivery>> {
    Ok(recipients(core, scope, event, app)
        .await?
        .iter()
        .map(|endpoint| delivery(&scope.account, endpoint, event, content, at))
        .collect())
}
