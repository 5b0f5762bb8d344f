//! Expired bonuses as `burn` operations dated at the expiry: the operations always sum to
//! the balance, and the cursor of all operations stays valid across a burn.

use serde_json::{json, Value};

use super::super::Crm;
use super::{amount, credit, credit_now, join, START};

const DAY: i64 = 86_400;

/// The participation's operations (up to 100), the newest first.
async fn listed(crm: &Crm, account: i64) -> Value {
    let path = format!("/v5/loyalty/account/{account}/bonus/operations");
    let (status, body) = crm.get(&path, "limit=100").await;
    assert_eq!(status, 200, "{body}");
    body["bonusOperations"].clone()
}

/// The sum of the operations listed, in hundredths.
fn sum(ops: &Value) -> i64 {
    ops.as_array()
        .unwrap()
        .iter()
        .map(|op| (op["amount"].as_f64().unwrap() * 100.0).round() as i64)
        .sum()
}

#[tokio::test]
async fn expired_bonuses_burn_as_operations() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (_, account) = join(&crm, "burn-1").await;
    let form = [
        ("amount", "100".to_owned()),
        ("expireDate", "2024-01-10".to_owned()),
    ];
    let (status, body) = credit(&crm, account, &form).await;
    assert_eq!(status, 200, "{body}");
    // Twenty more of 1 each, so that the first page of all operations has a cursor.
    for _ in 0..20 {
        credit_now(&crm, account, 1.0).await;
    }
    // The charge takes from the bonuses expiring soonest: 70 of the first credit are left.
    let charge = format!("/v5/loyalty/account/{account}/bonus/charge");
    let (status, body) = crm.post(&charge, &[("amount", "30".to_owned())]).await;
    assert_eq!(status, 200, "{body}");
    // A first page of all operations, before anything burns.
    let (_, first) = crm.get("/v5/loyalty/bonus/operations", "limit=20").await;
    let cursor = first["pagination"]["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();

    crm.clock(json!({ "action": "advance", "seconds": 15 * DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 20.0);
    let ops = listed(&crm, account).await;
    let kinds: Vec<&str> = ops
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 23);
    assert_eq!(kinds[..3], ["burn", "charge_manual", "credit_manual"]);
    assert_eq!(ops[0]["amount"], -70.0);
    assert_eq!(ops[0]["createdAt"], "2024-01-10 00:00:00");
    assert_eq!(ops[0]["loyaltyAccount"]["id"], account);
    assert!(ops[0].get("_lots").is_none(), "{}", ops[0]);
    assert_eq!(sum(&ops), 2000);
    // Read again: the burn is written once.
    let again = listed(&crm, account).await;
    assert_eq!(again, ops);

    // The cursor taken before the burn walks on to it: every operation once.
    let (_, rest) = crm
        .get(
            "/v5/loyalty/bonus/operations",
            &format!("cursor={cursor}&limit=100"),
        )
        .await;
    let mut all = first["bonusOperations"].as_array().unwrap().clone();
    all.extend(rest["bonusOperations"].as_array().unwrap().iter().cloned());
    let ids: Vec<i64> = all.iter().map(|op| op["id"].as_i64().unwrap()).collect();
    let mut listed: Vec<i64> = ops
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["id"].as_i64().unwrap())
        .collect();
    listed.reverse();
    assert_eq!(ids, listed);
    assert_eq!(all.last().unwrap()["type"], "burn");
}

#[tokio::test]
async fn a_burn_is_written_before_the_next_operation() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (_, account) = join(&crm, "burn-2").await;
    let form = [
        ("amount", "40".to_owned()),
        ("activationDate", "2024-01-05".to_owned()),
        ("expireDate", "2024-01-20".to_owned()),
    ];
    let (status, body) = credit(&crm, account, &form).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = credit(&crm, account, &[("amount", "25".to_owned())]).await;
    assert_eq!(status, 200, "{body}");
    crm.clock(json!({ "action": "advance", "seconds": 30 * DAY }))
        .await;
    // Nothing listed since the expiry: the charge writes the burn before itself.
    let charge = format!("/v5/loyalty/account/{account}/bonus/charge");
    let (status, body) = crm.post(&charge, &[("amount", "5".to_owned())]).await;
    assert_eq!(status, 200, "{body}");
    let ops = listed(&crm, account).await;
    assert_eq!(ops[0]["type"], "charge_manual");
    assert_eq!(ops[1]["type"], "burn");
    assert_eq!(ops[1]["amount"], -40.0);
    assert_eq!(ops[1]["createdAt"], "2024-01-20 00:00:00");
    assert_eq!(ops.as_array().unwrap().len(), 4);
    assert_eq!(amount(&crm, account).await, 20.0);
    assert_eq!(sum(&ops), 2000);
    // Bonuses that expire while still waiting burn too.
    let (_, all) = crm.get("/v5/loyalty/bonus/operations", "").await;
    assert_eq!(sum(&all["bonusOperations"]), 2000);
}
