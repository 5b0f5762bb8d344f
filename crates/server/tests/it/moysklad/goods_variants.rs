//! Variants with their characteristics, and consignments: derived names, prices taken from
//! the product, and what goes when a product is deleted.

use reqwest::Method;
use serde_json::{json, Value};

use super::conventions::urlencode;
use super::goods::{created, path_of, reference};
use super::{code, Ms};

async fn characteristic(ms: &Ms, name: &str) -> Value {
    created(
        ms,
        "variant/metadata/characteristics",
        json!({ "name": name }),
    )
    .await
}

#[tokio::test]
async fn characteristics_are_listed_created_and_read() {
    let ms = Ms::new().await;
    let size = characteristic(&ms, "Размер").await;
    assert_eq!(size["meta"]["type"], "attributemetadata");
    assert_eq!(
        size["meta"]["href"],
        ms.href(&format!(
            "/entity/variant/metadata/characteristics/{}",
            size["id"].as_str().unwrap()
        ))
    );
    assert_eq!(
        (size["type"].as_str(), size["required"].as_bool()),
        (Some("string"), Some(false))
    );
    let (status, many) = ms
        .post(
            "/entity/variant/metadata/characteristics",
            json!([{ "name": "Цвет" }, { "name": "Размер" }, { "title": "x" }]),
        )
        .await;
    assert_eq!(status, 200, "{many}");
    assert_eq!(many[0]["name"], "Цвет");
    assert_eq!(code(&many[1]), 3006, "names are unique");
    assert_eq!(code(&many[2]), 3000);

    let (_, list) = ms.get("/entity/variant/metadata/characteristics").await;
    assert_eq!(list["meta"]["size"], 2);
    let (_, metadata) = ms.get("/entity/variant/metadata").await;
    assert_eq!(
        metadata["meta"]["href"],
        ms.href("/entity/variant/metadata")
    );
    assert_eq!(metadata["characteristics"][1]["name"], "Цвет");
    let (status, one) = ms.get(&path_of(&size)).await;
    assert_eq!((status, one["name"].as_str()), (200, Some("Размер")));
    let missing = "/entity/variant/metadata/characteristics/6b44332f-b0ac-11ea-ac14-000a00000002";
    let (status, body) = ms.get(missing).await;
    assert_eq!((status, code(&body)), (404, 1021));
    let (status, body) = ms
        .get("/entity/variant/metadata/characteristics/not-an-id")
        .await;
    assert_eq!((status, code(&body)), (404, 1000));
    let (status, body) = ms.put(&path_of(&size), json!({ "name": "Рост" })).await;
    assert_eq!((status, code(&body)), (405, 1039));
    let (status, body) = ms.get("/entity/variant/metadata/attributes").await;
    assert_eq!((status, code(&body)), (404, 1002));
}

