//! Suppliers (getShipper 9.33), equipment at clients (getInventory 9.32), both seeded in
//! admin, and van-sale exchanges (setVsExchange 11.5, getVsExchange 9.45) end to end:
//! the documented examples, a refused record among good ones, an edit, prices from the
//! price list, and stock after each exchange equal to the sum of the documents.

use serde_json::{json, Value};

use super::stock_documents::{documented_purchase, stock, world};
use super::{item_errors, Sd};

#[tokio::test]
async fn suppliers_come_from_purchases_and_admin_seeding() {
    let sd = Sd::new().await;
    world(&sd).await;
    let seeded = json!([{ "code_1C": "SHIP002", "name": "Supplier LLC",
        "phone_number": "+998901112233", "address": "50 Navoi St" }, { "code_1C": "X" }]);
    let (status, body) = sd.seed("shipper", None, seeded).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "shipper"),
        vec![json!(["name is required"])]
    );
    let (status, body) = sd
        .set("setPurchase", "purchase", json!([documented_purchase()]))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, page) = sd.get("getShipper", json!({})).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["pagination"]["total"], 2, "{page}");
    assert_eq!(
        page["result"]["shipper"],
        json!([
            { "CS_id": "1", "SD_id": "1", "code_1C": "SHIP002", "name": "Supplier LLC",
              "phone_number": "+998901112233", "address": "50 Navoi St", "active": true },
            { "CS_id": "2", "SD_id": "2", "code_1C": "SHIP001", "name": "SHIP001",
              "phone_number": null, "address": null, "active": true },
        ])
    );
}

#[tokio::test]
async fn equipment_is_seeded_with_its_links_and_filtered_by_placement() {
    let sd = Sd::new().await;
    let agent = json!([{ "code_1C": "000000003", "name": "Ivan Ivanov" }]);
    assert_eq!(sd.set("setAgent", "agent", agent).await.0, 200);
    let city = json!([{ "code_1C": "000000001", "name": "Chilanzar" }]);
    assert_eq!(sd.set("setTerritory", "city", city).await.0, 200);
    let fridge = json!({ "code_1C": "INV001", "name": "Samsung refrigerator",
        "model": "RT35K5440S8", "serial_no": "SN123456", "inventory_no": "INV-001",
        "production_date": "2023-01-15", "from_date": "2025-03-01", "state": "good",
        "type": { "code_1C": "FRIDGE", "name": "Refrigerator" },
        "agents": [{ "code_1C": "000000003" }], "city": { "code_1C": "000000001" } });
    let refused = json!({ "name": "Shelf", "from_date": "someday",
        "client": { "code_1C": "000000100" }, "agents": [{ "code_1C": "nobody" }] });
    let shelf = json!({ "name": "Shelf", "from_date": "2024-12-31 10:00:00" });
    let (status, body) = sd
        .seed("inventory", None, json!([fridge, refused, shelf]))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        item_errors(&body, "inventory"),
        vec![json!(["client not found"])]
    );
    let (status, page) = sd.get("getInventory", json!({})).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["pagination"]["total"], 2, "{page}");
    let first = &page["result"]["inventory"][0];
    assert_eq!(
        *first,
        json!({ "SD_id": "d0_1", "code_1C": "INV001", "name": "Samsung refrigerator",
            "model": "RT35K5440S8", "serial_no": "SN123456", "inventory_no": "INV-001",
            "production_date": "2023-01-15", "from_date": "2025-03-01", "to_date": null,
            "state": "good", "comment": null,
            "type": { "SD_id": "d0_1", "name": "Refrigerator", "code_1C": "FRIDGE" },
            "agents": [{ "SD_id": "d0_1", "name": "Ivan Ivanov", "code_1C": "000000003" }],
            "client": { "SD_id": null, "name": null, "code_1C": null },
            "city": { "SD_id": "d0_1", "name": "Chilanzar", "code_1C": "000000001" } })
    );
    assert_eq!(page["result"]["inventory"][1]["from_date"], "2024-12-31");
    let in_2025 =
        json!({ "filter": { "period": { "date": { "from": "2025-03-01", "to": "2025-12-31" } } } });
    let (_, page) = sd.get("getInventory", in_2025).await;
    assert_eq!(page["pagination"]["total"], 1, "{page}");
    assert_eq!(page["result"]["inventory"][0]["code_1C"], "INV001");
}

