//! Nomenclature: categories (a tree; parents must exist and not make a cycle; a category
//! in use cannot be deleted) and products (the seed's request and answer shapes, codes,
//! filters by type and category), with every validation problem and isolation.

use reqwest::Method;
use serde_json::{json, Value};

use super::fixtures::{id_of, Seeded};
use super::{assert_error, assert_invalid, ids, Answer, Kassa};

async fn delete_category(kassa: &Kassa, id: &str) -> Answer {
    kassa
        .call(Method::DELETE, &format!("/product-categories/{id}"), None)
        .await
}

async fn category(kassa: &Kassa, body: Value) -> String {
    let (status, created) = kassa.post("/product-categories", body).await;
    assert_eq!(status, 201, "{created}");
    id_of(&created)
}

/// The seed's product create sample in `category`.
fn product(category: &str) -> Value {
    json!({
        "name": "Футболка",
        "categoryId": category,
        "type": "PRODUCT",
        "article": "12345678",
        "price": 100,
        "paymentVat": "VAT_WITHOUT",
        "uom": 1,
        "paymentObject": 0,
        "excisable": false,
        "archived": false,
        "fractional": false,
        "markMt": false,
        "markType": 1,
        "markMdlp": false,
        "markDmdk": false,
        "markEgais": false,
        "agentSign": false,
        "taxationSystem": "OSN",
        "barcodes": [],
        "productEgais": { "egaisCode": 200, "ethanolVolume": 0.5, "unitVolume": 1, "codes": ["string"] },
        "agentScheme": {
            "agentType": "ANOTHER_AGENT",
            "supplier": { "name": "ООО \"ПРИНЦИПАЛ\"", "inn": "7814494697", "phone": "+74993346678" }
        }
    })
}

