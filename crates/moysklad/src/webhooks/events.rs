//! Entity events for `webhook` subscriptions. Every create, update and delete the engine
//! writes asks `entity_deliveries` for the notifications to queue with it: one per enabled
//! subscription to the entity's type and the action, each carrying one event.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use twin_store::{Filter, NewDelivery};

use crate::entities::webhook;
use crate::error::MsResult;
use crate::model::Ctx;
use crate::representation::format_time_to_seconds;
use crate::seed;

/// What happened to an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Created,
    /// With the fields it changed, for subscriptions with `diffType: FIELDS`.
    Updated(Vec<String>),
    Deleted,
}

impl Change {
    fn action(&self) -> &'static str {
        match self {
            Self::Created => "CREATE",
            Self::Updated(_) => "UPDATE",
            Self::Deleted => "DELETE",
        }
    }
}

/// The top-level fields whose stored values differ, in name order. The `updated`
/// timestamp is left out: every write moves it, and the vendor lists what the user
/// changed.
pub fn updated_fields(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<String> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| *name != "updated" && before.get(*name) != after.get(*name))
        .cloned()
        .collect()
}

/// The notifications a change of the entity `keyword`/`id` causes, to queue with it.
pub async fn entity_deliveries(
    ctx: &Ctx,
    keyword: &str,
    id: &str,
    change: &Change,
) -> MsResult<Vec<NewDelivery>> {
    if ctx.webhooks.disabled || !webhook::is_subscribable(keyword) {
        return Ok(Vec::new());
    }
    let action = change.action();
    let subscriptions = super::enabled_subscriptions(
        ctx,
        webhook::KEYWORD,
        vec![
            Filter::eq("entityType", keyword),
            Filter::eq("action", action),
        ],
    )
    .await?;
    let now = ctx.core.clock.now();
    let mut deliveries = Vec::new();
    for subscription in subscriptions {
        let Some(url) = subscription.get("url").and_then(Value::as_str) else {
            continue;
        };
        if ctx.webhooks.suppresses(url) {
            continue;
        }
        let mut event = json!({
            "meta": { "type": keyword, "href": ctx.links.entity(keyword, id) },
            "action": action,
            "accountId": seed::account_uuid(&ctx.account),
        });
        if let Change::Updated(fields) = change {
            if subscription.get("diffType") == Some(&json!(webhook::DIFF_FIELDS)) {
                event["updatedFields"] = json!(fields);
            }
        }
        let body = json!({ "auditContext": audit_context(ctx), "events": [event] });
        deliveries.push(super::delivery(
            ctx,
            url,
            format!("{keyword}.{action}"),
            &body,
            now,
        ));
    }
    Ok(deliveries)
}

/// Who changed what when: the request's audit event, the login and the time.
fn audit_context(ctx: &Ctx) -> Value {
    json!({
        "meta": {
            "type": "audit",
            "href": format!("{}/audit/{}", ctx.links.root, ctx.webhooks.audit_id),
        },
        "uid": ctx.uid,
        "moment": format_time_to_seconds(ctx.now),
    })
}
