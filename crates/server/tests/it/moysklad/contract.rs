//! `contract`: defaults, references, states, and its metadata.

use serde_json::{json, Value};

use super::{code, Ms};

/// The seeded organization and a new counterparty.
async fn parties(ms: &Ms) -> (Value, Value) {
    let (_, organizations) = ms.get("/entity/organization").await;
    let organization = organizations["rows"][0].clone();
    let (status, counterparty) = ms
        .post(
            "/entity/counterparty",
            json!({ "name": "ООО Покупатель", "inn": "7701234567" }),
        )
        .await;
    assert_eq!(status, 200, "{counterparty}");
    (organization, counterparty)
}

#[tokio::test]
async fn a_minimal_contract_gets_the_vendor_defaults() {
    let ms = Ms::new().await;
    let (organization, counterparty) = parties(&ms).await;
    let (status, contract) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": organization["meta"] }, "agent": { "meta": counterparty["meta"] } }))
        .await;
    assert_eq!(status, 200, "{contract}");
    assert_eq!(contract["name"], "00001", "numbered automatically");
    assert_eq!(contract["contractType"], "Sales");
    assert_eq!(contract["rewardType"], "None");
    assert_eq!(contract["sum"], 0);
    assert_eq!(
        (
            contract["printed"].as_bool(),
            contract["published"].as_bool()
        ),
        (Some(false), Some(false))
    );
    assert!(
        contract["moment"].as_str().unwrap().ends_with(":00.000"),
        "minute precision"
    );
    assert_eq!(
        contract["ownAgent"]["meta"]["href"],
        organization["meta"]["href"]
    );
    assert_eq!(contract["agent"]["meta"]["type"], "counterparty");
    let (_, currencies) = ms.get("/entity/currency").await;
    assert_eq!(
        contract["rate"]["currency"]["meta"]["href"], currencies["rows"][0]["meta"]["href"],
        "the accounting currency"
    );
    let (_, second) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": organization["meta"] }, "agent": { "meta": counterparty["meta"] }, "moment": "2024-03-01 12:34:56" }))
        .await;
    assert_eq!(second["name"], "00002");
    assert_eq!(second["moment"], "2024-03-01 12:34:00.000");

    let (status, body) = ms
        .post(
            "/entity/contract",
            json!({ "agent": { "meta": counterparty["meta"] } }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3000));
    let (status, body) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": counterparty["meta"] }, "agent": { "meta": counterparty["meta"] } }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (400, 1060),
        "ownAgent must be an organization"
    );
    let id = contract["id"].as_str().unwrap();
    let (status, body) = ms
        .put(
            &format!("/entity/contract/{id}"),
            json!({ "rewardPercent": 150 }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3005));
    let (status, updated) = ms.put(&format!("/entity/contract/{id}"), json!({ "contractType": "Commission", "rewardType": "PercentOfSales", "rewardPercent": 5, "sum": 100000 })).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            updated["contractType"].as_str(),
            updated["rewardPercent"].as_i64()
        ),
        (Some("Commission"), Some(5))
    );

    let filter = super::conventions::urlencode(&format!(
        "agent={}",
        counterparty["meta"]["href"].as_str().unwrap()
    ));
    let (_, listed) = ms.get(&format!("/entity/contract?filter={filter}")).await;
    assert_eq!(listed["meta"]["size"], 2);
    let (_, expanded) = ms.get(&format!("/entity/contract/{id}?expand=agent")).await;
    assert_eq!(expanded["agent"]["name"], "ООО Покупатель");
}

