//! Client money through HTTP: payments (setPayment 13.1 / getPayment 9.15), opening
//! balances (setBalance 13.2), current-balance settings (setCurrentBalance 13.3) and the
//! balances they add up to (getBalance 9.29), from the documented examples, with a
//! refused record among good ones and the getPayment filters. The helpers serve
//! `cash` and `client_ledger` too.

use serde_json::{json, Value};

use super::{column, item_errors, Sd};

/// The documented client `000000100` (`d0_1`), agent `000000003`, payment types
/// `000000001` (`d0_1`) and `USD` (`d0_2`), and the trade direction `1` (seeded).
pub async fn world(sd: &Sd) {
    let category = json!([{ "code_1C": "CAT", "name": "Shops" }]);
    let (status, body) = sd
        .set("setClientCategory", "clientCategory", category)
        .await;
    assert_eq!(status, 200, "{body}");
    let agent = json!([{ "code_1C": "000000003", "name": "Ivan Ivanov" }]);
    assert_eq!(sd.set("setAgent", "agent", agent).await.0, 200);
    clients(sd, &["000000100"]).await;
    let types = json!([
        { "code_1C": "000000001", "name": "Cash", "short": "cash" },
        { "code_1C": "USD", "name": "Dollars", "short": "usd" },
    ]);
    assert_eq!(sd.set("setPaymentType", "paymentType", types).await.0, 200);
    let trade = json!([{ "code_1C": "TD001", "name": "Drinks" }]);
    assert_eq!(sd.seed("tradeDirection", None, trade).await.0, 200);
}

/// Clients with these codes (named after them).
pub async fn clients(sd: &Sd, codes: &[&str]) {
    let records: Vec<Value> = codes
        .iter()
        .map(|code| json!({ "code_1C": code, "shortName": code, "clientCategory": { "code_1C": "CAT" } }))
        .collect();
    let (status, body) = sd.set("setClient", "client", Value::from(records)).await;
    assert_eq!(status, 200, "{body}");
}

/// The documented payment (13.1), its order link left out (no order exists).
fn documented_payment() -> Value {
    json!({
        "code_1C": "PAY000001",
        "amount": 5000000,
        "paymentDate": "2025-06-15 14:30:00",
        "expirationDate": null,
        "comment": "Payment for goods",
        "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" },
        "paymentType": { "code_1C": "000000001" },
        "trade": { "SD_id": "1" },
    })
}

