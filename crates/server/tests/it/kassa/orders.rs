//! Orders: create (numbered per account, exact totals), read, overwrite, delete, the
//! list's filters and pages, every validation problem, and isolation between accounts.

use reqwest::Method;
use serde_json::{json, Value};

use super::fixtures::{id_of, Seeded};
use super::{assert_error, assert_invalid, ids, Kassa};

/// The seed's create sample with this account's employees.
fn sample(seeded: &Seeded) -> Value {
    json!({
        "positions": [{
            "name": "Кружка Walmer 150 мл. (круглая)",
            "quantity": 1,
            "price": 100,
            "paymentVat": "WITHOUT",
            "paymentObject": "PRODUCT",
            "paymentMethod": "FULL_PREPAYMENT",
            "excisable": false,
            "marks": ["010290000005737121oUbNp4ImG7'3xa.R'X:W91TEST92dGVzdOmMebPKZi7YvQhSZnNuz4pbVmlMw/vkk3TktoA="],
            "agentScheme": {
                "agentSign": "ANOTHER_AGENT",
                "supplier": { "name": "ООО \"ПРИНЦИПАЛ\"", "inn": "7814494697", "phone": "+74993346678" }
            }
        }],
        "createdById": seeded.owner,
        "externalId": "6719516710",
        "taxationSystem": "OSN",
        "client": { "name": "Алексей", "inn": null, "email": "alex@email.com", "phone": "+79034445577" },
        "delivery": {
            "courierId": seeded.cashier,
            "address": "Москва, Петровская ул, 3",
            "dateFrom": "2023-01-01 00:01",
            "dateTo": "2023-01-01 00:02",
            "status": "NEW",
            "comment": "Предварительно звонок за 1 час",
            "prepaid": false
        }
    })
}

/// An order of one position.
fn simple(seeded: &Seeded, external: &str, quantity: Value, price: Value) -> Value {
    json!({
        "positions": [{
            "name": "Чай", "quantity": quantity, "price": price, "paymentVat": "20",
            "paymentObject": "PRODUCT", "paymentMethod": "FULL_PAYMENT"
        }],
        "createdById": seeded.owner,
        "externalId": external,
        "taxationSystem": "USN_INCOME"
    })
}

#[tokio::test]
async fn order_is_created_read_overwritten_and_deleted() {
    let kassa = Kassa::new().await;
    let seeded = Seeded::of(&kassa).await;
    kassa
        .clock(json!({ "action": "freeze", "at": "2023-01-01T09:30:00Z" }))
        .await;
    let (status, created) = kassa.post("/orders", sample(&seeded)).await;
    assert_eq!(status, 201, "{created}");
    let id = id_of(&created);
    let position = &created["positions"][0];
    assert!(position["id"].is_string(), "{created}");
    assert_eq!(
        created,
        json!({
            "id": id,
            "createdById": seeded.owner,
            "externalId": "6719516710",
            "createdAt": "2023-01-01T12:30:00+03:00",
            "number": 1,
            "totalAmount": 100,
            "taxationSystem": "OSN",
            "client": { "name": "Алексей", "inn": null, "phone": "+79034445577", "email": "alex@email.com" },
            "delivery": {
                "courierId": seeded.cashier,
                "address": "Москва, Петровская ул, 3",
                "dateFrom": "2023-01-01T00:01:00+03:00",
                "dateTo": "2023-01-01T00:02:00+03:00",
                "status": "NEW",
                "comment": "Предварительно звонок за 1 час",
                "prepaid": false
            },
            "positions": [{
                "id": position["id"],
                "name": "Кружка Walmer 150 мл. (круглая)",
                "quantity": 1,
                "price": 100,
                "amount": 100,
                "paymentVat": "WITHOUT",
                "paymentObject": "PRODUCT",
                "paymentMethod": "FULL_PREPAYMENT",
                "excisable": false,
                "marks": ["010290000005737121oUbNp4ImG7'3xa.R'X:W91TEST92dGVzdOmMebPKZi7YvQhSZnNuz4pbVmlMw/vkk3TktoA="],
                "agentScheme": {
                    "agentSign": "ANOTHER_AGENT",
                    "paymentAgent": null,
                    "receivePaymentsOperator": null,
                    "transferOperator": null,
                    "supplier": { "counterpartyId": null, "name": "ООО \"ПРИНЦИПАЛ\"", "inn": "7814494697", "phone": "+74993346678" }
                }
            }]
        })
    );
    let (status, read) = kassa.get(&format!("/orders/{id}")).await;
    assert_eq!((status, &read), (200, &created));

    // Numbers follow each other; totals are exact sums of quantity × price.
    let mut exact = simple(&seeded, "A-2", json!(3), json!(0.1));
    exact["positions"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "Сыр", "quantity": 0.333, "price": 100.1, "paymentVat": "10",
                      "paymentObject": "PRODUCT", "paymentMethod": "FULL_PAYMENT", "excisable": true }));
    let (status, second) = kassa.post("/orders", exact).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["number"], 2);
    assert_eq!(second["positions"][0]["amount"], json!(0.3));
    assert_eq!(second["positions"][1]["amount"], json!(33.33));
    assert_eq!(second["positions"][1]["quantity"], json!(0.333));
    assert_eq!(second["totalAmount"], json!(33.63));
    assert_eq!(second["client"], Value::Null);
    assert_eq!(second["delivery"], Value::Null);

    // A full overwrite keeps id, number and creation time; positions are new.
    kassa
        .clock(json!({ "action": "advance", "seconds": 60 }))
        .await;
    let put = kassa
        .call(
            Method::PUT,
            &format!("/orders/{id}"),
            Some(simple(&seeded, "B-1", json!(2), json!(49.99))),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["id"], json!(id));
    assert_eq!(put.body["number"], 1);
    assert_eq!(put.body["createdAt"], "2023-01-01T12:30:00+03:00");
    assert_eq!(put.body["externalId"], "B-1");
    assert_eq!(put.body["totalAmount"], json!(99.98));
    assert_eq!(put.body["client"], Value::Null);
    assert_ne!(put.body["positions"][0]["id"], position["id"]);
    let (_, read) = kassa.get(&format!("/orders/{id}")).await;
    assert_eq!(read, put.body);

    let deleted = kassa
        .call(Method::DELETE, &format!("/orders/{id}"), None)
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(deleted.body, Value::Null);
    let (status, body) = kassa.get(&format!("/orders/{id}")).await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let again = kassa
        .call(Method::DELETE, &format!("/orders/{id}"), None)
        .await;
    assert_error((again.status, &again.body), 404, "NOT_FOUND", &[]);
}

