//! Two Twin servers on one PostgreSQL database share the simulated cash registers: each
//! runs a device worker, and the claims (a version-checked `IN_PROGRESS` write) make every
//! operation run exactly once, in queue order, whichever server took the request.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};
use twin_testkit::{fresh_pg_database, TestApp, WebhookSink};

use super::device::{endpoint, parsed};
use super::operations::{position, sell, Shop};
use super::Kassa;

/// How many sales the two servers take turns to accept.
const SALES: usize = 12;

#[tokio::test]
async fn two_servers_run_each_operation_of_a_cash_register_once_in_order() {
    let Some(url) = fresh_pg_database("kassa_replicas").await else {
        eprintln!("TWIN_TEST_PG_URL unset: the two-server Kassa test did not run");
        return;
    };
    let (first, _first_running) = TestApp::private_on(&url).await;
    let (second, _second_running) = TestApp::private_on(&url).await;
    // The client keeps `&'static` apps; these live until the test's process ends.
    let first: &'static TestApp = Box::leak(Box::new(first));
    let second: &'static TestApp = Box::leak(Box::new(second));
    let shop = Shop::of(Kassa::on(first).await).await;
    let other = shop.kassa.through(second);
    let sink = WebhookSink::start().await;
    endpoint(&shop, &sink).await;
    let opened = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(opened["details"]["fdNumber"], "1", "{opened}");

    let mut ids = Vec::new();
    for index in 0..SALES {
        let kassa = if index % 2 == 0 { &shop.kassa } else { &other };
        let body = json!({
            "operationType": "SELL", "cashboxId": shop.cashbox, "createdById": shop.owner,
            "details": sell(vec![position("Чай", 1.0, 10.0)], &[(1, 10.0)]),
        });
        let (status, created) = kassa.post("/operations", body).await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    for (index, id) in ids.iter().enumerate() {
        let sale = shop.settled(id).await;
        assert_eq!(sale["status"], "COMPLETE", "{sale}");
        assert_eq!(
            sale["details"]["fdNumber"],
            (index + 2).to_string(),
            "fiscal numbers follow the queue: {sale}"
        );
    }
    assert_eq!(shop.cash_balance().await, json!(SALES * 10));

    // Shift open: OPERATION_COMPLETED and CASHBOX_DATA_CHANGED; each sale the same two.
    let hooks = sink.wait_for(2 + 2 * SALES, Duration::from_secs(10)).await;
    let mut completed: HashMap<String, usize> = HashMap::new();
    for hook in hooks.iter().map(parsed) {
        if hook["event"] == "OPERATION_COMPLETED" {
            let id = hook["content"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            *completed.entry(id).or_default() += 1;
        }
    }
    for id in &ids {
        assert_eq!(
            completed.get(id),
            Some(&1),
            "one OPERATION_COMPLETED for {id}"
        );
    }
    let (_, list) = other
        .get(&format!("/operations?limit=50&cashboxId={}", shop.cashbox))
        .await;
    let statuses: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| &op["status"])
        .collect();
    assert_eq!(statuses.len(), SALES + 1);
    assert!(
        statuses.iter().all(|status| *status == "COMPLETE"),
        "{list}"
    );
}