/// The page of `getPayment` with this filter.
pub async fn payments(sd: &Sd, filter: Value) -> Value {
    let (status, page) = sd.get("getPayment", json!({ "filter": filter })).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// The balances getBalance lists, as `(client SD_id, balance, by-currency)`.
pub async fn balances(sd: &Sd) -> Vec<(String, f64, Value)> {
    let (status, page) = sd.get("getBalance", json!({})).await;
    assert_eq!(status, 200, "{page}");
    page["result"]["balance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["SD_id"].as_str().unwrap().to_owned(),
                row["balance"].as_f64().unwrap(),
                row["by-currency"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_documented_payment_is_listed_with_its_links_and_credits_the_client() {
    let sd = Sd::new().await;
    world(&sd).await;
    let records = json!([
        documented_payment(),
        { "code_1C": "BAD", "amount": 0, "paymentDate": "2025-06-15",
          "client": { "code_1C": "nobody" }, "paymentType": { "code_1C": "000000001" },
          "order": { "SD_id": "d0_300" } },
        { "amount": 10, "paymentDate": "someday", "client": { "code_1C": "000000100" } },
    ]);
    let (status, body) = sd.set("setPayment", "payment", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1, "{body}");
    assert_eq!(body["result"]["data"]["payment"][0]["code_1C"], "PAY000001");
    assert_eq!(
        item_errors(&body, "payment"),
        [
            json!([
                "client: client not found",
                "amount must be greater than zero",
                "order: order not found"
            ]),
            json!([
                "One of CS_id, SD_id or code_1C is required",
                "paymentDate is not a valid date",
                "paymentType is required"
            ]),
        ]
    );
    let page = payments(&sd, json!({})).await;
    assert_eq!(page["pagination"]["total"], 1, "{page}");
    let payment = &page["result"]["payment"][0];
    assert_eq!(payment["transactionType"], 3);
    assert_eq!(payment["amount"].as_f64(), Some(5_000_000.0));
    assert_eq!(payment["paymentDate"], "2025-06-15 14:30:00");
    assert_eq!(payment["expirationDate"], Value::Null);
    assert_eq!(payment["comment"], "Payment for goods");
    assert_eq!(payment["client"]["code_1C"], "000000100");
    assert_eq!(payment["agent"]["code_1C"], "000000003");
    assert_eq!(payment["paymentType"]["SD_id"], "d0_1");
    assert_eq!(payment["trade"]["SD_id"], "1");
    assert_eq!(payment["cashbox"]["SD_id"], "1", "the main cashbox");
    assert_eq!(payment["orders"], json!([]));
    assert_eq!(
        balances(&sd).await,
        [(
            "d0_1".to_owned(),
            5_000_000.0,
            json!([{ "currency_id": "d0_1", "amount": 5_000_000.0 }])
        )]
    );
    // Sent again with another amount, the payment is updated, not added.
    let mut changed = documented_payment();
    changed["amount"] = json!(1500.5);
    assert_eq!(
        sd.set("setPayment", "payment", json!([changed])).await.0,
        200
    );
    let page = payments(&sd, json!({})).await;
    assert_eq!(page["pagination"]["total"], 1, "{page}");
    assert_eq!(
        page["result"]["payment"][0]["amount"].as_f64(),
        Some(1500.5)
    );
    assert_eq!(balances(&sd).await[0].1, 1500.5);
}

#[tokio::test]
async fn get_payment_filters_by_type_dates_trade_payment_type_and_identifier() {
    let sd = Sd::new().await;
    world(&sd).await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-20T05:00:00Z" }))
        .await;
    let mut dollars = documented_payment();
    dollars["code_1C"] = json!("PAY2");
    dollars["paymentDate"] = json!("2025-07-02");
    dollars["paymentType"] = json!({ "code_1C": "USD" });
    dollars["trade"] = Value::Null;
    let payments_made = json!([documented_payment(), dollars]);
    assert_eq!(sd.set("setPayment", "payment", payments_made).await.0, 200);
    let opening = json!([{ "amount": -300, "paymentDate": "2025-01-01 00:00:00",
        "client": { "code_1C": "000000100" }, "paymentType": { "code_1C": "000000001" } }]);
    assert_eq!(sd.set("setBalance", "balance", opening).await.0, 200);
    let codes = |page: &Value| -> Vec<Value> {
        column(&page["result"]["payment"], "code_1C")
            .into_iter()
            .cloned()
            .collect()
    };
    let all = payments(&sd, json!({})).await;
    assert_eq!(
        codes(&all),
        [json!("PAY000001"), json!("PAY2"), Value::Null]
    );
    let by_type = payments(&sd, json!({ "transactionType": 3 })).await;
    assert_eq!(codes(&by_type), [json!("PAY000001"), json!("PAY2")]);
    let opening_only = payments(&sd, json!({ "transactionType": "6" })).await;
    assert_eq!(
        opening_only["result"]["payment"][0]["amount"].as_f64(),
        Some(-300.0)
    );
    let june = json!({ "period": { "date": { "from": "2025-06-01", "to": "2025-06-30" } } });
    assert_eq!(codes(&payments(&sd, june).await), [json!("PAY000001")]);
    let updated =
        json!({ "period": { "dateUpdate": { "from": "2025-06-20", "to": "2025-06-20" } } });
    assert_eq!(payments(&sd, updated).await["pagination"]["total"], 3);
    let updated_before = json!({ "period": { "dateUpdate": { "to": "2025-06-19" } } });
    assert_eq!(
        payments(&sd, updated_before).await["pagination"]["total"],
        0
    );
    let trade = json!({ "trade": { "code_1C": "TD001" } });
    assert_eq!(codes(&payments(&sd, trade).await), [json!("PAY000001")]);
    let no_trade = json!({ "trade": { "SD_id": "9" } });
    assert_eq!(payments(&sd, no_trade).await["pagination"]["total"], 0);
    let dollars_only = json!({ "paymentType": { "code_1C": "USD" } });
    assert_eq!(codes(&payments(&sd, dollars_only).await), [json!("PAY2")]);
    let one = json!({ "SD_id": all["result"]["payment"][1]["SD_id"] });
    assert_eq!(codes(&payments(&sd, one).await), [json!("PAY2")]);
    let combined = json!({ "transactionType": 3, "trade": { "SD_id": "1" },
        "paymentType": { "code_1C": "000000001" },
        "period": { "date": { "from": "2025-01-01", "to": "2025-06-30" } } });
    assert_eq!(codes(&payments(&sd, combined).await), [json!("PAY000001")]);
    let paged = sd
        .get("getPayment", json!({ "limit": 2, "page": 2 }))
        .await
        .1;
    assert_eq!(
        paged["pagination"],
        json!({ "limit": 2, "total": 3, "page": 2 })
    );
    assert_eq!(codes(&paged), [Value::Null]);
    let (status, bad) = sd
        .get("getPayment", json!({ "filter": { "transactionType": 5 } }))
        .await;
    assert_eq!(status, 400, "{bad}");
}

#[tokio::test]
async fn opening_balances_and_current_balance_settings_add_up_per_payment_type() {
    let sd = Sd::new().await;
    world(&sd).await;
    clients(&sd, &["000000200"]).await;
    let documented = json!({
        "code_1C": "BAL000001", "amount": 1000000, "paymentDate": "2025-01-01 00:00:00",
        "comment": "Opening balance", "client": { "code_1C": "000000100" },
        "agent": { "code_1C": "000000003" }, "paymentType": { "code_1C": "000000001" },
    });
    let records = json!([
        documented,
        { "amount": "x", "client": { "code_1C": "000000100" }, "paymentType": { "code_1C": "nope" } },
    ]);
    let (status, body) = sd.set("setBalance", "balance", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "balance"),
        [json!([
            "amount must be a number",
            "paymentDate is required",
            "paymentType: paymentType not found"
        ])]
    );
    // Updated by its code: the balance follows.
    let update = json!([{ "code_1C": "BAL000001", "amount": -250, "paymentDate": "2025-01-01",
        "client": { "code_1C": "000000100" }, "paymentType": { "code_1C": "000000001" } }]);
    assert_eq!(sd.set("setBalance", "balance", update).await.0, 200);
    assert_eq!(balances(&sd).await[0].1, -250.0);
    // The documented current balance, then one in dollars for another client, one that
    // changes nothing, and one for a client that does not exist.
    let current = json!([
        { "code_1C": "000000100", "balance": 500000, "paymentType": { "code_1C": "000000001" } },
        { "code_1C": "000000200", "balance": -40, "paymentType": { "code_1C": "USD" } },
        { "code_1C": "000000100", "balance": 500000, "paymentType": { "code_1C": "000000001" } },
        { "code_1C": "nobody", "balance": 1, "paymentType": { "code_1C": "USD" } },
    ]);
    let (status, body) = sd.set("setCurrentBalance", "currentBalance", current).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 3, "{body}");
    assert_eq!(
        column(&body["result"]["data"]["currentBalance"], "code_1C"),
        [
            &json!("000000100"),
            &json!("000000200"),
            &json!("000000100")
        ]
    );
    assert_eq!(
        item_errors(&body, "currentBalance"),
        [json!(["client not found"])]
    );
    assert_eq!(
        balances(&sd).await,
        [
            (
                "d0_1".to_owned(),
                500000.0,
                json!([{ "currency_id": "d0_1", "amount": 500000.0 }])
            ),
            (
                "d0_2".to_owned(),
                -40.0,
                json!([{ "currency_id": "d0_2", "amount": -40.0 }])
            ),
        ]
    );
    let corrections = payments(&sd, json!({ "transactionType": [2, 8] })).await;
    let shown: Vec<(Value, Value)> = corrections["result"]["payment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["transactionType"].clone(), p["amount"].clone()))
        .collect();
    assert_eq!(
        shown,
        [(json!(8), json!(500250)), (json!(2), json!(40))],
        "one write-off up, one debt down, none for no difference"
    );
    assert_eq!(
        corrections["result"]["payment"][0]["comment"],
        "Balance correction"
    );
    // Back to zero: the client leaves getBalance.
    let zero = json!([{ "SD_id": "d0_2", "balance": 0, "paymentType": { "SD_id": "d0_2" } }]);
    assert_eq!(
        sd.set("setCurrentBalance", "currentBalance", zero).await.0,
        200
    );
    let left: Vec<String> = balances(&sd).await.into_iter().map(|b| b.0).collect();
    assert_eq!(left, ["d0_1"]);
}

#[tokio::test]
async fn money_stays_in_its_account_and_filial() {
    let sd = Sd::new().await;
    world(&sd).await;
    assert_eq!(
        sd.set("setPayment", "payment", json!([documented_payment()]))
            .await
            .0,
        200
    );
    let other = Sd::new().await;
    assert_eq!(payments(&other, json!({})).await["pagination"]["total"], 0);
    assert!(balances(&other).await.is_empty());
    sd.filials(json!([{ "filial_id": "1", "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let in_filial = |method: &str| json!({ "method": method, "filial": { "filial_id": "1" } });
    for (method, key) in [("getPayment", "payment"), ("getBalance", "balance")] {
        let (status, page) = sd.call(in_filial(method)).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["result"][key], json!([]), "{method}: {page}");
    }
    // The filial's client is not found by the head office's code.
    let mut payment = documented_payment();
    payment["trade"] = Value::Null;
    let mut request = in_filial("setPayment");
    request["data"] = json!({ "payment": [payment] });
    let (status, body) = sd.call(request).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "payment"),
        [json!([
            "client: client not found",
            "agent: agent not found",
            "paymentType: paymentType not found"
        ])]
    );
}