#[tokio::test]
async fn variants_are_named_after_their_product_and_values() {
    let ms = Ms::new().await;
    let color = characteristic(&ms, "Цвет").await;
    let size = characteristic(&ms, "Размер").await;
    let shirt = created(
        &ms,
        "product",
        json!({ "name": "Футболка", "salePrices": [{ "value": 1500 }] }),
    )
    .await;
    let red = created(
        &ms,
        "variant",
        json!({
            "product": reference(&shirt),
            "name": "ignored",
            "characteristics": [{ "id": color["id"], "value": "красный" }, { "meta": size["meta"], "value": "XL" }],
        }),
    )
    .await;
    assert_eq!(red["name"], "Футболка (красный, XL)");
    assert_eq!(red["code"], "00002");
    assert_eq!(red["barcodes"], json!([{ "ean13": "2000000000022" }]));
    assert!(
        red.get("owner").is_none() && red.get("shared").is_none() && red.get("group").is_none()
    );
    assert_eq!(
        red["characteristics"][0]["meta"]["href"],
        color["meta"]["href"]
    );
    assert_eq!(red["characteristics"][1]["name"], "Размер");
    assert_eq!(
        red["salePrices"][0]["value"].as_f64(),
        Some(1500.0),
        "the product's prices until it has its own"
    );
    assert_eq!(red["product"]["meta"]["href"], shirt["meta"]["href"]);
    assert_eq!(
        red["meta"]["metadataHref"],
        ms.href("/entity/variant/metadata")
    );
    let blue = created(
        &ms,
        "variant",
        json!({
            "product": reference(&shirt),
            "characteristics": [{ "name": "Цвет", "value": "синий" }],
            "salePrices": [{ "value": 1700 }],
        }),
    )
    .await;
    assert_eq!(blue["name"], "Футболка (синий)");
    assert_eq!(blue["salePrices"][0]["value"].as_f64(), Some(1700.0));

    for (body, status, error) in [
        (
            json!({ "characteristics": [{ "id": color["id"], "value": "x" }] }),
            412,
            3000,
        ),
        (json!({ "product": reference(&shirt) }), 412, 3000),
        (
            json!({ "product": reference(&shirt), "characteristics": [] }),
            412,
            3000,
        ),
        (
            json!({ "product": reference(&shirt), "characteristics": [{ "name": "Вкус", "value": "x" }] }),
            412,
            3005,
        ),
        (
            json!({ "product": reference(&shirt), "characteristics": [{ "value": "x" }] }),
            412,
            3000,
        ),
        (
            json!({ "product": reference(&shirt), "characteristics": [{ "id": color["id"] }] }),
            412,
            3000,
        ),
        (
            json!({ "product": reference(&shirt), "characteristics": [{ "id": color["id"], "value": "a" }, { "id": color["id"], "value": "b" }] }),
            412,
            3013,
        ),
        (
            json!({ "product": reference(&shirt), "characteristics": [{ "name": "Цвет", "value": "синий" }] }),
            412,
            3006,
        ),
    ] {
        let (got, answer) = ms.post("/entity/variant", body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }

    let (_, shirt_now) = ms.get(&path_of(&shirt)).await;
    assert_eq!(shirt_now["variantsCount"], 2);
    ms.put(&path_of(&shirt), json!({ "name": "Майка" })).await;
    let (_, red_now) = ms.get(&path_of(&red)).await;
    assert_eq!(red_now["name"], "Майка (красный, XL)");
    let (status, renamed) = ms
        .put(
            &path_of(&red),
            json!({ "characteristics": [{ "id": size["id"], "value": "S" }], "code": "red-s" }),
        )
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "Майка (S)");
    assert_eq!(renamed["code"], "red-s");
    let other = created(&ms, "product", json!({ "name": "Шорты" })).await;
    let (status, body) = ms
        .put(&path_of(&red), json!({ "product": reference(&other) }))
        .await;
    assert_eq!((status, code(&body)), (412, 3001));

    let filter = urlencode(&format!(
        "product={}",
        shirt["meta"]["href"].as_str().unwrap()
    ));
    let (_, of_shirt) = ms.get(&format!("/entity/variant?filter={filter}")).await;
    assert_eq!(of_shirt["meta"]["size"], 2);
    let (_, expanded) = ms.get(&format!("{}?expand=product", path_of(&blue))).await;
    assert_eq!(expanded["product"]["name"], "Майка");
}

