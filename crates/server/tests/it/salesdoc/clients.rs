//! Clients (9.10 / 10.17) and their phones (10.18): the documented example with every
//! field and link, links by each identifier and unknown ones, agent links kept until the
//! agent exists, getClient's own filters and sort, a round trip, filials and accounts.

use serde_json::{json, Value};

use super::{assert_error, column, Sd};

/// The references the documented setClient example names, made first.
async fn world(sd: &Sd) {
    world_in(sd, None).await;
}

/// [`world`] in a filial (none: the head office).
pub async fn world_in(sd: &Sd, filial_id: Option<&str>) {
    let sets = [
        (
            "setClientCategory",
            json!({ "clientCategory": [{ "code_1C": "000000001", "name": "Wholesale" }] }),
        ),
        (
            "setClientType",
            json!([{ "code_1C": "TP001", "name": "VIP" }]),
        ),
        (
            "setClientChannel",
            json!({ "clientChannel": [{ "code_1C": "CH001", "name": "Retail" }] }),
        ),
        (
            "setTerritory",
            json!({ "city": [{ "code_1C": "000000001", "name": "Chilanzar" }] }),
        ),
    ];
    for (method, data) in sets {
        let filial = json!({ "filial_id": filial_id });
        let body = json!({ "method": method, "filial": filial, "data": data });
        let (status, body) = sd.call(body).await;
        assert_eq!(status, 200, "{method}: {body}");
    }
}

fn documented_client() -> Value {
    json!({
        "code_1C": "000000100", "shortName": "Star Shop", "firmName": "Star LLC",
        "address": "5 Amir Temur St", "orentir": "Opposite the bank", "tel": "+998901234567",
        "comment": "Key client", "inn": "123456789", "pinfl": null, "nspCode": null,
        "active": true, "lat": 41.2995, "lon": 69.2401,
        "clientCategory": { "code_1C": "000000001" }, "clientType": { "code_1C": "TP001" },
        "clientChannel": { "code_1C": "CH001" }, "territory": { "code_1C": "000000001" },
        "priceTypeList": [{ "code_1C": "000000001" }],
        "bankDetails": { "bankName": "Asaka Bank", "accountNumber": "20208000900123456789", "bankCode": "00444" },
        "agent": [{ "code_1C": "000000003", "visitDays": [1, 3, 5] }],
        "deleteVisits": "false"
    })
}

fn ids(sd: &str, code: &str) -> Value {
    json!({ "CS_id": sd, "SD_id": sd, "code_1C": code })
}

#[tokio::test]
async fn the_documented_client_is_shown_with_every_field_and_link() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-15T05:30:00Z" }))
        .await;
    world(&sd).await;
    let (status, done) = sd
        .set("setClient", "client", json!([documented_client()]))
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"]["data"]["client"],
        json!([ids("d0_1", "000000100")])
    );
    let (_, page) = sd.get("getClient", json!({})).await;
    let expected = json!({
        "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000100", "name": "Star Shop",
        "firmName": "Star LLC", "address": "5 Amir Temur St", "waymark": "Opposite the bank",
        "tel": "+998901234567", "lon": 69.2401, "lat": 41.2995, "allowKredit": 0, "allowConsig": 0,
        "comment": "Key client", "photo": null, "active": "Y", "inn": "123456789", "contract": null,
        "updatedAt": "2025-06-15 10:30:00", "createdAt": "2025-06-15 10:30:00", "nspCode": null,
        "bankDetails": { "bank": "Asaka Bank", "account": "20208000900123456789", "mfo": "00444" },
        "category": ids("d0_1", "000000001"), "type": ids("1", "TP001"),
        "channel": ids("1", "CH001"), "city": ids("d0_1", "000000001"),
        "expeditor": null, "agents": []
    });
    assert_eq!(page["result"]["client"][0], expected);
    assert_eq!(
        page["pagination"],
        json!({ "limit": 1000, "total": 1, "page": 1 })
    );
    // The agent link waits for its agent: once setAgent made it, it shows.
    let agent = json!([{ "code_1C": "000000003", "name": "Agent" }]);
    assert_eq!(sd.set("setAgent", "agent", agent).await.0, 200);
    let (_, page) = sd.get("getClient", json!({})).await;
    assert_eq!(
        page["result"]["client"][0]["agents"],
        json!([{ "id": "d0_1", "code": "000000003", "days": [1, 3, 5] }])
    );
}

