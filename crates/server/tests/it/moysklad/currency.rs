//! `currency`: the seeded accounting currency, custom and system currencies, mass
//! operations.

use reqwest::Method;
use serde_json::{json, Value};

use super::{code, Ms};

async fn rub(ms: &Ms) -> Value {
    let (status, page) = ms.get("/entity/currency").await;
    assert_eq!(status, 200);
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["isoCode"] == "RUB")
        .cloned()
        .expect("seeded RUB")
}

#[tokio::test]
async fn the_accounting_currency_is_seeded_and_protected() {
    let ms = Ms::new().await;
    let rub = rub(&ms).await;
    assert_eq!(rub["default"], true);
    assert_eq!(rub["system"], true);
    assert_eq!(rub["rate"], 1.0);
    assert_eq!(
        rub["majorUnit"],
        json!({ "gender": "masculine", "s1": "рубль", "s2": "рубля", "s5": "рублей" })
    );
    assert!(
        rub.get("accountId").is_none() && rub.get("owner").is_none(),
        "currency has no common fields"
    );
    let id = rub["id"].as_str().unwrap();
    assert_eq!(
        rub["meta"]["href"],
        ms.href(&format!("/entity/currency/{id}"))
    );
    let (status, body) = ms
        .put(&format!("/entity/currency/{id}"), json!({ "rate": 2.0 }))
        .await;
    assert_eq!((status, code(&body)), (412, 31003));
    let (status, body) = ms
        .call(Method::DELETE, &format!("/entity/currency/{id}"), None)
        .await;
    assert_eq!((status, code(&body)), (412, 31000));
}

