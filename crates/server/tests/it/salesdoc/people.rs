//! Payment types (9.14 / 10.10), agents (9.11 / 10.15), expeditors (9.12 / 10.16),
//! supervisors (9.13) and visits (9.21 / 10.21) end to end: the documented examples,
//! lookups by each identifier, batches with a bad record, links to other kinds, round
//! trips with period, paging and sort, and another account seeing nothing.

use serde_json::{json, Value};

use super::Sd;

/// The `column` of every item of a GET answer's `key`.
fn column(page: &Value, key: &str, column: &str) -> Vec<Value> {
    page["result"][key]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|r| r[column].clone())
        .collect()
}

/// One filial, `F1`, on the account.
async fn with_filial(sd: &Sd) {
    sd.settings(json!({ "filials": [{ "filial_id": "FIL001", "name": "Main", "prefix": "F1" }] }))
        .await;
}

/// `{method, filial, data}` in filial FIL001.
async fn set_in_filial(sd: &Sd, method: &str, group: &str, records: Value) -> (u16, Value) {
    sd.call(json!({ "method": method, "filial": { "filial_id": "FIL001" }, "data": { group: records } }))
        .await
}

#[tokio::test]
async fn payment_types_answer_under_currency() {
    let sd = Sd::new().await;
    let example =
        json!([{ "code_1C": "000000001", "name": "Cash (UZS)", "short": "cash", "active": true }]);
    let (status, done) = sd.set("setPaymentType", "paymentType", example).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"]["data"]["paymentType"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001" }])
    );
    let (status, page) = sd.get("getPaymentType", json!({})).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["result"]["currency"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001", "name": "Cash (UZS)", "short": "cash", "active": "Y" }])
    );
    assert_eq!(
        page["pagination"],
        json!({ "limit": 1000, "total": 1, "page": 1 })
    );
    // In a filial: its own list, CS_id with the prefix, found again by that CS_id.
    with_filial(&sd).await;
    let (_, made) = set_in_filial(
        &sd,
        "setPaymentType",
        "paymentType",
        json!([{ "code_1C": "card", "name": "Card" }]),
    )
    .await;
    assert_eq!(made["result"]["data"]["paymentType"][0]["CS_id"], "F1-d0_2");
    let (_, renamed) = set_in_filial(
        &sd,
        "setPaymentType",
        "paymentType",
        json!([{ "CS_id": "f1-d0_2", "name": "Card (UZS)", "active": "N" }]),
    )
    .await;
    assert_eq!(renamed["result"]["data"]["paymentType"][0]["SD_id"], "d0_2");
    let (_, filial) = sd
        .call(json!({ "method": "getPaymentType", "filial": { "filial_id": "FIL001" } }))
        .await;
    assert_eq!(column(&filial, "currency", "name"), [json!("Card (UZS)")]);
    assert_eq!(column(&filial, "currency", "active"), [json!("N")]);
    // Another account sees nothing.
    let other = Sd::new().await;
    let (_, empty) = other.get("getPaymentType", json!({})).await;
    assert_eq!(empty["result"]["currency"], json!([]));
    assert_eq!(empty["pagination"]["total"], 0);
}

#[tokio::test]
async fn agents_come_with_a_user_made_once() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-01T05:00:00Z" }))
        .await;
    let example = json!([{ "code_1C": "000000003", "name": "Ivan Ivanov", "active": true }]);
    let (status, done) = sd.set("setAgent", "agent", example).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"]["data"]["agent"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003" }])
    );
    let (status, page) = sd.get("getAgent", json!({ "limit": 50 })).await;
    assert_eq!(status, 200, "{page}");
    // The logged-in user is d0_1: the agent's user is numbered after it.
    assert_eq!(
        page["result"]["agent"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003", "name": "Ivan Ivanov", "active": "Y",
                 "user": [{ "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": null, "login": "tp-1-1748754000" }] }])
    );
    // By SD_id, then by code_1C: the same agent and the same user.
    let update = json!([
        { "SD_id": "d0_1", "name": "Ivan I. Ivanov" },
        { "code_1C": "000000003", "active": "N", "name": "Ivan Ivanov" },
    ]);
    let (status, body) = sd.set("setAgent", "agent", update).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = sd.get("getAgent", json!({})).await;
    assert_eq!(page["pagination"]["total"], 1);
    assert_eq!(column(&page, "agent", "active"), [json!("N")]);
    assert_eq!(page["result"]["agent"][0]["user"][0]["SD_id"], "d0_2");
    // A new agent gets the next user number, and a bad record fails alone.
    let batch = json!([{ "code_1C": "A2", "name": "Second" }, { "code_1C": "A3" }, { "code_1C": "A4", "name": "Fourth", "active": "maybe" }]);
    let (status, body) = sd.set("setAgent", "agent", batch).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 1);
    assert_eq!(body["error"]["data"]["agent"][0]["index"], 1);
    assert_eq!(body["error"]["data"]["agent"][1]["index"], 2);
    let (_, page) = sd.get("getAgent", json!({})).await;
    let logins: Vec<Value> = page["result"]["agent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user"][0]["SD_id"].clone())
        .collect();
    assert_eq!(logins, [json!("d0_2"), json!("d0_3")]);
    // Another login of the account's user keeps its userId.
    let (_, again) = sd.login().await;
    assert_eq!(again["result"]["userId"], "d0_1");
}

