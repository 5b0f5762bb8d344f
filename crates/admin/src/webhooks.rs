//! Webhooks: the subscriptions each dialect's API made; deliveries to inspect,
//! redeliver, and send a test one.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use twin_core::CoreError;
use twin_store::{
    Batch, Delivery, DeliveryQuery, DeliveryStatus, Document, ListQuery, NewDelivery, PageRequest,
    Scope,
};

use crate::problem::{Body, Params, PathParams};
use crate::{Admin, Listing, Problem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    account: Option<String>,
    dialect: Option<String>,
    status: Option<String>,
    event: Option<String>,
    #[serde(default)]
    offset: u64,
    limit: Option<u32>,
}

pub async fn list(
    State(admin): State<Admin>,
    Params(filters): Params<Filters>,
) -> Result<Json<Listing<Delivery>>, Problem> {
    let status =
        match &filters.status {
            Some(text) => Some(DeliveryStatus::parse(text).ok_or_else(|| {
                Problem::bad_request("status is one of pending, delivered, failed")
            })?),
            None => None,
        };
    let limit = filters.limit.unwrap_or(50);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request("limit must be between 1 and 1000"));
    }
    let query = DeliveryQuery {
        account: filters.account,
        dialect: filters.dialect,
        status,
        event: filters.event,
        offset: filters.offset,
        limit,
        ..DeliveryQuery::default()
    };
    let page = admin
        .app
        .core
        .store
        .list_deliveries(&query)
        .await
        .map_err(CoreError::from)?;
    Ok(Json(page.into()))
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<i64>,
) -> Result<Json<Delivery>, Problem> {
    let found = admin
        .app
        .core
        .store
        .get_delivery(id)
        .await
        .map_err(CoreError::from)?;
    found
        .map(Json)
        .ok_or_else(|| CoreError::NotFound(format!("delivery {id}")).into())
}

/// Queues the delivery again, due now, whatever its state.
pub async fn redeliver(
    State(admin): State<Admin>,
    PathParams(id): PathParams<i64>,
) -> Result<Json<Delivery>, Problem> {
    let core = &admin.app.core;
    let delivery = core
        .store
        .requeue_delivery(id, core.clock.now())
        .await
        .map_err(CoreError::from)?;
    Ok(Json(delivery))
}

#[derive(Serialize)]
pub struct Subscriptions {
    dialects: Vec<DialectSubscriptions>,
}

#[derive(Serialize)]
struct DialectSubscriptions {
    dialect: &'static str,
    /// The store kinds holding the dialect's subscriptions (none: its API makes none).
    kinds: &'static [&'static str],
    items: Vec<Document>,
}

/// Subscriptions listed per dialect at most; the vendors allow far fewer.
const MAX_SUBSCRIPTIONS: u32 = 1000;

/// The webhook subscriptions the account made through each dialect's API, as stored.
pub async fn subscriptions(
    State(admin): State<Admin>,
    PathParams(account): PathParams<String>,
) -> Result<Json<Subscriptions>, Problem> {
    let core = &admin.app.core;
    core.accounts.get(&account).await?;
    let mut dialects = Vec::new();
    for &dialect in &twin_core::DIALECTS {
        let kinds = admin.dialect(dialect).subscription_kinds;
        let items = match kinds.split_first() {
            Some((first, others)) => {
                let mut query = ListQuery::new(Scope::new(account.as_str(), dialect), *first)
                    .with_kinds(others)
                    .page(PageRequest::Offset {
                        offset: 0,
                        limit: MAX_SUBSCRIPTIONS,
                    });
                query.count_total = false;
                core.entities.list(&query).await?.items
            }
            None => Vec::new(),
        };
        dialects.push(DialectSubscriptions {
            dialect,
            kinds,
            items,
        });
    }
    Ok(Json(Subscriptions { dialects }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    url: String,
    #[serde(default = "test_event")]
    event: String,
    #[serde(default)]
    payload: Option<Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

fn test_event() -> String {
    "twin.test".into()
}

/// The attempts a test delivery gets before it is given up.
const TEST_ATTEMPTS: u32 = 5;

/// Queues a webhook to `url` through the outbox, as a dialect would.
pub async fn send_test(
    State(admin): State<Admin>,
    PathParams(account): PathParams<String>,
    Body(request): Body<TestRequest>,
) -> Result<impl IntoResponse, Problem> {
    let core = &admin.app.core;
    let owner = core.accounts.get(&account).await?;
    let url = request.url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(CoreError::validation("url", "must be an http:// or https:// URL").into());
    }
    if !core.destinations.allows(url) {
        return Err(CoreError::validation("url", "is not in the webhook allow-list").into());
    }
    let now = owner.now(core.clock.as_ref());
    let payload = request
        .payload
        .unwrap_or_else(|| json!({ "event": request.event, "account": account, "sentAt": now }));
    let mut headers = request.headers;
    headers
        .entry("content-type".into())
        .or_insert_with(|| "application/json".into());
    let delivery = NewDelivery {
        account,
        dialect: "twin".into(),
        event: request.event,
        url: url.to_owned(),
        headers,
        body: payload.to_string(),
        due_at: core.clock.now(),
        max_attempts: TEST_ATTEMPTS,
    };
    let applied = core
        .store
        .apply(Batch::new().delivery(delivery))
        .await
        .map_err(CoreError::from)?;
    let id = applied.delivery_ids.first().copied().unwrap_or_default();
    Ok((StatusCode::ACCEPTED, Json(json!({ "id": id }))))
}
