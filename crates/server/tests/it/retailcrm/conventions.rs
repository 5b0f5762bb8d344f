//! What every method shares: keys, permissions, sites, the envelope, routing, paging and
//! the rate limit.

use serde_json::json;

use super::{answer, assert_error, Crm};

#[tokio::test]
async fn the_key_comes_in_the_header_or_the_query() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/api-versions", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "success": true, "versions": ["3.0", "4.0", "5.0"] })
    );
    let url = crm
        .app
        .url(&format!("/api/api-versions?apiKey={}", crm.key));
    let (status, body) = answer(crm.app.client.get(url)).await;
    assert_eq!((status, &body["success"]), (200, &json!(true)), "{body}");

    let missing = answer(crm.app.client.get(crm.app.url("/api/v5/customers"))).await;
    assert_error(&missing, 401, "\"apiKey\" is missing.", &[]);
    let wrong = crm.get_as("no-such-key", "/v5/customers", "").await;
    assert_error(&wrong, 401, "Wrong \"apiKey\" value.", &[]);
}

#[tokio::test]
async fn credentials_report_scopes_and_sites() {
    let crm = Crm::new().await;
    let (status, body) = crm.get("/credentials", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["siteAccess"], "access_full");
    assert_eq!(body["sitesAvailable"], json!(["main-shop"]));
    let scopes = body["scopes"].as_array().unwrap();
    assert!(scopes.contains(&json!("customer_read")) && scopes.contains(&json!("order_write")));
    assert!(body["credentials"]
        .as_array()
        .unwrap()
        .contains(&json!("/api/v5/customers/create")));

    let narrow = crm.add_key(&["customer_read"], &["shop-a"]).await;
    let (_, body) = crm.get_as(&narrow, "/credentials", "").await;
    assert_eq!(body["siteAccess"], "access_selective");
    assert_eq!(body["sitesAvailable"], json!(["shop-a"]));
    assert_eq!(body["scopes"], json!(["customer_read"]));
    assert!(!body["credentials"]
        .as_array()
        .unwrap()
        .contains(&json!("/api/v5/customers/create")));
    // The account has both sites now; the full key sees both.
    let (_, body) = crm.get("/v5/reference/sites", "").await;
    let sites = body["sites"].as_object().unwrap();
    assert_eq!(sites.keys().collect::<Vec<_>>(), ["main-shop", "shop-a"]);
    assert_eq!(body["sites"]["shop-a"]["code"], "shop-a");
}

#[tokio::test]
async fn a_method_needs_its_permission() {
    let crm = Crm::new().await;
    let reader = crm.add_key(&["customer_read"], &[]).await;
    let (status, _) = crm.get_as(&reader, "/v5/customers", "").await;
    assert_eq!(status, 200);
    let denied = crm
        .post_as(
            &reader,
            "/v5/customers/create",
            &[("customer", "{}".into())],
        )
        .await;
    assert_error(&denied, 403, "Access denied.", &[]);
    let denied = crm.get_as(&reader, "/v5/reference/sites", "").await;
    assert_error(&denied, 403, "Access denied.", &[]);
}