#[tokio::test]
async fn links_are_found_by_each_identifier_and_unknown_ones_fail_the_record() {
    let sd = Sd::new().await;
    world(&sd).await;
    let client = |code: &str, category: Value| json!({ "code_1C": code, "shortName": code, "clientCategory": category });
    let records = json!([
        client("A", json!({ "CS_id": "d0_1" })),
        client("B", json!({ "SD_id": "d0_1" })),
        client("C", json!({ "code_1C": "000000001" })),
        client("D", json!({ "code_1C": "nope" })),
        { "code_1C": "E", "shortName": "E" },
        { "code_1C": "F", "clientCategory": { "SD_id": "d0_1" } },
        { "code_1C": "G", "shortName": "G", "clientCategory": { "SD_id": "d0_1" }, "clientType": { "CS_id": "d0_9" }, "territory": { "code_1C": "000000001" } },
        { "code_1C": "H", "shortName": "H", "clientCategory": { "SD_id": "d0_1" }, "agent": { "SD_id": "d0_3", "visitDays": [0, 8] } },
        { "code_1C": "I", "shortName": "I", "clientCategory": { "SD_id": "d0_1" }, "lat": "far" },
        { "shortName": "no id", "clientCategory": { "SD_id": "d0_1" } },
    ]);
    let (status, body) = sd.set("setClient", "client", records).await;
    assert_eq!(status, 400, "{body}");
    let done = column(&body["result"]["data"]["client"], "code_1C");
    assert_eq!(done, [&json!("A"), &json!("B"), &json!("C")]);
    let errors = column(&body["error"]["data"]["client"], "errors");
    assert_eq!(
        errors,
        [
            &json!(["clientCategory not found"]),
            &json!(["clientCategory is required"]),
            &json!(["shortName is required"]),
            &json!(["clientType not found"]),
            &json!(["agent.visitDays must be a list of days 1 to 7"]),
            &json!(["lat must be a number"]),
            &json!(["One of CS_id, SD_id or code_1C is required"]),
        ]
    );
    assert_eq!(body["error"]["data"]["client"][0]["index"], 3);
}

#[tokio::test]
async fn get_client_filters_sorts_and_pages() {
    let sd = Sd::new().await;
    world(&sd).await;
    sd.clock(json!({ "action": "freeze", "at": "2025-06-01T05:00:00Z" }))
        .await;
    let client = |code: &str, active: bool| json!({ "code_1C": code, "shortName": code, "active": active, "clientCategory": { "code_1C": "000000001" } });
    let made = json!([client("A", true), client("B", false), client("C", true)]);
    assert_eq!(sd.set("setClient", "client", made).await.0, 200);
    sd.clock(json!({ "action": "set", "at": "2025-06-20T05:00:00Z" }))
        .await;
    let touched = json!([{ "code_1C": "A", "shortName": "A2", "clientCategory": { "code_1C": "000000001" } }]);
    assert_eq!(sd.set("setClient", "client", touched).await.0, 200);
    let codes = |page: &Value| -> Vec<String> {
        page["result"]["client"]
            .as_array()
            .unwrap_or_else(|| panic!("{page}"))
            .iter()
            .map(|c| c["code_1C"].as_str().unwrap().to_owned())
            .collect()
    };
    let cases = [
        (json!({ "filter": { "CS_id": "d0_2" } }), vec!["B"]),
        (json!({ "filter": { "SD_id": "d0_3" } }), vec!["C"]),
        (json!({ "filter": { "code_1C": "A" } }), vec!["A"]),
        (json!({ "filter": { "active": "N" } }), vec!["B"]),
        (json!({ "filter": { "active": "Y" } }), vec!["A", "C"]),
        (
            json!({ "filter": { "period": { "update": { "from": "2025-06-15", "to": "2025-06-30" } } } }),
            vec!["A"],
        ),
        (
            json!({ "filter": { "period": { "create": { "from": "2025-06-01", "to": "2025-06-01" } } } }),
            vec!["A", "B", "C"],
        ),
        (
            json!({ "sortBy": { "name": "updatedAt", "asc": false } }),
            vec!["A", "C", "B"],
        ),
        (
            json!({ "sortBy": { "name": "createdAt", "asc": true }, "limit": 2, "page": 2 }),
            vec!["C"],
        ),
        (
            json!({ "limit": 100, "page": 1, "filter": { "active": "Y", "period": { "update": { "from": "2025-06-01", "to": "2025-06-10" } } } }),
            vec!["C"],
        ),
    ];
    for (params, want) in cases {
        let (status, page) = sd.get("getClient", params.clone()).await;
        assert_eq!(status, 200, "{params}: {page}");
        assert_eq!(codes(&page), want, "{params}");
    }
    assert_error(
        &sd.get("getClient", json!({ "sortBy": { "name": "name" } }))
            .await,
        400,
        "params.sortBy.name must be updatedAt or createdAt",
    );
}

