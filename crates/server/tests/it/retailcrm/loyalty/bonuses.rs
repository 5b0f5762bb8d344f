//! Credits, charges, the operations and the details of a bonus account, on Twin's clock.

use serde_json::json;

use super::super::{assert_error, Crm};
use super::{amount, credit, credit_now, join, operations, START};

const DAY: i64 = 86_400;

#[tokio::test]
async fn credits_activate_and_burn_on_the_clock() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (_, account) = join(&crm, "b-1").await;
    // Without dates: active today, expiring after the program's 365 days.
    let (status, body) = credit(&crm, account, &[("amount", "100".into())]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["loyaltyBonus"],
        json!({ "amount": 100.0, "activationDate": "2024-01-01", "expireDate": "2024-12-31" })
    );
    let form = [
        ("amount", "50.5".to_owned()),
        ("activationDate", "2024-01-11".to_owned()),
        ("expireDate", "2024-02-01".to_owned()),
        ("comment", "Welcome".to_owned()),
    ];
    let (status, body) = credit(&crm, account, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["loyaltyBonus"]["expireDate"], "2024-02-01");
    assert_eq!(amount(&crm, account).await, 100.0);

    let details = |status: &'static str, query: &'static str| {
        let crm = &crm;
        async move {
            let path = format!("/v5/loyalty/account/{account}/bonus/{status}/details");
            let (code, body) = crm.get(&path, query).await;
            assert_eq!(code, 200, "{body}");
            body
        }
    };
    let waiting = details("waiting_activation", "").await;
    assert_eq!(waiting["statistic"]["totalAmount"], 50.5);
    assert_eq!(
        waiting["bonuses"],
        json!([{ "date": "2024-01-11 00:00:00", "amount": 50.5 }])
    );
    let early = details("waiting_activation", "filter[date]=2024-01-10").await;
    assert_eq!(early["statistic"]["totalAmount"], 0.0);
    let burning = details("burn_soon", "").await;
    assert_eq!(
        burning["bonuses"],
        json!([{ "date": "2024-12-31 00:00:00", "amount": 100.0 }])
    );
    let path = format!("/v5/loyalty/account/{account}/bonus/soon/details");
    assert_error(
        &crm.get(&path, "").await,
        400,
        "Errors in the input parameters",
        &["status"],
    );

    // Ten days on, the second credit is active; it burns on its expiry date.
    crm.clock(json!({ "action": "advance", "seconds": 10 * DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 150.5);
    let burning = details("burn_soon", "filter[date]=2024-02-01").await;
    assert_eq!(burning["statistic"]["totalAmount"], 50.5);
    crm.clock(json!({ "action": "advance", "seconds": 21 * DAY }))
        .await;
    assert_eq!(amount(&crm, account).await, 100.0);

    // The documented errors of a credit.
    let bad = credit(&crm, account, &[("amount", "x".into())]).await;
    assert_error(&bad, 400, "Errors in the input parameters", &["amount"]);
    let bad = credit(&crm, account, &[("amount", "-1".into())]).await;
    assert_error(&bad, 400, "Errors in the input parameters", &["amount"]);
    let dates = [
        ("amount", "1".to_owned()),
        ("activationDate", "2024-03-01".to_owned()),
        ("expireDate", "2024-02-01".to_owned()),
    ];
    let bad = credit(&crm, account, &dates).await;
    assert_error(&bad, 400, "Errors in the input parameters", &["expireDate"]);
    let bad = credit(
        &crm,
        account,
        &[("amount", "1".into()), ("expireDate", "soon".into())],
    )
    .await;
    assert_error(&bad, 400, "Errors in the input parameters", &["expireDate"]);
}

#[tokio::test]
async fn charges_take_active_bonuses_only() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    let (_, account) = join(&crm, "c-1").await;
    credit_now(&crm, account, 100.0).await;
    let future = [
        ("amount", "500".to_owned()),
        ("activationDate", "2024-02-01".to_owned()),
    ];
    assert_eq!(credit(&crm, account, &future).await.0, 200);
    let charge = format!("/v5/loyalty/account/{account}/bonus/charge");
    let too_much = crm.post(&charge, &[("amount", "100.01".into())]).await;
    assert_eq!(too_much.0, 400, "{}", too_much.1);
    assert_eq!(too_much.1["success"], false);
    let (status, body) = crm
        .post(
            &charge,
            &[("amount", "30".into()), ("comment", "gift".into())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "success": true }));
    assert_eq!(amount(&crm, account).await, 70.0);
    let bad = crm.post(&charge, &[]).await;
    assert_error(&bad, 400, "Errors in the input parameters", &["amount"]);

    let body = operations(&crm, account).await;
    assert_eq!(body["pagination"]["totalCount"], 3);
    let ops = body["bonusOperations"].as_array().unwrap();
    assert_eq!(ops[0]["type"], "charge_manual");
    assert_eq!(ops[0]["amount"], -30.0);
    assert_eq!(ops[0]["comment"], "gift");
    assert_eq!(ops[0]["createdAt"], "2024-01-01 12:00:00");
    assert_eq!(ops[0]["loyaltyAccount"]["id"], account);
    assert_eq!(ops[2]["type"], "credit_manual");
    assert_eq!(ops[2]["bonus"]["activationDate"], "2024-01-01");
    assert!(ops[0].get("_site").is_none());
    let (_, none) = crm
        .get(
            &format!("/v5/loyalty/account/{account}/bonus/operations"),
            "filter[createdAtFrom]=2024-01-02",
        )
        .await;
    assert_eq!(none["pagination"]["totalCount"], 0, "{none}");

    // An inactive participation cannot be charged.
    crm.create(json!({ "externalId": "c-2" })).await;
    let (_, body) = crm
        .post(
            "/v5/loyalty/account/create",
            &[(
                "loyaltyAccount",
                json!({ "customer": { "externalId": "c-2" }, "phoneNumber": "2" }).to_string(),
            )],
        )
        .await;
    let inactive = body["loyaltyAccount"]["id"].as_i64().unwrap();
    credit_now(&crm, inactive, 10.0).await;
    let path = format!("/v5/loyalty/account/{inactive}/bonus/charge");
    let refused = crm.post(&path, &[("amount", "1".into())]).await;
    assert_eq!(refused.0, 400, "{}", refused.1);
}

