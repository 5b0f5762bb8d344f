//! `bonusprogram` and `bonustransaction`, and the bonus points of counterparties and
//! organizations that follow from them.

use reqwest::Method;
use serde_json::{json, Value};

use super::conventions::urlencode;
use super::{code, Ms};

/// The vendor's example program, with `fields` added or replaced.
fn program_body(fields: Value) -> Value {
    let mut body = json!({
        "name": "Бонусы", "active": true, "allProducts": true, "allAgents": true,
        "earnRateRoublesToPoint": 7, "spendRatePointsToRouble": 4, "maxPaidRatePercents": 50,
        "earnWhileRedeeming": false,
    });
    for (field, value) in fields.as_object().unwrap() {
        body[field] = value.clone();
    }
    body
}

async fn program(ms: &Ms, fields: Value) -> Value {
    let (status, program) = ms.post("/entity/bonusprogram", program_body(fields)).await;
    assert_eq!(status, 200, "{program}");
    program
}

async fn counterparty(ms: &Ms, name: &str) -> Value {
    let (status, counterparty) = ms
        .post("/entity/counterparty", json!({ "name": name }))
        .await;
    assert_eq!(status, 200, "{counterparty}");
    counterparty
}

fn reference(entity: &Value) -> Value {
    json!({ "meta": entity["meta"] })
}

fn id(entity: &Value) -> &str {
    entity["id"].as_str().unwrap()
}

/// A transaction of `kind` for `value` points, with `fields` added.
fn transaction_body(
    agent: &Value,
    program: &Value,
    kind: &str,
    value: i64,
    fields: Value,
) -> Value {
    let mut body = json!({
        "agent": reference(agent), "bonusProgram": reference(program),
        "transactionType": kind, "bonusValue": value,
    });
    for (field, value) in fields.as_object().unwrap() {
        body[field] = value.clone();
    }
    body
}

async fn transaction(ms: &Ms, agent: &Value, program: &Value, kind: &str, value: i64) -> Value {
    let (status, transaction) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(agent, program, kind, value, json!({})),
        )
        .await;
    assert_eq!(status, 200, "{transaction}");
    transaction
}

/// The `bonusPoints` an agent shows now.
async fn points(ms: &Ms, agent: &Value) -> i64 {
    let keyword = agent["meta"]["type"].as_str().unwrap();
    let (status, body) = ms.get(&format!("/entity/{keyword}/{}", id(agent))).await;
    assert_eq!(status, 200, "{body}");
    body["bonusPoints"]
        .as_i64()
        .unwrap_or_else(|| panic!("no bonusPoints in {body}"))
}

async fn clock(ms: &Ms, command: Value) {
    ms.app.clock(&ms.account, command).await;
}

async fn extended_program(ms: &Ms, enabled: bool) {
    ms.app
        .settings(
            &ms.account,
            json!({ "moysklad": { "extendedBonusProgram": enabled } }),
        )
        .await;
}

