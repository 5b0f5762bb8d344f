//! After a restart: every acknowledged write is there with its value, and the history and
//! webhook outbox hold exactly what the committed writes promise, read from the database
//! itself.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use reqwest::Method;
use serde_json::{json, Value};
use twin_store::{Change, Delivery, DeliveryQuery, HistoryQuery, Scope, Store};
use twin_testkit::{Received, WebhookSink};

use super::load::{Known, Target};
use super::shop::{answer, Shop};

pub const DIALECTS: [&str; 4] = ["retailcrm", "moysklad", "kassa", "salesdoc"];

/// What one check counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct Checked {
    pub writes: usize,
    pub invariants: usize,
}

/// The stored value of `target` and the id its history records, `None` when absent.
async fn stored(shop: &Shop, base: &str, target: &Target) -> Option<(String, String)> {
    let (request, field) = match target {
        Target::Order(external) => (
            shop.retailcrm_get(base, &format!("/orders/{external}?by=externalId")),
            "/order/firstName",
        ),
        Target::Customer(external) => (
            shop.retailcrm_get(base, &format!("/customers/{external}?by=externalId")),
            "/customer/firstName",
        ),
        Target::Product(id) => (
            shop.moysklad(base, Method::GET, &format!("/entity/product/{id}")),
            "/description",
        ),
        Target::Sale(id) => (
            shop.kassa(base, Method::GET, &format!("/operations/{id}")),
            "/details/positions/0/name",
        ),
        Target::Client(_) => unreachable!("clients are read in one listing"),
    };
    let (status, body) = answer(request).await.expect("the restarted server answers");
    if status == 404 {
        return None;
    }
    assert_eq!(status, 200, "{target:?}: {body}");
    let entity = body.get("order").or(body.get("customer")).unwrap_or(&body);
    let id = match &entity["id"] {
        Value::String(id) => id.clone(),
        other => other.to_string(),
    };
    let value = body
        .pointer(field)
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some((value.to_owned(), id))
}

/// SalesDoc clients by `code_1C`: their name (written as `shortName`) and `SD_id`.
async fn clients(shop: &Shop, base: &str) -> HashMap<String, (String, String)> {
    let mut all = HashMap::new();
    for page in 1.. {
        let params = json!({ "params": { "page": page, "limit": 100 } });
        let (status, body) = answer(shop.salesdoc(base, "getClient", params))
            .await
            .unwrap();
        assert_eq!(status, 200, "{body}");
        let rows = body["result"]["client"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for row in &rows {
            let text = |f: &str| row[f].as_str().unwrap_or_default().to_owned();
            all.insert(text("code_1C"), (text("name"), text("SD_id")));
        }
        if rows.len() < 100 {
            return all;
        }
    }
    unreachable!()
}

/// The dialect whose change history records `target`'s writes.
fn history_of(target: &Target) -> &'static str {
    match target {
        Target::Order(_) | Target::Customer(_) => "retailcrm",
        Target::Product(_) => "moysklad",
        Target::Sale(_) => "kassa",
        Target::Client(_) => "salesdoc",
    }
}

/// Every acknowledged write is present with its value (or a later write's whose answer
/// the kill cut off) and has a history record. Returns how many writes it checked.
pub async fn acknowledged_writes(
    shop: &Shop,
    base: &str,
    known: &BTreeMap<Target, Known>,
    history: &HashMap<&str, Vec<Change>>,
) -> usize {
    let clients = clients(shop, base).await;
    let mut recorded: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (dialect, changes) in history {
        recorded.extend(changes.iter().map(|c| (*dialect, c.entity_id.as_str())));
    }
    let mut checked = 0;
    for (target, known) in known {
        let found = match target {
            Target::Client(code) => clients.get(code).cloned(),
            _ => stored(shop, base, target).await,
        };
        let Some((value, id)) = found else {
            assert!(
                known.acked.is_none(),
                "acknowledged but lost: {target:?} {known:?}"
            );
            continue;
        };
        let allowed = [&known.acked, &known.in_flight];
        let sale = matches!(target, Target::Sale(_));
        assert!(
            sale || allowed.iter().any(|v| v.as_deref() == Some(value.as_str())),
            "{target:?} holds {value:?}, the load wrote {known:?}"
        );
        assert!(
            recorded.contains(&(history_of(target), id.as_str())),
            "{target:?} ({id}) has no history record"
        );
        checked += usize::from(known.acked.is_some());
    }
    checked
}

/// The account's history per dialect, oldest first.
pub async fn history<'a>(store: &Arc<dyn Store>, account: &str) -> HashMap<&'a str, Vec<Change>> {
    let mut all = HashMap::new();
    for dialect in DIALECTS {
        let mut changes = Vec::new();
        loop {
            let mut query = HistoryQuery::new(Scope::new(account, dialect));
            query.since_id = changes.last().map(|c: &Change| c.id);
            query.limit = 1000;
            let page = store.history(&query).await.expect("history");
            let done = page.items.len() < 1000;
            changes.extend(page.items);
            if done {
                break;
            }
        }
        all.insert(dialect, changes);
    }
    all
}

