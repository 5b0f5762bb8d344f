//! `productfolder` and `processingplanfolder`: trees, paths, VAT inheritance, expand.

use serde_json::{json, Value};

use super::{code, Ms};

async fn folder(ms: &Ms, kind: &str, body: Value) -> Value {
    let (status, created) = ms.post(&format!("/entity/{kind}"), body).await;
    assert_eq!(status, 200, "{created}");
    created
}

#[tokio::test]
async fn a_new_folder_carries_the_common_fields() {
    let ms = Ms::new().await;
    let created = folder(&ms, "productfolder", json!({ "name": "Овощи" })).await;
    assert_eq!(created["vatEnabled"], false);
    assert_eq!(created["useParentVat"], true);
    assert_eq!(created["pathName"], "");
    assert_eq!(created["archived"], false);
    assert!(created.get("effectiveVat").is_none());
    let external = created["externalCode"].as_str().unwrap();
    assert_eq!(external.len(), 22);
    let updated = created["updated"].as_str().unwrap();
    assert_eq!(updated.len(), 23, "YYYY-MM-DD HH:MM:SS.mmm: {updated}");
    assert_eq!(created["owner"]["meta"]["type"], "employee");
    assert_eq!(created["group"]["meta"]["type"], "group");
    assert_eq!(
        created["meta"]["metadataHref"],
        ms.href("/entity/productfolder/metadata")
    );
    let (status, body) = ms
        .post("/entity/productfolder", json!({ "code": "x" }))
        .await;
    assert_eq!((status, code(&body)), (412, 3000));
    let (_, metadata) = ms.get("/entity/productfolder/metadata").await;
    assert_eq!(metadata["attributes"]["meta"]["type"], "attributemetadata");
    assert_eq!(metadata["attributes"]["meta"]["size"], 0);
}

#[tokio::test]
async fn paths_follow_renames_and_moves_and_cycles_are_refused() {
    let ms = Ms::new().await;
    let a = folder(&ms, "productfolder", json!({ "name": "A", "vat": 20 })).await;
    let b = folder(
        &ms,
        "productfolder",
        json!({ "name": "B", "productFolder": { "meta": a["meta"] } }),
    )
    .await;
    let c = folder(
        &ms,
        "productfolder",
        json!({ "name": "C", "productFolder": { "meta": b["meta"] } }),
    )
    .await;
    assert_eq!(b["pathName"], "A");
    assert_eq!(c["pathName"], "A/B");
    assert_eq!(
        (
            c["effectiveVat"].as_i64(),
            c["effectiveVatEnabled"].as_bool()
        ),
        (Some(20), Some(true))
    );
    assert_eq!(
        (a["vatEnabled"].as_bool(), a["useParentVat"].as_bool()),
        (Some(true), Some(false))
    );

    let a_path = format!("/entity/productfolder/{}", a["id"].as_str().unwrap());
    let (status, _) = ms.put(&a_path, json!({ "name": "A2" })).await;
    assert_eq!(status, 200);
    let (_, c_now) = ms
        .get(&format!(
            "/entity/productfolder/{}",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(c_now["pathName"], "A2/B");
    let (status, body) = ms
        .put(&a_path, json!({ "productFolder": { "meta": c["meta"] } }))
        .await;
    assert_eq!((status, code(&body)), (412, 23001));
    let (status, body) = ms
        .put(&a_path, json!({ "productFolder": { "meta": a["meta"] } }))
        .await;
    assert_eq!((status, code(&body)), (412, 23000));

    let (_, expanded) = ms
        .get(&format!(
            "/entity/productfolder/{}?expand=productFolder",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(expanded["productFolder"]["name"], "B");
    let (status, body) = ms
        .get(&format!(
            "/entity/productfolder/{}?expand=nothing",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!((status, code(&body)), (400, 1089));
    let filter = super::conventions::urlencode(&format!(
        "productFolder={}",
        b["meta"]["href"].as_str().unwrap()
    ));
    let (_, children) = ms
        .get(&format!("/entity/productfolder?filter={filter}"))
        .await;
    assert_eq!(children["meta"]["size"], 1);
    assert_eq!(children["rows"][0]["name"], "C");

    let foreign = json!({ "productFolder": { "meta": { "href": "https://evil.example/api/remap/1.2/entity/productfolder/6b44332f-b0ac-11ea-ac14-000a00000002", "type": "productfolder" } } });
    let (status, body) = ms.put(&a_path, foreign).await;
    assert_eq!((status, code(&body)), (400, 1059));
    let (status, _) = ms.put(&a_path, json!({ "productFolder": null })).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn processing_plan_folders_nest() {
    let ms = Ms::new().await;
    let top = folder(&ms, "processingplanfolder", json!({ "name": "Цех" })).await;
    let inner = folder(
        &ms,
        "processingplanfolder",
        json!({ "name": "Сборка", "processingplanfolder": { "meta": top["meta"] } }),
    )
    .await;
    assert_eq!(inner["pathName"], "Цех");
    assert_eq!(
        inner["processingplanfolder"]["meta"]["href"],
        top["meta"]["href"]
    );
    let (_, metadata) = ms.get("/entity/processingplanfolder/metadata").await;
    assert_eq!(
        metadata["meta"]["href"],
        ms.href("/entity/processingplanfolder/metadata")
    );
    assert!(metadata.get("attributes").is_none());
}

#[tokio::test]
async fn a_folder_goes_with_its_sub_folders() {
    let ms = Ms::new().await;
    let top = folder(&ms, "productfolder", json!({ "name": "Верх" })).await;
    let middle = folder(
        &ms,
        "productfolder",
        json!({ "name": "Середина", "productFolder": { "meta": top["meta"] } }),
    )
    .await;
    folder(
        &ms,
        "productfolder",
        json!({ "name": "Низ", "productFolder": { "meta": middle["meta"] } }),
    )
    .await;
    let other = folder(&ms, "productfolder", json!({ "name": "Рядом" })).await;
    let (status, _) = ms
        .call(
            reqwest::Method::DELETE,
            &format!("/entity/productfolder/{}", top["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (_, left) = ms.get("/entity/productfolder").await;
    assert_eq!(left["meta"]["size"], 1);
    assert_eq!(left["rows"][0]["id"], other["id"]);
}