#[tokio::test]
async fn order_body_problems_are_reported_together() {
    let kassa = Kassa::new().await;
    let seeded = Seeded::of(&kassa).await;
    let (status, body) = kassa.post("/orders", json!({})).await;
    assert_invalid(
        (status, &body),
        &[
            "positions: This value should not be blank.",
            "createdById: This value should not be blank.",
            "externalId: This value should not be blank.",
            "taxationSystem: This value should not be blank.",
        ],
    );
    let (status, body) = kassa
        .post(
            "/orders",
            json!({ "positions": [], "createdById": "nope", "externalId": 5, "taxationSystem": "VAT" }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "positions: This collection should contain 1 element or more.",
            "createdById: This is not a valid UUID.",
            "externalId: This value should be of type string.",
            "taxationSystem: The value you selected is not a valid choice.",
        ],
    );
    let mut bad = sample(&seeded);
    bad["createdById"] = json!(seeded.inactive);
    bad["positions"] = json!([
        "x",
        { "name": "", "quantity": 0, "price": -1, "paymentVat": "18", "paymentObject": "THING",
          "paymentMethod": "CASH", "excisable": "no", "marks": [1],
          "agentScheme": { "agentSign": "BROKER", "supplier": { "counterpartyId": "00000000-0000-4000-8000-000000000000", "inn": "12" } } },
        { "name": "Ок", "quantity": "1", "price": 1.005, "paymentVat": "20", "paymentObject": "PRODUCT", "paymentMethod": "CREDIT" }
    ]);
    bad["client"] = json!({ "email": "not-an-email", "inn": "77123" });
    bad["delivery"] = json!({ "courierId": seeded.inactive, "dateFrom": "2023-01-02 10:00", "dateTo": "2023-01-01 10:00", "status": "LOST", "prepaid": 1 });
    let (status, body) = kassa.post("/orders", bad).await;
    assert_invalid((status, &body), &[
            "positions[0]: This value should be of type array.",
            "positions[1].name: This value should not be blank.",
            "positions[1].quantity: This value should be positive.",
            "positions[1].price: This value should be either positive or zero.",
            "positions[1].paymentVat: The value you selected is not a valid choice.",
            "positions[1].paymentObject: The value you selected is not a valid choice.",
            "positions[1].paymentMethod: The value you selected is not a valid choice.",
            "positions[1].excisable: This value should be of type bool.",
            "positions[1].marks[0]: This value should be of type string.",
            "positions[1].agentScheme.agentSign: The value you selected is not a valid choice.",
            "positions[1].agentScheme.supplier.inn: This value is not valid.",
            "positions[2].quantity: This value should be of type float.",
            "positions[2].price: This value is not valid.",
            "client.inn: This value is not valid.",
            "client.email: This value is not a valid email address.",
            "delivery.dateTo: This value should be greater than or equal to dateFrom.",
            "delivery.status: The value you selected is not a valid choice.",
            "delivery.prepaid: This value should be of type bool.",
            "positions[1].agentScheme.supplier.counterpartyId: The referenced object was not found.",
            "createdById: The referenced object was not found.",
            "delivery.courierId: The referenced object was not found.",
        ],
    );
    let not_json = super::answer(
        kassa
            .request(Method::POST, "/orders")
            .header("Content-Type", "application/json")
            .body("{"),
    )
    .await;
    assert_invalid((not_json.status, &not_json.body), &[]);
    // A supplier may name one of the account's counterparties.
    let mut named = sample(&seeded);
    named["positions"][0]["agentScheme"]["supplier"]["counterpartyId"] =
        seeded.counterparties[0]["id"].clone();
    let (status, body) = kassa.post("/orders", named).await;
    assert_eq!(status, 201, "{body}");
    // Nothing was created by the refused bodies: this is order number 1.
    assert_eq!(body["number"], 1);
}

