//! Shipments to delivery services and the printed forms of orders.

use serde_json::{json, Value};

use super::delivery::{delivery_module, order};
use super::{assert_error, ids_of, Crm};

/// The vendor's messages of bad parameters and of a bad entity document.
const PARAMS: &str = "Errors in the input parameters";
const ENTITY: &str = "Errors in the entity format";

const CREATE: &str = "/v5/delivery/shipments/create";

async fn create(crm: &Crm, kind: &str, shipment: Value) -> (u16, Value) {
    let form = [
        ("deliveryType", kind.to_owned()),
        ("site", "main-shop".to_owned()),
        ("deliveryShipment", shipment.to_string()),
    ];
    crm.post(CREATE, &form).await
}

async fn edit(crm: &Crm, id: &Value, shipment: Value) -> (u16, Value) {
    let path = format!("/v5/delivery/shipments/{id}/edit");
    crm.post(&path, &[("deliveryShipment", shipment.to_string())])
        .await
}

/// The ids of the shipment list under `query`.
async fn list(crm: &Crm, query: &str) -> Vec<i64> {
    let (status, body) = crm.get("/v5/delivery/shipments", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    ids_of(&body, "deliveryShipments")
}

#[tokio::test]
async fn shipments_are_created_read_listed_and_edited() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": "2024-03-05T09:00:00Z" }))
        .await;
    let courier = json!({ "code": "courier" });
    let first = order(
        &crm,
        json!({ "externalId": "s-1", "number": "N-1", "delivery": courier }),
    )
    .await;
    let second = order(&crm, json!({ "number": "N-2", "delivery": courier })).await;
    order(
        &crm,
        json!({ "externalId": "s-3", "number": "N-3", "delivery": courier }),
    )
    .await;
    let shipment = json!({
        "date": "2024-03-06", "time": { "from": "10:00", "to": "18:00" },
        "comment": "Gate 2", "managerId": 2, "extraData": { "pallets": "1" },
        "orders": [{ "externalId": "s-1" }, { "id": second }, { "number": "N-3" }],
    });
    let (status, body) = create(&crm, "courier", shipment).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "created");
    let id = body["id"].clone();
    let (status, got) = crm.get(&format!("/v5/delivery/shipments/{id}"), "").await;
    assert_eq!(status, 200, "{got}");
    let third = got["deliveryShipment"]["orders"][2]["id"].clone();
    assert_eq!(
        got["deliveryShipment"],
        json!({
            "id": id, "deliveryType": "courier", "store": "main-warehouse", "status": "created",
            "date": "2024-03-06", "time": { "from": "10:00", "to": "18:00" },
            "comment": "Gate 2", "managerId": 2, "extraData": { "pallets": "1" },
            "orders": [
                { "id": first, "externalId": "s-1", "number": "N-1" },
                { "id": second, "number": "N-2" },
                { "id": third, "externalId": "s-3", "number": "N-3" },
            ],
        })
    );
    // Defaults: today, `created`, the first store; an integrated type's service.
    delivery_module(&crm, "twin-post").await;
    let (_, body) = create(&crm, "twin-post", json!({ "status": "processing" })).await;
    let integrated = body["id"].clone();
    let (_, got) = crm
        .get(&format!("/v5/delivery/shipments/{integrated}"), "")
        .await;
    let got = &got["deliveryShipment"];
    assert_eq!(got["date"], "2024-03-05");
    assert_eq!(got["status"], "processing");
    assert_eq!(got["integrationCode"], "twin-post");
    assert_eq!(got["externalId"], format!("twin-post-{integrated}"));

    let (a, b) = (id.as_i64().unwrap(), integrated.as_i64().unwrap());
    assert_eq!(list(&crm, "").await, vec![a, b]);
    assert_eq!(list(&crm, "filter[deliveryTypes][]=courier").await, vec![a]);
    assert_eq!(list(&crm, "filter[statuses][]=processing").await, vec![b]);
    assert_eq!(list(&crm, "filter[orderNumber]=N-2").await, vec![a]);
    assert_eq!(list(&crm, "filter[managers][]=2").await, vec![a]);
    assert_eq!(
        list(&crm, "filter[stores][]=main-warehouse").await,
        vec![a, b]
    );
    assert_eq!(list(&crm, "filter[dateFrom]=2024-03-06").await, vec![a]);
    assert_eq!(list(&crm, "filter[dateTo]=2024-03-05").await, vec![b]);
    assert_eq!(list(&crm, &format!("filter[ids][]={b}")).await, vec![b]);
    let external = format!("filter[externalId]=twin-post-{b}");
    assert_eq!(list(&crm, &external).await, vec![b]);
    let (_, page) = crm.get("/v5/delivery/shipments", "limit=20&page=2").await;
    assert_eq!(page["pagination"]["totalCount"], 2);
    assert_eq!(page["deliveryShipments"], json!([]));

    // Edit: the orders list is replaced; once not `created`, no more edits.
    let change =
        json!({ "orders": [{ "number": "N-2" }], "status": "processing", "comment": null });
    assert_eq!(
        edit(&crm, &id, change).await,
        (
            200,
            json!({ "success": true, "id": id, "status": "processing" })
        )
    );
    let (_, got) = crm.get(&format!("/v5/delivery/shipments/{id}"), "").await;
    assert_eq!(
        got["deliveryShipment"]["orders"],
        json!([{ "id": second, "number": "N-2" }])
    );
    let late = edit(&crm, &id, json!({ "comment": "late" })).await;
    let text = "Shipment editing is available only for shipments in created status";
    assert_error(&late, 400, text, &[]);
}

