//! MoySklad's outgoing webhooks. Entity events for `webhook` subscriptions
//! (`entity_deliveries`) and stock notifications for `webhookstock` subscriptions
//! (`stock::stock_deliveries`) become core outbox deliveries, queued in the same transaction as
//! the write that caused them; the core worker sends them under the vendor's policy
//! (`delivery_policy`). A request's `X-Lognex-WebHook-Disable*` headers
//! (`RequestWebhooks`) hold back what it would cause.

mod events;
mod request;
pub mod stock;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use twin_core::webhooks::{RetryPolicy, Success};
use twin_store::{Filter, ListQuery, NewDelivery, PageRequest};

use crate::error::MsResult;
use crate::model::Ctx;
use crate::DIALECT;

pub use events::{entity_deliveries, updated_fields, Change};
pub use request::RequestWebhooks;

/// How the vendor's sender introduces itself.
const USER_AGENT: &str = "MoySklad webhook touch agent 2.0 (/https://www.moysklad.ru)";

/// The first attempt and the three the vendor makes after it.
const MAX_ATTEMPTS: u32 = 4;

/// The vendor's sending rules: a receiver has 1500 ms to answer 200 or 204 (any other
/// answer, 201 included, is a failure); a failed notification is tried three more times
/// at once, one after another, then dropped.
pub fn delivery_policy() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
        timeout: Duration::from_millis(1500),
        success: Success::Only(vec![200, 204]),
        ..RetryPolicy::default()
    }
}

/// A POST of `body` to `url` with a fresh `requestId`; being part of the URL, the id
/// stays the same through retries, as the vendor's does.
fn delivery(
    ctx: &Ctx,
    url: &str,
    event: String,
    body: &Value,
    due_at: DateTime<Utc>,
) -> NewDelivery {
    let separator = if url.contains('?') { '&' } else { '?' };
    NewDelivery {
        account: ctx.account.id.clone(),
        dialect: DIALECT.to_owned(),
        event,
        url: format!("{url}{separator}requestId={}", uuid::Uuid::new_v4()),
        headers: BTreeMap::from([
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ]),
        body: body.to_string(),
        due_at,
        max_attempts: MAX_ATTEMPTS,
    }
}

/// The most subscriptions one event can match: five per kind, as the vendor limits them.
const MAX_SUBSCRIPTIONS: u32 = 100;

/// The account's enabled subscriptions of `kind` (`webhook`, `webhookstock`) that meet
/// `conditions`, in creation order, as stored.
async fn enabled_subscriptions(
    ctx: &Ctx,
    kind: &str,
    mut conditions: Vec<Filter>,
) -> MsResult<Vec<Map<String, Value>>> {
    conditions.push(Filter::eq("enabled", true));
    let filter = Filter::And(conditions);
    let key = format!("{filter:?}");
    let mut query =
        ListQuery::new(ctx.scope.clone(), kind)
            .filter(filter)
            .page(PageRequest::Offset {
                offset: 0,
                limit: MAX_SUBSCRIPTIONS,
            });
    query.count_total = false;
    Ok(ctx
        .list_remembered(kind, &key, &query)
        .await?
        .into_iter()
        .filter_map(|doc| match doc.body {
            Value::Object(body) => Some(body),
            _ => None,
        })
        .collect())
}