#[tokio::test]
async fn categories_form_a_tree_and_are_overwritten_and_deleted() {
    let kassa = Kassa::new().await;
    let seeded = Seeded::of(&kassa).await;
    let (status, root) = kassa
        .post(
            "/product-categories",
            json!({ "name": "Одежда", "taxationSystem": "OSN", "vat": "WITHOUT",
                    "settlementPointScope": [seeded.cashboxes[0]] }),
        )
        .await;
    assert_eq!(status, 201, "{root}");
    let root_id = id_of(&root);
    assert_eq!(
        root,
        json!({ "id": root_id, "name": "Одежда", "parentCategoryId": null, "taxationSystem": "OSN",
                "vat": "WITHOUT", "settlementPointScope": [seeded.cashboxes[0]] })
    );
    let child = category(
        &kassa,
        json!({ "name": "Футболки", "parentCategoryId": root_id }),
    )
    .await;
    let (status, read) = kassa.get(&format!("/product-categories/{child}")).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(
        read,
        json!({ "id": child, "name": "Футболки", "parentCategoryId": root_id, "taxationSystem": null,
                "vat": null, "settlementPointScope": null })
    );
    let grandchild = category(&kassa, json!({ "name": "Поло", "parentCategoryId": child })).await;

    // The root cannot move under its own descendants, nor under itself.
    for parent in [&grandchild, &root_id] {
        let put = kassa
            .call(
                Method::PUT,
                &format!("/product-categories/{root_id}"),
                Some(json!({ "name": "Одежда", "parentCategoryId": parent })),
            )
            .await;
        assert_invalid(
            (put.status, &put.body),
            &["parentCategoryId: A category cannot be placed inside itself or its descendants."],
        );
    }
    // A full overwrite: what is not sent is cleared.
    let put = kassa
        .call(
            Method::PUT,
            &format!("/product-categories/{grandchild}"),
            Some(json!({ "name": "Поло и рубашки", "vat": "20_120" })),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(
        put.body,
        json!({ "id": grandchild, "name": "Поло и рубашки", "parentCategoryId": null,
                "taxationSystem": null, "vat": "20_120", "settlementPointScope": null })
    );
    let (status, list) = kassa.get("/product-categories?limit=2").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(ids(&list), [root_id.clone(), child.clone()]);
    assert_eq!(list["nextCursor"], json!(grandchild));

    // A category with child categories or products stays.
    let in_use = ["id: This category has products or child categories and cannot be deleted."];
    let refused = delete_category(&kassa, &root_id).await;
    assert_invalid((refused.status, &refused.body), &in_use);
    let (status, item) = kassa.post("/products", product(&child)).await;
    assert_eq!(status, 201, "{item}");
    let refused = delete_category(&kassa, &child).await;
    assert_invalid((refused.status, &refused.body), &in_use);
    let removed = kassa
        .call(Method::DELETE, &format!("/products/{}", id_of(&item)), None)
        .await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    assert_eq!(delete_category(&kassa, &child).await.status, 204);
    assert_eq!(delete_category(&kassa, &root_id).await.status, 204);
    let gone = delete_category(&kassa, &root_id).await;
    assert_error((gone.status, &gone.body), 404, "NOT_FOUND", &[]);
}

#[tokio::test]
async fn category_problems_are_reported_together() {
    let kassa = Kassa::new().await;
    let (status, body) = kassa.post("/product-categories", json!({})).await;
    assert_invalid((status, &body), &["name: This value should not be blank."]);
    let (status, body) = kassa
        .post(
            "/product-categories",
            json!({
                "name": "Я".repeat(65), "taxationSystem": "NDS", "vat": "VAT_20",
                "parentCategoryId": "00000000-0000-4000-8000-000000000000",
                "settlementPointScope": ["00000000-0000-4000-8000-000000000001", "kassa-1", 7]
            }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "name: This value is too long. It should have 64 characters or less.",
            "taxationSystem: The value you selected is not a valid choice.",
            "vat: The value you selected is not a valid choice.",
            "settlementPointScope[1]: This is not a valid UUID.",
            "settlementPointScope[2]: This value should be of type string.",
            "parentCategoryId: The referenced object was not found.",
            "settlementPointScope[0]: The referenced object was not found.",
        ],
    );
}

#[tokio::test]
async fn products_answer_the_seeds_shape_and_filter_by_type_and_category() {
    let kassa = Kassa::new().await;
    let seeded = Seeded::of(&kassa).await;
    let clothes = category(&kassa, json!({ "name": "Одежда" })).await;
    let services = category(&kassa, json!({ "name": "Услуги" })).await;
    let (status, created) = kassa.post("/products", product(&clothes)).await;
    assert_eq!(status, 201, "{created}");
    let id = id_of(&created);
    let supplier = created["agentScheme"]["supplier"]["id"].clone();
    assert!(supplier.is_string(), "{created}");
    let expected = json!({
        "id": id,
        "name": "Футболка",
        "categoryId": clothes,
        "type": "PRODUCT",
        "article": "12345678",
        "archived": false,
        "paymentVat": "VAT_WITHOUT",
        "price": 100,
        "taxationSystem": "OSN",
        "uom": 1,
        "fractional": false,
        "agentScheme": {
            "agentType": "ANOTHER_AGENT",
            "supplier": { "id": supplier, "name": "ООО \"ПРИНЦИПАЛ\"", "inn": "7814494697", "phone": "+74993346678" }
        },
        "excisable": false,
        "markMt": false,
        "markMtDetails": { "markType": 1 },
        "markMdlp": false,
        "markDmdk": false,
        "barcodes": [],
        "markEgais": false,
        "markEgaisDetails": { "egaisProductType": 200, "alcoholStrength": 0.5, "volume": 1, "egaisCodes": ["string"] },
        "paymentObject": "PRODUCT",
        "code": 1
    });
    assert_eq!(created, expected);
    let (status, read) = kassa.get(&format!("/products/{id}")).await;
    assert_eq!((status, &read), (200, &expected));

    // A supplier that is one of the account's counterparties carries its id.
    let counterparty = &seeded.counterparties[0];
    let service = json!({
        "name": "Доставка", "categoryId": services, "type": "SERVICE", "price": 250.5,
        "uom": 24, "paymentObject": 3, "agentSign": true,
        "agentScheme": { "agentType": "COMMISSION_AGENT", "supplier": { "inn": counterparty["inn"] } }
    });
    let (status, second) = kassa.post("/products", service).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["code"], 2);
    assert_eq!(second["paymentObject"], "SERVICE");
    assert_eq!(second["price"], json!(250.5));
    assert_eq!(second["agentScheme"]["supplier"]["id"], counterparty["id"]);
    for field in [
        "article",
        "paymentVat",
        "taxationSystem",
        "markMtDetails",
        "markEgaisDetails",
    ] {
        assert_eq!(second[field], Value::Null, "{field} in {second}");
    }
    let service_id = id_of(&second);

    let list = |query: &'static str| {
        let kassa = &kassa;
        async move {
            let (status, body) = kassa.get(&format!("/products{query}")).await;
            assert_eq!(status, 200, "{body}");
            ids(&body)
        }
    };
    assert_eq!(list("").await, [id.clone(), service_id.clone()]);
    assert_eq!(list("?type=SERVICE").await, [service_id.as_str()]);
    assert_eq!(list("?type=PRODUCT").await, [id.as_str()]);
    let (_, by_category) = kassa.get(&format!("/products?categoryId={clothes}")).await;
    assert_eq!(ids(&by_category), [id.as_str()]);
    let (status, body) = kassa.get("/products?type=GOOD&categoryId=1&cursor=2").await;
    assert_invalid(
        (status, &body),
        &[
            "type: The value you selected is not a valid choice.",
            "categoryId: This is not a valid UUID.",
            "cursor: This is not a valid UUID.",
        ],
    );

    // A full overwrite keeps the id, the code and (same INN) the supplier's id.
    let mut changed = product(&services);
    changed["price"] = json!(120.4);
    changed["archived"] = json!(true);
    changed["markType"] = Value::Null;
    changed["productEgais"] = Value::Null;
    let put = kassa
        .call(Method::PUT, &format!("/products/{id}"), Some(changed))
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["code"], 1);
    assert_eq!(put.body["categoryId"], json!(services));
    assert_eq!(put.body["price"], json!(120.4));
    assert_eq!(put.body["archived"], true);
    assert_eq!(put.body["markMtDetails"], Value::Null);
    assert_eq!(put.body["markEgaisDetails"], Value::Null);
    assert_eq!(put.body["agentScheme"]["supplier"]["id"], supplier);
    let (_, read) = kassa.get(&format!("/products/{id}")).await;
    assert_eq!(read, put.body);

    let deleted = kassa
        .call(Method::DELETE, &format!("/products/{id}"), None)
        .await;
    assert_eq!(deleted.status, 204);
    let (status, body) = kassa.get(&format!("/products/{id}")).await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
}