#[tokio::test]
async fn shipment_errors_permissions_and_isolation() {
    let crm = Crm::new().await;
    order(
        &crm,
        json!({ "externalId": "self", "delivery": { "code": "self-delivery" } }),
    )
    .await;
    let no_type = crm
        .post(CREATE, &[("deliveryShipment", "{}".to_owned())])
        .await;
    assert_error(&no_type, 400, PARAMS, &["deliveryType"]);
    let unknown = create(&crm, "teleport", json!({})).await;
    assert_error(&unknown, 400, PARAMS, &["deliveryType"]);
    let missing = crm
        .post(CREATE, &[("deliveryType", "courier".into())])
        .await;
    assert_error(
        &missing,
        400,
        "Parameter 'deliveryShipment' is missing",
        &[],
    );
    let bad = json!({ "status": "lost", "date": "soon", "time": { "from": "25:00" },
                      "store": "moon", "managerId": 99,
                      "orders": [{ "externalId": "self" }, { "externalId": "ghost" }] });
    assert_error(
        &create(&crm, "courier", bad).await,
        400,
        ENTITY,
        &[
            "date",
            "managerId",
            "orders[0]",
            "orders[1]",
            "status",
            "store",
            "time[from]",
        ],
    );
    assert_error(
        &crm.get("/v5/delivery/shipments/404", "").await,
        404,
        "Not found",
        &[],
    );
    assert_error(
        &edit(&crm, &json!(404), json!({})).await,
        404,
        "Not found",
        &[],
    );
    let filters = "filter[dateFrom]=soon&filter[statuses][]=lost";
    assert_error(
        &crm.get("/v5/delivery/shipments", filters).await,
        400,
        PARAMS,
        &["filter[dateFrom]", "filter[statuses][0]"],
    );
    let paging = crm.get("/v5/delivery/shipments", "limit=7").await;
    assert_error(&paging, 400, PARAMS, &["limit"]);
    let (_, body) = create(
        &crm,
        "self-delivery",
        json!({ "orders": [{ "externalId": "self" }] }),
    )
    .await;
    let id = body["id"].clone();
    // Permissions: reading needs delivery_read, writing delivery_write.
    let reader = crm.add_key(&["delivery_read"], &[]).await;
    let path = format!("/v5/delivery/shipments/{id}");
    assert_eq!(crm.get_as(&reader, &path, "").await.0, 200);
    let form = [
        ("deliveryType", "courier".to_owned()),
        ("deliveryShipment", "{}".to_owned()),
    ];
    assert_error(
        &crm.post_as(&reader, CREATE, &form).await,
        403,
        "Access denied.",
        &[],
    );
    let edit_path = format!("{path}/edit");
    let denied = crm.post_as(&reader, &edit_path, &form).await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let writer = crm.add_key(&["delivery_write"], &[]).await;
    let denied = crm.get_as(&writer, "/v5/delivery/shipments", "").await;
    assert_error(&denied, 403, "Access denied.", &[]);
    // Another account sees none of it.
    let other = Crm::new().await;
    assert_error(&other.get(&path, "").await, 404, "Not found", &[]);
    let (_, list) = other.get("/v5/delivery/shipments", "").await;
    assert_eq!(list["deliveryShipments"], json!([]));
    let theirs = create(
        &other,
        "self-delivery",
        json!({ "orders": [{ "externalId": "self" }] }),
    )
    .await;
    assert_error(&theirs, 400, ENTITY, &["orders[0]"]);
}