#[tokio::test]
async fn consignments_are_named_after_their_good_and_label() {
    let ms = Ms::new().await;
    let color = characteristic(&ms, "Цвет").await;
    let milk = created(&ms, "product", json!({ "name": "Молоко" })).await;
    let batch = created(
        &ms,
        "consignment",
        json!({ "assortment": reference(&milk), "label": "Партия 1", "code": "p1", "barcodes": [{ "code128": "P-1" }] }),
    )
    .await;
    assert_eq!(batch["name"], "Молоко / Партия 1");
    assert_eq!(batch["code"], "p1");
    assert_eq!(batch["barcodes"], json!([{ "code128": "P-1" }]));
    assert!(batch.get("owner").is_none());
    assert_eq!(
        batch["images"]["meta"]["href"],
        format!("{}/images", milk["meta"]["href"].as_str().unwrap())
    );
    let variant = created(
        &ms,
        "variant",
        json!({ "product": reference(&milk), "characteristics": [{ "id": color["id"], "value": "белое" }] }),
    )
    .await;
    let of_variant = created(
        &ms,
        "consignment",
        json!({ "assortment": reference(&variant), "label": "П2" }),
    )
    .await;
    assert_eq!(of_variant["name"], "Молоко (белое) / П2");
    assert_eq!(of_variant["assortment"]["meta"]["type"], "variant");

    ms.put(&path_of(&milk), json!({ "name": "Кефир" })).await;
    let (_, batch_now) = ms.get(&path_of(&batch)).await;
    assert_eq!(batch_now["name"], "Кефир / Партия 1");
    let (_, of_variant_now) = ms.get(&path_of(&of_variant)).await;
    assert_eq!(of_variant_now["name"], "Кефир (белое) / П2");
    let (_, relabeled) = ms
        .put(&path_of(&batch), json!({ "label": "Партия 7" }))
        .await;
    assert_eq!(relabeled["name"], "Кефир / Партия 7");

    let service = created(&ms, "service", json!({ "name": "Услуга" })).await;
    for (body, status, error) in [
        (json!({ "label": "x" }), 412, 3000),
        (json!({ "assortment": reference(&milk) }), 412, 3000),
        (
            json!({ "assortment": reference(&milk), "label": "" }),
            412,
            3000,
        ),
        (
            json!({ "assortment": reference(&service), "label": "x" }),
            400,
            1060,
        ),
    ] {
        let (got, answer) = ms.post("/entity/consignment", body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }
    let (status, body) = ms
        .put(
            &path_of(&batch),
            json!({ "assortment": reference(&variant) }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3001));
    let (status, metadata) = ms.get("/entity/consignment/metadata").await;
    assert_eq!(status, 200);
    assert_eq!(metadata["attributes"]["meta"]["size"], 0);
}

#[tokio::test]
async fn a_product_goes_with_its_variants_and_consignments() {
    let ms = Ms::new().await;
    let color = characteristic(&ms, "Цвет").await;
    let product = created(&ms, "product", json!({ "name": "Кружка" })).await;
    let variant = created(
        &ms,
        "variant",
        json!({ "product": reference(&product), "characteristics": [{ "id": color["id"], "value": "чёрная" }] }),
    )
    .await;
    let of_product = created(
        &ms,
        "consignment",
        json!({ "assortment": reference(&product), "label": "A" }),
    )
    .await;
    let of_variant = created(
        &ms,
        "consignment",
        json!({ "assortment": reference(&variant), "label": "B" }),
    )
    .await;

    let bundle = created(
        &ms,
        "bundle",
        json!({ "name": "Набор", "components": [{ "assortment": reference(&variant), "quantity": 2 }] }),
    )
    .await;
    let (status, body) = ms.call(Method::DELETE, &path_of(&product), None).await;
    assert_eq!((status, code(&body)), (409, 1028), "{body}");
    assert_eq!(
        body["errors"][0]["dependencies"][0]["href"],
        bundle["meta"]["href"]
    );
    for entity in [&product, &variant, &of_product, &of_variant] {
        let (status, _) = ms.get(&path_of(entity)).await;
        assert_eq!(status, 200, "nothing went: {}", path_of(entity));
    }

    let (status, _) = ms.call(Method::DELETE, &path_of(&bundle), None).await;
    assert_eq!(status, 200);
    let (status, body) = ms.call(Method::DELETE, &path_of(&product), None).await;
    assert_eq!(status, 200, "{body}");
    for entity in [&product, &variant, &of_product, &of_variant] {
        let (status, _) = ms.get(&path_of(entity)).await;
        assert_eq!(status, 404, "{} went too", path_of(entity));
    }
}