#[tokio::test]
async fn expeditors_keep_their_contacts() {
    let sd = Sd::new().await;
    with_filial(&sd).await;
    let example = json!([{ "code_1C": "000000005", "name": "Peter Petrov", "active": true, "address": "10 Navoi St",
        "tel": "+998901112233", "email": "petrov@mail.com", "date_birth": "1990-05-15" },
        { "code_1C": "000000006", "name": "Bad Birth", "date_birth": "15.05.1990" }]);
    let (status, body) = set_in_filial(&sd, "setExpeditor", "expeditor", example).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["result"]["data"]["expeditor"],
        json!([{ "CS_id": "F1-d0_1", "SD_id": "d0_1", "code_1C": "000000005" }])
    );
    assert_eq!(
        body["error"]["data"]["expeditor"][0]["errors"],
        json!(["date_birth must be a date YYYY-MM-DD"])
    );
    let (_, page) = sd
        .call(json!({ "method": "getExpeditor", "filial": { "filial_id": "F1" }, "params": { "limit": 50 } }))
        .await;
    assert_eq!(
        page["result"]["expeditor"],
        json!([{ "CS_id": "F1-d0_1", "SD_id": "d0_1", "code_1C": "000000005", "name": "Peter Petrov",
                 "tel": "+998901112233", "address": "10 Navoi St", "active": "Y",
                 "user": [{ "CS_id": "F1-d0_2", "SD_id": "d0_2", "code_1C": null, "login": "exp-1" }] }])
    );
    // Without the filial: none of the filial's expeditors.
    let (_, head_office) = sd.get("getExpeditor", json!({})).await;
    assert_eq!(head_office["result"]["expeditor"], json!([]));
    // By CS_id: a partial update keeps the other contacts; "" clears one.
    let update = json!([{ "CS_id": "F1-d0_1", "name": "Peter Petrov", "tel": "" }]);
    let (status, body) = set_in_filial(&sd, "setExpeditor", "expeditor", update).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = sd
        .call(json!({ "method": "getExpeditor", "filial": { "filial_id": "FIL001" } }))
        .await;
    assert_eq!(page["result"]["expeditor"][0]["tel"], Value::Null);
    assert_eq!(page["result"]["expeditor"][0]["address"], "10 Navoi St");
}

#[tokio::test]
async fn supervisors_come_from_the_agents_links() {
    let sd = Sd::new().await;
    let (_, empty) = sd.call(json!({ "method": "getSupervisor" })).await;
    assert_eq!(
        empty,
        json!({ "status": true, "result": { "supervisor": [] } })
    );
    let agents = json!([
        { "code_1C": "000000003", "name": "Ivan Ivanov", "supervisor": { "code_1C": "S1", "name": "Alexey Sidorov" } },
        { "code_1C": "000000004", "name": "Oleg Olegov", "supervisor": { "code_1C": "S1" } },
        { "code_1C": "000000007", "name": "No boss" },
        { "code_1C": "000000008", "name": "Unknown boss", "supervisor": { "code_1C": "S9" } },
        { "code_1C": "000000009", "name": "Bad boss", "supervisor": "S1" },
    ]);
    let (status, body) = sd.set("setAgent", "agent", agents).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 3);
    assert_eq!(
        body["error"]["data"]["agent"][0]["errors"],
        json!(["supervisor: name is required"])
    );
    assert_eq!(body["error"]["data"]["agent"][1]["index"], 4);
    let (status, page) = sd.call(json!({ "method": "getSupervisor" })).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page,
        json!({ "status": true, "result": { "supervisor": [{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "S1",
            "name": "Alexey Sidorov", "active": "Y", "agents": [
                { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003", "name": "Ivan Ivanov" },
                { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "000000004", "name": "Oleg Olegov" } ] }] } })
    );
    // An update without the member keeps the link; null detaches.
    let update = json!([{ "code_1C": "000000003", "name": "Ivan Ivanov" }, { "code_1C": "000000004", "name": "Oleg Olegov", "supervisor": null }]);
    assert_eq!(sd.set("setAgent", "agent", update).await.0, 200);
    let (_, page) = sd.call(json!({ "method": "getSupervisor" })).await;
    assert_eq!(
        page["result"]["supervisor"][0]["agents"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000003", "name": "Ivan Ivanov" }])
    );
}

