//! `operations`: create (every documented check), get, list with each filter and cursor
//! pages, retry and the cash-movement edit, through HTTP.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use super::{assert_error, assert_invalid, assert_keys, ids, Kassa};

/// A fresh account and the ids of what it is seeded with.
pub struct Shop {
    pub kassa: Kassa,
    /// Two active cash registers and the switched-off one.
    pub cashbox: String,
    pub second: String,
    pub off: String,
    pub owner: String,
    /// Active, with access to `cashbox` only.
    pub cashier: String,
    pub inactive: String,
    /// Categories: both ways, OUT only, IN only.
    pub both: String,
    pub out_only: String,
    pub in_only: String,
}

fn item_ids(body: &Value) -> Vec<String> {
    ids(body)
}

impl Shop {
    pub async fn new() -> Self {
        Self::of(Kassa::new().await).await
    }

    /// The shop of `kassa`'s account.
    pub async fn of(kassa: Kassa) -> Self {
        let (_, cashboxes) = kassa.get("/cashboxes").await;
        let (_, employees) = kassa.get("/employees").await;
        let (_, categories) = kassa.get("/cash-movement-categories").await;
        let [cashbox, second, off] = <[String; 3]>::try_from(item_ids(&cashboxes)).unwrap();
        let [owner, cashier, inactive] = <[String; 3]>::try_from(item_ids(&employees)).unwrap();
        let [both, out_only, in_only] = <[String; 3]>::try_from(item_ids(&categories)).unwrap();
        Self {
            kassa,
            cashbox,
            second,
            off,
            owner,
            cashier,
            inactive,
            both,
            out_only,
            in_only,
        }
    }

    /// Creates an operation on the first cash register by the owner.
    pub async fn create(&self, kind: &str, details: Value) -> (u16, Value) {
        self.create_on(&self.cashbox, kind, details).await
    }

    pub async fn create_on(&self, cashbox: &str, kind: &str, details: Value) -> (u16, Value) {
        self.kassa
            .post(
                "/operations",
                json!({ "operationType": kind, "cashboxId": cashbox, "createdById": self.owner, "details": details }),
            )
            .await
    }

    /// Creates an operation and waits until the device settles it.
    pub async fn run(&self, kind: &str, details: Value) -> Value {
        let (status, created) = self.create(kind, details).await;
        assert_eq!(status, 201, "{created}");
        self.settled(created["id"].as_str().unwrap()).await
    }

