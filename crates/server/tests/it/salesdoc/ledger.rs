//! The stock ledger as a property: random inventories (`setStock`, 11.2), purchases
//! (`setPurchase`, 11.3), transfers (`setMovement`, 11.4), van-sale exchanges
//! (`setVsExchange`, 11.5) and moves to another filial (`setMovingToFilial`, 11.6; see
//! `ledger_moves`) on several warehouses of two filials and several products, driven by a fixed-seed generator on a frozen clock that moves between
//! documents, after which `getStock` equals the model and the sum of every document's
//! lines (`getStoreLog`), `getStockForDate` at each past moment equals the model as it
//! was then (the prefix of the documents), and nothing is ever negative: a transfer the
//! source cannot cover is refused whole, in either filial.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::ledger_moves::{self, home, InFilial, Stock, AWAY, AWAY_STORE};
use super::{Rng, Sd};

const WAREHOUSES: [&str; 3] = ["WH-A", "WH-B", "WH-C"];
const PRODUCTS: [&str; 4] = ["P-1", "P-2", "P-3", "P-4"];
const STEPS: u64 = 45;
/// The first document's moment: 20:00 server time (UTC+5), inside getStoreLog's hours.
const START_UTC: &str = "2025-06-10T15:00:00Z";
const DAY: &str = "2025-06-10";

/// Server time `offset` seconds after the start, as SalesDoc writes it.
fn moment(offset: u64) -> String {
    let (minutes, seconds) = (offset / 60, offset % 60);
    assert!(minutes < 240, "the run stays inside the night");
    format!(
        "{DAY} {:02}:{:02}:{:02}",
        20 + minutes / 60,
        minutes % 60,
        seconds
    )
}

/// Sets `records` through `method`; their `SD_id`s by code into `ids`.
async fn stored(
    sd: &Sd,
    method: &str,
    key: &str,
    records: Vec<Value>,
    ids: &mut BTreeMap<String, String>,
) {
    let (status, body) = home(sd).set(method, key, json!(records)).await;
    assert_eq!(status, 200, "{body}");
    for record in body["result"]["data"][key].as_array().unwrap() {
        let id = |member: &str| record[member].as_str().unwrap().to_owned();
        ids.insert(id("code_1C"), id("SD_id"));
    }
}

/// Warehouses, a unit and products, by code; their `SD_id`s by code.
async fn world(sd: &Sd) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    let away = ledger_moves::world(sd).await;
    ids.insert(AWAY_STORE.to_owned(), away);
    let stores = WAREHOUSES
        .iter()
        .map(|code| json!({ "code_1C": code, "name": format!("Store {code}") }))
        .collect();
    stored(sd, "setWarehouse", "warehouse", stores, &mut ids).await;
    let unit = json!([{ "code_1C": "pc", "name": "Piece" }]);
    assert_eq!(home(sd).set("setUnit", "unit", unit).await.0, 200);
    let products = PRODUCTS
        .iter()
        .map(|code| json!({ "code_1C": code, "name": code, "active": true, "unit": { "code_1C": "pc" } }))
        .collect();
    stored(sd, "setProduct", "product", products, &mut ids).await;
    ids
}

/// A random set of products, each with a quantity of 1 to `most`.
fn some_products(rng: &mut Rng, most: u64) -> Vec<(&'static str, i64)> {
    let mut chosen = Vec::new();
    for product in PRODUCTS {
        if rng.below(2) == 0 {
            chosen.push((product, 1 + rng.below(most) as i64));
        }
    }
    chosen
}

/// Some of the products `store` holds, each with 1 to all of what it holds, and one time
/// in five a line of more than it holds (a document the ledger must refuse).
fn held_products(rng: &mut Rng, model: &Stock, store: &str) -> Vec<(&'static str, i64)> {
    let mut chosen = Vec::new();
    for product in PRODUCTS {
        let held = model
            .get(&(store.to_owned(), product.to_owned()))
            .copied()
            .unwrap_or(0);
        if held > 0 && rng.below(2) == 0 {
            chosen.push((product, 1 + rng.below(held as u64) as i64));
        }
    }
    if let Some(first) = chosen.first_mut().filter(|_| rng.below(5) == 0) {
        first.1 += model[&(store.to_owned(), first.0.to_owned())];
    }
    chosen
}

/// One purchase into `store` at `date`: 200, and the model gains its lines.
async fn purchase(sd: &Sd, rng: &mut Rng, store: &str, date: &str, model: &mut Stock) {
    let bought = some_products(rng, 40);
    let products: Vec<Value> = bought
        .iter()
        .map(|(p, q)| json!({ "code_1C": p, "quantity": q, "price": 5 }))
        .collect();
    let item = json!({ "date": date, "priceType": { "code_1C": "BUY" },
        "store": { "code_1C": store }, "products": products });
    let (status, body) = home(sd).set("setPurchase", "purchase", json!([item])).await;
    assert_eq!(status, 200, "{body}");
    for (product, quantity) in bought {
        *model
            .entry((store.to_owned(), product.to_owned()))
            .or_default() += quantity;
    }
}