#[tokio::test]
async fn all_operations_walk_by_cursor() {
    let crm = Crm::new().await;
    let (_, first) = join(&crm, "o-1").await;
    let (_, second) = join(&crm, "o-2").await;
    for n in 1..=21 {
        credit_now(&crm, if n % 2 == 0 { first } else { second }, f64::from(n)).await;
    }
    let (status, page) = crm.get("/v5/loyalty/bonus/operations", "").await;
    assert_eq!(status, 200, "{page}");
    let ops = page["bonusOperations"].as_array().unwrap();
    assert_eq!(ops.len(), 20);
    assert_eq!(ops[0]["amount"], 1.0);
    let cursor = page["pagination"]["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, rest) = crm
        .get("/v5/loyalty/bonus/operations", &format!("cursor={cursor}"))
        .await;
    assert_eq!(rest["bonusOperations"].as_array().unwrap().len(), 1);
    assert_eq!(rest["bonusOperations"][0]["amount"], 21.0);
    assert!(rest["pagination"].get("nextCursor").is_none(), "{rest}");
    let (_, none) = crm
        .get("/v5/loyalty/bonus/operations", "filter[loyalties][]=2")
        .await;
    assert_eq!(none["bonusOperations"], json!([]));
    let bad = crm.get("/v5/loyalty/bonus/operations", "limit=7").await;
    assert_error(&bad, 400, "Errors in the input parameters", &["limit"]);
    let bad = crm.get("/v5/loyalty/bonus/operations", "cursor=x").await;
    assert_error(&bad, 400, "Errors in the input parameters", &["cursor"]);
    // Another account's key sees none of them.
    let other = Crm::new().await;
    let (_, theirs) = other.get("/v5/loyalty/bonus/operations", "").await;
    assert_eq!(theirs["bonusOperations"], json!([]));
}
