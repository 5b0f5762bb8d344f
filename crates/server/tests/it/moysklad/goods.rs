//! Catalog goods: products and services (fields, defaults, prices, barcodes, errors),
//! attributes shared with the product, folder paths, bulk operations and deletes. Catalog
//! settings, bundles and variants have their own files.

use reqwest::Method;
use serde_json::{json, Value};

use super::conventions::urlencode;
use super::{code, Ms};

/// Creates an entity of `kind` and answers it, asserting success.
pub async fn created(ms: &Ms, kind: &str, body: Value) -> Value {
    let (status, created) = ms.post(&format!("/entity/{kind}"), body).await;
    assert_eq!(status, 200, "{created}");
    created
}

/// The path of an entity answered by the API.
pub fn path_of(entity: &Value) -> String {
    let href = entity["meta"]["href"].as_str().expect("an href");
    href[href.find("/entity/").expect("an entity href")..].to_owned()
}

pub fn reference(entity: &Value) -> Value {
    json!({ "meta": entity["meta"] })
}

#[tokio::test]
async fn a_new_product_gets_the_catalog_defaults() {
    let ms = Ms::new().await;
    let first = created(&ms, "product", json!({ "name": "Мандарины" })).await;
    assert_eq!(first["code"], "00001");
    assert_eq!(first["barcodes"], json!([{ "ean13": "2000000000015" }]));
    assert_eq!(
        (first["shared"].as_bool(), first["archived"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(first["pathName"], "");
    assert_eq!(
        (
            first["vatEnabled"].as_bool(),
            first["useParentVat"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert!(first.get("effectiveVat").is_none());
    assert_eq!(first["variantsCount"], 0);
    assert_eq!(first["trackingType"], "NOT_TRACKED");
    assert_eq!(first["isSerialTrackable"], false);
    assert!(
        first.get("weighed").is_none(),
        "weighed shows only when set"
    );
    assert_eq!(first["weight"].as_f64(), Some(0.0));
    assert_eq!(first["images"]["meta"]["type"], "image");
    assert_eq!(first["images"]["meta"]["size"], 0);
    assert_eq!(
        first["meta"]["metadataHref"],
        ms.href("/entity/product/metadata")
    );
    let price = &first["salePrices"][0];
    assert_eq!(price["value"].as_f64(), Some(0.0));
    assert_eq!(price["priceType"]["name"], "Цена продажи");
    assert_eq!(price["priceType"]["meta"]["type"], "pricetype");
    let (_, rub) = ms.get("/entity/currency?filter=isoCode=RUB").await;
    assert_eq!(
        price["currency"]["meta"]["href"],
        rub["rows"][0]["meta"]["href"]
    );

    let second = created(&ms, "product", json!({ "name": "Апельсины" })).await;
    assert_eq!(second["code"], "00002");
    assert_eq!(second["barcodes"], json!([{ "ean13": "2000000000022" }]));
    let service = created(&ms, "service", json!({ "name": "Доставка" })).await;
    assert_eq!(service["code"], "00003", "one counter for every good");
    assert_eq!(service["barcodes"], json!([{ "ean13": "2000000000039" }]));

    let (status, fetched) = ms.get(&path_of(&first)).await;
    assert_eq!(status, 200);
    assert_eq!(fetched["name"], "Мандарины");
    let (_, listed) = ms.get("/entity/product?search=апельс").await;
    assert_eq!(listed["meta"]["size"], 1);
    assert_eq!(listed["rows"][0]["name"], "Апельсины");
    let (_, ordered) = ms.get("/entity/product?order=code,desc").await;
    assert_eq!(ordered["rows"][0]["code"], "00002");
    let (_, filtered) = ms.get("/entity/product?filter=code=00001").await;
    assert_eq!(filtered["rows"][0]["name"], "Мандарины");

    let stranger = Ms::new().await;
    let (status, _) = stranger.get(&path_of(&first)).await;
    assert_eq!(status, 404, "another account sees none of it");
    let theirs = created(&stranger, "product", json!({ "name": "Своё" })).await;
    assert_eq!(
        (
            theirs["code"].as_str(),
            theirs["barcodes"][0]["ean13"].as_str()
        ),
        (Some("00001"), Some("2000000000015")),
        "counters are per account"
    );
}

#[tokio::test]
async fn a_product_keeps_what_it_is_given() {
    let ms = Ms::new().await;
    let supplier = created(&ms, "counterparty", json!({ "name": "ООО Фрукты" })).await;
    let (_, organizations) = ms.get("/entity/organization").await;
    let (_, uom) = ms.get("/entity/uom").await;
    let (_, price_type) = ms.get("/context/companysettings/pricetype/default").await;
    let product = created(
        &ms,
        "product",
        json!({
            "name": "Тыква", "code": "pumpkin1", "article": "Ar23", "description": "Тыква, Германия",
            "vat": 18, "weight": 200, "volume": 300, "minimumBalance": 5,
            "uom": reference(&uom["rows"][0]), "supplier": reference(&supplier),
            "barcodes": [{ "ean8": "20000000" }, { "code128": "code128 barcode" }, { "gtin": "00000000000130" }],
            "buyPrice": { "value": 54.0 },
            "minPrice": { "value": 500.0 },
            "salePrices": [{ "value": 3353, "priceType": { "meta": price_type["meta"] } }],
            "alcoholic": { "type": 200, "strength": 40.5, "excise": true },
            "weighed": true, "paymentItemType": "EXCISABLE_GOOD", "trackingType": "BEER_ALCOHOL",
        }),
    )
    .await;
    assert_eq!(product["code"], "pumpkin1");
    assert_eq!(product["barcodes"].as_array().unwrap().len(), 3);
    assert_eq!(
        (
            product["effectiveVat"].as_i64(),
            product["vatEnabled"].as_bool()
        ),
        (Some(18), Some(true))
    );
    assert_eq!(product["useParentVat"], false);
    assert_eq!(product["salePrices"][0]["value"].as_f64(), Some(3353.0));
    assert_eq!(product["buyPrice"]["value"].as_f64(), Some(54.0));
    assert_eq!(product["buyPrice"]["currency"]["meta"]["type"], "currency");
    assert_eq!(product["alcoholic"]["type"], 200);
    assert_eq!(product["weighed"], true);
    assert_eq!(product["minimumBalance"].as_f64(), Some(5.0));
    assert_eq!(
        product["supplier"]["meta"]["href"],
        supplier["meta"]["href"]
    );

    let path = path_of(&product);
    let (_, expanded) = ms.get(&format!("{path}?expand=supplier,uom")).await;
    assert_eq!(expanded["supplier"]["name"], "ООО Фрукты");
    assert_eq!(expanded["uom"]["name"], "шт");
    let (status, moved) = ms
        .put(
            &path,
            json!({ "supplier": reference(&organizations["rows"][0]), "buyPrice": null, "barcodes": [{ "ean13": "4600000000008" }] }),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["supplier"]["meta"]["type"], "organization");
    assert!(moved.get("buyPrice").is_none());
    assert_eq!(moved["barcodes"], json!([{ "ean13": "4600000000008" }]));
    assert_eq!(moved["article"], "Ar23", "a PUT changes only what it gives");

    for (filter, size) in [
        ("article=Ar23", 1),
        ("weighed=true", 1),
        ("alcoholic.type=200", 1),
        ("weight>100", 1),
        ("weight<100", 0),
    ] {
        let (status, found) = ms
            .get(&format!("/entity/product?filter={}", urlencode(filter)))
            .await;
        assert_eq!(
            (status, found["meta"]["size"].as_u64()),
            (200, Some(size)),
            "{filter}: {found}"
        );
    }
}

#[tokio::test]
async fn bad_product_fields_get_the_vendors_errors() {
    let ms = Ms::new().await;
    let store = created(&ms, "store", json!({ "name": "Склад 2" })).await;
    let missing =
        "https://api.moysklad.ru/api/remap/1.2/entity/uom/6b44332f-b0ac-11ea-ac14-000a00000002";
    for (body, status, error) in [
        (json!({ "code": "x" }), 412, 3000),
        (json!({ "name": "x", "weight": "heavy" }), 400, 2016),
        (json!({ "name": "x", "weight": -1 }), 412, 3002),
        (json!({ "name": "x", "vat": 120 }), 412, 3005),
        (
            json!({ "name": "x", "barcodes": [{ "qr": "1" }] }),
            412,
            3005,
        ),
        (
            json!({ "name": "x", "barcodes": ["2000000000015"] }),
            412,
            3012,
        ),
        (
            json!({ "name": "x", "barcodes": [{ "gtin": "00000000000131" }] }),
            412,
            3014,
        ),
        (
            json!({ "name": "x", "barcodes": [{ "code128": "7".repeat(256) }] }),
            412,
            3011,
        ),
        (json!({ "name": "x", "trackingType": "ROCKETS" }), 412, 3005),
        (
            json!({ "name": "x", "paymentItemType": "SERVICE" }),
            412,
            3005,
        ),
        (
            json!({ "name": "x", "salePrices": [{ "value": -5 }] }),
            412,
            3002,
        ),
        (
            json!({ "name": "x", "salePrices": [{ "value": 1 }, { "value": 2 }] }),
            412,
            3013,
        ),
        (
            json!({ "name": "x", "isSerialTrackable": true, "weighed": true }),
            412,
            3028,
        ),
        (
            json!({ "name": "x", "supplier": reference(&store) }),
            400,
            1060,
        ),
        (
            json!({ "name": "x", "uom": { "meta": { "href": missing, "type": "uom" } } }),
            404,
            1021,
        ),
    ] {
        let (got, answer) = ms.post("/entity/product", body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }
    let (_, list) = ms.get("/entity/product").await;
    assert_eq!(list["meta"]["size"], 0, "nothing half-created");
}

#[tokio::test]
async fn services_and_bundles_share_the_products_attributes() {
    let ms = Ms::new().await;
    let (status, definition) = ms
        .post(
            "/entity/product/metadata/attributes",
            json!({ "name": "Страна", "type": "string" }),
        )
        .await;
    assert_eq!(status, 200, "{definition}");
    let value = json!([{ "meta": definition["meta"], "value": "Россия" }]);
    let service = created(
        &ms,
        "service",
        json!({ "name": "Монтаж", "attributes": value, "paymentItemType": "WORK" }),
    )
    .await;
    assert_eq!(service["attributes"][0]["value"], "Россия");
    assert_eq!(
        service["attributes"][0]["meta"]["href"],
        definition["meta"]["href"]
    );
    assert_eq!(
        service["meta"]["metadataHref"],
        ms.href("/entity/product/metadata")
    );
    assert!(service.get("images").is_none());
    let (status, body) = ms
        .post(
            "/entity/service",
            json!({ "name": "x", "paymentItemType": "GOOD" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3005));

    for kind in ["service", "bundle"] {
        let (_, metadata) = ms
            .get(&format!("/entity/{kind}/metadata?expand=attributes"))
            .await;
        assert_eq!(metadata["attributes"]["meta"]["size"], 1, "{kind}");
        assert_eq!(metadata["attributes"]["rows"][0]["name"], "Страна");
        let (_, definitions) = ms.get(&format!("/entity/{kind}/metadata/attributes")).await;
        assert_eq!(definitions["rows"][0]["id"], definition["id"], "{kind}");
    }
    let filter = urlencode(&format!(
        "{}=Россия",
        definition["meta"]["href"].as_str().unwrap()
    ));
    let (_, found) = ms.get(&format!("/entity/service?filter={filter}")).await;
    assert_eq!(found["meta"]["size"], 1);
    let (status, body) = ms
        .post(
            "/entity/productfolder/metadata/attributes",
            json!({ "name": "Своё", "type": "string" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, refused) = ms
        .post(
            "/entity/service",
            json!({ "name": "y", "attributes": [{ "meta": body["meta"], "value": "z" }] }),
        )
        .await;
    assert_eq!((status, code(&refused)), (400, 14000));
}

#[tokio::test]
async fn goods_follow_their_folders_path_and_vat() {
    let ms = Ms::new().await;
    let top = created(&ms, "productfolder", json!({ "name": "Еда", "vat": 10 })).await;
    let inner = created(
        &ms,
        "productfolder",
        json!({ "name": "Фрукты", "productFolder": reference(&top) }),
    )
    .await;
    let product = created(
        &ms,
        "product",
        json!({ "name": "Яблоко", "productFolder": reference(&inner) }),
    )
    .await;
    assert_eq!(product["pathName"], "Еда/Фрукты");
    let (_, expanded) = ms
        .get(&format!("{}?expand=productFolder", path_of(&product)))
        .await;
    assert_eq!(expanded["productFolder"]["name"], "Фрукты");
    assert_eq!(
        (
            product["effectiveVat"].as_i64(),
            product["effectiveVatEnabled"].as_bool()
        ),
        (Some(10), Some(true))
    );
    let service = created(
        &ms,
        "service",
        json!({ "name": "Мойка", "productFolder": reference(&top), "vat": 20 }),
    )
    .await;
    assert_eq!(service["pathName"], "Еда");
    assert_eq!(service["effectiveVat"], 20, "its own rate wins");

    ms.put(&path_of(&top), json!({ "name": "Продукты" })).await;
    let (_, product_now) = ms.get(&path_of(&product)).await;
    assert_eq!(product_now["pathName"], "Продукты/Фрукты");
    let (_, service_now) = ms.get(&path_of(&service)).await;
    assert_eq!(service_now["pathName"], "Продукты");
    ms.put(&path_of(&inner), json!({ "productFolder": null }))
        .await;
    let (_, product_now) = ms.get(&path_of(&product)).await;
    assert_eq!(product_now["pathName"], "Фрукты");
    assert!(product_now.get("effectiveVat").is_none());

    let filter = urlencode(&format!(
        "productFolder={}",
        inner["meta"]["href"].as_str().unwrap()
    ));
    let (_, held) = ms.get(&format!("/entity/product?filter={filter}")).await;
    assert_eq!(held["meta"]["size"], 1);
    let (_, moved) = ms
        .put(&path_of(&product), json!({ "productFolder": null }))
        .await;
    assert_eq!(moved["pathName"], "");
    assert!(moved.get("productFolder").is_none());
}

#[tokio::test]
async fn folders_holding_goods_and_units_in_use_are_not_deleted() {
    let ms = Ms::new().await;
    let top = created(&ms, "productfolder", json!({ "name": "Верх" })).await;
    let inner = created(
        &ms,
        "productfolder",
        json!({ "name": "Низ", "productFolder": reference(&top) }),
    )
    .await;
    let unit = created(&ms, "uom", json!({ "name": "кг" })).await;
    let supplier = created(&ms, "counterparty", json!({ "name": "Сыроварня" })).await;
    let product = created(
        &ms,
        "product",
        json!({ "name": "Сыр", "productFolder": reference(&inner), "uom": reference(&unit), "supplier": reference(&supplier) }),
    )
    .await;
    let (status, body) = ms.call(Method::DELETE, &path_of(&top), None).await;
    assert_eq!((status, code(&body)), (409, 1028), "{body}");
    let (status, body) = ms.call(Method::DELETE, &path_of(&inner), None).await;
    assert_eq!((status, code(&body)), (409, 1028));
    assert_eq!(
        body["errors"][0]["dependencies"][0]["href"],
        product["meta"]["href"]
    );
    let (status, _) = ms.get(&path_of(&inner)).await;
    assert_eq!(status, 200, "nothing was deleted");
    for used in [&unit, &supplier] {
        let (status, body) = ms.call(Method::DELETE, &path_of(used), None).await;
        assert_eq!((status, code(&body)), (409, 1028), "{body}");
    }

    ms.put(
        &path_of(&product),
        json!({ "productFolder": null, "uom": null, "supplier": null }),
    )
    .await;
    for entity in [&top, &unit, &supplier] {
        let (status, body) = ms.call(Method::DELETE, &path_of(entity), None).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, _) = ms.get(&path_of(&inner)).await;
    assert_eq!(status, 404, "the sub-folder went with its folder");
}

#[tokio::test]
async fn goods_are_created_updated_and_deleted_in_bulk() {
    let ms = Ms::new().await;
    let (status, answer) = ms
        .post(
            "/entity/product",
            json!([{ "name": "Первый" }, { "code": "без имени" }, { "name": "Второй", "weight": -1 }]),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer[0]["name"], "Первый");
    assert_eq!(code(&answer[1]), 3000);
    assert_eq!(code(&answer[2]), 3002);
    let first = answer[0].clone();
    let (status, answer) = ms
        .post("/entity/service/batch", json!([{ "name": "Услуга" }]))
        .await;
    assert_eq!(status, 200);
    let service = answer[0].clone();
    let (_, answer) = ms
        .post(
            "/entity/product/batch",
            json!([{ "meta": first["meta"], "article": "A-1" }]),
        )
        .await;
    assert_eq!(answer[0]["article"], "A-1");
    assert_eq!(answer[0]["name"], "Первый");

    let (status, answer) = ms
        .post("/entity/product/delete", json!([reference(&first)]))
        .await;
    assert_eq!(status, 200);
    assert!(answer[0]["info"].as_str().unwrap().contains("product"));
    let (status, _) = ms.call(Method::DELETE, &path_of(&service), None).await;
    assert_eq!(status, 200);
    let (status, _) = ms.get(&path_of(&service)).await;
    assert_eq!(status, 404);
    let (_, employee) = ms.get("/context/employee").await;
    for kind in ["product", "service", "bundle", "variant", "consignment"] {
        assert_eq!(employee["permissions"][kind]["create"], "ALL", "{kind}");
    }
}