#[tokio::test]
async fn sites_are_checked_against_the_account_and_the_key() {
    let crm = Crm::new().await;
    let limited = crm.add_key(&[], &["shop-a"]).await;
    // The limited key's first request creates its site.
    let (status, _) = crm.get_as(&limited, "/v5/customers", "").await;
    assert_eq!(status, 200);
    let unknown = crm.get("/v5/customers/x", "site=nowhere").await;
    assert_error(&unknown, 400, "Site with code \"nowhere\" not found", &[]);
    let denied = crm
        .get_as(&limited, "/v5/customers/x", "site=main-shop")
        .await;
    assert_error(
        &denied,
        403,
        "Access to site \"main-shop\" is denied for this API key.",
        &[],
    );
    // With two sites in reach, a create must name one.
    let ambiguous = crm
        .post("/v5/customers/create", &[("customer", "{}".into())])
        .await;
    assert_error(
        &ambiguous,
        400,
        "The \"site\" parameter is required: the API key reaches several sites",
        &[],
    );
    // The limited key's site is implied.
    let (status, body) = crm
        .post_as(
            &limited,
            "/v5/customers/create",
            &[("customer", "{}".into())],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, body) = crm.get("/v5/customers/", "").await;
    assert_eq!(body["customers"][0]["site"], "shop-a", "{body}");
    // A customer of another site is out of a limited key's reach.
    let id = crm
        .post(
            "/v5/customers/create",
            &[("customer", "{}".into()), ("site", "main-shop".into())],
        )
        .await
        .1["id"]
        .clone();
    let denied = crm
        .get_as(&limited, &format!("/v5/customers/{id}"), "by=id")
        .await;
    assert_error(
        &denied,
        403,
        "Access to site \"main-shop\" is denied for this API key.",
        &[],
    );
    let (_, body) = crm.get_as(&limited, "/v5/customers", "").await;
    assert_eq!(body["pagination"]["totalCount"], 1, "{body}");
}

#[tokio::test]
async fn routing_answers_in_the_vendors_format() {
    let crm = Crm::new().await;
    let unknown = crm.get("/v5/no-such-thing", "").await;
    assert_error(&unknown, 404, "API method not found", &[]);
    let wrong = crm.post("/v5/customers/history", &[]).await;
    assert_error(&wrong, 405, "Method not allowed", &[]);
}

#[tokio::test]
async fn limit_and_page_are_checked() {
    let crm = Crm::new().await;
    for (query, field) in [
        ("limit=30", "limit"),
        ("limit=x", "limit"),
        ("page=0", "page"),
    ] {
        let answer = crm.get("/v5/customers", query).await;
        assert_error(&answer, 400, "Errors in the input parameters", &[field]);
    }
    let (status, body) = crm.get("/v5/customers", "limit=50&page=2").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["pagination"],
        json!({ "limit": 50, "totalCount": 0, "currentPage": 2, "totalPageCount": 0 })
    );
}

#[tokio::test]
async fn bad_documents_are_400s() {
    let crm = Crm::new().await;
    let missing = crm.post("/v5/customers/create", &[]).await;
    assert_error(&missing, 400, "Parameter 'customer' is missing", &[]);
    let broken = crm
        .post("/v5/customers/create", &[("customer", "{oops".into())])
        .await;
    assert_error(
        &broken,
        400,
        "Parameter 'customer' must be a valid JSON document",
        &[],
    );
    let list = crm
        .post("/v5/customers/create", &[("customer", "[1]".into())])
        .await;
    assert_error(
        &list,
        400,
        "Parameter 'customer' must be a JSON object",
        &[],
    );
}

#[tokio::test]
async fn the_rate_limit_is_per_key_and_can_be_switched_off() {
    let crm = Crm::new().await;
    crm.settings(json!({ "rateLimit": true })).await;
    let mut limited = None;
    for _ in 0..20 {
        let url = crm.app.url("/api/api-versions");
        let response = crm
            .app
            .client
            .get(url)
            .header("X-API-KEY", &crm.key)
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            let retry = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .to_owned();
            limited = Some((retry, response.json::<serde_json::Value>().await.unwrap()));
            break;
        }
    }
    let (retry, body) = limited.expect("a 429 within 20 quick requests");
    assert_eq!(retry, "1");
    assert_eq!(
        body,
        json!({ "success": false, "errorMsg": "Rate limit exceeded" })
    );
    // Another key of the account has its own budget.
    let other = crm.add_key(&[], &[]).await;
    assert_eq!(crm.get_as(&other, "/api-versions", "").await.0, 200);
    crm.settings(json!({ "rateLimit": false })).await;
    for _ in 0..20 {
        assert_eq!(crm.get("/api-versions", "").await.0, 200);
    }
}
