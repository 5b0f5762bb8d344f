//! `GET /api/v5/costs`: every filter of the seed, paging and the filters' errors.

use serde_json::json;

use super::costs::{cost, create_cost};
use crate::retailcrm::{assert_error, ids_of, Crm};

/// 2024-03-10 12:00:00 Moscow time.
const START: &str = "2024-03-10T09:00:00Z";

async fn found(crm: &Crm, query: &str) -> Vec<i64> {
    let (status, body) = crm.get("/v5/costs", query).await;
    assert_eq!(status, 200, "{query}: {body}");
    ids_of(&body, "costs")
}

#[tokio::test]
async fn every_filter_finds_its_costs() {
    let crm = Crm::new().await;
    crm.clock(json!({ "action": "freeze", "at": START })).await;
    // The second site exists from its key's first request on.
    let shop_b = crm.add_key(&[], &["shop-b"]).await;
    let _ = crm.get_as(&shop_b, "/v5/costs", "").await;
    let (_, order) = crm
        .post(
            "/v5/orders/create",
            &[
                (
                    "order",
                    json!({ "externalId": "ord-l1", "number": "L-1" }).to_string(),
                ),
                ("site", "main-shop".into()),
            ],
        )
        .await;
    let order_id = order["id"].as_i64().unwrap();

    let mut rent = cost("rent", 50000.0);
    rent["comment"] = json!("Аренда склада");
    rent["sites"] = json!(["main-shop"]);
    let rent = create_cost(&crm, rent).await;
    let mut delivery = cost("delivery", 300.0);
    delivery["order"] = json!({ "id": order_id });
    delivery["dateFrom"] = json!("2024-02-01");
    delivery["dateTo"] = json!("2024-02-10");
    // Without `sites`: every site the key reaches.
    let delivery = create_cost(&crm, delivery).await;
    crm.clock(json!({ "action": "advance", "seconds": 2 * 86400 }))
        .await;
    let mut salary = cost("salary", 90000.0);
    salary["userId"] = json!(3);
    salary["sites"] = json!(["shop-b"]);
    let salary = create_cost(&crm, salary).await;
    let mut both = cost("tax", 1500.0);
    both["sites"] = json!(["main-shop", "shop-b"]);
    let both = create_cost(&crm, both).await;

    assert_eq!(found(&crm, "").await, [rent, delivery, salary, both]);
    for (query, expected) in [
        (
            format!("filter[ids][]={rent}&filter[ids][]={both}"),
            vec![rent, both],
        ),
        (
            "filter[costItems][]=delivery&filter[costItems][]=tax".into(),
            vec![delivery, both],
        ),
        (
            "filter[costGroups][]=fixed-costs".into(),
            vec![rent, salary],
        ),
        (
            "filter[sites][]=shop-b".into(),
            vec![delivery, salary, both],
        ),
        (
            "filter[sites][]=main-shop".into(),
            vec![rent, delivery, both],
        ),
        ("filter[users][]=3".into(), vec![salary]),
        ("filter[createdBy][]=1".into(), vec![]),
        ("filter[orderNumber]=L-1".into(), vec![delivery]),
        (format!("filter[orderIds][]={order_id}"), vec![delivery]),
        ("filter[orderExternalIds][]=ord-l1".into(), vec![delivery]),
        ("filter[comment]=СКЛАД".into(), vec![rent]),
        (
            "filter[createdAtFrom]=2024-03-12".into(),
            vec![salary, both],
        ),
        (
            "filter[createdAtTo]=2024-03-10".into(),
            vec![rent, delivery],
        ),
        ("filter[dateFrom]=2024-01-15".into(), vec![delivery]),
        ("filter[dateTo]=2024-01-31".into(), vec![rent, salary, both]),
        (
            "filter[minSumm]=1500&filter[maxSumm]=50000".into(),
            vec![rent, both],
        ),
    ] {
        assert_eq!(found(&crm, &query).await, expected, "{query}");
    }
    let (_, page) = crm.get("/v5/costs", "limit=20&page=2").await;
    assert_eq!(page["costs"], json!([]));
    assert_eq!(
        page["pagination"],
        json!({ "limit": 20, "totalCount": 4, "currentPage": 2, "totalPageCount": 1 })
    );
    // A key limited to shop-b sees the costs of shop-b only.
    let (_, limited) = crm.get_as(&shop_b, "/v5/costs", "").await;
    assert_eq!(ids_of(&limited, "costs"), [delivery, salary, both]);
}

#[tokio::test]
async fn bad_filters_are_errors() {
    let crm = Crm::new().await;
    let answer = crm
        .get(
            "/v5/costs",
            "filter[ids][]=x&filter[users][]=y&filter[minSumm]=1.5.1&filter[dateFrom]=10.01.2024\
             &filter[createdAtTo]=soon",
        )
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &[
            "filter[createdAtTo]",
            "filter[dateFrom]",
            "filter[ids][0]",
            "filter[minSumm]",
            "filter[users][0]",
        ],
    );
    let answer = crm.get("/v5/costs", "limit=7").await;
    assert_error(&answer, 400, "Errors in the input parameters", &["limit"]);
    let answer = crm.get("/v5/costs", "filter[sites][]=nowhere").await;
    assert_error(&answer, 400, "Site with code \"nowhere\" not found", &[]);
    let long = "x".repeat(1001);
    let answer = crm
        .get("/v5/costs", &format!("filter[comment]={long}"))
        .await;
    assert_error(
        &answer,
        400,
        "Errors in the input parameters",
        &["filter[comment]"],
    );
}
