//! Additional fields (доп. поля): definitions, values on entities, filters by them.

use reqwest::Method;
use serde_json::{json, Value};

use super::{code, Ms};

fn value_of<'a>(entity: &'a Value, name: &str) -> Option<&'a Value> {
    entity["attributes"]
        .as_array()?
        .iter()
        .find(|a| a["name"] == name)
        .map(|a| &a["value"])
}

#[tokio::test]
async fn attribute_definitions_values_and_filters() {
    let ms = Ms::new().await;
    let (status, created) = ms
        .post(
            "/entity/productfolder/metadata/attributes",
            json!([
                { "name": "Сезон", "type": "string" },
                { "name": "Наценка", "type": "double" },
                { "name": "Ответственный", "type": "employee" },
            ]),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let season = created[0].clone();
    assert_eq!(season["meta"]["type"], "attributemetadata");
    assert_eq!(
        (season["required"].as_bool(), season["show"].as_bool()),
        (Some(false), Some(true))
    );
    let markup = created[1].clone();
    let (status, body) = ms
        .post(
            "/entity/productfolder/metadata/attributes",
            json!({ "name": "Файл", "type": "file", "required": true }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3005));
    let (status, body) = ms
        .post(
            "/entity/productfolder/metadata/attributes",
            json!({ "name": "Без типа" }),
        )
        .await;
    assert_eq!((status, code(&body)), (412, 3000));

    let (_, employee) = ms.get("/context/employee").await;
    let attribute =
        |definition: &Value, value: Value| json!({ "meta": definition["meta"], "value": value });
    let (status, summer) = ms
        .post(
            "/entity/productfolder",
            json!({ "name": "Летнее", "attributes": [
                attribute(&season, json!("лето")),
                attribute(&markup, json!(12.5)),
                attribute(&created[2], json!({ "meta": employee["meta"] })),
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{summer}");
    assert_eq!(value_of(&summer, "Сезон"), Some(&json!("лето")));
    assert_eq!(value_of(&summer, "Наценка"), Some(&json!(12.5)));
    assert_eq!(
        value_of(&summer, "Ответственный").unwrap()["meta"]["href"],
        employee["meta"]["href"]
    );
    ms.post("/entity/productfolder", json!({ "name": "Зимнее", "attributes": [attribute(&season, json!("зима")), attribute(&markup, json!(30))] })).await;

    let (status, body) = ms
        .post(
            "/entity/productfolder",
            json!({ "name": "x", "attributes": [attribute(&markup, json!("много"))] }),
        )
        .await;
    assert_eq!((status, code(&body)), (400, 2028));
    let filter = |text: String| {
        format!(
            "/entity/productfolder?filter={}",
            super::conventions::urlencode(&text)
        )
    };
    let season_href = season["meta"]["href"].as_str().unwrap();
    let markup_href = markup["meta"]["href"].as_str().unwrap();
    let (_, found) = ms.get(&filter(format!("{season_href}=лето"))).await;
    assert_eq!(found["meta"]["size"], 1);
    assert_eq!(found["rows"][0]["name"], "Летнее");
    let (_, found) = ms.get(&filter(format!("{markup_href}>20"))).await;
    assert_eq!(found["rows"][0]["name"], "Зимнее");
    let (_, found) = ms.get(&filter(format!("{season_href}~ИМ"))).await;
    assert_eq!(found["rows"][0]["name"], "Зимнее");

    // A value set to null goes; the others stay.
    let id = summer["id"].as_str().unwrap();
    let (_, cleared) = ms
        .put(
            &format!("/entity/productfolder/{id}"),
            json!({ "attributes": [attribute(&season, Value::Null)] }),
        )
        .await;
    assert_eq!(value_of(&cleared, "Сезон"), None);
    assert_eq!(value_of(&cleared, "Наценка"), Some(&json!(12.5)));

    let (_, metadata) = ms
        .get("/entity/productfolder/metadata?expand=attributes")
        .await;
    assert_eq!(metadata["attributes"]["meta"]["size"], 3);
    assert_eq!(metadata["attributes"]["rows"][1]["name"], "Наценка");
    let (status, body) = ms
        .put(
            &format!(
                "/entity/productfolder/metadata/attributes/{}",
                season["id"].as_str().unwrap()
            ),
            json!({ "type": "long" }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (412, 3001),
        "a definition's type is fixed"
    );
    let (status, _) = ms
        .post(
            "/entity/productfolder/metadata/attributes/delete",
            json!([{ "meta": season["meta"] }]),
        )
        .await;
    assert_eq!(status, 200);
    let (_, listed) = ms.get("/entity/productfolder/metadata/attributes").await;
    assert_eq!(listed["meta"]["size"], 2);

    // A contract attribute cannot be set on a folder.
    let (_, foreign) = ms
        .post(
            "/entity/contract/metadata/attributes",
            json!({ "name": "Номер", "type": "string", "required": true }),
        )
        .await;
    let (status, body) = ms
        .post(
            "/entity/productfolder",
            json!({ "name": "y", "attributes": [attribute(&foreign, json!("1"))] }),
        )
        .await;
    assert_eq!((status, code(&body)), (400, 14000));
    let (status, body) = ms
        .call(Method::GET, "/entity/currency/metadata/attributes", None)
        .await;
    assert_eq!(
        (status, code(&body)),
        (404, 1002),
        "currency has no attributes"
    );
}