#[tokio::test]
async fn a_client_set_again_by_code_keeps_what_the_item_leaves_out() {
    let sd = Sd::new().await;
    world(&sd).await;
    assert_eq!(
        sd.set("setClient", "client", json!([documented_client()]))
            .await
            .0,
        200
    );
    let again = json!([{
        "code_1C": "000000100", "shortName": "Star Shop 2", "clientCategory": { "code_1C": "000000001" },
        "bankDetails": { "bankName": "Kapital Bank" }, "active": "N",
        "agent": { "code_1C": "000000004", "visitDays": [2] }
    }]);
    let (_, body) = sd.set("setClient", "client", again).await;
    assert_eq!(body["result"]["data"]["client"][0]["SD_id"], "d0_1");
    let (_, page) = sd.get("getClient", json!({})).await;
    assert_eq!(page["pagination"]["total"], 1);
    let client = &page["result"]["client"][0];
    assert_eq!(client["name"], "Star Shop 2");
    assert_eq!(client["firmName"], "Star LLC");
    assert_eq!(client["active"], "N");
    assert_eq!(
        client["bankDetails"],
        json!({ "bank": "Kapital Bank", "account": "20208000900123456789", "mfo": "00444" })
    );
    assert_eq!(client["type"]["code_1C"], "TP001");

    let phones = json!([
        { "code_1C": "000000100", "phone_numbers": ["+998901234567", "+998901234568"] },
        { "SD_id": "d0_1", "phone_numbers": ["1", "2", "3"] },
        { "code_1C": "nobody", "phone_numbers": [] },
        { "CS_id": "d0_1" },
    ]);
    let (status, body) = sd.set("setClientPhone", "client_phone", phones).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["result"]["data"]["client_phone"],
        json!([ids("d0_1", "000000100")])
    );
    let errors = column(&body["error"]["data"]["client_phone"], "errors");
    assert_eq!(
        errors,
        [
            &json!(["phone_numbers: at most 2 numbers"]),
            &json!(["No record with these identifiers"]),
            &json!(["phone_numbers is required"]),
        ]
    );
    // A phone update creates no client.
    assert_eq!(
        sd.get("getClient", json!({})).await.1["pagination"]["total"],
        1
    );
}

#[tokio::test]
async fn clients_live_in_their_filial_and_their_account() {
    let sd = Sd::new().await;
    sd.filials(json!([{ "filial_id": "FIL001", "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let in_filial = |method: &str, data: Value| json!({ "method": method, "filial": { "filial_id": "FIL001" }, "data": data });
    let category = json!({ "clientCategory": [{ "code_1C": "000000001", "name": "W" }] });
    assert_eq!(
        sd.call(in_filial("setClientCategory", category)).await.0,
        200
    );
    let city = json!({ "city": [{ "code_1C": "000000001", "name": "Chilanzar" }] });
    assert_eq!(sd.call(in_filial("setTerritory", city)).await.0, 200);
    let client = json!({ "client": [{ "code_1C": "000000100", "shortName": "Star", "clientCategory": { "code_1C": "000000001" }, "territory": { "CS_id": "F1-d0_1" } }] });
    let (status, body) = sd.call(in_filial("setClient", client.clone())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["data"]["client"][0]["CS_id"], "F1-d0_1");
    let (_, page) = sd
        .call(json!({ "method": "getClient", "filial": { "filial_id": "FIL001" }, "params": { "filter": { "CS_id": "F1-d0_1" } } }))
        .await;
    let shown = &page["result"]["client"][0];
    assert_eq!(shown["category"], ids("d0_1", "000000001"), "{page}");
    assert_eq!(
        shown["city"],
        json!({ "CS_id": "F1-d0_1", "SD_id": "d0_1", "code_1C": "000000001" })
    );
    // The head office has no clients, and no city to link: the record fails there.
    assert_eq!(
        sd.get("getClient", json!({})).await.1["pagination"]["total"],
        0
    );
    let (status, _) = sd
        .call(json!({ "method": "setClient", "data": client }))
        .await;
    assert_eq!(status, 400);

    let other = Sd::new().await;
    let (_, seen) = other
        .get("getClient", json!({ "filter": { "SD_id": "d0_1" } }))
        .await;
    assert_eq!(seen["result"]["client"], json!([]));
}