/// One transfer from `from` to another warehouse at `date`: refused whole when `from`
/// lacks any of it, else the model moves its lines. Whether it moved.
async fn transfer(
    sd: &Sd,
    rng: &mut Rng,
    n: u64,
    from: &str,
    date: &str,
    model: &mut Stock,
) -> bool {
    let to = WAREHOUSES
        .iter()
        .find(|w| **w != from && rng.below(2) == 0)
        .unwrap_or(if from == WAREHOUSES[0] {
            &WAREHOUSES[1]
        } else {
            &WAREHOUSES[0]
        });
    let moved = held_products(rng, model, from);
    let products: Vec<Value> = moved
        .iter()
        .map(|(p, q)| json!({ "code_1C": p, "quantity": q }))
        .collect();
    let item = json!({ "code_1C": format!("MOV{n}"), "date": date, "storeFrom": { "code_1C": from },
        "storeTo": { "code_1C": to }, "products": products });
    let document = ("setMovement", "movement", item);
    ledger_moves::sent(sd, document, (from, to), &moved, model).await
}

/// getStock's answer as (warehouse SD_id, product SD_id) → quantity.
fn stock_of(page: &Value) -> BTreeMap<(String, String), f64> {
    let mut stock = BTreeMap::new();
    for store in page["result"]["warehouse"].as_array().unwrap() {
        for product in store["products"].as_array().unwrap() {
            let key = (
                store["SD_id"].as_str().unwrap().to_owned(),
                product["SD_id"].as_str().unwrap().to_owned(),
            );
            stock.insert(key, product["quantity"].as_f64().unwrap());
        }
    }
    stock
}

/// The model in `SD_id`s.
fn by_ids(model: &Stock, ids: &BTreeMap<String, String>) -> BTreeMap<(String, String), f64> {
    model
        .iter()
        .map(|((w, p), q)| ((ids[w].clone(), ids[p].clone()), *q as f64))
        .collect()
}

/// One warehouse's part of the model, product `SD_id` → quantity.
fn store_part(model: &Stock, store: &str, ids: &BTreeMap<String, String>) -> BTreeMap<String, f64> {
    model
        .iter()
        .filter(|((w, _), _)| w == store)
        .map(|((_, p), q)| (ids[p].clone(), *q as f64))
        .collect()
}

