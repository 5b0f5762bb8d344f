//! The cash side through HTTP: cashboxes (getCashbox 9.31, the main one and seeded ones),
//! expense and income (setConsumption 13.4 / getConsumption 9.30, their categories and
//! filters) and payments sent for confirmation (getPaymentConfirmation 9.34, seeded).

use serde_json::{json, Value};

use super::payments::world;
use super::{column, item_errors, Sd};

/// The documented operation (13.4), in the main cashbox (`"1"`).
fn documented_consumption() -> Value {
    json!({
        "name": "Transport costs",
        "summa": 500000,
        "date": "2025-06-15 16:00:00",
        "comment": "Delivery",
        "type": "debt",
        "paymentType": { "code_1C": "000000001" },
        "cashbox": { "SD_id": "1" },
    })
}

async fn consumptions(sd: &Sd, filter: Value) -> Value {
    let (status, page) = sd.get("getConsumption", json!({ "filter": filter })).await;
    assert_eq!(status, 200, "{page}");
    page
}

#[tokio::test]
async fn a_filial_starts_with_a_main_cashbox_and_lists_the_seeded_ones() {
    let sd = Sd::new().await;
    let (status, page) = sd.get("getCashbox", json!({})).await;
    assert_eq!(status, 200, "{page}");
    let main = &page["result"]["cashbox"][0];
    assert_eq!(
        (
            &main["CS_id"],
            &main["SD_id"],
            &main["code_1C"],
            &main["name"],
            &main["active"]
        ),
        (
            &json!("1"),
            &json!("1"),
            &Value::Null,
            &json!("Main cashbox"),
            &json!(true)
        )
    );
    assert!(main["created_at"].is_string(), "{page}");
    let seeded = json!([{ "code_1C": "KASSA2", "name": "Card terminal", "active": "N" }]);
    let (status, body) = sd.seed("cashbox", None, seeded).await;
    assert_eq!(status, 200, "{body}");
    let page = sd.get("getCashbox", json!({})).await.1;
    assert_eq!(
        column(&page["result"]["cashbox"], "SD_id"),
        [&json!("1"), &json!("2")]
    );
    assert_eq!(page["result"]["cashbox"][1]["active"], false);
    // A filial has its own.
    sd.filials(json!([{ "filial_id": "1", "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let (_, page) = sd
        .call(json!({ "method": "getCashbox", "filial": { "filial_id": "1" } }))
        .await;
    assert_eq!(
        column(&page["result"]["cashbox"], "CS_id"),
        [&json!("F1-3")]
    );
}

#[tokio::test]
async fn consumption_is_filed_under_its_category_and_filtered() {
    let sd = Sd::new().await;
    world(&sd).await;
    let categories = json!([
        { "code_1C": "ADM001", "name": "Administrative expenses" },
        { "code_1C": "KAN001", "name": "Office supplies", "parent": { "code_1C": "ADM001" } },
    ]);
    let (status, body) = sd.seed("consumptionCategory", None, categories).await;
    assert_eq!(status, 200, "{body}");
    let records = json!([
        documented_consumption(),
        { "code_1C": "CON2", "name": "Office supplies", "summa": "120.5", "type": "income",
          "paymentType": { "code_1C": "USD" }, "cashbox": { "SD_id": "1" } },
        { "name": "Nothing", "summa": 0, "paymentType": { "code_1C": "000000001" },
          "cashbox": { "SD_id": "9" } },
        { "summa": 5, "paymentType": { "code_1C": "000000001" } },
    ]);
    let (status, body) = sd.set("setConsumption", "consumption", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 2, "{body}");
    assert_eq!(
        item_errors(&body, "consumption"),
        [
            json!([
                "summa must be greater than zero",
                "cashbox: cashbox not found"
            ]),
            json!(["name is required", "cashbox is required"]),
        ]
    );
    let page = consumptions(&sd, json!({})).await;
    let items = &page["result"]["consumption"];
    let first = &items[0];
    assert_eq!(first["summa"], 500000);
    assert_eq!(first["date"], "2025-06-15");
    assert_eq!(first["type"], "expense");
    assert_eq!(first["comment"], "Delivery");
    assert_eq!(first["cashbox"]["name"], "Main cashbox");
    assert_eq!(first["paymentType"]["code_1C"], "000000001");
    assert_eq!(first["category_parent"]["name"], "Integration consumption");
    assert_eq!(first["category_child"]["name"], "Transport costs");
    let second = &items[1];
    assert_eq!(
        (&second["type"], &second["summa"]),
        (&json!("income"), &json!(120.5))
    );
    assert_eq!(second["category_parent"]["code_1C"], "ADM001");
    assert_eq!(second["category_child"]["code_1C"], "KAN001");
    // The same category name again: no new category.
    let again = json!([{ "name": "Transport costs", "summa": 1, "paymentType": { "code_1C": "USD" },
        "cashbox": { "SD_id": "1" } }]);
    assert_eq!(sd.set("setConsumption", "consumption", again).await.0, 200);
    let page = consumptions(&sd, json!({})).await;
    assert_eq!(
        page["result"]["consumption"][2]["category_child"]["SD_id"],
        first["category_child"]["SD_id"]
    );
    // Updated by its code.
    let update = json!([{ "code_1C": "CON2", "name": "Office supplies", "summa": 99, "type": "income",
        "paymentType": { "code_1C": "USD" }, "cashbox": { "SD_id": "1" } }]);
    assert_eq!(sd.set("setConsumption", "consumption", update).await.0, 200);
    let filtered = |filter: Value| {
        let sd = &sd;
        async move {
            column(
                &consumptions(sd, filter).await["result"]["consumption"],
                "summa",
            )
            .into_iter()
            .cloned()
            .collect::<Vec<Value>>()
        }
    };
    assert_eq!(
        filtered(json!({})).await,
        [json!(500000), json!(99), json!(1)]
    );
    assert_eq!(filtered(json!({ "type": "income" })).await, [json!(99)]);
    assert_eq!(
        filtered(json!({ "type": "expense", "include": "sd" })).await,
        [json!(500000), json!(1)]
    );
    assert_eq!(filtered(json!({ "include": "1c" })).await, [json!(99)]);
    let usd = json!({ "paymentType": { "code_1C": "USD" } });
    assert_eq!(filtered(usd).await, [json!(99), json!(1)]);
    let combined =
        json!({ "type": "expense", "include": "all", "paymentType": { "SD_id": "d0_1" } });
    assert_eq!(filtered(combined).await, [json!(500000)]);
    assert!(filtered(json!({ "paymentType": { "code_1C": "none" } }))
        .await
        .is_empty());
    let (status, _) = sd
        .get("getConsumption", json!({ "filter": { "type": "debt" } }))
        .await;
    assert_eq!(status, 400);
    // Consumption leaves client balances alone.
    assert!(super::payments::balances(&sd).await.is_empty());
}

#[tokio::test]
async fn payment_confirmations_are_seeded_and_listed() {
    let sd = Sd::new().await;
    world(&sd).await;
    let records = json!([
        { "client": { "code_1C": "000000100" }, "payment_type": { "code_1C": "000000001" },
          "amount": 5000000, "date": "2025-06-15 14:30:00", "comment": "Payment on delivery",
          "confirmed": true },
        { "client": { "code_1C": "000000100" }, "payment_type": { "code_1C": "000000001" },
          "amount": 10, "order": { "SD_id": "d0_300" } },
    ]);
    let path = "payment-confirmations";
    let (status, body) = sd.seed_at(path, None, records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "paymentConfirmation"),
        [json!(["order: order not found"])]
    );
    let (status, page) = sd.get("getPaymentConfirmation", json!({})).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["pagination"]["total"], 1);
    let shown = &page["result"]["paymentConfirmation"][0];
    assert_eq!(shown["client"]["name"], "000000100");
    assert_eq!(shown["client"]["code_1C"], "000000100");
    assert_eq!(shown["order"], json!({ "CS_id": null, "SD_id": null }));
    assert_eq!(shown["payment_type"]["SD_id"], "d0_1");
    assert_eq!(shown["amount"], 5000000);
    assert_eq!(shown["date"], "2025-06-15 14:30:00");
    assert_eq!(shown["confirmed"], true);
    assert!(super::payments::balances(&sd).await.is_empty());
}