#[tokio::test]
async fn a_bonus_program_has_its_own_shape_and_operations() {
    let ms = Ms::new().await;
    let created = program(&ms, json!({})).await;
    assert_eq!(created["meta"]["type"], "bonusprogram");
    assert_eq!(created["agentTags"], json!([]), "no tags is an empty array");
    assert_eq!(
        (
            &created["allProducts"],
            &created["welcomeBonusesEnabled"],
            &created["maxPaidRatePercents"]
        ),
        (&json!(true), &json!(false), &json!(50))
    );
    assert!(created["accountId"].is_string());
    for absent in [
        "owner",
        "group",
        "shared",
        "updated",
        "externalCode",
        "archived",
    ] {
        assert!(created.get(absent).is_none(), "{absent} in {created}");
    }
    let path = format!("/entity/bonusprogram/{}", id(&created));
    let (status, read) = ms.get(&path).await;
    assert_eq!((status, &read), (200, &created));
    let (status, edited) = ms
        .put(
            &path,
            json!({ "name": "Баллы", "agentTags": ["vip", "опт"], "postponedBonusesDelayDays": 3 }),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(
        (
            &edited["name"],
            &edited["agentTags"],
            &edited["earnRateRoublesToPoint"]
        ),
        (&json!("Баллы"), &json!(["vip", "опт"]), &json!(7)),
        "a partial update keeps the rest"
    );
    let (_, cleared) = ms.put(&path, json!({ "agentTags": null })).await;
    assert_eq!(cleared["agentTags"], json!([]));

    let (status, list) = ms.get("/entity/bonusprogram").await;
    assert_eq!((status, &list["meta"]["size"]), (200, &json!(1)));
    assert_eq!(list["rows"][0]["id"], created["id"]);
    let (status, body) = ms.get("/entity/bonusprogram?filter=name=Баллы").await;
    assert_eq!(
        (status, code(&body)),
        (400, 1034),
        "the seed lists no filters"
    );
    let (status, metadata) = ms.get("/entity/bonusprogram/metadata").await;
    assert_eq!(status, 200, "{metadata}");

    let (status, body) = ms.call(Method::DELETE, &path, None).await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = ms.get(&path).await;
    assert_eq!((status, code(&body)), (404, 1021));
    let first = program(&ms, json!({ "active": false })).await;
    let second = program(&ms, json!({ "active": false })).await;
    let (status, deleted) = ms
        .post(
            "/entity/bonusprogram/delete",
            json!([reference(&first), reference(&second)]),
        )
        .await;
    assert_eq!(status, 200, "{deleted}");
    assert!(deleted[1]["info"].as_str().unwrap().contains(id(&second)));
    let (_, list) = ms.get("/entity/bonusprogram").await;
    assert_eq!(list["meta"]["size"], 0);
}

#[tokio::test]
async fn a_bonus_program_is_validated() {
    let ms = Ms::new().await;
    for field in [
        "name",
        "active",
        "allProducts",
        "allAgents",
        "earnRateRoublesToPoint",
        "spendRatePointsToRouble",
        "maxPaidRatePercents",
    ] {
        let mut body = program_body(json!({}));
        body.as_object_mut().unwrap().remove(field);
        let (status, answer) = ms.post("/entity/bonusprogram", body).await;
        assert_eq!((status, code(&answer)), (412, 3000), "{field}");
        assert_eq!(answer["errors"][0]["parameter"], field);
    }
    let refused = [
        (json!({ "maxPaidRatePercents": 101 }), 3005),
        (json!({ "maxPaidRatePercents": -1 }), 3005),
        (json!({ "earnRateRoublesToPoint": 0 }), 3003),
        (json!({ "spendRatePointsToRouble": -2 }), 3002),
        (json!({ "allProducts": false }), 3005),
        (json!({ "welcomeBonusesMode": "ALWAYS" }), 3005),
        (json!({ "welcomeBonusesValue": -1 }), 3002),
        (json!({ "postponedBonusesDelayDays": -1 }), 3002),
        (
            json!({ "welcomeBonusesEnabled": true, "welcomeBonusesValue": 10 }),
            3000,
        ),
        (
            json!({ "welcomeBonusesEnabled": true, "welcomeBonusesMode": "REGISTRATION" }),
            3000,
        ),
    ];
    for (fields, expected) in refused {
        let (status, answer) = ms
            .post("/entity/bonusprogram", program_body(fields.clone()))
            .await;
        assert_eq!((status, code(&answer)), (412, expected), "{fields}");
    }
    for (fields, expected) in [
        (json!({ "agentTags": [1] }), 2016),
        (json!({ "active": "yes" }), 2016),
        (json!({ "maxPaidRatePercents": 5_000_000_000i64 }), 3005),
        (json!({ "earnRateRoublesToPoint": 5_000_000_000i64 }), 2016),
    ] {
        let (status, answer) = ms
            .post("/entity/bonusprogram", program_body(fields.clone()))
            .await;
        assert_eq!(code(&answer), expected, "{fields}");
        assert!(status == 400 || status == 412, "{status}");
    }

    let welcome = program(
        &ms,
        json!({ "welcomeBonusesEnabled": true, "welcomeBonusesMode": "FIRST_PURCHASE", "welcomeBonusesValue": 0 }),
    )
    .await;
    assert_eq!(welcome["welcomeBonusesMode"], "FIRST_PURCHASE");
    let path = format!("/entity/bonusprogram/{}", id(&welcome));
    let (status, answer) = ms.put(&path, json!({ "maxPaidRatePercents": null })).await;
    assert_eq!(
        (status, code(&answer)),
        (412, 3000),
        "a required field cannot be cleared"
    );
    let (status, answer) = ms.put(&path, json!({ "welcomeBonusesMode": null })).await;
    assert_eq!(
        (status, code(&answer)),
        (412, 3000),
        "enabled welcome points need their condition"
    );
}

#[tokio::test]
async fn only_one_bonus_program_is_active_per_account() {
    let ms = Ms::new().await;
    let active = program(&ms, json!({})).await;
    let (status, answer) = ms
        .post("/entity/bonusprogram", program_body(json!({})))
        .await;
    assert_eq!((status, code(&answer)), (412, 3020));
    assert!(answer["errors"][0]["error"]
        .as_str()
        .unwrap()
        .contains("Другая бонусная программа уже активна"));
    let idle = program(&ms, json!({ "active": false })).await;
    let idle_path = format!("/entity/bonusprogram/{}", id(&idle));
    let (status, answer) = ms.put(&idle_path, json!({ "active": true })).await;
    assert_eq!(
        (status, code(&answer)),
        (412, 3020),
        "activating a second one"
    );
    let (status, _) = ms
        .put(
            &format!("/entity/bonusprogram/{}", id(&active)),
            json!({ "active": true, "name": "Всё ещё активна" }),
        )
        .await;
    assert_eq!(status, 200, "the active program may be saved as active");
    let (status, _) = ms
        .put(
            &format!("/entity/bonusprogram/{}", id(&active)),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, switched) = ms.put(&idle_path, json!({ "active": true })).await;
    assert_eq!(
        (status, &switched["active"]),
        (200, &json!(true)),
        "{switched}"
    );

    let other = Ms::new().await;
    let create = || other.post("/entity/bonusprogram", program_body(json!({})));
    let racing = tokio::join!(create(), create(), create(), create());
    let answers = [racing.0, racing.1, racing.2, racing.3];
    let created = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(
        created, 1,
        "concurrent creates activate one program: {answers:?}"
    );
    for (status, answer) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 412);
        assert!([3020, 3006].contains(&code(answer)), "{answer}");
    }
    let (_, theirs) = other.get("/entity/bonusprogram").await;
    assert_eq!(
        theirs["meta"]["size"], 1,
        "accounts keep their programs apart"
    );
}