#[tokio::test]
async fn random_stock_documents_keep_every_stock_view_equal_to_the_sum_of_documents() {
    let sd = Sd::new().await;
    sd.settings(json!({ "rateLimit": false })).await;
    sd.clock(json!({ "action": "freeze", "at": START_UTC }))
        .await;
    let ids = world(&sd).await;
    let mut rng = Rng(0x5D1E_D6E5_0000_0011);
    let mut model = Stock::new();
    // (moment, model after the document of that moment)
    let mut history: Vec<(String, Stock)> = Vec::new();
    let mut offset = 0;
    // Transfers refused, transfers made; exchanges and moves to the other filial made.
    let mut transfers = [0, 0];
    let mut exchanges_and_moves = [0, 0];
    for _ in 0..STEPS {
        let step = 30 + rng.below(90);
        sd.clock(json!({ "action": "advance", "seconds": step }))
            .await;
        offset += step;
        let store = WAREHOUSES[rng.below(3) as usize];
        let now = moment(offset);
        match rng.below(5) {
            0 => {
                purchase(&sd, &mut rng, store, &now, &mut model).await;
                history.push((now, model.clone()));
                continue;
            }
            1 => {
                let moved = transfer(&sd, &mut rng, offset, store, &now, &mut model).await;
                transfers[usize::from(moved)] += 1;
                history.push((now, model.clone()));
                continue;
            }
            2 => {
                let moved = held_products(&mut rng, &model, store);
                let made = ledger_moves::exchange(&sd, store, &now, &moved, &mut model).await;
                exchanges_and_moves[0] += usize::from(made);
                history.push((now, model.clone()));
                continue;
            }
            3 => {
                let moved = held_products(&mut rng, &model, store);
                let ends = (
                    (store, ids[store].as_str()),
                    (now.as_str(), ids[AWAY_STORE].as_str()),
                );
                let made = ledger_moves::to_filial(&sd, ends.0, ends.1, &moved, &mut model).await;
                exchanges_and_moves[1] += usize::from(made);
                history.push((now, model.clone()));
                continue;
            }
            _ => {}
        }
        let keep_others = rng.below(2) == 0;
        let mut counted = Vec::new();
        let mut products = Vec::new();
        for product in PRODUCTS {
            if rng.below(2) == 0 {
                // One count in five is zero.
                let quantity = (rng.below(5) != 0) as i64 * (1 + rng.below(30) as i64);
                counted.push((product, quantity));
                products.push(json!({ "code_1C": product, "quantity": quantity, "price": 10 }));
            }
        }
        // Now and then a count the ledger must refuse whole: a negative quantity.
        let refused = rng.below(6) == 0;
        if refused {
            products.push(json!({ "code_1C": PRODUCTS[0], "quantity": -1 }));
        }
        let item =
            json!({ "code_1C": store, "dont_zero_others": keep_others, "products": products });
        let (status, body) = home(&sd).set("setStock", "warehouse", json!([item])).await;
        if refused {
            assert_eq!(
                (status, &body["result"]["error"]),
                (400, &json!(1)),
                "{body}"
            );
        } else {
            assert_eq!(status, 200, "{body}");
            if !keep_others {
                model.retain(|(w, _), _| w != store);
            }
            for (product, quantity) in counted {
                let key = (store.to_owned(), product.to_owned());
                if quantity == 0 {
                    model.remove(&key);
                } else {
                    model.insert(key, quantity);
                }
            }
        }
        history.push((now, model.clone()));
    }

    assert!(
        transfers.iter().all(|n| *n > 0),
        "the run both refuses and makes transfers: {transfers:?}"
    );
    assert!(
        exchanges_and_moves.iter().all(|n| *n > 0),
        "the run makes exchanges and moves: {exchanges_and_moves:?}"
    );

    // Current stock: the model, and the sum of every document's lines.
    let away = InFilial {
        sd: &sd,
        filial: AWAY,
    };
    let (status, page) = home(&sd).get("getStock", json!({})).await;
    assert_eq!(status, 200, "{page}");
    let mut current = stock_of(&page);
    let (status, away_page) = away.get("getStock", json!({})).await;
    assert_eq!(status, 200, "{away_page}");
    assert_eq!(page["pagination"]["total"], json!(current.len()));
    current.extend(stock_of(&away_page));
    assert!(
        current.len() > 3,
        "the run leaves stock in several cells: {current:?}"
    );
    assert_eq!(current, by_ids(&model, &ids));
    let mut logged: BTreeMap<(String, String), f64> = BTreeMap::new();
    for (filial, store) in every_store(&sd) {
        let params = json!({ "storeId": ids[store], "from": DAY, "to": DAY });
        let (status, log) = filial.get("getStoreLog", params).await;
        assert_eq!(status, 200, "{log}");
        for row in log["result"].as_array().unwrap() {
            let documents = [
                json!("StoreCorrector"),
                json!("Purchase"),
                json!("Exchange"),
                json!("PurchaseRefund"),
            ];
            assert!(documents.contains(&row["document"]), "{row}");
            let key = (
                ids[store].clone(),
                row["product_id"].as_str().unwrap().to_owned(),
            );
            *logged.entry(key).or_default() += row["quantity"].as_f64().unwrap();
        }
    }
    logged.retain(|_, q| *q != 0.0);
    assert_eq!(logged, current, "getStoreLog sums to getStock");

    // Stock at each past moment: the model as it was then; a second earlier, as before.
    let mut before = Stock::new();
    for (at, then) in &history {
        for (filial, store) in every_store(&sd) {
            for (date, want) in [(at.clone(), then), (earlier(at), &before)] {
                let params = json!({ "date": date, "store": { "code_1C": store } });
                let (status, body) = filial.get("getStockForDate", params).await;
                assert_eq!(status, 200, "{body}");
                let got: BTreeMap<String, f64> = body["result"]["stock"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|row| {
                        (
                            row["SD_id"].as_str().unwrap().to_owned(),
                            row["amount"].as_f64().unwrap(),
                        )
                    })
                    .collect();
                assert!(got.values().all(|q| *q > 0.0), "{date} {store}: {got:?}");
                assert_eq!(got, store_part(want, store, &ids), "{store} at {date}");
            }
        }
        before = then.clone();
    }
}

/// Every warehouse of the run with the filial it is in.
fn every_store(sd: &Sd) -> Vec<(InFilial<'_>, &'static str)> {
    let mut stores: Vec<_> = WAREHOUSES.iter().map(|store| (home(sd), *store)).collect();
    stores.push((InFilial { sd, filial: AWAY }, AWAY_STORE));
    stores
}

/// The second before a moment of the run (never before 20:00:00, the first is later).
fn earlier(at: &str) -> String {
    let (day, time) = at.split_once(' ').unwrap();
    let parts: Vec<u64> = time.split(':').map(|p| p.parse().unwrap()).collect();
    let seconds = parts[0] * 3600 + parts[1] * 60 + parts[2] - 1;
    format!(
        "{day} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}
