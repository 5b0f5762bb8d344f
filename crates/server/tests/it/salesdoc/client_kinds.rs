//! The references clients link to: categories (9.3 / 10.3), sales channels (9.19 / 10.4),
//! client types (9.20 / 10.5), territories (9.16 / 10.19), and the seeded trade directions
//! (9.18) and tags (9.47): the documented examples as sent, bad records among good ones,
//! `include`, filials, a round trip, and another account seeing nothing.

use serde_json::{json, Value};

use super::{assert_error, column, Sd};

#[tokio::test]
async fn documented_examples_answer_in_the_documented_shapes() {
    let sd = Sd::new().await;
    let category = json!({ "code_1C": "000000001", "name": "Wholesale", "description": "Wholesale buyer", "active": true });
    let (status, done) = sd
        .set("setClientCategory", "clientCategory", json!([category]))
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        done["result"]["data"]["clientCategory"],
        json!([{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001" }])
    );
    let (_, page) = sd
        .get(
            "getClientCategory",
            json!({ "filter": { "include": "all" } }),
        )
        .await;
    assert_eq!(
        page,
        json!({ "status": true, "result": { "clientCategory": [{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001", "name": "Wholesale", "description": "Wholesale buyer", "active": "Y", "sort": 500 }] }, "pagination": { "limit": 1000, "total": 1, "page": 1 } })
    );

    let channel = json!([{ "code_1C": "CH001", "name": "Retail" }]);
    assert_eq!(
        sd.set("setClientChannel", "clientChannel", channel).await.0,
        200
    );
    let (_, channels) = sd.get("getClientChannel", json!({})).await;
    assert_eq!(
        channels,
        json!({ "status": true, "result": [{ "CS_id": "1", "SD_id": "1", "code_1C": "CH001", "name": "Retail" }] })
    );

    // setClientType takes `data` as the bare array.
    let types = json!({ "method": "setClientType", "data": [{ "SD_id": "", "code_1C": "TP001", "name": "VIP", "color": "#FF0000", "active": true }] });
    let (status, done) = sd.call(types).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["result"]["data"]["clientType"][0]["code_1C"], "TP001");
    let (_, types) = sd.get("getClientType", json!({})).await;
    assert_eq!(
        types,
        json!({ "status": true, "result": [{ "CS_id": "1", "SD_id": "1", "code_1C": "TP001", "name": "VIP", "color": "#FF0000", "active": "Y" }] })
    );

    let region = json!([{ "code_1C": "000000013", "name": "Tashkent", "sort": 500 }]);
    let (status, seeded) = sd.seed("region", None, region).await;
    assert_eq!(status, 200, "{seeded}");
    let cities = json!([
        { "code_1C": "000000001", "name": "Chilanzar", "active": true, "lat": 41.2995, "lng": 69.2401 },
        { "code_1C": "000000002", "name": "Yunusabad", "region": { "code_1C": "000000013" } },
    ]);
    assert_eq!(sd.set("setTerritory", "city", cities).await.0, 200);
    let (_, territory) = sd.get("getTerritory", json!({})).await;
    assert_eq!(
        territory,
        json!({ "status": true, "result": {
            "region": [{ "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000013", "name": "Tashkent", "active": "Y", "sort": 500 }],
            "city": [
                { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000001", "name": "Chilanzar", "active": "Y", "sort": 500, "region": null },
                { "CS_id": "d0_2", "SD_id": "d0_2", "code_1C": "000000002", "name": "Yunusabad", "active": "Y", "sort": 500, "region": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "000000013" } },
            ],
        }, "pagination": { "limit": 1000, "total": 3, "page": 1 } })
    );
    // One page runs over the regions, then the cities.
    let (_, second) = sd
        .get("getTerritory", json!({ "limit": 2, "page": 1 }))
        .await;
    assert_eq!(
        column(&second["result"]["city"], "name"),
        [&json!("Chilanzar")]
    );
    let (_, third) = sd
        .get("getTerritory", json!({ "limit": 2, "page": 2 }))
        .await;
    assert_eq!(third["result"]["region"], json!([]));
    assert_eq!(
        column(&third["result"]["city"], "name"),
        [&json!("Yunusabad")]
    );
}

#[tokio::test]
async fn seeded_trade_directions_and_tags_are_listed() {
    let sd = Sd::new().await;
    let directions = json!([{ "code_1C": "TD1", "name": "Main direction", "desc": "Description" }]);
    assert_eq!(sd.seed("tradeDirection", None, directions).await.0, 200);
    let (_, page) = sd.get("getTradeDirection", json!({})).await;
    assert_eq!(
        page,
        json!({ "status": true, "result": { "tradeDirection": [{ "CS_id": "1", "SD_id": "1", "name": "Main direction", "desc": "Description", "active": "Y" }] }, "pagination": { "limit": 1000, "total": 1, "page": 1 } })
    );
    let tags = json!([{ "name": "Wholesale" }, { "name": "Retail", "active": "N" }]);
    let (status, seeded) = sd.seed("tag", None, tags).await;
    // Without an identifier a record is refused, as in every SET method.
    assert_eq!(status, 400, "{seeded}");
    let tags = json!([{ "code_1C": "t1", "name": "Wholesale" }, { "code_1C": "t2", "name": "Retail", "active": "N" }]);
    assert_eq!(sd.seed("tag", None, tags).await.0, 200);
    let (_, listed) = sd.call(json!({ "method": "getTag" })).await;
    assert_eq!(
        listed,
        json!({ "status": true, "result": { "data": [{ "id": 1, "name": "Wholesale", "active": "Y" }, { "id": 2, "name": "Retail", "active": "N" }] } })
    );
    let (status, _) = sd.seed("clientType", None, json!([])).await;
    assert_eq!(status, 400, "a kind with a SET method is not seeded");
}

#[tokio::test]
async fn a_bad_record_fails_alone_and_include_filters_by_source() {
    let sd = Sd::new().await;
    let records = json!([
        { "code_1C": "W", "name": "Wholesale" },
        { "code_1C": "X" },
        { "SD_id": "d0_50", "name": "Made in SalesDoc" },
        { "code_1C": "R", "name": "Retail", "active": "sometimes" },
    ]);
    let (status, body) = sd.set("setClientCategory", "clientCategory", records).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["completed"], 2);
    assert_eq!(
        column(&body["error"]["data"]["clientCategory"], "index"),
        [&json!(1), &json!(3)]
    );
    let include = |which: &str| json!({ "filter": { "include": which } });
    let names = |page: &Value| {
        column(&page["result"]["clientCategory"], "name")
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&sd.get("getClientCategory", include("sd")).await.1),
        [json!("Made in SalesDoc")]
    );
    assert_eq!(
        names(&sd.get("getClientCategory", include("1c")).await.1),
        [json!("Wholesale")]
    );
    assert_eq!(
        names(&sd.get("getClientCategory", include("all")).await.1).len(),
        2
    );
    assert_error(
        &sd.get("getClientCategory", include("some")).await,
        400,
        "params.filter.include must be sd, 1c or all",
    );

    let types = json!({ "method": "setClientType", "data": [{ "code_1C": "A", "name": "A" }, { "code_1C": "B", "color": "#000" }] });
    let (status, body) = sd.call(types).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["data"]["clientType"][0]["errors"],
        json!(["name is required"])
    );
    let (status, body) = sd
        .set("setTerritory", "city", json!([{ "code_1C": "C", "name": "C", "lat": "north" }, { "code_1C": "D", "name": "D", "region": { "code_1C": "nowhere" } }]))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["result"]["error"], 2);
    assert_eq!(
        body["error"]["data"]["city"][0]["errors"],
        json!(["lat must be a number"])
    );
    assert_eq!(
        body["error"]["data"]["city"][1]["errors"],
        json!(["region not found"])
    );
}

#[tokio::test]
async fn filial_kinds_carry_its_prefix_and_categories_none() {
    let sd = Sd::new().await;
    sd.filials(json!([{ "filial_id": "FIL001", "name": "Tashkent", "prefix": "F1" }]))
        .await;
    let in_filial = |method: &str, data: Value| json!({ "method": method, "filial": { "filial_id": "FIL001" }, "data": data });
    let (_, channel) = sd
        .call(in_filial(
            "setClientChannel",
            json!({ "clientChannel": [{ "code_1C": "CH", "name": "Retail" }] }),
        ))
        .await;
    assert_eq!(
        channel["result"]["data"]["clientChannel"][0]["CS_id"],
        "F1-1"
    );
    let (_, category) = sd
        .call(in_filial(
            "setClientCategory",
            json!({ "clientCategory": [{ "code_1C": "W", "name": "W" }] }),
        ))
        .await;
    assert_eq!(
        category["result"]["data"]["clientCategory"][0]["CS_id"],
        "d0_1"
    );
    // The head office does not see the filial's channel; the filial finds it by CS_id.
    assert_eq!(
        sd.get("getClientChannel", json!({})).await.1["result"],
        json!([])
    );
    let (_, renamed) = sd
        .call(in_filial(
            "setClientChannel",
            json!({ "clientChannel": [{ "CS_id": "f1-1", "name": "Retail 2" }] }),
        ))
        .await;
    assert_eq!(
        renamed["result"]["data"]["clientChannel"][0]["code_1C"],
        "CH"
    );
}

#[tokio::test]
async fn round_trip_updates_by_code_and_another_account_sees_nothing() {
    let sd = Sd::new().await;
    sd.clock(json!({ "action": "freeze", "at": "2025-03-01T05:00:00Z" }))
        .await;
    let first: Vec<Value> = (1..=3)
        .map(|i| json!({ "code_1C": format!("T{i}"), "name": format!("Type {i}") }))
        .collect();
    assert_eq!(
        sd.call(json!({ "method": "setClientType", "data": first }))
            .await
            .0,
        200
    );
    sd.clock(json!({ "action": "set", "at": "2025-03-02T05:00:00Z" }))
        .await;
    let again =
        json!([{ "code_1C": "T2", "name": "Type 2 renamed", "color": "#00FF00", "active": "N" }]);
    let (_, body) = sd
        .call(json!({ "method": "setClientType", "data": again }))
        .await;
    assert_eq!(body["result"]["data"]["clientType"][0]["SD_id"], "2");
    let by_update = json!({ "period": { "from": "2025-03-02", "by": "update" } });
    let (_, updated) = sd.get("getClientType", by_update).await;
    assert_eq!(
        updated["result"],
        json!([{ "CS_id": "2", "SD_id": "2", "code_1C": "T2", "name": "Type 2 renamed", "color": "#00FF00", "active": "N" }])
    );
    let sorted = json!({ "sort": { "by": "update", "order": "DESC" }, "limit": 2, "page": 1 });
    let (_, page) = sd.get("getClientType", sorted).await;
    assert_eq!(
        column(&page["result"], "code_1C"),
        [&json!("T2"), &json!("T3")]
    );
    let (_, all) = sd.get("getClientType", json!({})).await;
    assert_eq!(all["result"].as_array().unwrap().len(), 3);

    let other = Sd::new().await;
    for method in ["getClientType", "getClientChannel"] {
        assert_eq!(other.get(method, json!({})).await.1["result"], json!([]));
    }
    let (_, territory) = other.get("getTerritory", json!({})).await;
    assert_eq!(territory["pagination"]["total"], 0);
}