#[tokio::test]
async fn a_bonus_transaction_has_its_fields_and_operations() {
    let ms = Ms::new().await;
    let program = program(&ms, json!({})).await;
    let buyer = counterparty(&ms, "Покупатель").await;
    let (_, organizations) = ms.get("/entity/organization").await;
    let organization = organizations["rows"][0].clone();
    let (status, earned) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "EARNING",
                15,
                json!({
                    "organization": reference(&organization),
                    "moment": "2024-03-01 12:34:56",
                    "description": "за покупку",
                    "parentDocument": { "meta": { "href": ms.href("/entity/retaildemand/e182ab48-b726-11e8-727d-3073000000b4"), "type": "retaildemand" } },
                }),
            ),
        )
        .await;
    assert_eq!(status, 200, "{earned}");
    assert_eq!(earned["meta"]["type"], "bonustransaction");
    assert_eq!(earned["name"], "00001", "named automatically");
    assert_eq!(earned["moment"], "2024-03-01 12:34:00.000", "to the minute");
    assert_eq!(
        (
            &earned["transactionStatus"],
            &earned["categoryType"],
            &earned["applicable"]
        ),
        (&json!("COMPLETED"), &json!("REGULAR"), &json!(true))
    );
    assert_eq!(earned["agent"]["meta"]["href"], buyer["meta"]["href"]);
    assert_eq!(earned["bonusProgram"]["meta"]["type"], "bonusprogram");
    assert_eq!(earned["organization"]["meta"]["type"], "organization");
    assert_eq!(earned["parentDocument"]["meta"]["type"], "retaildemand");
    assert_eq!(earned["updatedBy"], ms.login);
    for present in [
        "accountId",
        "owner",
        "group",
        "shared",
        "updated",
        "created",
        "externalCode",
        "executionDate",
    ] {
        assert!(earned.get(present).is_some(), "{present} missing");
    }
    assert!(earned.get("archived").is_none());

    let path = format!("/entity/bonustransaction/{}", id(&earned));
    let (status, read) = ms.get(&format!("{path}?expand=agent,bonusProgram")).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        (&read["agent"]["name"], &read["bonusProgram"]["name"]),
        (&json!("Покупатель"), &json!("Бонусы"))
    );
    let (status, edited) = ms
        .put(&path, json!({ "bonusValue": 20, "name": "d00001" }))
        .await;
    assert_eq!(
        (status, &edited["bonusValue"], &edited["name"]),
        (200, &json!(20), &json!("d00001"))
    );
    let (status, answer) = ms
        .put(&path, json!({ "transactionType": "SPENDING" }))
        .await;
    assert_eq!((status, code(&answer)), (412, 3001), "the type is fixed");
    let (status, _) = ms.put(&path, json!({ "transactionType": "EARNING" })).await;
    assert_eq!(status, 200, "giving the same type is no change");

    let by_organization = transaction(&ms, &organization, &program, "EARNING", 5).await;
    assert_eq!(by_organization["agent"]["meta"]["type"], "organization");
    assert_eq!(by_organization["name"], "00002");

    let (status, batch) = ms
        .post(
            "/entity/bonustransaction/batch",
            json!([
                transaction_body(&buyer, &program, "SPENDING", 3, json!({})),
                { "meta": edited["meta"], "description": "исправлено" },
                { "agent": reference(&buyer) },
            ]),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch[0]["transactionType"], "SPENDING");
    assert_eq!(batch[1]["description"], "исправлено");
    assert_eq!(code(&batch[2]), 3000);
    let (status, array) = ms
        .post(
            "/entity/bonustransaction",
            json!([transaction_body(&buyer, &program, "EARNING", 1, json!({}))]),
        )
        .await;
    assert_eq!((status, &array[0]["bonusValue"]), (200, &json!(1)));

    let filter = format!(
        "/entity/bonustransaction?filter=agent={};bonusValue%3E2",
        urlencode(buyer["meta"]["href"].as_str().unwrap())
    );
    let (status, list) = ms.get(&filter).await;
    assert_eq!(status, 200, "{list}");
    let values: Vec<&Value> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["bonusValue"])
        .collect();
    assert_eq!(values, [&json!(20), &json!(3)]);
    let (_, all) = ms.get("/entity/bonustransaction").await;
    assert_eq!(all["meta"]["size"], 4);
    let (_, metadata) = ms.get("/entity/bonustransaction/metadata").await;
    assert_eq!(
        metadata["meta"]["href"],
        ms.href("/entity/bonustransaction/metadata")
    );

    let (status, deleted) = ms
        .post(
            "/entity/bonustransaction/delete",
            json!([{ "meta": batch[0]["meta"] }, { "meta": array[0]["meta"] }]),
        )
        .await;
    assert_eq!(status, 200, "{deleted}");
    let (status, _) = ms.call(Method::DELETE, &path, None).await;
    assert_eq!(status, 200);
    let (_, all) = ms.get("/entity/bonustransaction").await;
    assert_eq!(all["meta"]["size"], 1);

    let (_, employee) = ms.get("/context/employee").await;
    for keyword in ["bonusprogram", "bonustransaction"] {
        assert_eq!(employee["permissions"][keyword]["create"], "ALL");
    }
}