/// History ids of each dialect run 1, 2, 3... without a duplicate or a gap.
pub fn history_is_gapless(history: &HashMap<&str, Vec<Change>>) -> usize {
    for (dialect, changes) in history {
        for (n, change) in changes.iter().enumerate() {
            assert_eq!(
                change.id,
                n as i64 + 1,
                "{dialect} history: duplicate or gap at {change:?}"
            );
        }
    }
    history.len()
}

/// The account's outbox, each delivery once: pages by offset shift while background
/// workers queue more, so a delivery may come back on two pages.
pub async fn deliveries(store: &Arc<dyn Store>, account: &str) -> Vec<Delivery> {
    let mut all = BTreeMap::new();
    for page in 0.. {
        let query = DeliveryQuery {
            account: Some(account.to_owned()),
            offset: page * 500,
            limit: 500,
            ..DeliveryQuery::default()
        };
        let items = store
            .list_deliveries(&query)
            .await
            .expect("deliveries")
            .items;
        let done = items.len() < 500;
        all.extend(items.into_iter().map(|d| (d.id, d)));
        if done {
            return all.into_values().collect();
        }
    }
    unreachable!()
}

/// `(ACTION, entity id)` of each MoySklad entity event queued.
fn moysklad_events(deliveries: &[Delivery]) -> Vec<(String, String)> {
    let mut events = Vec::new();
    for delivery in deliveries.iter().filter(|d| d.dialect == "moysklad") {
        let body: Value = serde_json::from_str(&delivery.body).expect("notification JSON");
        for event in body["events"].as_array().into_iter().flatten() {
            let href = event["meta"]["href"].as_str().unwrap_or_default();
            let id = href.rsplit('/').next().unwrap_or_default().to_owned();
            let action = event["action"].as_str().unwrap_or_default().to_owned();
            events.push((action, id));
        }
    }
    events
}

/// How many times each `(ACTION, entity id)` occurs.
fn counted(pairs: impl Iterator<Item = (String, String)>) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for pair in pairs {
        *counts.entry(pair).or_default() += 1;
    }
    counts
}

/// MoySklad's product creates and updates in `history`, counted by `(ACTION, entity id)`.
fn product_changes(history: &HashMap<&str, Vec<Change>>) -> BTreeMap<(String, String), usize> {
    counted(
        history["moysklad"]
            .iter()
            .filter(|c| c.kind == "product" && (c.action == "create" || c.action == "update"))
            .map(|c| (c.action.to_uppercase(), c.entity_id.clone())),
    )
}

/// What the database held at one moment, read in an order that keeps the checks exact
/// while background workers (webhooks, Kassa's devices) go on committing: the receiver's
/// requests, then the history, the outbox, and the history again.
pub struct Reading<'a> {
    pub received: Vec<Received>,
    pub before: HashMap<&'a str, Vec<Change>>,
    pub deliveries: Vec<Delivery>,
    pub after: HashMap<&'a str, Vec<Change>>,
}

impl Reading<'_> {
    pub async fn take(store: &Arc<dyn Store>, account: &str, sink: &WebhookSink) -> Self {
        let received = sink.received();
        let before = history(store, account).await;
        let deliveries = deliveries(store, account).await;
        let after = history(store, account).await;
        Self {
            received,
            before,
            deliveries,
            after,
        }
    }
}

/// Webhook events match committed changes one to one: each product create and update in
/// MoySklad's history has its event and each event its change; each finished Kassa sale
/// has at most one event, and only for an operation with history. Every request the
/// receiver got was queued in the outbox (nothing is sent for a change that did not
/// commit).
pub fn outbox_matches_history(reading: &Reading) -> usize {
    let events = counted(moysklad_events(&reading.deliveries).into_iter());
    let (before, after) = (
        product_changes(&reading.before),
        product_changes(&reading.after),
    );
    for (key, changes) in &before {
        let queued = events.get(key).copied().unwrap_or(0);
        assert!(
            queued >= *changes,
            "{key:?}: {changes} changes, {queued} events"
        );
    }
    for (key, queued) in &events {
        let changes = after.get(key).copied().unwrap_or(0);
        assert!(
            *queued <= changes,
            "{key:?}: {queued} events for {changes} changes"
        );
    }

    let mut completed: HashMap<String, usize> = HashMap::new();
    for delivery in reading.deliveries.iter().filter(|d| d.dialect == "kassa") {
        let body: Value = serde_json::from_str(&delivery.body).expect("Kassa webhook JSON");
        if body["event"] == "OPERATION_COMPLETED" {
            let id = body["content"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            *completed.entry(id).or_default() += 1;
        }
    }
    let twice: Vec<_> = completed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "operations completed twice: {twice:?}");
    let kassa_ids: BTreeSet<&str> = reading.after["kassa"]
        .iter()
        .map(|c| c.entity_id.as_str())
        .collect();
    for id in completed.keys() {
        assert!(
            kassa_ids.contains(id.as_str()),
            "event for operation {id} without a change"
        );
    }

    let queued: BTreeSet<&str> = reading.deliveries.iter().map(|d| d.body.as_str()).collect();
    for request in &reading.received {
        assert!(
            queued.contains(request.body.as_str()),
            "the receiver got a webhook the outbox never held: {}",
            request.body
        );
    }
    4
}
