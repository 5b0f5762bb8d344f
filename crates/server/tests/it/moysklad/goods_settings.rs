//! Catalog settings (`/entity/assortment/settings`) and what they drive: filled-in and
//! unique codes, generated EAN-13 barcodes, shared new goods; and sale prices merged by
//! price type.

use reqwest::Method;
use serde_json::json;

use super::goods::{created, path_of};
use super::{code, Ms};

#[tokio::test]
async fn sale_prices_merge_by_price_type_and_codes_stay_unique() {
    let ms = Ms::new().await;
    let product = created(
        &ms,
        "product",
        json!({ "name": "Сок", "salePrices": [{ "value": 100 }] }),
    )
    .await;
    let path = path_of(&product);
    let (_, updated) = ms
        .put(&path, json!({ "salePrices": [{ "value": 250 }] }))
        .await;
    assert_eq!(updated["salePrices"].as_array().unwrap().len(), 1);
    assert_eq!(updated["salePrices"][0]["value"].as_f64(), Some(250.0));

    created(
        &ms,
        "productfolder",
        json!({ "name": "Соки", "code": "juice" }),
    )
    .await;
    let (status, body) = ms.put(&path, json!({ "code": "juice" })).await;
    assert_eq!((status, code(&body)), (412, 3006), "{body}");
    assert_eq!(body["errors"][0]["parameter"], "code");
    let (status, body) = ms
        .post(
            "/entity/service",
            json!({ "name": "Услуга", "code": "00001" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3006));
    let (status, body) = ms
        .post(
            "/entity/productfolder",
            json!({ "name": "Папка", "code": "00001" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3006));
    let (status, _) = ms.put(&path, json!({ "code": "00001" })).await;
    assert_eq!(status, 200, "its own code is no duplicate");

    let taken = created(&ms, "product", json!({ "name": "Чай", "code": "00002" })).await;
    assert_eq!(taken["code"], "00002");
    let next = created(&ms, "product", json!({ "name": "Кофе" })).await;
    assert_eq!(next["code"], "00003", "a filled-in code skips taken ones");
}

#[tokio::test]
async fn catalog_settings_are_read_and_merged_per_account() {
    let ms = Ms::new().await;
    let (status, settings) = ms.get("/entity/assortment/settings").await;
    assert_eq!(status, 200);
    assert_eq!(settings["meta"]["type"], "assortmentsettings");
    assert_eq!(
        settings["meta"]["href"],
        ms.href("/entity/assortment/settings")
    );
    assert_eq!(
        settings["uniqueCodeRules"],
        json!({ "checkUniqueCode": true, "fillUniqueCode": true })
    );
    assert_eq!(settings["barcodeRules"]["fillEAN13Barcode"], true);
    assert_eq!(settings["createdShared"], true);

    let (status, changed) = ms
        .put(
            "/entity/assortment/settings",
            json!({ "uniqueCodeRules": { "fillUniqueCode": false, "checkUniqueCodeBoolean": true }, "barcodeRules": { "weightBarcodePrefix": 77 }, "nonsense": 1 }),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        changed["uniqueCodeRules"],
        json!({ "checkUniqueCode": true, "fillUniqueCode": false })
    );
    assert_eq!(changed["barcodeRules"]["weightBarcodePrefix"], 77);
    assert_eq!(changed["barcodeRules"]["fillEAN13Barcode"], true);
    assert!(changed.get("nonsense").is_none());
    let (_, again) = ms.get("/entity/assortment/settings").await;
    assert_eq!(again, changed);

    for (body, status, error) in [
        (json!({ "createdShared": "yes" }), 400, 2016),
        (json!({ "uniqueCodeRules": true }), 400, 2016),
        (
            json!({ "barcodeRules": { "weightBarcodePrefix": 100 } }),
            412,
            3005,
        ),
        (json!([{ "createdShared": true }]), 400, 2009),
    ] {
        let (got, answer) = ms.put("/entity/assortment/settings", body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }
    let (status, body) = ms
        .call(Method::POST, "/entity/assortment/settings", Some(json!({})))
        .await;
    assert_eq!((status, code(&body)), (405, 1039));

    let other = Ms::new().await;
    let (_, theirs) = other.get("/entity/assortment/settings").await;
    assert_eq!(theirs["uniqueCodeRules"]["fillUniqueCode"], true);
}

#[tokio::test]
async fn settings_drive_codes_barcodes_and_sharing() {
    let ms = Ms::new().await;
    ms.put(
        "/entity/assortment/settings",
        json!({ "uniqueCodeRules": { "fillUniqueCode": false, "checkUniqueCode": false }, "barcodeRules": { "fillEAN13Barcode": false }, "createdShared": false }),
    )
    .await;
    let plain = created(&ms, "product", json!({ "name": "Без кода" })).await;
    assert!(plain.get("code").is_none());
    assert!(plain.get("barcodes").is_none());
    assert_eq!(plain["shared"], false);
    for kind in ["service", "productfolder"] {
        let other = created(&ms, kind, json!({ "name": "Ещё", "code": "same" })).await;
        assert_eq!(other["shared"], false, "{kind}");
    }
    let twin = created(&ms, "product", json!({ "name": "Тоже", "code": "same" })).await;
    assert_eq!(twin["code"], "same", "duplicates pass with the check off");
    let shared = created(&ms, "product", json!({ "name": "Общий", "shared": true })).await;
    assert_eq!(shared["shared"], true);

    ms.put(
        "/entity/assortment/settings",
        json!({ "uniqueCodeRules": { "fillUniqueCode": true }, "barcodeRules": { "fillEAN13Barcode": true } }),
    )
    .await;
    let filled = created(&ms, "product", json!({ "name": "С кодом" })).await;
    assert_eq!(filled["code"], "00001");
    assert_eq!(filled["barcodes"], json!([{ "ean13": "2000000000015" }]));
    let given = created(
        &ms,
        "product",
        json!({ "name": "Свой", "barcodes": [{ "ean13": "4600000000008" }] }),
    )
    .await;
    assert_eq!(given["barcodes"], json!([{ "ean13": "4600000000008" }]));
    let empty = created(
        &ms,
        "product",
        json!({ "name": "Пустой", "barcodes": [{ "ean13": "" }] }),
    )
    .await;
    assert!(empty.get("barcodes").is_none(), "empty values ask for none");
    let asked = created(&ms, "product", json!({ "name": "Пусто", "barcodes": [] })).await;
    assert_eq!(asked["barcodes"], json!([{ "ean13": "2000000000022" }]));
}

#[tokio::test]
async fn concurrent_creates_get_distinct_codes_and_barcodes() {
    let ms = Ms::new().await;
    let mut creates = tokio::task::JoinSet::new();
    for n in 0..8 {
        let request = ms
            .request(Method::POST, "/entity/product")
            .json(&json!({ "name": format!("Товар {n}") }));
        creates.spawn(async move { super::read(request.send().await.expect("request")).await });
    }
    let mut codes = std::collections::BTreeSet::new();
    let mut barcodes = std::collections::BTreeSet::new();
    while let Some(done) = creates.join_next().await {
        let (status, product) = done.expect("a finished create");
        assert_eq!(status, 200, "{product}");
        codes.insert(product["code"].as_str().unwrap().to_owned());
        barcodes.insert(product["barcodes"][0]["ean13"].as_str().unwrap().to_owned());
    }
    let expected: std::collections::BTreeSet<String> = (1..=8).map(|n| format!("{n:05}")).collect();
    assert_eq!(codes, expected);
    assert_eq!(barcodes.len(), 8);
}

/// A mass create stores its elements together, yet each is checked as if the ones
/// before it were already stored: a code given twice, or given after another element
/// got it filled in, is 3006 for the later element only; filled-in codes stay distinct.
#[tokio::test]
async fn mass_create_keeps_codes_unique_within_the_request() {
    let ms = Ms::new().await;
    let (status, body) = ms
        .post(
            "/entity/product",
            json!([
                { "name": "Первый", "code": "dup" },
                { "name": "Второй" },
                { "name": "Третий", "code": "dup" },
                { "name": "Четвёртый", "code": "00001" },
                { "name": "Пятый" },
                { "name": "Шестой", "code": "own" }
            ]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rows = body.as_array().expect("one result per element");
    assert_eq!(rows[0]["code"], "dup");
    assert_eq!(rows[1]["code"], "00001");
    assert_eq!(code(&rows[2]), 3006, "the second 'dup': {}", rows[2]);
    assert_eq!(
        code(&rows[3]),
        3006,
        "a code filled in for element 2: {}",
        rows[3]
    );
    assert_eq!(rows[4]["code"], "00002");
    assert_eq!(rows[5]["code"], "own");
    let (_, listed) = ms.get("/entity/product?order=code").await;
    let codes: Vec<&str> = listed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row["code"].as_str())
        .collect();
    assert_eq!(codes, ["00001", "00002", "dup", "own"], "what was stored");
}

/// A mass create checks its codes together: codes the catalog holds and codes given twice
/// in the request are refused per element, filled-in codes skip the taken ones, and a code
/// an update in the same request gives up is free for a later element.
#[tokio::test]
async fn mass_create_checks_given_and_filled_in_codes() {
    let ms = Ms::new().await;
    created(
        &ms,
        "service",
        json!({ "name": "Доставка", "code": "00002" }),
    )
    .await;
    let old = created(&ms, "product", json!({ "name": "Старый", "code": "old" })).await;
    let (status, body) = ms
        .post(
            "/entity/product",
            json!([
                { "name": "Первый" },
                { "name": "Дубль", "code": "00002" },
                { "name": "Свой", "code": "own" },
                { "name": "Снова свой", "code": "own" },
                { "meta": old["meta"], "code": "renamed" },
                { "name": "Бывший", "code": "old" },
                { "name": "Второй" },
                { "name": "Третий" }
            ]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let results = body.as_array().unwrap();
    let codes: Vec<&str> = results
        .iter()
        .map(|r| r["code"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        codes,
        ["00001", "-", "own", "-", "renamed", "old", "00003", "00004"],
        "{body}"
    );
    for refused in [&results[1], &results[3]] {
        assert_eq!(refused["errors"][0]["code"], 3006, "{refused}");
    }
    let barcodes: std::collections::HashSet<&str> = [0, 2, 5, 6, 7]
        .iter()
        .filter_map(|&created| results[created]["barcodes"][0]["ean13"].as_str())
        .collect();
    assert_eq!(
        barcodes.len(),
        5,
        "every new good has its own EAN-13: {body}"
    );

    let (_, next) = ms.post("/entity/product", json!({ "name": "После" })).await;
    let code: u32 = next["code"].as_str().unwrap().parse().unwrap();
    assert!(code > 4, "filled-in codes never repeat: {next}");
}