#[tokio::test]
async fn a_bonus_transaction_is_validated() {
    let ms = Ms::new().await;
    let program = program(&ms, json!({})).await;
    let buyer = counterparty(&ms, "Покупатель").await;
    for field in ["agent", "bonusProgram", "transactionType"] {
        let mut body = transaction_body(&buyer, &program, "EARNING", 1, json!({}));
        body.as_object_mut().unwrap().remove(field);
        let (status, answer) = ms.post("/entity/bonustransaction", body).await;
        assert_eq!((status, code(&answer)), (412, 3000), "{field}");
        assert_eq!(answer["errors"][0]["parameter"], field);
    }
    let refused = [
        (json!({ "transactionType": "REFUND" }), 412, 3005),
        (json!({ "bonusValue": -5 }), 412, 3002),
        (json!({ "bonusValue": "5" }), 400, 2016),
        (json!({ "moment": "yesterday" }), 412, 3005),
        (json!({ "agent": reference(&program) }), 400, 1060),
        (
            json!({ "parentDocument": { "meta": { "href": ms.href("/entity/product/e182ab48-b726-11e8-727d-3073000000b4"), "type": "product" } } }),
            400,
            1060,
        ),
        (
            json!({ "bonusProgram": { "meta": { "href": ms.href("/entity/bonusprogram/e182ab48-b726-11e8-727d-3073000000b4"), "type": "bonusprogram" } } }),
            404,
            1021,
        ),
    ];
    for (fields, status, expected) in refused {
        let (answer_status, answer) = ms
            .post(
                "/entity/bonustransaction",
                transaction_body(&buyer, &program, "EARNING", 1, fields.clone()),
            )
            .await;
        assert_eq!(
            (answer_status, code(&answer)),
            (status, expected),
            "{fields}"
        );
    }

    let earned = transaction(&ms, &buyer, &program, "EARNING", 10).await;
    let path = format!("/entity/bonustransaction/{}", id(&earned));
    for field in ["agent", "bonusProgram"] {
        let (status, answer) = ms.put(&path, json!({ field: null })).await;
        assert_eq!((status, code(&answer)), (412, 3000), "{field}");
    }
    let (status, answer) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(&buyer, &program, "SPENDING", 11, json!({})),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (412, 3002),
        "no spending beyond the balance"
    );
    let spent = transaction(&ms, &buyer, &program, "SPENDING", 10).await;
    let (status, answer) = ms
        .put(
            &format!("/entity/bonustransaction/{}", id(&spent)),
            json!({ "bonusValue": 11 }),
        )
        .await;
    assert_eq!((status, code(&answer)), (412, 3002), "nor by editing");

    let (status, answer) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "SPENDING",
                1,
                json!({ "executionDate": "2030-01-01 00:00:00" }),
            ),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (412, 62002),
        "a spending takes no date"
    );
    assert_eq!(answer["errors"][0]["parameter"], "executionDate");
    let (status, answer) = ms
        .put(
            &format!("/entity/bonustransaction/{}", id(&spent)),
            json!({ "executionDate": "2030-01-01 00:00:00" }),
        )
        .await;
    assert_eq!((status, code(&answer)), (412, 62002));
    let (status, _) = ms
        .put(
            &format!("/entity/bonustransaction/{}", id(&spent)),
            json!({ "executionDate": spent["executionDate"] }),
        )
        .await;
    assert_eq!(status, 200, "the stored date sent back is no change");
    let (status, answer) = ms
        .put(&path, json!({ "executionDate": "2030-01-01 00:00:00" }))
        .await;
    assert_eq!(
        (status, code(&answer)),
        (412, 62003),
        "a completed earning keeps its date"
    );

    let rich = counterparty(&ms, "Богач").await;
    transaction(&ms, &rich, &program, "EARNING", i64::from(i32::MAX)).await;
    let (status, answer) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(&rich, &program, "EARNING", 1, json!({})),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (412, 62004),
        "beyond the largest balance"
    );

    let (status, answer) = ms
        .call(
            Method::DELETE,
            &format!("/entity/bonusprogram/{}", id(&program)),
            None,
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (409, 1028),
        "a program with transactions stays"
    );
    assert_eq!(
        answer["errors"][0]["dependencies"][0]["type"],
        "bonustransaction"
    );
    let (status, answer) = ms
        .call(
            Method::DELETE,
            &format!("/entity/counterparty/{}", id(&buyer)),
            None,
        )
        .await;
    assert_eq!((status, code(&answer)), (409, 1028), "so does their agent");
}