/// The documented exchange: 20 of `000000015` and 10 of `000000016` from `WH001` to the
/// agent `000000003`'s van.
fn documented_exchange() -> Value {
    json!({
        "date": "2025-06-15 08:00:00", "comment": "Product exchange",
        "priceType": { "code_1C": "000000001" }, "store": { "code_1C": "WH001" },
        "agent": { "code_1C": "000000003" },
        "products": [
            { "code_1C": "000000015", "quantity": 20 },
            { "code_1C": "000000016", "quantity": 10 },
        ],
    })
}

#[tokio::test]
async fn van_sale_exchanges_move_stock_to_the_agents_van_at_listed_prices() {
    let sd = Sd::new().await;
    world(&sd).await;
    let (status, body) = sd
        .set("setPurchase", "purchase", json!([documented_purchase()]))
        .await;
    assert_eq!(status, 200, "{body}");
    let agents =
        json!([{ "code_1C": "000000003", "name": "Ivan" }, { "code_1C": "A2", "name": "Oleg" }]);
    assert_eq!(sd.set("setAgent", "agent", agents).await.0, 200);
    let van =
        json!([{ "code_1C": "VAN1", "name": "Ivan's van", "agent": { "code_1C": "000000003" } }]);
    let (status, body) = sd.seed("vanWarehouse", None, van).await;
    assert_eq!(status, 200, "{body}");
    let price = json!([{ "code_1C": "000000015", "priceType": { "code_1C": "000000001", "price": 15000 } }]);
    assert_eq!(sd.set("setPrice", "product", price).await.0, 200);
    let mut no_van = documented_exchange();
    no_van["agent"] = json!({ "code_1C": "A2" });
    let mut too_many = documented_exchange();
    too_many["products"] = json!([{ "code_1C": "000000016", "quantity": 41, "price": 1 }]);
    let mut exchange = documented_exchange();
    exchange["code_1C"] = json!("VSE000001");
    let (status, body) = sd
        .set(
            "setVsExchange",
            "vsExchange",
            json!([exchange, no_van, too_many]),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1, "{body}");
    let errors = item_errors(&body, "vsExchange");
    assert_eq!(
        errors[0],
        json!(["The agent is not a van seller (VanSelling): no van warehouse"])
    );
    assert!(
        errors[1][0]
            .as_str()
            .unwrap()
            .starts_with("Not enough stock"),
        "{body}"
    );
    let expected = |main_15: f64, main_16: f64, van_15: f64, van_16: f64| {
        vec![
            ("VAN1".to_owned(), "000000015".to_owned(), van_15),
            ("VAN1".into(), "000000016".into(), van_16),
            ("WH001".into(), "000000015".into(), main_15),
            ("WH001".into(), "000000016".into(), main_16),
        ]
    };
    let mut cells = stock(&sd).await;
    cells.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(cells, expected(80.0, 40.0, 20.0, 10.0));
    let filter = json!({ "filter": { "include": "all", "period": { "date": { "from": "2025-06-01", "to": "2025-06-30" } } } });
    let (status, page) = sd.get("getVsExchange", filter).await;
    assert_eq!(status, 200, "{page}");
    let shown = &page["result"]["vsExchange"][0];
    assert_eq!(
        (
            &shown["total_count"],
            &shown["total_summa"],
            &shown["date_load"]
        ),
        (&json!(30), &json!(300000), &json!("2025-06-15"))
    );
    assert_eq!(shown["to_store"]["code_1C"], "VAN1");
    assert_eq!(shown["agent"]["code_1C"], "000000003");
    assert_eq!(shown["price_type"]["code_1C"], "000000001");
    assert_eq!(
        shown["detail"],
        json!([
            { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000015", "quantity": 20, "price": 15000, "summa": 300000 },
            { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "000000016", "quantity": 10, "price": 0, "summa": 0 },
        ])
    );
    // getMovement lists it as a van-sale transfer, not a regular one.
    let (_, vansel) = sd
        .get("getMovement", json!({ "filter": { "type": "vansel" } }))
        .await;
    assert_eq!(vansel["pagination"]["total"], 1, "{vansel}");
    let (_, regular) = sd.get("getMovement", json!({})).await;
    assert_eq!(regular["pagination"]["total"], 0, "{regular}");
    // An edit replaces its lines.
    let mut edit = documented_exchange();
    edit["code_1C"] = json!("VSE000001");
    edit["products"] = json!([{ "code_1C": "000000015", "quantity": 5 }]);
    let (status, body) = sd.set("setVsExchange", "vsExchange", json!([edit])).await;
    assert_eq!(status, 200, "{body}");
    let mut cells = stock(&sd).await;
    cells.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut after = expected(95.0, 50.0, 5.0, 0.0);
    after.remove(1);
    assert_eq!(cells, after);
}