#[tokio::test]
async fn contract_states_live_in_its_metadata() {
    let ms = Ms::new().await;
    let (organization, counterparty) = parties(&ms).await;
    let (status, state) = ms
        .post(
            "/entity/contract/metadata/states",
            json!({ "name": "Подписан", "color": 15106326, "stateType": "Successful" }),
        )
        .await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["meta"]["type"], "state");
    assert_eq!(state["entityType"], "contract");
    let state_href = state["meta"]["href"].as_str().unwrap().to_owned();
    assert!(state_href.contains("/entity/contract/metadata/states/"));
    let (status, body) = ms
        .post(
            "/entity/contract/metadata/states",
            json!({ "name": "Без цвета" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3000));

    let (_, contract) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": organization["meta"] }, "agent": { "meta": counterparty["meta"] }, "state": { "meta": state["meta"] } }))
        .await;
    assert_eq!(contract["state"]["meta"]["href"], state_href);
    let (_, metadata) = ms.get("/entity/contract/metadata").await;
    assert_eq!(metadata["states"][0]["name"], "Подписан");
    assert_eq!(metadata["attributes"]["meta"]["size"], 0);

    let state_path = state_href
        .split("/api/remap/1.2")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, renamed) = ms
        .put(&state_path, json!({ "name": "Подписан сторонами" }))
        .await;
    assert_eq!(
        (status, renamed["name"].as_str()),
        (200, Some("Подписан сторонами"))
    );
    let (status, body) = ms.call(reqwest::Method::DELETE, &state_path, None).await;
    assert_eq!(
        (status, code(&body)),
        (409, 1028),
        "the contract still has this state"
    );
    let (status, _) = ms
        .put(
            &format!("/entity/contract/{}", contract["id"].as_str().unwrap()),
            json!({ "state": null }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = ms.call(reqwest::Method::DELETE, &state_path, None).await;
    assert_eq!(status, 200);
    let (status, body) = ms.get(&state_path).await;
    assert_eq!((status, code(&body)), (404, 1021));
    let (status, body) = ms
        .post(
            "/entity/currency/metadata/states",
            json!({ "name": "x", "color": 1 }),
        )
        .await;
    assert_eq!((status, code(&body)), (404, 1002), "currency has no states");
}

#[tokio::test]
async fn bank_accounts_and_the_contracts_that_use_them() {
    let ms = Ms::new().await;
    let (organization, counterparty) = parties(&ms).await;
    let org_accounts = format!(
        "/entity/organization/{}/accounts",
        organization["id"].as_str().unwrap()
    );
    let (status, first) = ms
        .post(
            &org_accounts,
            json!({ "accountNumber": "40702810000000000001", "bankName": "Банк" }),
        )
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["isDefault"], true, "the first account is the default");
    assert_eq!(first["meta"]["type"], "account");
    assert!(first["meta"]["href"]
        .as_str()
        .unwrap()
        .ends_with(&format!("{org_accounts}/{}", first["id"].as_str().unwrap())));
    let (_, second) = ms
        .post(
            &org_accounts,
            json!([{ "accountNumber": "40702810000000000002", "isDefault": true }]),
        )
        .await;
    assert_eq!(second[0]["isDefault"], true);
    let (_, listed) = ms.get(&org_accounts).await;
    let defaults: Vec<bool> = listed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["isDefault"].as_bool().unwrap())
        .collect();
    assert_eq!(defaults, [false, true], "one default at a time");
    let (_, holder) = ms
        .get(&format!(
            "/entity/organization/{}",
            organization["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(holder["accounts"]["meta"]["size"], 2);
    let (status, body) = ms
        .post(&org_accounts, json!({ "bankName": "без номера" }))
        .await;
    assert_eq!((status, code(&body)), (412, 3000));

    let cp_accounts = format!(
        "/entity/counterparty/{}/accounts",
        counterparty["id"].as_str().unwrap()
    );
    let (_, theirs) = ms
        .post(
            &cp_accounts,
            json!({ "accountNumber": "40702810000000000009" }),
        )
        .await;
    let (_, contract) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": organization["meta"] }, "agent": { "meta": counterparty["meta"] } }))
        .await;
    assert_eq!(
        contract["organizationAccount"]["meta"]["href"], second[0]["meta"]["href"],
        "the party's default account"
    );
    assert_eq!(
        contract["agentAccount"]["meta"]["href"],
        theirs["meta"]["href"]
    );

    let id = contract["id"].as_str().unwrap();
    let (status, body) = ms
        .put(
            &format!("/entity/contract/{id}"),
            json!({ "organizationAccount": { "meta": theirs["meta"] } }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (412, 3004),
        "an account of another party"
    );
    let (_, other) = ms
        .post("/entity/counterparty", json!({ "name": "Другой" }))
        .await;
    let (status, body) = ms
        .put(
            &format!("/entity/contract/{id}"),
            json!({ "agent": { "meta": other["meta"] } }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (412, 3004),
        "changing the party needs its account too"
    );
    let (status, moved) = ms
        .put(
            &format!("/entity/contract/{id}"),
            json!({ "agent": { "meta": other["meta"] }, "agentAccount": null }),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert!(moved.get("agentAccount").is_none());
}

#[tokio::test]
async fn what_a_contract_uses_cannot_be_deleted() {
    let ms = Ms::new().await;
    let (organization, counterparty) = parties(&ms).await;
    let (_, usd) = ms
        .post(
            "/entity/currency",
            json!({ "name": "доллар", "code": "840", "isoCode": "USD" }),
        )
        .await;
    let (_, contract) = ms
        .post("/entity/contract", json!({ "ownAgent": { "meta": organization["meta"] }, "agent": { "meta": counterparty["meta"] }, "rate": { "currency": { "meta": usd["meta"] } } }))
        .await;
    let (status, body) = ms
        .call(
            reqwest::Method::DELETE,
            &format!("/entity/currency/{}", usd["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!((status, code(&body)), (409, 1028));
    assert_eq!(
        body["errors"][0]["dependencies"][0]["href"],
        contract["meta"]["href"]
    );
    let (status, body) = ms
        .call(
            reqwest::Method::DELETE,
            &format!(
                "/entity/counterparty/{}",
                counterparty["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!((status, code(&body)), (409, 1028));
    let (status, _) = ms
        .call(
            reqwest::Method::DELETE,
            &format!("/entity/contract/{}", contract["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = ms
        .call(
            reqwest::Method::DELETE,
            &format!("/entity/currency/{}", usd["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200, "free once the contract is gone");
}