#[tokio::test]
async fn without_the_tariff_option_dates_cannot_be_postponed() {
    let ms = Ms::new().await;
    clock(
        &ms,
        json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }),
    )
    .await;
    let program = program(&ms, json!({ "postponedBonusesDelayDays": 14 })).await;
    let buyer = counterparty(&ms, "Покупатель").await;
    let waiting = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "EARNING",
                5,
                json!({ "executionDate": "2024-05-10 12:00:00" }),
            ),
        )
        .await
        .1;
    assert_eq!(waiting["transactionStatus"], "WAIT_PROCESSING");

    extended_program(&ms, false).await;
    let (status, answer) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "EARNING",
                5,
                json!({ "executionDate": "2024-05-02 12:00:00" }),
            ),
        )
        .await;
    assert_eq!((status, code(&answer)), (412, 62000));
    let (status, past) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "EARNING",
                5,
                json!({ "executionDate": "2024-04-30 12:00:00" }),
            ),
        )
        .await;
    assert_eq!(
        (status, &past["transactionStatus"]),
        (200, &json!("COMPLETED")),
        "a past date needs no option"
    );
    let (status, answer) = ms
        .put(
            &format!("/entity/bonustransaction/{}", id(&waiting)),
            json!({ "executionDate": "2024-05-09 12:00:00" }),
        )
        .await;
    assert_eq!((status, code(&answer)), (412, 62001));
    let plain = transaction(&ms, &buyer, &program, "EARNING", 1).await;
    assert_eq!(
        (&plain["transactionStatus"], &plain["executionDate"]),
        (&json!("COMPLETED"), &json!("2024-05-01 12:00:00.000")),
        "the program's delay needs the option too"
    );
}

