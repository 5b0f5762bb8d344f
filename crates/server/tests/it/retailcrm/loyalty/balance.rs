//! The balance over a random sequence of credits, charges, applies and cancels: always
//! what a simple model says, and the sum of the participation's operations.

use serde_json::json;

use super::super::orders::create;
use super::super::Crm;
use super::{amount, credit_now, join};

/// A small deterministic generator (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[tokio::test]
async fn the_balance_is_the_sum_of_the_operations() {
    let crm = Crm::new().await;
    let (customer, account) = join(&crm, "r-1").await;
    // Three orders of 1000 each: at most 500 bonuses on each.
    let mut orders = Vec::new();
    for n in 0..3 {
        let external = format!("r-order-{n}");
        create(
            &crm,
            json!({ "externalId": external, "customer": { "id": customer },
                    "items": [{ "productName": "A", "initialPrice": 1000 }] }),
        )
        .await;
        orders.push((external, 0i64));
    }
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut model: i64 = 0;
    let charge = format!("/v5/loyalty/account/{account}/bonus/charge");
    // How many applies and cancels went through: the sequence must exercise both.
    let (mut applied, mut cancelled) = (0, 0);
    for step in 0..40 {
        let cents = (rng.next(400) as i64 + 1) * 25;
        let text = format!("{}", cents as f64 / 100.0);
        match rng.next(4) {
            0 => {
                credit_now(&crm, account, cents as f64 / 100.0).await;
                model += cents;
            }
            1 => {
                let (status, body) = crm.post(&charge, &[("amount", text)]).await;
                let fits = cents <= model;
                assert_eq!(status == 200, fits, "step {step}: {body}");
                if fits {
                    model -= cents;
                }
            }
            2 => {
                let (external, charged) = &mut orders[rng.next(3) as usize];
                let (status, body) = crm
                    .post(
                        "/v5/orders/loyalty/apply",
                        &[
                            ("order", json!({ "externalId": external }).to_string()),
                            ("bonuses", text),
                        ],
                    )
                    .await;
                let fits = *charged == 0 && cents <= model && cents <= 50_000;
                assert_eq!(status == 200, fits, "step {step}: {body}");
                if fits {
                    model -= cents;
                    *charged = cents;
                    applied += 1;
                }
            }
            _ => {
                let (external, charged) = &mut orders[rng.next(3) as usize];
                let (status, body) = crm
                    .post(
                        "/v5/orders/loyalty/cancel-bonus-operations",
                        &[("order", json!({ "externalId": external }).to_string())],
                    )
                    .await;
                assert_eq!(status == 200, *charged > 0, "step {step}: {body}");
                cancelled += usize::from(status == 200);
                model += *charged;
                *charged = 0;
            }
        }
        assert_eq!(
            (amount(&crm, account).await * 100.0).round() as i64,
            model,
            "step {step}"
        );
    }
    assert!(
        applied > 0 && cancelled > 0,
        "{applied} applied, {cancelled} cancelled"
    );
    let mut sum = 0.0;
    let mut page = 1;
    loop {
        let (_, body) = crm
            .get(
                &format!("/v5/loyalty/account/{account}/bonus/operations"),
                &format!("limit=100&page={page}"),
            )
            .await;
        let ops = body["bonusOperations"].as_array().unwrap();
        sum += ops
            .iter()
            .map(|op| op["amount"].as_f64().unwrap())
            .sum::<f64>();
        if page >= body["pagination"]["totalPageCount"].as_i64().unwrap() {
            break;
        }
        page += 1;
    }
    assert_eq!((sum * 100.0).round() as i64, model);
}
