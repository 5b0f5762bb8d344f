//! Client requests awaiting moderation (9.41 / 15.3 / 15.4): seeded in admin as agents
//! would make them, listed with every documented member and paged, deleted by each
//! identifier with refused items reported, limits and bad requests, filials and
//! accounts apart.

use serde_json::{json, Value};

use super::{assert_error, column, item_errors, Sd};

const FILIAL: &str = "FIL001";

fn in_filial(method: &str, rest: Value) -> Value {
    let mut body = json!({ "method": method, "filial": { "filial_id": FILIAL } });
    for (member, value) in rest.as_object().unwrap() {
        body[member] = value.clone();
    }
    body
}

/// In the filial: the client category, type, channel and city of the documented
/// setClient example, and the agent `000000003`.
async fn world(sd: &Sd) {
    sd.filials(json!([{ "filial_id": FILIAL, "name": "Tashkent", "prefix": "F1" }]))
        .await;
    super::clients::world_in(sd, Some(FILIAL)).await;
    let agent = json!({ "agent": [{ "code_1C": "000000003", "name": "Ivan Ivanov" }] });
    let (status, body) = sd
        .call(in_filial("setAgent", json!({ "data": agent })))
        .await;
    assert_eq!(status, 200, "{body}");
}

fn request(name: &str) -> Value {
    json!({
        "shortName": name, "firmName": "New LLC", "address": "15 Chilanzar St",
        "orentir": "Near the pharmacy", "tel": "+998901234567", "lon": 69.24, "lat": 41.3,
        "comment": "Request from agent", "inn": "987654321",
        "clientCategory": { "code_1C": "000000001" }, "clientType": { "code_1C": "TP001" },
        "clientChannel": { "code_1C": "CH001" }, "territory": { "code_1C": "000000001" },
        "createdBy": { "code_1C": "000000003" },
    })
}

/// Seeds requests in the filial: `d0_1` "New Shop", `d0_2` "Corner" (code `PEND002`),
/// `d0_3` "Kiosk" (no creator).
async fn seeded(sd: &Sd) {
    world(sd).await;
    let mut second = request("Corner");
    second["code_1C"] = json!("PEND002");
    let mut third = request("Kiosk");
    third.as_object_mut().unwrap().remove("createdBy");
    let records = json!([request("New Shop"), second, third]);
    let (status, done) = sd.seed_at("client-pending", Some(FILIAL), records).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["result"]["completed"], 3);
}

#[tokio::test]
async fn requests_are_listed_with_every_documented_member() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-15T06:00:00Z" }))
        .await;
    seeded(&sd).await;
    let (status, page) = sd
        .call(in_filial(
            "getClientPending",
            json!({ "params": { "limit": 50, "page": 1 } }),
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["pagination"],
        json!({ "limit": 50, "total": 3, "page": 1 })
    );
    let link =
        |cs: &str, sd: &str, code: &str| json!({ "CS_id": cs, "SD_id": sd, "code_1C": code });
    assert_eq!(
        page["result"]["clientPending"][0],
        json!({
            "CS_id": "F1-d0_1", "SD_id": "d0_1", "code_1C": null, "name": "New Shop",
            "firmName": "New LLC", "address": "15 Chilanzar St", "waymark": "Near the pharmacy",
            "tel": "+998901234567", "lon": 69.24, "lat": 41.3, "allowKredit": 0, "allowConsig": 0,
            "comment": "Request from agent", "photo": null, "active": "Y", "inn": "987654321",
            "contract": null, "createdAt": "2025-06-15 11:00:00",
            "bankDetails": { "bank": null, "account": null, "mfo": null },
            "category": link("d0_1", "d0_1", "000000001"),
            "type": link("F1-1", "1", "TP001"),
            "channel": link("F1-1", "1", "CH001"),
            "city": link("F1-d0_1", "d0_1", "000000001"),
            "createdBy": { "CS_id": "F1-d0_1", "SD_id": "d0_1", "code_1C": "000000003", "name": "Ivan Ivanov" },
        })
    );
    let list = &page["result"]["clientPending"];
    assert_eq!(
        column(list, "code_1C"),
        [&json!(null), &json!("PEND002"), &json!(null)]
    );
    assert_eq!(list[2]["createdBy"], Value::Null);
    let (_, second) = sd
        .call(in_filial(
            "getClientPending",
            json!({ "params": { "limit": 2, "page": 2 } }),
        ))
        .await;
    assert_eq!(
        column(&second["result"]["clientPending"], "name"),
        [&json!("Kiosk")]
    );
    // The head office has none of the filial's requests.
    let (_, head) = sd.get("getClientPending", json!({})).await;
    assert_eq!(head["result"]["clientPending"], json!([]));
}