#[tokio::test]
async fn orders_filter_by_id_number_external_id_time_and_total_and_page() {
    let kassa = Kassa::new().await;
    let seeded = Seeded::of(&kassa).await;
    kassa
        .clock(json!({ "action": "freeze", "at": "2023-03-01T07:00:00Z" }))
        .await;
    let mut orders = Vec::new();
    for (external, price) in [("EXT-1", 10), ("EXT-2", 20), ("EXT-3", 30)] {
        let (status, body) = kassa
            .post(
                "/orders",
                simple(&seeded, external, json!(1), json!(price as f64 + 0.5)),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        orders.push(id_of(&body));
        kassa
            .clock(json!({ "action": "advance", "seconds": 3600 }))
            .await;
    }
    let list = |query: &str| {
        let kassa = &kassa;
        let path = format!("/orders?{query}");
        async move {
            let (status, body) = kassa.get(&path).await;
            assert_eq!(status, 200, "{path}: {body}");
            ids(&body)
        }
    };
    assert_eq!(list("").await, orders);
    assert_eq!(
        list(&format!("id={}", orders[1])).await,
        [orders[1].clone()]
    );
    assert_eq!(list("id=3").await, [orders[2].clone()]);
    assert_eq!(list("id=EXT-1").await, [orders[0].clone()]);
    assert_eq!(list("id=EXT").await, Vec::<String>::new());
    // Created at 10:00, 11:00 and 12:00 Moscow time.
    assert_eq!(
        list("createdAtFrom=2023-03-01 11:00:00").await,
        orders[1..].to_vec()
    );
    assert_eq!(
        list("createdAtTo=2023-03-01 11:00:00").await,
        orders[..2].to_vec()
    );
    assert_eq!(
        list("totalAmountFrom=20.5&totalAmountTo=30.499").await,
        [orders[1].clone()]
    );
    assert_eq!(list("totalAmountFrom=20.501").await, [orders[2].clone()]);

    let (status, first) = kassa.get("/orders?limit=2").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(ids(&first), orders[..2].to_vec());
    assert_eq!(first["nextCursor"], json!(orders[2]));
    let (_, rest) = kassa
        .get(&format!("/orders?limit=2&cursor={}", orders[2]))
        .await;
    assert_eq!(ids(&rest), orders[2..].to_vec());
    assert_eq!(rest["nextCursor"], Value::Null);

    let long = "x".repeat(256);
    let (status, body) = kassa
        .get(&format!(
            "/orders?id={long}&createdAtFrom=yesterday&totalAmountTo=lots&limit=0"
        ))
        .await;
    assert_invalid(
        (status, &body),
        &[
            "id: This value is too long. It should have 255 characters or less.",
            "createdAtFrom: This value is not a valid datetime.",
            "totalAmountTo: This value should be of type float.",
            "limit: This value should be between 1 and 50.",
        ],
    );
}

#[tokio::test]
async fn another_accounts_orders_are_not_found() {
    let (mine, theirs) = (Kassa::new().await, Kassa::new().await);
    let seeded = Seeded::of(&theirs).await;
    let (status, body) = theirs.post("/orders", sample(&seeded)).await;
    assert_eq!(status, 201, "{body}");
    let path = format!("/orders/{}", id_of(&body));
    let mine_seeded = Seeded::of(&mine).await;
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(sample(&mine_seeded))),
        (Method::DELETE, None),
    ] {
        let answer = mine.call(method, &path, body).await;
        assert_error((answer.status, &answer.body), 404, "NOT_FOUND", &[]);
    }
    let (status, list) = mine.get("/orders").await;
    assert_eq!((status, ids(&list)), (200, vec![]));
    // Their employee is not ours.
    let (status, body) = mine.post("/orders", sample(&seeded)).await;
    assert_invalid(
        (status, &body),
        &[
            "createdById: The referenced object was not found.",
            "delivery.courierId: The referenced object was not found.",
        ],
    );
    let (status, body) = mine.get("/orders/not-a-uuid").await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let (status, _) = theirs.get(&path).await;
    assert_eq!(status, 200);
}