#[tokio::test]
async fn custom_currencies_are_created_updated_and_deleted() {
    let ms = Ms::new().await;
    // The vendor's own example sends fields currency does not have: they are ignored.
    let (status, usd) = ms
        .post("/entity/currency", json!({ "name": "доллар", "fullName": "Доллар США", "code": "840", "isoCode": "USD", "rate": 75.0, "shared": true, "externalCode": "dollarCurrency" }))
        .await;
    assert_eq!(status, 200, "{usd}");
    assert_eq!(usd["rate"], 75.0);
    assert_eq!(usd["multiplicity"], 1);
    assert_eq!(usd["system"], false);
    assert!(usd.get("shared").is_none() && usd.get("externalCode").is_none());
    let id = usd["id"].as_str().unwrap();
    let (status, updated) = ms
        .put(
            &format!("/entity/currency/{id}"),
            json!({ "rate": 66, "fullName": "Доллар" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (updated["rate"].as_f64(), updated["fullName"].as_str()),
        (Some(66.0), Some("Доллар"))
    );
    assert_eq!(updated["name"], "доллар", "a partial update keeps the rest");
    let (status, body) = ms
        .put(&format!("/entity/currency/{id}"), json!({ "name": "" }))
        .await;
    assert_eq!((status, code(&body)), (412, 3000));
    let (status, body) = ms
        .put(&format!("/entity/currency/{id}"), json!({ "rate": 0 }))
        .await;
    assert_eq!((status, code(&body)), (412, 3003));
    let (status, body) = ms
        .put(&format!("/entity/currency/{id}"), json!({ "rate": "high" }))
        .await;
    assert_eq!((status, code(&body)), (400, 2016));
    let (status, body) = ms
        .post("/entity/currency", json!({ "name": "x", "code": "1" }))
        .await;
    assert_eq!((status, code(&body)), (412, 3000));
    assert_eq!(body["errors"][0]["parameter"], "isoCode");

    let (status, body) = ms
        .call(Method::DELETE, &format!("/entity/currency/{id}"), None)
        .await;
    assert_eq!((status, body), (200, Value::Null), "200 with an empty body");
    let (status, body) = ms.get(&format!("/entity/currency/{id}")).await;
    assert_eq!((status, code(&body)), (404, 1021));
}

#[tokio::test]
async fn system_currencies_come_from_the_directory() {
    let ms = Ms::new().await;
    let (status, eur) = ms
        .post(
            "/entity/currency",
            json!({ "system": true, "isoCode": "EUR" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            eur["name"].as_str(),
            eur["code"].as_str(),
            eur["rateUpdateType"].as_str()
        ),
        (Some("евро"), Some("978"), Some("auto"))
    );
    let (status, usd) = ms
        .post(
            "/entity/currency",
            json!({ "system": true, "code": "840", "rateUpdateType": "manual", "rate": 90 }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (usd["isoCode"].as_str(), usd["rate"].as_f64()),
        (Some("USD"), Some(90.0))
    );
    let (status, body) = ms
        .put(
            &format!("/entity/currency/{}", usd["id"].as_str().unwrap()),
            json!({ "isoCode": "XXX" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3001));
    let (status, body) = ms.post("/entity/currency", json!({ "system": true })).await;
    assert_eq!((status, code(&body)), (412, 31002));
    let (status, body) = ms
        .post(
            "/entity/currency",
            json!({ "system": true, "isoCode": "ZZZ" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 31001));
}

#[tokio::test]
async fn mass_create_update_and_delete() {
    let ms = Ms::new().await;
    let (status, created) = ms
        .post(
            "/entity/currency/batch",
            json!([
                { "name": "тенге", "code": "398", "isoCode": "KZT" },
                { "name": "сум", "code": "860", "isoCode": "UZS" },
            ]),
        )
        .await;
    assert_eq!(status, 200);
    let kzt = created[0].clone();
    let (status, mixed) = ms
        .post(
            "/entity/currency",
            json!([
                { "meta": kzt["meta"], "rate": 0.2 },
                { "name": "без кода" },
                { "id": "not-an-id", "name": "x", "code": "1", "isoCode": "XXA" },
            ]),
        )
        .await;
    assert_eq!(
        status, 200,
        "errors of some elements come inside a 200 array"
    );
    assert_eq!(mixed[0]["rate"], 0.2);
    assert_eq!(code(&mixed[1]), 3000);
    assert_eq!(code(&mixed[2]), 2016, "an id that is not a UUID");

    let metas: Vec<Value> = created
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({ "meta": c["meta"] }))
        .collect();
    let (status, deleted) = ms
        .post("/entity/currency/delete", Value::Array(metas))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        deleted[0]["info"],
        format!(
            "Сущность 'currency' с UUID: {} успешно удалена",
            kzt["id"].as_str().unwrap()
        )
    );
    let (status, failed) = ms
        .post("/entity/currency", json!([{ "name": "без кода" }]))
        .await;
    assert_eq!(
        (status, code(&failed[0])),
        (412, 3000),
        "when every element fails, its status"
    );
    let (status, body) = ms.post("/entity/currency", json!([])).await;
    assert_eq!((status, code(&body)), (400, 1027));
}

#[tokio::test]
async fn archived_currencies_are_hidden_unless_asked_for() {
    let ms = Ms::new().await;
    let (_, usd) = ms
        .post(
            "/entity/currency",
            json!({ "name": "доллар", "code": "840", "isoCode": "USD" }),
        )
        .await;
    ms.put(
        &format!("/entity/currency/{}", usd["id"].as_str().unwrap()),
        json!({ "archived": true }),
    )
    .await;
    let iso = |page: &Value| -> Vec<String> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["isoCode"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, page) = ms.get("/entity/currency").await;
    assert_eq!(iso(&page), ["RUB"]);
    let (_, page) = ms
        .get("/entity/currency?filter=archived%3Dtrue%3Barchived%3Dfalse")
        .await;
    assert_eq!(iso(&page), ["RUB", "USD"]);
    let (_, page) = ms
        .get("/entity/currency?filter=isoCode%3DUSD%3Barchived%3Dtrue")
        .await;
    assert_eq!(iso(&page), ["USD"]);
}