#[tokio::test]
async fn product_problems_are_reported_together() {
    let kassa = Kassa::new().await;
    let (status, body) = kassa.post("/products", json!({})).await;
    assert_invalid(
        (status, &body),
        &[
            "name: This value should not be blank.",
            "categoryId: This value should not be blank.",
            "type: This value should not be blank.",
            "price: This value should not be blank.",
            "uom: This value should not be blank.",
            "paymentObject: This value should not be blank.",
        ],
    );
    let (status, body) = kassa
        .post(
            "/products",
            json!({
                "name": "Я".repeat(129), "categoryId": "00000000-0000-4000-8000-000000000000",
                "type": "GOOD", "article": "A".repeat(65), "price": -1, "paymentVat": "WITHOUT",
                "uom": 25, "paymentObject": 13, "archived": "yes", "markMt": true, "markType": 7,
                "markEgais": true, "agentSign": true, "taxationSystem": "NDS", "barcodes": [""],
                "agentScheme": { "supplier": { "inn": "1" } }
            }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &[
            "name: This value is too long. It should have 128 characters or less.",
            "type: The value you selected is not a valid choice.",
            "article: This value is too long. It should have 64 characters or less.",
            "price: This value should be either positive or zero.",
            "paymentVat: The value you selected is not a valid choice.",
            "uom: The value you selected is not a valid choice.",
            "paymentObject: The value you selected is not a valid choice.",
            "archived: This value should be of type bool.",
            "markType: The value you selected is not a valid choice.",
            "taxationSystem: The value you selected is not a valid choice.",
            "barcodes[0]: This value is not valid.",
            "agentScheme.agentType: This value should not be blank.",
            "agentScheme.supplier.inn: This value is not valid.",
            "productEgais: This value should not be blank.",
            "categoryId: The referenced object was not found.",
        ],
    );
}

#[tokio::test]
async fn another_accounts_nomenclature_is_not_found() {
    let (mine, theirs) = (Kassa::new().await, Kassa::new().await);
    let their_category = category(&theirs, json!({ "name": "Чужая" })).await;
    let (status, their_product) = theirs.post("/products", product(&their_category)).await;
    assert_eq!(status, 201, "{their_product}");
    let my_category = category(&mine, json!({ "name": "Своя" })).await;
    for (path, body) in [
        (
            format!("/product-categories/{their_category}"),
            json!({ "name": "Своя" }),
        ),
        (
            format!("/products/{}", id_of(&their_product)),
            product(&my_category),
        ),
    ] {
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(body)),
            (Method::DELETE, None),
        ] {
            let answer = mine.call(method, &path, body).await;
            assert_error((answer.status, &answer.body), 404, "NOT_FOUND", &[]);
        }
    }
    // Their category is no parent and no product's category here.
    let (status, body) = mine
        .post(
            "/product-categories",
            json!({ "name": "Дочерняя", "parentCategoryId": their_category }),
        )
        .await;
    assert_invalid(
        (status, &body),
        &["parentCategoryId: The referenced object was not found."],
    );
    let (status, body) = mine.post("/products", product(&their_category)).await;
    assert_invalid(
        (status, &body),
        &["categoryId: The referenced object was not found."],
    );
    let (_, list) = mine.get("/products").await;
    assert_eq!(ids(&list), Vec::<String>::new());
}
