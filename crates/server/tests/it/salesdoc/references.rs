//! Currency types (9.1 / 10.1) and units (9.2 / 10.2) end to end: the documented
//! examples as sent, a batch with a bad record, lookups by each identifier, and a round
//! trip set → get (period, paging, sort) → set again by code_1C.

use serde_json::{json, Value};

use super::{assert_error, Sd};

/// Keys of an object, sorted.
fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn documented_examples_answer_in_the_documented_shape() {
    let sd = Sd::new().await;
    for (set, get, group, record) in [
        (
            "setValyutaType",
            "getValyutaType",
            "valyutaType",
            json!({ "CS_id": "", "SD_id": "", "code_1C": "000000001", "name": "UZS", "short": "UZS", "active": true }),
        ),
        (
            "setUnit",
            "getUnit",
            "unit",
            json!({ "code_1C": "pc", "name": "Piece", "short": "pc", "active": true }),
        ),
    ] {
        let (status, done) = sd
            .call(json!({ "method": set, "auth": { "userId": "d0_1", "token": "..." }, "data": { group: [record] } }))
            .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(keys(&done), ["result", "status"]);
        assert_eq!(done["status"], true);
        assert_eq!(done["result"]["completed"], 1);
        assert_eq!(done["result"]["error"], 0);
        let ids = &done["result"]["data"][group][0];
        assert_eq!(
            ids,
            &json!({ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": record["code_1C"] })
        );
        let (status, page) = sd
            .call(json!({ "method": get, "auth": { "userId": "d0_1", "token": "..." }, "params": { "limit": 100, "page": 1 } }))
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(keys(&page), ["pagination", "result", "status"]);
        assert_eq!(
            page["pagination"],
            json!({ "limit": 100, "total": 1, "page": 1 })
        );
        assert_eq!(
            page["result"][group],
            json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": record["code_1C"], "name": record["name"], "short": record["short"], "active": "Y" }])
        );
    }
}

#[tokio::test]
async fn a_bad_record_fails_alone() {
    let sd = Sd::new().await;
    let records = json!([
        { "code_1C": "USD", "name": "Dollar", "active": "Y" },
        { "code_1C": "EUR", "short": "EUR" },
        { "name": "No id" },
        { "code_1C": "RUB", "name": "Rouble", "active": "maybe" },
        "not an object",
        { "code_1C": "KZT", "name": "Tenge", "active": 0 },
    ]);
    let (status, body) = sd.set("setValyutaType", "valyutaType", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["status"], false);
    assert_eq!(body["result"]["completed"], 2);
    assert_eq!(body["result"]["error"], 4);
    let done: Vec<&Value> = body["result"]["data"]["valyutaType"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code_1C"])
        .collect();
    assert_eq!(done, [&json!("USD"), &json!("KZT")]);
    assert_eq!(body["error"]["code"], 400);
    assert_eq!(body["error"]["message"], "Error");
    let failed = body["error"]["data"]["valyutaType"].as_array().unwrap();
    let indexes: Vec<u64> = failed
        .iter()
        .map(|f| f["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, [1, 2, 3, 4]);
    assert_eq!(
        keys(&failed[0]),
        ["CS_id", "SD_id", "code_1C", "errors", "index", "name"]
    );
    assert_eq!(failed[0]["code_1C"], "EUR");
    assert_eq!(failed[0]["errors"], json!(["name is required"]));
    assert_eq!(failed[2]["name"], "Rouble");
    let (_, page) = sd.get("getValyutaType", json!({})).await;
    let active: Vec<&Value> = page["result"]["valyutaType"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["active"])
        .collect();
    assert_eq!(active, [&json!("Y"), &json!("N")]);
}

#[tokio::test]
async fn every_active_spelling_is_read() {
    let sd = Sd::new().await;
    let spellings = [
        json!(true),
        json!(false),
        json!("Y"),
        json!("N"),
        json!("True"),
        json!(1),
        json!(0),
    ];
    let records: Vec<Value> = spellings
        .iter()
        .enumerate()
        .map(|(i, active)| json!({ "code_1C": format!("u{i}"), "name": "Unit", "active": active }))
        .collect();
    let (status, body) = sd.set("setUnit", "unit", json!(records)).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = sd.get("getUnit", json!({})).await;
    let active: Vec<&str> = page["result"]["unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["active"].as_str().unwrap())
        .collect();
    assert_eq!(active, ["Y", "N", "Y", "N", "Y", "Y", "N"]);
}

#[tokio::test]
async fn records_are_found_by_each_identifier_in_order() {
    let sd = Sd::new().await;
    let create = json!([
        { "code_1C": "pc", "name": "Piece" },
        { "code_1C": "kg", "name": "Kilogram" },
        { "code_1C": "pc", "name": "Second piece", "SD_id": "d0_99" },
    ]);
    let (_, made) = sd.set("setUnit", "unit", create).await;
    let sd_ids: Vec<&str> = made["result"]["data"]["unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["SD_id"].as_str().unwrap())
        .collect();
    // The third names code `pc`, which finds the first record (code_1C is not unique:
    // the first match), after its unknown SD_id found nothing.
    assert_eq!(sd_ids, ["d0_1", "d0_2", "d0_1"]);
    let update = json!([
        { "CS_id": "d0_2", "code_1C": "pc", "name": "By CS_id" },
        { "SD_id": "d0_1", "name": "By SD_id" },
        { "CS_id": "d0_77", "SD_id": "d0_2", "name": "By SD_id after CS_id" },
    ]);
    let (status, body) = sd.set("setUnit", "unit", update).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = sd.get("getUnit", json!({})).await;
    let units = page["result"]["unit"].as_array().unwrap();
    assert_eq!(units.len(), 2, "{page}");
    assert_eq!(units[0]["name"], "By SD_id");
    assert_eq!(units[1]["name"], "By SD_id after CS_id");
    // CS_id wins over code_1C and relinks the record to the code it is sent with.
    assert_eq!(units[1]["code_1C"], "pc");
    // Now two records share `pc`: the lower-numbered is found first.
    let (_, again) = sd
        .set(
            "setUnit",
            "unit",
            json!([{ "code_1C": "pc", "name": "First pc" }]),
        )
        .await;
    assert_eq!(again["result"]["data"]["unit"][0]["SD_id"], "d0_1");
}

#[tokio::test]
async fn round_trip_with_period_paging_and_sort() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-03-01T05:00:00Z" }))
        .await; // 10:00 server time
    let first: Vec<Value> = (1..=3)
        .map(|i| json!({ "code_1C": format!("C{i}"), "name": format!("Cur {i}") }))
        .collect();
    assert_eq!(
        sd.set("setValyutaType", "valyutaType", json!(first))
            .await
            .0,
        200
    );
    sd.clock(json!({ "action": "set", "at": "2025-03-02T05:00:00Z" }))
        .await;
    let second: Vec<Value> = (4..=5)
        .map(|i| json!({ "code_1C": format!("C{i}"), "name": format!("Cur {i}") }))
        .collect();
    assert_eq!(
        sd.set("setValyutaType", "valyutaType", json!(second))
            .await
            .0,
        200
    );
    sd.clock(json!({ "action": "set", "at": "2025-03-03T05:00:00Z" }))
        .await;
    // Set again by code_1C: updates, no duplicates.
    let touched = json!([{ "code_1C": "C1", "name": "Cur 1 renamed", "short": "C1" }]);
    let (_, body) = sd.set("setValyutaType", "valyutaType", touched).await;
    assert_eq!(body["result"]["data"]["valyutaType"][0]["SD_id"], "d0_1");

    let codes = |page: &Value| -> Vec<String> {
        page["result"]["valyutaType"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code_1C"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = sd.get("getValyutaType", json!({})).await;
    assert_eq!(codes(&all), ["C1", "C2", "C3", "C4", "C5"]);
    assert_eq!(
        all["pagination"],
        json!({ "limit": 1000, "total": 5, "page": 1 })
    );
    assert_eq!(all["result"]["valyutaType"][0]["name"], "Cur 1 renamed");

    let by_update =
        json!({ "period": { "from": "2025-03-02", "to": "2025-03-03 23:59:59", "by": "update" } });
    let (_, updated) = sd.get("getValyutaType", by_update).await;
    assert_eq!(codes(&updated), ["C1", "C4", "C5"]);
    let by_create = json!({ "period": { "from": "2025-03-02 00:00:00", "by": "create" } });
    assert_eq!(
        codes(&sd.get("getValyutaType", by_create).await.1),
        ["C4", "C5"]
    );
    let to_day = json!({ "period": { "to": "2025-03-01", "by": "create" } });
    assert_eq!(
        codes(&sd.get("getValyutaType", to_day).await.1),
        ["C1", "C2", "C3"]
    );

    let sorted = json!({ "sort": { "by": "update", "order": "DESC" }, "limit": 2, "page": 1 });
    let (_, page1) = sd.get("getValyutaType", sorted.clone()).await;
    assert_eq!(codes(&page1), ["C1", "C5"]);
    assert_eq!(
        page1["pagination"],
        json!({ "limit": 2, "total": 5, "page": 1 })
    );
    let mut next = sorted;
    next["page"] = json!(3);
    assert_eq!(codes(&sd.get("getValyutaType", next).await.1), ["C2"]);
    let beyond = json!({ "limit": 2, "page": 9 });
    let (_, empty) = sd.get("getValyutaType", beyond).await;
    assert_eq!(codes(&empty), Vec::<String>::new());
    assert_eq!(empty["pagination"]["total"], 5);

    assert_error(
        &sd.get("getValyutaType", json!({ "sort": { "by": "name" } }))
            .await,
        400,
        "params.sort.by must be create or update",
    );
    assert_error(
        &sd.get(
            "getValyutaType",
            json!({ "period": { "from": "yesterday" } }),
        )
        .await,
        400,
        "params.period.from is not a valid date",
    );
}

#[tokio::test]
async fn a_set_without_its_group_is_400() {
    let sd = Sd::new().await;
    assert_error(
        &sd.call(json!({ "method": "setUnit", "data": { "units": [] } }))
            .await,
        400,
        "Required field \"data.unit\" is missing",
    );
    assert_error(
        &sd.call(json!({ "method": "setUnit" })).await,
        400,
        "Required field \"data.unit\" is missing",
    );
}
