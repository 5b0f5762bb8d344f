//! `twin_core::links::candidates`, the data browser's reference finder, on bodies shaped
//! as each dialect stores them.

use serde_json::json;
use twin_core::links::{candidates, entity_href, Candidate};

fn kinds(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn found(body: serde_json::Value, names: &[&str]) -> Vec<(String, String, String)> {
    candidates(&body, &kinds(names), &[])
        .into_iter()
        .map(|Candidate { label, kind, id }| (label, kind, id))
        .collect()
}

fn c(label: &str, kind: &str, id: &str) -> (String, String, String) {
    (label.to_owned(), kind.to_owned(), id.to_owned())
}

#[test]
fn typed_references_name_their_kind() {
    let body = json!({
        "id": "p1",
        "productFolder": { "type": "productfolder", "id": "f1" },
        "owner": { "id": "e1", "type": "employee" },
        "salePrices": [{ "value": 10, "currency": { "type": "currency", "id": "rub" } }],
        "uom": { "type": "uom", "id": "u1" },
    });
    assert_eq!(
        found(body, &["currency", "employee", "product", "productfolder"]),
        [
            c("owner", "employee", "e1"),
            c("productFolder", "productfolder", "f1"),
            c("salePrices[0].currency", "currency", "rub"),
        ],
        "in body order (keys sorted), only stored kinds, never the document's own id"
    );
}

#[test]
fn moysklad_hrefs_name_type_and_id() {
    let body = json!({
        "agent": { "meta": { "href": "http://h/api/remap/1.2/entity/counterparty/c-1?expand=x",
                             "type": "counterparty" } },
        "rows": { "meta": { "href": "http://h/api/remap/1.2/entity/product/p-1/variants" } },
    });
    assert_eq!(
        found(body, &["counterparty", "product"]),
        [c("agent", "counterparty", "c-1")],
        "a link with a path after the id is not an entity's"
    );
    assert_eq!(
        entity_href("https://x/entity/store/s1"),
        Some(("store", "s1"))
    );
    assert_eq!(entity_href("https://x/entity/store/"), None);
    assert_eq!(entity_href("https://x/entity/store"), None);
    assert_eq!(entity_href("no link"), None);
}

#[test]
fn keys_name_kinds_for_ids_and_plain_values() {
    let body = json!({
        "customer": { "id": 7, "site": "main-shop", "type": "customer" },
        "fields": {
            "client": { "CS_id": "d0_1", "SD_id": "d0_1", "code_1C": "C1" },
            "Warehouse": "d0_2",
            "priceType": "",
            "comment": "client d0_1",
        },
        "cashboxId": "k-1",
        "cashboxIds": ["k-1", "k-2", 3],
        "detail": [{ "product": "d0_5", "quantity": 2 }],
    });
    let kinds = [
        "cashbox",
        "client",
        "customer",
        "product",
        "site",
        "warehouse",
        "priceType",
    ];
    assert_eq!(
        found(body, &kinds),
        [
            c("cashboxId", "cashbox", "k-1"),
            c("cashboxIds[0]", "cashbox", "k-1"),
            c("cashboxIds[1]", "cashbox", "k-2"),
            c("cashboxIds[2]", "cashbox", "3"),
            c("customer", "customer", "7"),
            c("customer.site", "site", "main-shop"),
            c("detail[0].product", "product", "d0_5"),
            c("fields.Warehouse", "warehouse", "d0_2"),
            c("fields.client", "client", "d0_1"),
        ],
        "ids under a key naming a kind (case ignored, Id and Ids suffixes), empty values skipped"
    );
}

#[test]
fn nothing_without_stored_kinds_and_each_reference_once() {
    let body = json!({ "customer": { "id": 1 }, "product": "p" });
    assert_eq!(found(body.clone(), &[]), Vec::new());
    let twice = json!({ "a": [{ "product": "p" }, { "product": "p" }], "b": { "product": "p" } });
    assert_eq!(
        found(twice, &["product"]),
        [
            c("a[0].product", "product", "p"),
            c("a[1].product", "product", "p"),
            c("b.product", "product", "p")
        ],
    );
    let many: Vec<_> = (0..2000)
        .map(|n| json!({ "product": n.to_string() }))
        .collect();
    let capped = candidates(&json!({ "rows": many }), &kinds(&["product"]), &[]);
    assert_eq!(capped.len(), twin_core::links::MAX_CANDIDATES);
}

#[test]
fn a_dialect_names_keys_that_refer_to_other_kinds() {
    let body = json!({ "store": { "SD_id": "d0_1" }, "storeId": "d0_2", "warehouse": "d0_3" });
    let aliases = [("store", "warehouse")];
    let found: Vec<_> = candidates(&body, &kinds(&["warehouse"]), &aliases)
        .into_iter()
        .map(|Candidate { label, kind, id }| (label, kind, id))
        .collect();
    assert_eq!(
        found,
        [
            c("store", "warehouse", "d0_1"),
            c("storeId", "warehouse", "d0_2"),
            c("warehouse", "warehouse", "d0_3"),
        ]
    );
}
