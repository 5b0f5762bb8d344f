//! The per-method limits of 01-general §9 against the account's clock: getStoreLog only
//! from 20:00 to 07:00 server time (UTC+05:00) and 5 calls per 5 s, its limits applying
//! before its parameters are read (a call that passes them is answered 400: the account
//! has no warehouse `d0_1`); the 407 record limit.

use serde_json::json;

use super::{assert_error, Sd};

/// What getStoreLog answers once past its limits in an account without warehouses.
const NO_STORE: &str = "params.storeId not found";

#[tokio::test]
async fn get_store_log_keeps_its_hours_and_rate() {
    let sd = Sd::new().await;
    let params = json!({ "storeId": "d0_1", "from": "2025-06-01", "to": "2025-06-30" });
    // 12:00 in Tashkent: outside the window.
    sd.clock(json!({ "action": "freeze", "at": "2025-06-10T07:00:00Z" }))
        .await;
    assert_error(
        &sd.get("getStoreLog", params.clone()).await,
        429,
        "Method getStoreLog is available only from 20:00 to 07:00",
    );
    // 06:59:59 is still inside, 07:00 is not.
    sd.clock(json!({ "action": "set", "at": "2025-06-10T01:59:59Z" }))
        .await;
    assert_error(&sd.get("getStoreLog", params.clone()).await, 400, NO_STORE);
    sd.clock(json!({ "action": "set", "at": "2025-06-10T02:00:00Z" }))
        .await;
    assert_eq!(sd.get("getStoreLog", params.clone()).await.0, 429);
    // 21:00: five calls pass, the sixth within 5 s is refused, later ones pass again.
    sd.clock(json!({ "action": "set", "at": "2025-06-10T16:00:00Z" }))
        .await;
    for _ in 0..5 {
        assert_error(&sd.get("getStoreLog", params.clone()).await, 400, NO_STORE);
    }
    let refused = sd.get("getStoreLog", params.clone()).await;
    assert_eq!(refused.0, 429, "{}", refused.1);
    assert!(refused.1["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Too many requests"));
    sd.clock(json!({ "action": "advance", "seconds": 5 })).await;
    assert_error(&sd.get("getStoreLog", params).await, 400, NO_STORE);
}

#[tokio::test]
async fn the_rate_limit_can_be_switched_off_but_not_the_hours() {
    let sd = Sd::new().await;
    sd.settings(json!({ "rateLimit": false })).await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-10T16:00:00Z" }))
        .await;
    for _ in 0..7 {
        assert_eq!(sd.get("getStoreLog", json!({})).await.0, 400);
    }
    sd.clock(json!({ "action": "set", "at": "2025-06-10T07:00:00Z" }))
        .await;
    assert_eq!(sd.get("getStoreLog", json!({})).await.0, 429);
}

#[tokio::test]
async fn more_than_250_records_in_a_group_is_407() {
    let sd = Sd::new().await;
    let records: Vec<_> = (0..251)
        .map(|i| json!({ "code_1C": format!("U{i}"), "name": format!("Unit {i}") }))
        .collect();
    assert_error(
        &sd.set("setUnit", "unit", json!(records)).await,
        407,
        "Limit error::> request items: 251 limit: 250",
    );
    let (_, none) = sd.get("getUnit", json!({})).await;
    assert_eq!(none["pagination"]["total"], 0, "nothing stored");
    // Also on methods not built yet.
    assert_eq!(sd.set("setOrder", "order", json!(records)).await.0, 407);
    assert_eq!(
        sd.set("setUnit", "unit", json!(records[..250])).await.0,
        200
    );
}