#[tokio::test]
async fn seeding_checks_requests_as_set_client_checks_clients() {
    let sd = Sd::new().await;
    world(&sd).await;
    let mut unknown_creator = request("Shop");
    unknown_creator["createdBy"] = json!({ "code_1C": "nobody" });
    let records = json!([
        { "firmName": "No name", "clientCategory": { "code_1C": "000000001" } },
        unknown_creator,
        { "shortName": "No category" },
    ]);
    let (status, body) = sd.seed_at("client-pending", Some(FILIAL), records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 0);
    assert_eq!(
        item_errors(&body, "clientPending"),
        [
            json!(["shortName is required"]),
            json!(["createdBy not found"]),
            json!(["clientCategory is required"]),
        ]
    );
}

#[tokio::test]
async fn requests_are_deleted_by_each_identifier_and_unknown_ones_refused() {
    let sd = Sd::new().await;
    seeded(&sd).await;
    let (status, body) = sd
        .call(in_filial(
            "deleteClientPending",
            json!({ "clientPending": [
                { "SD_id": "d0_1" }, { "code_1C": "PEND002" }, { "code_1C": "nope" }, {}, { "CS_id": "F1-d0_1" },
            ] }),
        ))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["status"], false);
    assert_eq!(body["result"]["completed"], 2);
    assert_eq!(body["result"]["error"], 3);
    assert_eq!(
        body["result"]["data"],
        json!([{ "SD_id": "d0_1" }, { "code_1C": "PEND002" }])
    );
    assert_eq!(
        column(&body["error"]["data"]["clientPending"], "index"),
        [&json!(2), &json!(3), &json!(4)]
    );
    assert_eq!(
        item_errors(&body, "clientPending"),
        [
            json!(["Client request not found"]),
            json!(["One of CS_id, SD_id or code_1C is required"]),
            json!(["Client request not found"]),
        ]
    );
    let (_, page) = sd.call(in_filial("getClientPending", json!({}))).await;
    assert_eq!(
        column(&page["result"]["clientPending"], "name"),
        [&json!("Kiosk")]
    );

    // By CS_id, inside `data` as the other SET methods take their groups: all done.
    let (status, body) = sd
        .call(in_filial(
            "deleteClientPending",
            json!({ "data": { "clientPending": [{ "CS_id": "F1-d0_3" }] } }),
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "status": true, "result": { "completed": 1, "error": 0, "data": [{ "CS_id": "F1-d0_3" }] } })
    );
    let (_, page) = sd.call(in_filial("getClientPending", json!({}))).await;
    assert_eq!(page["pagination"]["total"], 0);
}

#[tokio::test]
async fn bad_deletes_are_refused_whole() {
    let sd = Sd::new().await;
    seeded(&sd).await;
    assert_error(
        &sd.call(in_filial("deleteClientPending", json!({}))).await,
        400,
        "Required field \"clientPending\" is missing",
    );
    assert_error(
        &sd.call(in_filial(
            "deleteClientPending",
            json!({ "clientPending": { "SD_id": "d0_1" } }),
        ))
        .await,
        400,
        "clientPending must be a list",
    );
    let many: Vec<Value> = (0..251)
        .map(|n| json!({ "code_1C": format!("P{n}") }))
        .collect();
    assert_error(
        &sd.call(in_filial(
            "deleteClientPending",
            json!({ "clientPending": many }),
        ))
        .await,
        407,
        "Limit error::> request items: 251 limit: 250",
    );
    let (_, page) = sd.call(in_filial("getClientPending", json!({}))).await;
    assert_eq!(page["pagination"]["total"], 3);
}

#[tokio::test]
async fn another_account_sees_and_deletes_nothing() {
    let (owner, stranger) = (Sd::new().await, Sd::new().await);
    seeded(&owner).await;
    stranger
        .filials(json!([{ "filial_id": FILIAL, "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let (_, page) = stranger
        .call(in_filial("getClientPending", json!({})))
        .await;
    assert_eq!(page["result"]["clientPending"], json!([]));
    let (status, body) = stranger
        .call(in_filial(
            "deleteClientPending",
            json!({ "clientPending": [{ "SD_id": "d0_1" }] }),
        ))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 0);
    let (_, page) = owner.call(in_filial("getClientPending", json!({}))).await;
    assert_eq!(page["pagination"]["total"], 3);
}