/// A client with its own category, through setClientCategory and setClient.
async fn seed_client(sd: &Sd, code: &str, name: &str, at: (f64, f64)) {
    let category =
        json!([{ "code_1C": format!("cat-{code}"), "name": format!("{name} category") }]);
    let (status, body) = sd
        .set("setClientCategory", "clientCategory", category)
        .await;
    assert_eq!(status, 200, "{body}");
    let client = json!([{ "code_1C": code, "shortName": name, "lat": at.0, "lon": at.1,
                          "clientCategory": { "code_1C": format!("cat-{code}") } }]);
    let (status, body) = sd.set("setClient", "client", client).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn visits_link_agents_and_clients_one_per_day() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-15T05:00:00Z" }))
        .await;
    let agents = json!([{ "code_1C": "000000003", "name": "Ivan Ivanov" }]);
    assert_eq!(sd.set("setAgent", "agent", agents).await.0, 200);
    seed_client(&sd, "000000100", "Star Shop", (41.2995, 69.2401)).await;
    seed_client(&sd, "000000101", "Far Shop", (41.40, 69.30)).await;
    let example = json!([{ "client": { "code_1C": "000000100" }, "agent": { "code_1C": "000000003" },
        "date": "2025-06-15 10:00:00", "visited": 1, "planned": 1, "has_photo_report": 0, "has_order": 1,
        "start_datetime": "2025-06-15 10:00:00", "end_datetime": "2025-06-15 10:30:00", "lat": 41.2995, "lng": 69.2401 }]);
    let (status, done) = sd.set("setVisit", "visit", example).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"]["data"]["visit"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": null }])
    );
    let batch = json!([
        // The same agent, client and day: the visit is updated, not doubled.
        { "client": { "SD_id": "d0_1" }, "agent": { "SD_id": "d0_1" }, "date": "2025-06-15 16:00:00", "has_photo_report": 1 },
        // Another client, far from the visit's point: no GPS confirmation.
        { "client": { "CS_id": "d0_2" }, "agent": { "code_1C": "000000003" }, "date": "2025-06-16", "lat": 41.2995, "lng": 69.2401 },
        { "client": { "code_1C": "nobody" }, "agent": { "code_1C": "000000003" }, "date": "2025-06-16" },
        { "client": { "code_1C": "000000100" }, "date": "2025-06-16" },
        { "client": { "code_1C": "000000100" }, "agent": { "code_1C": "000000003" }, "date": "someday", "visited": 2 },
    ]);
    let (status, body) = sd.set("setVisit", "visit", batch).await;
    assert_eq!(status, 400, "{body}");
    let done: Vec<&Value> = body["result"]["data"]["visit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["SD_id"])
        .collect();
    assert_eq!(done, [&json!("d0_1"), &json!("d0_2")]);
    let errors: Vec<&Value> = body["error"]["data"]["visit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["errors"])
        .collect();
    assert_eq!(
        errors,
        [
            &json!(["client not found"]),
            &json!(["agent is required"]),
            &json!(["date must be a date and time YYYY-MM-DD HH:MM:SS"]),
        ]
    );
    let june =
        json!({ "filter": { "period": { "date": { "from": "2025-06-01", "to": "2025-06-30" } } } });
    let (status, page) = sd.get("getVisit", june).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["result"]["visit"][0],
        json!({ "agent_id": "d0_1", "agent_name": "Ivan Ivanov", "client_id": "d0_1", "client_name": "Star Shop",
                "category_name": "Star Shop category", "date": "2025-06-15", "start_date": "2025-06-15 10:00:00",
                "end_date": "2025-06-15 10:30:00", "planned": 1, "visited": 1, "reject": "", "has_photo_report": 1,
                "gps_visit": 1, "has_order": 1, "order_summa": 0.0 })
    );
    assert_eq!(page["result"]["visit"][1]["gps_visit"], 0);
    assert_eq!(
        page["result"]["visit"][1]["start_date"],
        "2025-06-16 00:00:00"
    );
    assert_eq!(page["result"]["visit"][1]["end_date"], Value::Null);
    assert_eq!(
        page["pagination"],
        json!({ "limit": 1000, "total": 2, "page": 1 })
    );
    let one_day =
        json!({ "filter": { "period": { "date": { "from": "2025-06-16", "to": "2025-06-16" } } } });
    assert_eq!(
        column(&sd.get("getVisit", one_day).await.1, "visit", "client_id"),
        [json!("d0_2")]
    );
    // Paging and sort by update: the updated first visit comes last.
    sd.clock(json!({ "action": "set", "at": "2025-06-17T05:00:00Z" }))
        .await;
    let again = json!([{ "client": { "code_1C": "000000101" }, "agent": { "code_1C": "000000003" }, "date": "2025-06-16 12:00:00", "visited": 0 }]);
    let (_, body) = sd.set("setVisit", "visit", again).await;
    assert_eq!(body["result"]["data"]["visit"][0]["SD_id"], "d0_2");
    let sorted = json!({ "sort": { "by": "update", "order": "DESC" }, "limit": 1, "page": 1 });
    let (_, first) = sd.get("getVisit", sorted).await;
    assert_eq!(column(&first, "visit", "client_id"), [json!("d0_2")]);
    assert_eq!(
        first["pagination"],
        json!({ "limit": 1, "total": 2, "page": 1 })
    );
    let updated = json!({ "period": { "from": "2025-06-17", "by": "update" } });
    assert_eq!(
        column(&sd.get("getVisit", updated).await.1, "visit", "visited"),
        [json!(0)]
    );
    // Another account sees none of them.
    let other = Sd::new().await;
    assert_eq!(
        other.get("getVisit", json!({})).await.1["result"]["visit"],
        json!([])
    );
}