/// `GET .../plates/{plate}/print` as raw bytes: status, content type, disposition, body.
async fn print(crm: &Crm, key: &str, path: &str) -> (u16, String, String, Vec<u8>) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    crm.get_bytes(key, &format!("/v5/orders/{path}/print?{query}"))
        .await
}

/// Checks the PDF's structure: header, trailer, and every cross-reference offset.
fn check_pdf(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf).into_owned();
    assert!(pdf.starts_with(b"%PDF-1.4\n"), "{text}");
    assert!(text.ends_with("%%EOF\n"), "{text}");
    let start: usize = text
        .rsplit("startxref\n")
        .next()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(pdf[start..].starts_with(b"xref\n"));
    let offsets: Vec<usize> = text[start..]
        .lines()
        .filter(|l| l.ends_with(" n "))
        .map(|l| l[..10].parse().unwrap())
        .collect();
    assert!(offsets.len() >= 5);
    for (i, offset) in offsets.iter().enumerate() {
        let object = format!("{} 0 obj", i + 1);
        assert!(pdf[*offset..].starts_with(object.as_bytes()), "{object}");
    }
    text
}

#[tokio::test]
async fn plates_print_the_order_as_a_pdf() {
    let crm = Crm::new().await;
    let items = json!([
        { "productName": "Чайник", "initialPrice": 1000, "quantity": 2, "discountManualPercent": 10 },
        { "productName": "Cup (big)", "initialPrice": 150, "quantity": 3 },
    ]);
    let id = order(&crm, json!({ "externalId": "p-1", "number": "A-7", "firstName": "Анна",
        "discountManualAmount": 50, "delivery": { "code": "courier", "cost": 300 }, "items": items })).await;
    let (status, kind, disposition, body) = print(&crm, &crm.key, "p-1/plates/1").await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert_eq!(
        disposition,
        "attachment; filename=\"sales-receipt-A-7.pdf\""
    );
    let text = check_pdf(&body);
    for line in [
        "(Sales receipt / Tovarnyy chek)",
        "(Order No. A-7)",
        "(Customer: Anna)",
        "(1. Chaynik  2 x 1000.00 = 2000.00 RUB)",
        "(2. Cup \\(big\\)  3 x 150.00 = 450.00 RUB)",
        "(Items: 2450.00 RUB)",
        "(Discount: 250.00 RUB)",
        "(Delivery: 300.00 RUB)",
        "(Total: 2500.00 RUB)",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(!text.contains("Amount due"));
    let (status, _, disposition, body) =
        print(&crm, &crm.key, &format!("{id}/plates/2?by=id")).await;
    assert_eq!(status, 200);
    assert_eq!(disposition, "attachment; filename=\"invoice-A-7.pdf\"");
    assert!(check_pdf(&body).contains("(Amount due: 2500.00 RUB)"));
    // Unknown plates and orders, permission, isolation.
    for path in ["p-1/plates/99", "p-1/plates/abc", "ghost/plates/1"] {
        let (status, _, _, body) = print(&crm, &crm.key, path).await;
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (status, body),
            (404, json!({ "success": false, "errorMsg": "Not found" }))
        );
    }
    let writer = crm.add_key(&["order_write"], &[]).await;
    assert_eq!(print(&crm, &writer, "p-1/plates/1").await.0, 403);
    let other = Crm::new().await;
    assert_eq!(print(&other, &other.key, "p-1/plates/1").await.0, 404);
}
