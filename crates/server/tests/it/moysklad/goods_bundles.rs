//! Bundles and their components: what may be a component, the components resource, and
//! goods that cannot be deleted while a bundle holds them.

use reqwest::Method;
use serde_json::{json, Value};

use super::goods::{created, path_of, reference};
use super::{code, Ms};

fn component(good: &Value, quantity: f64) -> Value {
    json!({ "assortment": reference(good), "quantity": quantity })
}

#[tokio::test]
async fn a_bundle_is_made_of_products_services_and_variants() {
    let ms = Ms::new().await;
    let color = created(
        &ms,
        "variant/metadata/characteristics",
        json!({ "name": "Цвет" }),
    )
    .await;
    let pen = created(&ms, "product", json!({ "name": "Ручка" })).await;
    let red = created(
        &ms,
        "variant",
        json!({ "product": reference(&pen), "characteristics": [{ "id": color["id"], "value": "красная" }] }),
    )
    .await;
    let wrapping = created(&ms, "service", json!({ "name": "Упаковка" })).await;
    let bundle = created(
        &ms,
        "bundle",
        json!({
            "name": "Подарочный набор", "article": "GIFT-1", "weight": 0.3,
            "components": [component(&pen, 2.0), component(&red, 1.0), { "assortment": reference(&wrapping) }],
        }),
    )
    .await;
    assert_eq!(
        bundle["code"], "00004",
        "after the pen, its variant and the service"
    );
    assert_eq!(bundle["article"], "GIFT-1");
    assert_eq!(bundle["trackingType"], "NOT_TRACKED");
    assert_eq!(
        bundle["meta"]["metadataHref"],
        ms.href("/entity/product/metadata")
    );
    let components = &bundle["components"];
    assert_eq!(components["meta"]["type"], "bundlecomponent");
    assert_eq!(components["meta"]["size"], 3);
    assert_eq!(
        components["meta"]["href"],
        format!("{}/components", bundle["meta"]["href"].as_str().unwrap())
    );
    let rows = components["rows"].as_array().unwrap();
    assert_eq!(rows[0]["assortment"]["meta"]["href"], pen["meta"]["href"]);
    assert_eq!(rows[0]["quantity"].as_f64(), Some(2.0));
    assert_eq!(rows[1]["assortment"]["meta"]["type"], "variant");
    assert_eq!(rows[2]["quantity"].as_f64(), Some(1.0), "one unless given");
    let (status, expanded) = ms
        .get(&format!("{}?expand=components", path_of(&bundle)))
        .await;
    assert_eq!(status, 200);
    assert_eq!(expanded["components"]["rows"], components["rows"]);

    let (status, updated) = ms
        .put(
            &path_of(&bundle),
            json!({ "components": [component(&wrapping, 3.0), component(&pen, 1.0)] }),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    let rows_now = updated["components"]["rows"].as_array().unwrap();
    assert_eq!(rows_now.len(), 2);
    assert_eq!(
        rows_now[0]["id"], rows[2]["id"],
        "a component that stays keeps its id"
    );
    assert_eq!(rows_now[0]["quantity"].as_f64(), Some(3.0));
}

#[tokio::test]
async fn bundle_components_follow_the_vendors_rules() {
    let ms = Ms::new().await;
    let pen = created(&ms, "product", json!({ "name": "Ручка" })).await;
    let wine = created(
        &ms,
        "product",
        json!({ "name": "Вино", "alcoholic": { "type": 200 } }),
    )
    .await;
    let phone = created(
        &ms,
        "product",
        json!({ "name": "Телефон", "isSerialTrackable": true }),
    )
    .await;
    let inner = created(
        &ms,
        "bundle",
        json!({ "name": "Малый", "components": [component(&pen, 1.0)] }),
    )
    .await;
    let batch = created(
        &ms,
        "consignment",
        json!({ "assortment": reference(&pen), "label": "П1" }),
    )
    .await;
    let many: Vec<Value> = (0..51).map(|_| component(&pen, 1.0)).collect();
    for (components, status, error) in [
        (None, 412, 29000),
        (Some(json!([])), 412, 29000),
        (Some(Value::Array(many)), 412, 29000),
        (Some(json!([component(&inner, 1.0)])), 412, 29003),
        (Some(json!([component(&batch, 1.0)])), 412, 29003),
        (Some(json!([component(&wine, 1.0)])), 412, 29003),
        (Some(json!([component(&phone, 1.0)])), 412, 29003),
        (
            Some(json!([component(&pen, 1.0), component(&pen, 2.0)])),
            412,
            29002,
        ),
        (Some(json!([component(&pen, 0.0)])), 412, 3003),
        (Some(json!([{ "quantity": 1 }])), 412, 3000),
        (Some(json!("pen")), 400, 2016),
    ] {
        let mut body = json!({ "name": "Набор" });
        if let Some(components) = components {
            body["components"] = components;
        }
        let (got, answer) = ms.post("/entity/bundle", body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }
}

#[tokio::test]
async fn components_are_managed_one_by_one() {
    let ms = Ms::new().await;
    let pen = created(&ms, "product", json!({ "name": "Ручка" })).await;
    let pencil = created(&ms, "product", json!({ "name": "Карандаш" })).await;
    let eraser = created(&ms, "product", json!({ "name": "Ластик" })).await;
    let bundle = created(
        &ms,
        "bundle",
        json!({ "name": "Пенал", "components": [component(&pen, 1.0)] }),
    )
    .await;
    let components = format!("{}/components", path_of(&bundle));

    let (status, added) = ms.post(&components, component(&pencil, 2.0)).await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["meta"]["type"], "bundlecomponent");
    assert_eq!(added["quantity"].as_f64(), Some(2.0));
    let (status, body) = ms.post(&components, component(&pencil, 1.0)).await;
    assert_eq!((status, code(&body)), (412, 29002));
    let (status, many) = ms
        .post(
            &components,
            json!([component(&eraser, 1.0), { "meta": added["meta"], "quantity": 5 }]),
        )
        .await;
    assert_eq!(status, 200, "{many}");
    assert_eq!(many[1]["quantity"].as_f64(), Some(5.0));

    let (_, list) = ms.get(&components).await;
    assert_eq!(list["meta"]["size"], 3);
    assert_eq!(
        list["rows"][1]["assortment"]["meta"]["href"],
        pencil["meta"]["href"]
    );
    let one = path_of(&added);
    let (status, fetched) = ms.get(&one).await;
    assert_eq!((status, fetched["quantity"].as_f64()), (200, Some(5.0)));
    let (status, changed) = ms.put(&one, json!({ "quantity": 7 })).await;
    assert_eq!((status, changed["quantity"].as_f64()), (200, Some(7.0)));
    let (status, body) = ms.put(&one, json!({ "quantity": -1 })).await;
    assert_eq!((status, code(&body)), (412, 3003));
    let (status, _) = ms.call(Method::DELETE, &one, None).await;
    assert_eq!(status, 200);
    let (status, body) = ms.get(&one).await;
    assert_eq!((status, code(&body)), (404, 1021));

    let (_, list) = ms.get(&components).await;
    let (status, body) = ms
        .post(
            &format!("{components}/delete"),
            json!([{ "meta": list["rows"][0]["meta"] }, { "meta": list["rows"][1]["meta"] }]),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 29000), "a bundle keeps one");
    let (status, body) = ms
        .post(
            &format!("{components}/delete"),
            json!([{ "meta": list["rows"][0]["meta"] }]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, bundle_now) = ms.get(&path_of(&bundle)).await;
    assert_eq!(bundle_now["components"]["meta"]["size"], 1);
    assert_eq!(
        bundle_now["components"]["rows"][0]["assortment"]["meta"]["href"],
        eraser["meta"]["href"]
    );

    let (status, body) = ms
        .get(&format!("{}/components/not-an-id", path_of(&bundle)))
        .await;
    assert_eq!((status, code(&body)), (404, 1000));
    let (status, body) = ms
        .get("/entity/bundle/6b44332f-b0ac-11ea-ac14-000a00000002/components")
        .await;
    assert_eq!((status, code(&body)), (404, 1021));
    let (status, body) = ms.put(&components, json!({})).await;
    assert_eq!((status, code(&body)), (405, 1039));
}

#[tokio::test]
async fn a_good_in_a_bundle_is_not_deleted() {
    let ms = Ms::new().await;
    let pen = created(&ms, "product", json!({ "name": "Ручка" })).await;
    let wrapping = created(&ms, "service", json!({ "name": "Упаковка" })).await;
    let bundle = created(
        &ms,
        "bundle",
        json!({ "name": "Набор", "components": [component(&pen, 1.0), component(&wrapping, 1.0)] }),
    )
    .await;
    for good in [&pen, &wrapping] {
        let (status, body) = ms.call(Method::DELETE, &path_of(good), None).await;
        assert_eq!((status, code(&body)), (409, 1028), "{body}");
        assert_eq!(
            body["errors"][0]["dependencies"][0]["href"],
            bundle["meta"]["href"]
        );
    }
    let (status, answer) = ms
        .post("/entity/service/delete", json!([reference(&wrapping)]))
        .await;
    assert_eq!((status, code(&answer[0])), (409, 1028));

    ms.put(
        &path_of(&bundle),
        json!({ "components": [component(&wrapping, 1.0)] }),
    )
    .await;
    let (status, _) = ms.call(Method::DELETE, &path_of(&pen), None).await;
    assert_eq!(status, 200, "no longer a component");
}