#[tokio::test]
async fn a_postponed_earning_completes_when_the_account_clock_reaches_its_date() {
    let ms = Ms::new().await;
    clock(
        &ms,
        json!({ "action": "freeze", "at": "2024-05-01T09:00:00Z" }),
    )
    .await;
    let program = program(&ms, json!({})).await;
    let buyer = counterparty(&ms, "Покупатель").await;
    let (status, postponed) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(
                &buyer,
                &program,
                "EARNING",
                40,
                json!({ "executionDate": "2024-05-03 12:00:00" }),
            ),
        )
        .await;
    assert_eq!(status, 200, "{postponed}");
    assert_eq!(postponed["transactionStatus"], "WAIT_PROCESSING");
    assert_eq!(postponed["executionDate"], "2024-05-03 12:00:00.000");
    assert_eq!(points(&ms, &buyer).await, 0, "not yet earned");
    let (status, answer) = ms
        .post(
            "/entity/bonustransaction",
            transaction_body(&buyer, &program, "SPENDING", 10, json!({})),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (412, 3002),
        "waiting points cannot be spent"
    );
    let path = format!("/entity/bonustransaction/{}", id(&postponed));
    let (status, moved) = ms
        .put(&path, json!({ "executionDate": "2024-05-02 12:00:00" }))
        .await;
    assert_eq!(
        (status, &moved["executionDate"]),
        (200, &json!("2024-05-02 12:00:00.000"))
    );

    clock(&ms, json!({ "action": "advance", "seconds": 86_400 })).await;
    let (_, read) = ms.get(&path).await;
    assert_eq!(
        read["transactionStatus"], "COMPLETED",
        "the date has come by the account's clock"
    );
    assert_eq!(points(&ms, &buyer).await, 40);
    let (status, answer) = ms
        .put(&path, json!({ "executionDate": "2024-06-01 12:00:00" }))
        .await;
    assert_eq!((status, code(&answer)), (412, 62003));
    transaction(&ms, &buyer, &program, "SPENDING", 10).await;
    assert_eq!(points(&ms, &buyer).await, 30);

    let delayed = ms
        .put(
            &format!("/entity/bonusprogram/{}", id(&program)),
            json!({ "postponedBonusesDelayDays": 14 }),
        )
        .await
        .1;
    let later = transaction(&ms, &buyer, &delayed, "EARNING", 7).await;
    assert_eq!(
        (&later["transactionStatus"], &later["executionDate"]),
        (&json!("WAIT_PROCESSING"), &json!("2024-05-16 12:00:00.000")),
        "the program's delay postpones an earning without a date"
    );
    let spent_now = transaction(&ms, &buyer, &delayed, "SPENDING", 1).await;
    assert_eq!(
        spent_now["transactionStatus"], "COMPLETED",
        "spendings are never delayed"
    );
    clock(&ms, json!({ "action": "advance", "seconds": 14 * 86_400 })).await;
    assert_eq!(points(&ms, &buyer).await, 36);
}

