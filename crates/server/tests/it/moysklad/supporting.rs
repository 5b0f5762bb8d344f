//! What a new account has: the seeded department, organization, warehouse, unit, price
//! type and employee, and how they are reached.

use serde_json::json;

use super::{code, Ms};

#[tokio::test]
async fn a_new_account_is_seeded_like_the_vendors() {
    let ms = Ms::new().await;
    let first_name = |page: &serde_json::Value| page["rows"][0]["name"].as_str().map(str::to_owned);
    let (_, groups) = ms.get("/entity/group").await;
    assert_eq!(first_name(&groups).as_deref(), Some("Основной"));
    let (_, stores) = ms.get("/entity/store").await;
    assert_eq!(first_name(&stores).as_deref(), Some("Основной склад"));
    let (_, organizations) = ms.get("/entity/organization").await;
    assert_eq!(organizations["meta"]["size"], 1);
    assert_eq!(
        organizations["rows"][0]["accounts"]["meta"]["type"],
        "account"
    );
    let (status, piece) = ms
        .get("/entity/uom/19f1edc0-fc42-4001-94cb-c9ec9c62ec10")
        .await;
    assert_eq!(
        (status, piece["name"].as_str(), piece["code"].as_str()),
        (200, Some("шт"), Some("796"))
    );
    let (_, employees) = ms.get("/entity/employee").await;
    assert_eq!(employees["rows"][0]["uid"], ms.login);
    let (status, body) = ms.post("/entity/employee", json!({ "name": "x" })).await;
    assert_eq!(
        (status, code(&body)),
        (405, 1039),
        "employees are read-only here"
    );

    let (status, price_types) = ms.get("/context/companysettings/pricetype").await;
    assert_eq!(status, 200);
    assert_eq!(price_types[0]["name"], "Цена продажи");
    assert_eq!(price_types[0]["meta"]["type"], "pricetype");
    let (_, default) = ms.get("/context/companysettings/pricetype/default").await;
    assert_eq!(default["id"], price_types[0]["id"]);

    let (_, counterparty) = ms
        .post("/entity/counterparty", json!({ "name": "Покупатель" }))
        .await;
    let (_, contract) = ms
        .post("/entity/contract?expand=rate.currency,ownAgent", json!({ "ownAgent": { "meta": organizations["rows"][0]["meta"] }, "agent": { "meta": counterparty["meta"] } }))
        .await;
    assert_eq!(
        contract["rate"]["currency"]["isoCode"], "RUB",
        "expand works on POST and through rate"
    );
    assert_eq!(
        contract["ownAgent"]["name"],
        organizations["rows"][0]["name"]
    );

    // A reset empties the data; the next request seeds it again.
    let reset = ms
        .app
        .admin(
            reqwest::Method::POST,
            &format!("/accounts/{}/reset", ms.account),
        )
        .json(&json!({ "dialect": "moysklad" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    let (_, contracts) = ms.get("/entity/contract").await;
    assert_eq!(contracts["meta"]["size"], 0);
    let (_, currencies) = ms.get("/entity/currency").await;
    assert_eq!(currencies["rows"][0]["isoCode"], "RUB");
}
