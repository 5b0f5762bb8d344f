//! Arrays over the vendors' documented limits: refused whole, in the vendor's shape, with
//! nothing stored.

use reqwest::Method;
use serde_json::{json, Value};

use super::Vendor;

fn many(count: usize, record: impl Fn(usize) -> Value) -> Value {
    Value::Array((0..count).map(record).collect())
}

/// The over-limit requests of a dialect, each with the status the vendor answers.
fn over_limits(vendor: &Vendor) -> Vec<(&'static str, reqwest::RequestBuilder, u16)> {
    match vendor {
        // MoySklad: at most 1000 elements in a mass create/update (2007, 413).
        Vendor::MoySklad(_) => vec![(
            "1001 products",
            vendor
                .request(Method::POST, "/entity/product")
                .json(&many(1001, |i| json!({ "name": format!("p{i}") }))),
            413,
        )],
        // RetailCRM: 50 per upload, 250 offers per inventories upload.
        Vendor::RetailCrm(_) => {
            let upload = |path: &str, field: &str, list: Value| {
                vendor
                    .request(Method::POST, path)
                    .form(&[(field, list.to_string()), ("site", "main-shop".to_owned())])
            };
            vec![
                (
                    "51 orders",
                    upload(
                        "/orders/upload",
                        "orders",
                        many(51, |i| json!({ "externalId": format!("o{i}") })),
                    ),
                    400,
                ),
                (
                    "51 customers",
                    upload(
                        "/customers/upload",
                        "customers",
                        many(51, |i| json!({ "externalId": format!("c{i}"), "firstName": "A" })),
                    ),
                    400,
                ),
                (
                    "251 offers",
                    upload(
                        "/store/inventories/upload",
                        "offers",
                        many(251, |i| json!({ "externalId": format!("x{i}"), "stores": [] })),
                    ),
                    400,
                ),
            ]
        }
        // Kassa documents pages of 1 to 50.
        Vendor::Kassa(_) => vec![(
            "a page of 51",
            vendor.request(Method::GET, "/products?limit=51"),
            400,
        )],
        // SalesDoc: 250 records per group (407).
        Vendor::SalesDoc(sd) => vec![(
            "251 clients",
            vendor.request(Method::POST, "").json(&json!({
                "method": "setClient",
                "auth": { "userId": sd.user_id, "token": sd.token },
                "data": { "client": many(251, |i| json!({ "CS_id": format!("c{i}"), "name": "A" })) },
            })),
            407,
        )],
    }
}

#[tokio::test]
async fn arrays_over_the_vendors_limits_are_refused_whole() {
    for vendor in Vendor::all().await {
        for (what, request, expected) in over_limits(&vendor) {
            let before = vendor.stored().await;
            let (status, body) = vendor.refused(what, request).await;
            assert_eq!(status, expected, "{} {what}: {body}", vendor.name());
            assert_eq!(vendor.stored().await, before, "{} {what}", vendor.name());
        }
    }
}
