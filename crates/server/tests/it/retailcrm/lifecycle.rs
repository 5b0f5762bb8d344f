//! An order's life as an integration lives it, polled the way integrations poll: an order
//! with a new customer → items added → a payment → status changes → bonuses applied, and
//! after each step `orders/history` asked from the last `sinceId` seen shows exactly that
//! step's changes, once.

use serde_json::{json, Value};

use super::loyalty::{amount, credit_now};
use super::{assert_error, Crm};

/// What an integration keeps between polls: the last history id it has seen, and every
/// record it was given.
struct Poller {
    since: i64,
    seen: Vec<Value>,
}

impl Poller {
    /// The records after the last one seen (one page is enough here), remembered; their
    /// `field`s in order.
    async fn poll(&mut self, crm: &Crm) -> Vec<String> {
        let query = format!("filter[sinceId]={}&limit=100", self.since);
        let (status, body) = crm.get("/v5/orders/history", &query).await;
        assert_eq!(status, 200, "{body}");
        let records = body["history"].as_array().unwrap().clone();
        let mut fields = Vec::new();
        for record in records {
            let id = record["id"].as_i64().unwrap();
            assert!(id > self.since, "{id} after {}: {record}", self.since);
            self.since = id;
            fields.push(record["field"].as_str().unwrap().to_owned());
            self.seen.push(record);
        }
        fields
    }
}

async fn edit(crm: &Crm, external_id: &str, order: Value) -> (u16, Value) {
    crm.post(
        &format!("/v5/orders/{external_id}/edit"),
        &[
            ("order", order.to_string()),
            ("site", "main-shop".to_owned()),
        ],
    )
    .await
}

async fn get(crm: &Crm, external_id: &str) -> Value {
    let (status, body) = crm.get(&format!("/v5/orders/{external_id}"), "").await;
    assert_eq!(status, 200, "{body}");
    body["order"].clone()
}

#[tokio::test]
async fn an_order_lives_and_its_history_shows_each_change_once() {
    let crm = Crm::new().await;
    let mut poller = Poller {
        since: 0,
        seen: Vec::new(),
    };

    // A new customer, made from the order's contact data.
    let created = crm
        .create_order(json!({
            "externalId": "life-1", "firstName": "Вера", "lastName": "Лисина",
            "phone": "+7 (916) 555-01-02", "email": "vera@example.com",
            "items": [{ "productName": "Чайник", "initialPrice": 1500 }],
        }))
        .await;
    let order_id = created["id"].as_i64().unwrap();
    let customer = created["order"]["customer"]["id"].as_i64().unwrap();
    assert_eq!(poller.poll(&crm).await, ["id"]);
    assert_eq!(poller.seen[0]["created"], true, "{}", poller.seen[0]);
    let (_, customers) = crm
        .get("/v5/customers", "filter[email]=vera@example.com")
        .await;
    assert_eq!(customers["customers"][0]["id"], customer, "{customers}");
    assert_eq!(
        customers["customers"][0]["phones"][0]["number"],
        "+7 (916) 555-01-02"
    );

    // Items added: the kettle stays, two cups join; the totals follow.
    let kettle = created["order"]["items"][0]["id"].clone();
    let (status, body) = edit(
        &crm,
        "life-1",
        json!({ "items": [
            { "id": kettle, "initialPrice": 1500 },
            { "productName": "Чашка", "initialPrice": 250, "quantity": 2 },
        ] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(poller.poll(&crm).await, ["order_product"]);
    let order = get(&crm, "life-1").await;
    assert_eq!(order["summ"], 2000.0);
    assert_eq!(order["totalSumm"], 2000.0);
    assert_eq!(order["prepaySum"], 0.0);

    // A payment of part of it.
    let (status, body) = crm
        .post(
            "/v5/orders/payments/create",
            &[(
                "payment",
                json!({ "order": { "id": order_id }, "type": "bank-card",
                        "status": "paid", "amount": 500 })
                .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(poller.poll(&crm).await, ["payments"]);
    assert_eq!(get(&crm, "life-1").await["prepaySum"], 500.0);

    // Status changes follow the account's statuses: an unknown code changes nothing.
    let unknown = edit(&crm, "life-1", json!({ "status": "teleported" })).await;
    assert_error(&unknown, 400, "Errors in the entity format", &["status"]);
    for status in ["availability-confirmed", "send-to-assembling"] {
        let (code, body) = edit(&crm, "life-1", json!({ "status": status })).await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(poller.poll(&crm).await, ["status"]);
        assert_eq!(
            poller.seen.last().unwrap()["newValue"],
            json!({ "code": status })
        );
    }

    // Bonuses: the customer joins the program, gets 300, and 200 are charged on the order.
    let (status, body) = crm
        .post(
            "/v5/loyalty/account/create",
            &[(
                "loyaltyAccount",
                json!({ "customer": { "id": customer }, "phoneNumber": "+79165550102" })
                    .to_string(),
            )],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let account = body["loyaltyAccount"]["id"].as_i64().unwrap();
    credit_now(&crm, account, 300.0).await;
    let (status, body) = crm
        .post(
            "/v5/orders/loyalty/apply",
            &[
                ("order", json!({ "id": order_id }).to_string()),
                ("bonuses", "200".to_owned()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // The order's bonus fields and each item's share, once.
    assert_eq!(
        poller.poll(&crm).await,
        [
            "bonuses_charge_total",
            "bonuses_credit_total",
            "privilege_type",
            "order_product.bonuses_charge_total",
            "order_product.bonuses_credit_total",
            "order_product.bonuses_charge_total",
            "order_product.bonuses_credit_total",
        ]
    );
    let order = get(&crm, "life-1").await;
    assert_eq!(order["totalSumm"], 1800.0, "{order}");
    assert_eq!(amount(&crm, account).await, 100.0);

    // Nothing more to see, and what was seen is the whole history, each record once.
    assert!(poller.poll(&crm).await.is_empty());
    let (_, all) = crm.get("/v5/orders/history", "limit=100").await;
    let all: Vec<i64> = all["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let seen: Vec<i64> = poller
        .seen
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, all);
    assert!(poller
        .seen
        .iter()
        .all(|r| r["order"]["id"] == order_id && r["source"] == "api"));
}
