//! The client ledger as a property: random payments (setPayment 13.1) and updates of
//! them (another amount, client or payment type), opening balances (setBalance 13.2,
//! either sign, updated too) and current-balance settings (setCurrentBalance 13.3) on
//! several clients and payment types, driven by a fixed-seed generator, after which, at
//! every checkpoint, getBalance (9.29) equals both the model and the sum of getPayment's
//! (9.15) entries signed by their type, per client and payment type, and lists exactly
//! the clients with some non-zero balance.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::payments::{clients, world};
use super::{Rng, Sd};

const CLIENTS: [&str; 3] = ["000000100", "C-2", "C-3"];
const PAYMENT_TYPES: [&str; 2] = ["000000001", "USD"];
const STEPS: u64 = 60;
const CHECK_EVERY: u64 = 15;

/// (client code, payment type code) → balance in cents; zero cells absent.
type Balances = BTreeMap<(String, String), i64>;

/// A stored standing transaction: its code, client, payment type and cents.
#[derive(Clone)]
struct Written {
    code: String,
    client: usize,
    payment_type: usize,
    cents: i64,
}

fn add(model: &mut Balances, client: usize, payment_type: usize, cents: i64) {
    let key = (
        CLIENTS[client].to_owned(),
        PAYMENT_TYPES[payment_type].to_owned(),
    );
    let cell = model.entry(key.clone()).or_default();
    *cell += cents;
    if *cell == 0 {
        model.remove(&key);
    }
}

fn amount(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

fn cents(value: &Value) -> i64 {
    (value
        .as_f64()
        .unwrap_or_else(|| panic!("no number: {value}"))
        * 100.0)
        .round() as i64
}

/// The transaction's item: a payment (`amount` above zero) or an opening balance.
fn item(written: &Written) -> Value {
    json!({
        "code_1C": written.code,
        "amount": amount(written.cents),
        "paymentDate": "2025-06-15 10:00:00",
        "client": { "code_1C": CLIENTS[written.client] },
        "paymentType": { "code_1C": PAYMENT_TYPES[written.payment_type] },
    })
}

/// Codes by `SD_id` of a kind's records (clients, payment types).
async fn codes(sd: &Sd, method: &str, key: &str) -> BTreeMap<String, String> {
    let page = sd.get(method, json!({})).await.1;
    page["result"][key]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|r| {
            let sd_id = r["SD_id"].as_str().unwrap().to_owned();
            (sd_id, r["code_1C"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// What getBalance says, and what getPayment's entries add up to.
async fn observed(sd: &Sd) -> (Balances, Balances) {
    let clients = codes(sd, "getClient", "client").await;
    let types = codes(sd, "getPaymentType", "currency").await;
    let cell = |client: &Value, payment_type: &Value| {
        (
            clients[client.as_str().unwrap()].clone(),
            types[payment_type.as_str().unwrap()].clone(),
        )
    };
    let page = sd.get("getBalance", json!({})).await.1;
    let mut balances = Balances::new();
    for row in page["result"]["balance"].as_array().unwrap() {
        let mut sum = 0;
        for currency in row["by-currency"].as_array().unwrap() {
            let key = cell(&row["SD_id"], &currency["currency_id"]);
            balances.insert(key, cents(&currency["amount"]));
            sum += cents(&currency["amount"]);
        }
        assert_eq!(
            cents(&row["balance"]),
            sum,
            "balance = Σ by-currency: {row}"
        );
        assert!(
            sum != 0 || row["by-currency"].as_array().unwrap().len() > 1,
            "{row}"
        );
    }
    let page = sd.get("getPayment", json!({ "limit": 1000 })).await.1;
    let mut sums = Balances::new();
    for entry in page["result"]["payment"].as_array().unwrap() {
        let size = cents(&entry["amount"]);
        let signed = match entry["transactionType"].as_i64().unwrap() {
            1 | 2 | 7 => -size.abs(),
            3 | 8 | 9 => size.abs(),
            _ => size,
        };
        let key = cell(&entry["client"]["SD_id"], &entry["paymentType"]["SD_id"]);
        *sums.entry(key).or_default() += signed;
    }
    sums.retain(|_, cents| *cents != 0);
    (balances, sums)
}

/// `written` over the transaction at `pick` (keeping its code) or as a new one, in the
/// model: the old effect taken back, the new one added.
fn write_over(
    list: &mut Vec<Written>,
    pick: usize,
    written: Written,
    model: &mut Balances,
) -> Written {
    let written = match list.get_mut(pick) {
        Some(old) => {
            add(model, old.client, old.payment_type, -old.cents);
            *old = Written {
                code: old.code.clone(),
                ..written
            };
            old.clone()
        }
        None => {
            list.push(written.clone());
            written
        }
    };
    add(model, written.client, written.payment_type, written.cents);
    written
}

#[tokio::test]
async fn random_money_keeps_get_balance_equal_to_the_signed_sum_of_get_payment() {
    let sd = Sd::new().await;
    sd.settings(json!({ "rateLimit": false })).await;
    world(&sd).await;
    clients(&sd, &CLIENTS[1..]).await;
    let mut rng = Rng(0xBA1A_9CE5_0000_0012);
    let mut model = Balances::new();
    let (mut payments, mut openings): (Vec<Written>, Vec<Written>) = (Vec::new(), Vec::new());
    for step in 1..=STEPS {
        let client = rng.below(CLIENTS.len() as u64) as usize;
        let payment_type = rng.below(PAYMENT_TYPES.len() as u64) as usize;
        match rng.below(5) {
            // A new payment, or an existing one changed (amount, client, payment type);
            // an opening balance of either sign, new or updated.
            kind @ 0..=3 => {
                let (method, group, prefix, list, cents) = if kind < 2 {
                    let cents = 1 + rng.below(100_000) as i64;
                    ("setPayment", "payment", "PAY", &mut payments, cents)
                } else {
                    let cents = rng.below(200_000) as i64 - 100_000;
                    ("setBalance", "balance", "BAL", &mut openings, cents)
                };
                let pick = rng.below(list.len() as u64 + 1) as usize;
                let written = Written {
                    code: format!("{prefix}-{}", list.len()),
                    client,
                    payment_type,
                    cents,
                };
                let written = write_over(list, pick, written, &mut model);
                let (status, body) = sd.set(method, group, json!([item(&written)])).await;
                assert_eq!(status, 200, "step {step}: {body}");
            }
            // The current balance set: to zero now and then, else anywhere.
            _ => {
                let target = match rng.below(4) {
                    0 => 0,
                    _ => rng.below(300_000) as i64 - 150_000,
                };
                let key = (
                    CLIENTS[client].to_owned(),
                    PAYMENT_TYPES[payment_type].to_owned(),
                );
                let current = model.get(&key).copied().unwrap_or_default();
                add(&mut model, client, payment_type, target - current);
                let record = json!([{ "code_1C": CLIENTS[client], "balance": amount(target),
                    "paymentType": { "code_1C": PAYMENT_TYPES[payment_type] } }]);
                let (status, body) = sd.set("setCurrentBalance", "currentBalance", record).await;
                assert_eq!(status, 200, "step {step}: {body}");
            }
        }
        if step % CHECK_EVERY == 0 {
            let (balances, sums) = observed(&sd).await;
            assert_eq!(balances, model, "step {step}: getBalance against the model");
            assert_eq!(
                sums, model,
                "step {step}: getPayment's signed sum against the model"
            );
        }
    }
}
