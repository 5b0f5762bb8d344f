//! SQL metacharacters and LIKE wildcards in every filterable field: each is a literal
//! value (it matches no record but one that holds it) or the vendor's 4xx, never a 500,
//! an SQL error, or a wildcard that matches the decoy every account here holds.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use super::Vendor;

/// Values an SQL or LIKE injection would try; none equals or contains the decoy's text.
const PAYLOADS: &[&str] = &[
    "'",
    "\"",
    ";",
    "--",
    "%",
    "_",
    "\\",
    "\0",
    "%%",
    "d_coy",
    "%coy",
    "dec%",
    "' OR '1'='1",
    "\" OR 1=1 --",
    "'; DROP TABLE documents; --",
    "\\%",
    "\\'",
    "a\0b",
    "*",
    "[",
    "$where",
];

/// The text every decoy record holds in its filterable fields.
const DECOY: &str = "decoy";

async fn plant_decoy(vendor: &Vendor) {
    let (status, body): (u16, Value) = match vendor {
        Vendor::MoySklad(ms) => {
            ms.post(
                "/entity/product",
                json!({ "name": DECOY, "code": DECOY, "externalCode": DECOY, "article": DECOY, "description": DECOY }),
            )
            .await
        }
        Vendor::RetailCrm(crm) => {
            let customer = json!({ "firstName": DECOY, "lastName": DECOY, "email": "decoy@example.com", "externalId": DECOY, "phones": [{ "number": "+70000000000" }] });
            crm.post("/v5/customers/create", &[("customer", customer.to_string())])
                .await
        }
        Vendor::Kassa(kassa) => {
            let (status, category) = kassa
                .post(
                    "/product-categories",
                    json!({ "name": DECOY, "taxationSystem": "OSN", "vat": "WITHOUT" }),
                )
                .await;
            assert_eq!(status, 201, "kassa decoy category: {category}");
            kassa
                .post(
                    "/products",
                    json!({ "name": DECOY, "categoryId": category["id"], "type": "PRODUCT", "article": DECOY, "price": 1, "paymentVat": "VAT_WITHOUT", "uom": 1, "paymentObject": 0 }),
                )
                .await
        }
        Vendor::SalesDoc(_) => return,
    };
    assert!(status < 300, "{} decoy: {status} {body}", vendor.name());
}

/// Every filter of the dialect's list of its first record kind, with `value` in it.
fn filtered(vendor: &Vendor, value: &str) -> Vec<(String, RequestBuilder)> {
    match vendor {
        Vendor::MoySklad(_) => {
            let mut requests: Vec<(String, RequestBuilder)> = Vec::new();
            for field in ["name", "code", "externalCode", "article", "description"] {
                for operator in ["=", "!=", "~", "~=", "=~"] {
                    let filter = format!("{field}{operator}{value}");
                    let request = vendor
                        .request(Method::GET, "/entity/product")
                        .query(&[("filter", filter.as_str())]);
                    requests.push((format!("filter {filter:?}"), request));
                }
            }
            for (param, text) in [
                ("search", value.to_owned()),
                ("order", format!("{value},asc")),
            ] {
                let request = vendor
                    .request(Method::GET, "/entity/product")
                    .query(&[(param, text.as_str())]);
                requests.push((format!("{param} {text:?}"), request));
            }
            requests
        }
        Vendor::RetailCrm(_) => [
            "name",
            "email",
            "externalIds][",
            "ids][",
            "city",
            "region",
            "contragentName",
            "customFields][x",
            "sites][",
        ]
        .iter()
        .map(|field| {
            let param = format!("filter[{field}]");
            let request = vendor
                .request(Method::GET, "/customers")
                .query(&[(param.as_str(), value)]);
            (format!("{param} {value:?}"), request)
        })
        .collect(),
        Vendor::Kassa(_) => ["type", "categoryId", "limit", "cursor"]
            .iter()
            .map(|param| {
                let request = vendor
                    .request(Method::GET, "/products")
                    .query(&[(*param, value)]);
                (format!("{param} {value:?}"), request)
            })
            .collect(),
        Vendor::SalesDoc(sd) => ["CS_id", "SD_id", "code_1C", "active"]
            .iter()
            .map(|field| {
                let request = vendor.request(Method::POST, "").json(&json!({
                    "method": "getClient",
                    "auth": { "userId": sd.user_id, "token": sd.token },
                    "params": { "filter": { *field: value } },
                }));
                (format!("filter.{field} {value:?}"), request)
            })
            .collect(),
    }
}

/// The records of a list answer.
fn rows(vendor: &Vendor, body: &Value) -> usize {
    let rows = match vendor {
        Vendor::MoySklad(_) => &body["rows"],
        Vendor::RetailCrm(_) => &body["customers"],
        Vendor::Kassa(_) => &body["items"],
        Vendor::SalesDoc(_) => &body["result"]["client"],
    };
    rows.as_array()
        .unwrap_or_else(|| panic!("{}: no list in {body:.300}", vendor.name()))
        .len()
}

#[tokio::test]
async fn sql_metacharacters_and_wildcards_in_filters_are_literals() {
    for vendor in Vendor::all().await {
        metacharacters_are_literals(&vendor).await;
    }
}

/// Plants the decoy, then tries every payload in every filter.
async fn metacharacters_are_literals(vendor: &Vendor) {
    plant_decoy(vendor).await;
    let before = vendor.stored().await;
    for value in PAYLOADS {
        for (what, request) in filtered(vendor, value) {
            let response = request.send().await.expect("answer");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            let body: Value = serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{} {what}: {status} {text:.300}", vendor.name()));
            // `!=` holds for the decoy whatever the value: the one filter that may find it.
            let negated = what.contains("!=");
            match status {
                200 if negated => {}
                200 => assert_eq!(
                    rows(vendor, &body),
                    0,
                    "{} {what}: {body:.300}",
                    vendor.name()
                ),
                400..=499 => assert!(
                    vendor.is_error(&body),
                    "{} {what}: {body:.300}",
                    vendor.name()
                ),
                _ => panic!("{} {what}: {status} {body:.300}", vendor.name()),
            }
        }
    }
    assert_eq!(
        vendor.stored().await,
        before,
        "{}: a filter wrote",
        vendor.name()
    );
}

/// The same on PostgreSQL (when `TWIN_TEST_PG_URL` is set), whose text cannot hold NUL.
#[tokio::test]
async fn sql_metacharacters_and_wildcards_in_filters_are_literals_on_postgres() {
    let Some(app) = twin_testkit::pg_app() else {
        return;
    };
    for vendor in Vendor::all_on(app).await {
        metacharacters_are_literals(&vendor).await;
    }
}
