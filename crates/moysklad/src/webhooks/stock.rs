//! Stock notifications for `webhookstock` subscriptions. Whoever changes stock calls
//! `stock_deliveries` and queues the result with the stock write. The vendor sends at
//! most every 1–5 minutes, pointing at the stock report changed since then; here a
//! notification waits the account's `moysklad.webhookStockDelaySeconds` (60 by default),
//! and a subscription with one still pending gets no second one: the pending one's
//! `changedSince` already covers the later change.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use twin_core::CoreError;
use twin_store::{DeliveryQuery, DeliveryStatus, NewDelivery};

use crate::entities::webhookstock;
use crate::error::MsResult;
use crate::model::Ctx;
use crate::representation::format_time_to_seconds;
use crate::{seed, DIALECT};

/// How long a notification waits when the account does not say.
const DEFAULT_DELAY_SECONDS: u64 = 60;

/// The longest wait a setting can ask for: a day.
const MAX_DELAY_SECONDS: u64 = 86_400;

/// Pending deliveries read per page when looking for a subscription's.
const PAGE: u32 = 1000;

/// The notifications a stock change at `changed_at` (the account's time) causes: one per
/// enabled `webhookstock` that has none pending, due after the account's delay.
pub async fn stock_deliveries(ctx: &Ctx, changed_at: DateTime<Utc>) -> MsResult<Vec<NewDelivery>> {
    if ctx.webhooks.disabled {
        return Ok(Vec::new());
    }
    let subscriptions =
        super::enabled_subscriptions(ctx, webhookstock::KEYWORD, Vec::new()).await?;
    if subscriptions.is_empty() {
        return Ok(Vec::new());
    }
    let pending = pending_events(ctx).await?;
    let delay = ctx
        .account
        .setting(DIALECT, "webhookStockDelaySeconds")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_DELAY_SECONDS)
        .min(MAX_DELAY_SECONDS);
    let due_at = ctx.core.clock.now() + chrono::Duration::seconds(delay as i64);
    let mut deliveries = Vec::new();
    for subscription in subscriptions {
        let field = |name: &str| {
            subscription
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (id, url, report_type) = (field("id"), field("url"), field("reportType"));
        let event = event_of(&id);
        if ctx.webhooks.suppresses(&url) || pending.contains(&event) {
            continue;
        }
        let body = json!({
            "accountId": seed::account_uuid(&ctx.account),
            "stockType": field("stockType"),
            "reportType": report_type,
            "reportUrl": format!(
                "{}/report/stock/{report_type}/current?changedSince={}",
                ctx.links.root,
                format_time_to_seconds(changed_at)
            ),
        });
        deliveries.push(super::delivery(ctx, &url, event, &body, due_at));
    }
    Ok(deliveries)
}

/// The outbox event naming a subscription's notifications.
fn event_of(subscription_id: &str) -> String {
    format!("{}.{subscription_id}", webhookstock::KEYWORD)
}

/// Events of the account's MoySklad deliveries still waiting to be sent or retried.
async fn pending_events(ctx: &Ctx) -> MsResult<BTreeSet<String>> {
    let mut events = BTreeSet::new();
    let mut query = DeliveryQuery {
        account: Some(ctx.account.id.clone()),
        dialect: Some(DIALECT.to_owned()),
        status: Some(DeliveryStatus::Pending),
        offset: 0,
        limit: PAGE,
        ..DeliveryQuery::default()
    };
    loop {
        let page = ctx
            .core
            .store
            .list_deliveries(&query)
            .await
            .map_err(CoreError::from)?;
        let count = page.items.len();
        events.extend(page.items.into_iter().map(|d| d.event));
        if count < PAGE as usize {
            return Ok(events);
        }
        query.offset += u64::from(PAGE);
    }
}