#[tokio::test]
async fn bonus_points_follow_every_transaction() {
    let ms = Ms::new().await;
    let buyer = counterparty(&ms, "Покупатель").await;
    assert_eq!(points(&ms, &buyer).await, 0, "no program, no points");
    assert!(ms
        .get(&format!("/entity/counterparty/{}", id(&buyer)))
        .await
        .1["bonusProgram"]
        .is_null());
    let program = program(&ms, json!({})).await;
    let (_, read) = ms
        .get(&format!(
            "/entity/counterparty/{}?expand=bonusProgram",
            id(&buyer)
        ))
        .await;
    assert_eq!(
        (&read["bonusProgram"]["id"], &read["bonusPoints"]),
        (&program["id"], &json!(0))
    );

    let earned = transaction(&ms, &buyer, &program, "EARNING", 100).await;
    assert_eq!(points(&ms, &buyer).await, 100);
    let spent = transaction(&ms, &buyer, &program, "SPENDING", 30).await;
    assert_eq!(points(&ms, &buyer).await, 70);
    let earned_path = format!("/entity/bonustransaction/{}", id(&earned));
    let spent_path = format!("/entity/bonustransaction/{}", id(&spent));
    ms.put(&earned_path, json!({ "bonusValue": 50 })).await;
    assert_eq!(points(&ms, &buyer).await, 20, "an edited earning");
    let (_, canceled) = ms.put(&spent_path, json!({ "applicable": false })).await;
    assert_eq!(canceled["transactionStatus"], "CANCELED");
    assert_eq!(points(&ms, &buyer).await, 50, "an un-posted spending");
    let (_, list) = ms.get("/entity/counterparty").await;
    let row = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == buyer["id"])
        .unwrap();
    assert_eq!(row["bonusPoints"], 50, "lists agree with reads");
    let (status, _) = ms.call(Method::DELETE, &earned_path, None).await;
    assert_eq!(status, 200);
    assert_eq!(points(&ms, &buyer).await, 0, "a deleted earning");
    let (status, _) = ms.put(&spent_path, json!({ "applicable": true })).await;
    assert_eq!(
        status, 412,
        "re-posting the spending would overdraw the balance"
    );

    let other = counterparty(&ms, "Другой").await;
    transaction(&ms, &other, &program, "EARNING", 9).await;
    assert_eq!(points(&ms, &buyer).await, 0, "points are per agent");
    assert_eq!(points(&ms, &other).await, 9);
    let (_, organizations) = ms.get("/entity/organization").await;
    let organization = organizations["rows"][0].clone();
    transaction(&ms, &organization, &program, "EARNING", 4).await;
    assert_eq!(points(&ms, &organization).await, 4);

    ms.put(
        &format!("/entity/bonusprogram/{}", id(&program)),
        json!({ "active": false }),
    )
    .await;
    assert_eq!(
        points(&ms, &other).await,
        0,
        "points are those of the active program"
    );
    let (_, read) = ms
        .get(&format!("/entity/counterparty/{}", id(&other)))
        .await;
    assert!(read.get("bonusProgram").is_none());
    let (status, answer) = ms
        .put(
            &format!("/entity/counterparty/{}", id(&other)),
            json!({ "bonusPoints": 1000 }),
        )
        .await;
    assert_eq!(
        (status, &answer["bonusPoints"]),
        (200, &json!(0)),
        "read-only"
    );
}

#[tokio::test]
async fn a_welcome_bonus_is_granted_to_counterparties_registered_under_the_program() {
    let ms = Ms::new().await;
    let before = counterparty(&ms, "Старый").await;
    let program = program(
        &ms,
        json!({ "welcomeBonusesEnabled": true, "welcomeBonusesMode": "REGISTRATION", "welcomeBonusesValue": 25 }),
    )
    .await;
    let newcomer = counterparty(&ms, "Новый").await;
    assert_eq!(newcomer["bonusPoints"], 25);
    assert_eq!(points(&ms, &before).await, 0, "only new counterparties");
    let filter = format!(
        "/entity/bonustransaction?filter=agent={}",
        urlencode(newcomer["meta"]["href"].as_str().unwrap())
    );
    let (_, list) = ms.get(&filter).await;
    assert_eq!(list["meta"]["size"], 1);
    let welcome = &list["rows"][0];
    assert_eq!(
        (
            &welcome["categoryType"],
            &welcome["transactionType"],
            &welcome["bonusValue"]
        ),
        (&json!("WELCOME"), &json!("EARNING"), &json!(25))
    );
    assert_eq!(
        welcome["bonusProgram"]["meta"]["href"],
        program["meta"]["href"]
    );
    let (status, edited) = ms
        .put(
            &format!("/entity/counterparty/{}", id(&newcomer)),
            json!({ "name": "Новый клиент" }),
        )
        .await;
    assert_eq!(
        (status, &edited["bonusPoints"]),
        (200, &json!(25)),
        "once, on creation"
    );

    ms.put(
        &format!("/entity/bonusprogram/{}", id(&program)),
        json!({ "welcomeBonusesMode": "FIRST_PURCHASE" }),
    )
    .await;
    let later = counterparty(&ms, "Позже").await;
    assert_eq!(later["bonusPoints"], 0, "no purchases here");
}