    /// Polls the operation until it is `COMPLETE` or `FAIL`.
    pub async fn settled(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, body) = self.kassa.get(&format!("/operations/{id}")).await;
            assert_eq!(status, 200, "{body}");
            if body["status"] == "COMPLETE" || body["status"] == "FAIL" {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "operation did not settle: {body}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sets the cash register's injected failures through admin.
    pub async fn device(&self, cashbox: &str, state: Value) -> Value {
        let response = self
            .kassa
            .app
            .admin(
                Method::PUT,
                &format!(
                    "/accounts/{}/kassa/cashboxes/{cashbox}/device",
                    self.kassa.account
                ),
            )
            .json(&state)
            .send()
            .await
            .expect("device");
        assert_eq!(response.status(), 200);
        response.json().await.expect("device state")
    }

    pub async fn cash_balance(&self) -> Value {
        let (_, body) = self
            .kassa
            .get(&format!("/cashboxes/{}", self.cashbox))
            .await;
        body["cashBalance"].clone()
    }
}

pub fn position(name: &str, quantity: f64, price: f64) -> Value {
    json!({
        "name": name, "quantity": quantity, "price": price,
        "paymentVat": "WITHOUT", "paymentObject": "PRODUCT", "paymentMethod": "FULL_PAYMENT"
    })
}

pub fn sell(positions: Vec<Value>, payments: &[(i64, f64)]) -> Value {
    let payments: Vec<Value> = payments
        .iter()
        .map(|(id, amount)| json!({ "id": id, "amount": amount }))
        .collect();
    json!({ "taxationSystem": "OSN", "positions": positions, "paymentSolutions": payments })
}

#[tokio::test]
async fn create_answers_the_draft_as_the_sample() {
    let shop = Shop::new().await;
    let (status, body) = shop.create("X_REPORT", json!(null)).await;
    assert_eq!(status, 201, "{body}");
    assert_keys(
        &body,
        &[
            "id",
            "number",
            "createdAt",
            "operationType",
            "status",
            "message",
            "cashboxId",
            "createdById",
            "details",
        ],
    );
    assert_eq!(body["number"], 1);
    assert_eq!(body["status"], "DRAFT");
    assert_eq!(body["message"], Value::Null);
    assert_eq!(body["cashboxId"], shop.cashbox.as_str());
    assert_eq!(body["createdById"], shop.owner.as_str());
    assert_eq!(body["details"], json!({ "cashBalance": 0 }));
    assert!(body["createdAt"].as_str().unwrap().ends_with("+03:00"));
    let (_, second) = shop.create("KKT_INFO", json!({})).await;
    assert_eq!(second["number"], 2);
    let (status, got) = shop
        .kassa
        .get(&format!("/operations/{}", body["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(got["id"], body["id"]);
    assert_eq!(got["number"], 1);
}

#[tokio::test]
async fn create_reports_every_problem_of_the_request() {
    let shop = Shop::new().await;
    let (status, body) = shop.kassa.post("/operations", json!({})).await;
    assert_invalid(
        (status, &body),
        &[
            "operationType: This value should not be blank.",
            "cashboxId: This value should not be blank.",
            "createdById: This value should not be blank.",
        ],
    );
    let (status, body) = shop
        .kassa
        .post(
            "/operations",
            json!({ "operationType": "Z_REPORT", "cashboxId": "nope", "createdById": "6f1a3c1e-0000-4000-8000-000000000000" }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "operationType: The value you selected is not a valid choice.",
            "cashboxId: This is not a valid UUID.",
            "createdById: The referenced object was not found.",
        ],
    );
    let post = |cashbox: &str, employee: &str| json!({ "operationType": "X_REPORT", "cashboxId": cashbox, "createdById": employee });
    let (status, body) = shop
        .kassa
        .post("/operations", post(&shop.off, &shop.inactive))
        .await;
    assert_invalid(
        (status, &body),
        &[
            "cashboxId: The cash register is not active.",
            "createdById: The employee is not active.",
        ],
    );
    let (status, body) = shop
        .kassa
        .post("/operations", post(&shop.second, &shop.cashier))
        .await;
    assert_invalid(
        (status, &body),
        &["createdById: The employee has no access to this cash register."],
    );
    let (status, _) = shop
        .kassa
        .post("/operations", post(&shop.cashbox, &shop.cashier))
        .await;
    assert_eq!(status, 201);
    let unknown = "6f1a3c1e-0000-4000-8000-000000000001";
    let (status, body) = shop
        .kassa
        .post("/operations", post(unknown, &shop.owner))
        .await;
    assert_invalid(
        (status, &body),
        &["cashboxId: The referenced object was not found."],
    );
    let (status, body) = shop.kassa.post("/operations", json!([1])).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn receipts_are_checked_before_the_device_sees_them() {
    let shop = Shop::new().await;
    let (status, body) = shop.create("SELL", json!({})).await;
    assert_invalid(
        (status, &body),
        &[
            "details.taxationSystem: This value should not be blank.",
            "details.positions: This value should not be blank.",
            "details.paymentSolutions: This value should not be blank.",
        ],
    );
    let details = json!({
        "taxationSystem": "ESN",
        "actionType": "UNDO",
        "positions": [
            { "name": "", "quantity": 0, "price": -1, "paymentVat": "VAT_20", "paymentObject": "THING", "paymentMethod": "CASH" },
            "text"
        ],
        "paymentSolutions": [{ "id": 5, "amount": 10 }, { "amount": 0 }]
    });
    let (status, body) = shop.create("SELL", details).await;
    assert_invalid(
        (status, &body),
        &[
            "details.actionType: The value you selected is not a valid choice.",
            "details.taxationSystem: The taxation system is not available on this cash register.",
            "details.positions[1]: This value should be of type array.",
            "details.positions[0].name: This value should not be blank.",
            "details.positions[0].quantity: This value should be positive.",
            "details.positions[0].price: This value should be either positive or zero.",
            "details.positions[0].paymentVat: The value you selected is not a valid choice.",
            "details.positions[0].paymentObject: The value you selected is not a valid choice.",
            "details.positions[0].paymentMethod: The value you selected is not a valid choice.",
            "details.paymentSolutions[0].id: The value you selected is not a valid choice.",
            "details.paymentSolutions[1].id: This value should not be blank.",
            "details.paymentSolutions[1].amount: This value should be positive.",
        ],
    );
    let (status, body) = shop
        .create(
            "SELL",
            sell(vec![position("Чай", 2.0, 50.0)], &[(1, 60.0), (8, 30.0)]),
        )
        .await;
    assert_invalid(
        (status, &body),
        &["details.paymentSolutions: The payments do not add up to the receipt total."],
    );
    let mut with_order = sell(vec![], &[(1, 100.0)]);
    with_order["orderId"] = json!("6f1a3c1e-0000-4000-8000-000000000002");
    with_order.as_object_mut().unwrap().remove("positions");
    let (status, body) = shop.create("SELL", with_order).await;
    assert_invalid(
        (status, &body),
        &["details.orderId: The referenced object was not found."],
    );
    let (status, body) = shop
        .create("SELL_RETURN", json!({ "returnOrderPositions": [{ "positionId": "6f1a3c1e-0000-4000-8000-000000000003", "quantity": 1 }] }))
        .await;
    assert_invalid(
        (status, &body),
        &["details.returnOrderPositions[0].positionId: The referenced object was not found."],
    );
    let (status, created) = shop
        .create(
            "SELL",
            sell(vec![position("Чай", 0.5, 99.99)], &[(1, 50.0)]),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["details"]["positions"][0]["name"], "Чай");
}

#[tokio::test]
async fn other_types_check_their_details() {
    let shop = Shop::new().await;
    let cases = [
        (
            "CASH_IN",
            json!({ "amount": -5, "comment": "x".repeat(256), "cashMovementCategoryId": shop.out_only }),
            vec![
                "details.amount: This value should be positive.",
                "details.cashMovementCategoryId: The category is not for this cash movement.",
                "details.comment: This value is too long. It should have 255 characters or less.",
            ],
        ),
        (
            "CASH_OUT",
            json!({}),
            vec!["details.amount: This value should not be blank."],
        ),
        (
            "CORRECTION_SELL",
            json!({ "correctionType": "INSTRUCTION", "invalidReceiptFiscalSign": "12ab" }),
            vec![
                "details.foundationDocDate: This value should not be blank.",
                "details.foundationDocNumber: This value should not be blank.",
                "details.invalidReceiptFiscalSign: This value is not valid.",
            ],
        ),
        (
            "COPY_RECEIPT",
            json!({ "fdNumber": "x" }),
            vec!["details.fdNumber: This value is not valid."],
        ),
        (
            "PRINT_SLIP",
            json!({ "slipItems": [{ "type": "TEXT" }] }),
            vec!["details.slipItems[0].content: This value should not be blank."],
        ),
        (
            "SET_DATETIME",
            json!({ "dateTime": "tomorrow" }),
            vec!["details.dateTime: This value is not a valid datetime."],
        ),
        (
            "SHIFT_CLOSE",
            json!({ "onlyCashbox": "yes" }),
            vec!["details.onlyCashbox: This value should be of type bool."],
        ),
        (
            "ACQUIRING_REPORT",
            json!({}),
            vec!["details.acquiringReportType: This value should not be blank."],
        ),
    ];
    for (kind, details, lines) in cases {
        let (status, body) = shop.create(kind, details).await;
        assert_invalid((status, &body), &lines);
    }
    let (status, body) = shop
        .create(
            "CASH_IN",
            json!({ "amount": 12.5, "cashMovementCategoryId": shop.in_only, "comment": "Размен" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["details"],
        json!({ "cashMovementCategoryId": shop.in_only, "comment": "Размен", "amount": 12.5 })
    );
}

#[tokio::test]
async fn subscription_token_and_ids() {
    let shop = Shop::new().await;
    let (_, created) = shop.create("X_REPORT", json!({})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    shop.kassa.settings(json!({ "subscription": false })).await;
    let (status, body) = shop.create("X_REPORT", json!({})).await;
    assert_error((status, &body), 402, "PAYMENT_REQUIRED", &[]);
    let (status, body) = shop
        .kassa
        .post(&format!("/operations/{id}/retry"), json!({}))
        .await;
    assert_error((status, &body), 402, "PAYMENT_REQUIRED", &[]);
    let (status, _) = shop.kassa.get(&format!("/operations/{id}")).await;
    assert_eq!(status, 200, "reading needs no subscription");
    shop.kassa.settings(json!({ "subscription": true })).await;
    let answer = super::answer(
        shop.kassa
            .app
            .client
            .get(shop.kassa.app.url(&format!("{}/operations", super::ROOT)))
            .header("X-APP-ID", &shop.kassa.app_id)
            .header("X-APP-SECRET", &shop.kassa.app_secret)
            .header("X-CLIENT-TOKEN", "wrong"),
    )
    .await;
    assert_eq!(answer.status, 403);
    for path in [
        "/operations/not-a-uuid".to_owned(),
        "/operations/6f1a3c1e-0000-4000-8000-000000000009".to_owned(),
    ] {
        let (status, body) = shop.kassa.get(&path).await;
        assert_error((status, &body), 404, "NOT_FOUND", &[]);
    }
    let other = Shop::new().await;
    let (status, _) = other.kassa.get(&format!("/operations/{id}")).await;
    assert_eq!(status, 404, "another account's operation");
}

#[tokio::test]
async fn list_filters_and_pages() {
    let shop = Shop::new().await;
    let opened = shop.run("SHIFT_OPEN", json!({})).await;
    let cash = shop
        .run(
            "CASH_IN",
            json!({ "amount": 100, "cashMovementCategoryId": shop.both }),
        )
        .await;
    let failed = shop.run("SHIFT_OPEN", json!({})).await;
    assert_eq!(failed["status"], "FAIL");
    let (_, other_box) = shop.create_on(&shop.second, "KKT_INFO", json!({})).await;
    let (_, by_cashier) = shop
        .kassa
        .post(
            "/operations",
            json!({ "operationType": "X_REPORT", "cashboxId": shop.cashbox, "createdById": shop.cashier }),
        )
        .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let list = |query: String| {
        let kassa = &shop.kassa;
        async move {
            let (status, body) = kassa.get(&format!("/operations?{query}")).await;
            assert_eq!(status, 200, "{query}: {body}");
            ids(&body)
        }
    };
    assert_eq!(list("status=FAIL".into()).await, [id(&failed)]);
    assert_eq!(list("operationType=CASH_IN".into()).await, [id(&cash)]);
    assert_eq!(
        list(format!("cashboxId={}", shop.second)).await,
        [id(&other_box)]
    );
    assert_eq!(
        list(format!("createdById={}", shop.cashier)).await,
        [id(&by_cashier)]
    );
    assert_eq!(
        list(format!("cashMovementCategoryId={}", shop.both)).await,
        [id(&cash)]
    );
    assert_eq!(
        list(format!("orderId={}", shop.both)).await,
        Vec::<String>::new()
    );
    assert_eq!(
        list(format!(
            "operationIds[]={}&operationIds[]={}",
            id(&opened),
            id(&cash)
        ))
        .await,
        [id(&opened), id(&cash)]
    );
    assert_eq!(
        list("createdAtFrom=2000-01-01 00:00:00".into()).await.len(),
        5
    );
    assert_eq!(
        list("createdAtTo=2000-01-01 00:00:00".into()).await.len(),
        0
    );
    let (status, body) = shop
        .kassa
        .get("/operations?status=DONE&operationType=Z&cashboxId=x&createdAtFrom=yesterday&operationIds[]=1&limit=51")
        .await;
    assert_invalid(
        (status, &body),
        &[
            "status: The value you selected is not a valid choice.",
            "operationType: The value you selected is not a valid choice.",
            "cashboxId: This is not a valid UUID.",
            "createdAtFrom: This value is not a valid datetime.",
            "operationIds[0]: This is not a valid UUID.",
            "limit: This value should be between 1 and 50.",
        ],
    );
    let (_, first) = shop.kassa.get("/operations?limit=2").await;
    assert_eq!(ids(&first), [id(&opened), id(&cash)]);
    let next = first["nextCursor"].as_str().unwrap().to_owned();
    assert_eq!(next, id(&failed));
    let (_, second) = shop
        .kassa
        .get(&format!("/operations?limit=2&cursor={next}"))
        .await;
    assert_eq!(ids(&second), [id(&failed), id(&other_box)]);
    let (_, last) = shop
        .kassa
        .get(&format!(
            "/operations?limit=2&cursor={}",
            second["nextCursor"].as_str().unwrap()
        ))
        .await;
    assert_eq!(ids(&last), [id(&by_cashier)]);
    assert_eq!(last["nextCursor"], Value::Null);
}

#[tokio::test]
async fn retry_takes_only_failed_operations() {
    let shop = Shop::new().await;
    let done = shop.run("KKT_INFO", json!({})).await;
    let (status, body) = shop
        .kassa
        .post(
            &format!("/operations/{}/retry", done["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_invalid(
        (status, &body),
        &["id: Only an operation in status FAIL can be retried."],
    );
    let (status, _) = shop
        .kassa
        .post(
            "/operations/6f1a3c1e-0000-4000-8000-000000000009/retry",
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn cash_movement_edit() {
    let shop = Shop::new().await;
    let (_, cash) = shop.create("CASH_OUT", json!({ "amount": 5 })).await;
    let path = format!("/operations/cash-movement/{}", cash["id"].as_str().unwrap());
    let patch = |body: Value| shop.kassa.call(Method::PATCH, &path, Some(body));
    let answer =
        patch(json!({ "cashMovementCategoryId": shop.out_only, "comment": "Инкассация" })).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.body["details"]["cashMovementCategoryId"],
        shop.out_only.as_str()
    );
    assert_eq!(answer.body["details"]["comment"], "Инкассация");
    assert_eq!(answer.body["details"]["amount"], 5);
    let answer = patch(json!({ "cashMovementCategoryId": null, "comment": null })).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body["details"]["cashMovementCategoryId"],
        Value::Null
    );
    assert_eq!(answer.body["details"]["comment"], Value::Null);
    let answer =
        patch(json!({ "cashMovementCategoryId": shop.in_only, "comment": "x".repeat(256) })).await;
    assert_invalid(
        (answer.status, &answer.body),
        &[
            "cashMovementCategoryId: The category is not for this cash movement.",
            "comment: This value is too long. It should have 255 characters or less.",
        ],
    );
    let answer =
        patch(json!({ "cashMovementCategoryId": "6f1a3c1e-0000-4000-8000-000000000009" })).await;
    assert_invalid(
        (answer.status, &answer.body),
        &["cashMovementCategoryId: The referenced object was not found."],
    );
    let (_, report) = shop.create("X_REPORT", json!({})).await;
    let answer = shop
        .kassa
        .call(
            Method::PATCH,
            &format!(
                "/operations/cash-movement/{}",
                report["id"].as_str().unwrap()
            ),
            Some(json!({ "comment": "x" })),
        )
        .await;
    assert_invalid(
        (answer.status, &answer.body),
        &["id: Only CASH_IN and CASH_OUT operations can be edited."],
    );
    let answer = shop
        .kassa
        .call(
            Method::PATCH,
            "/operations/cash-movement/6f1a3c1e-0000-4000-8000-000000000009",
            Some(json!({})),
        )
        .await;
    assert_eq!(answer.status, 404);
}
