//! Conventions every MoySklad call follows: auth, gzip, routing errors, lists, filters,
//! rate-limit headers.

use reqwest::Method;
use serde_json::{json, Value};

use super::{code, read, Ms, ROOT};

#[tokio::test]
async fn authentication_by_password_and_exclusive_tokens() {
    let ms = Ms::new().await;
    let anonymous = ms
        .app
        .client
        .get(ms.app.url(&format!("{ROOT}/entity/currency")))
        .send()
        .await
        .unwrap();
    let (status, body) = read(anonymous).await;
    assert_eq!((status, code(&body)), (401, 1056));
    let wrong = ms
        .app
        .client
        .get(ms.app.url(&format!("{ROOT}/entity/currency")))
        .basic_auth(&ms.login, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(read(wrong).await.0, 401);

    let (status, issued) = ms.post("/security/token", json!({})).await;
    assert_eq!(status, 200);
    let token = issued["access_token"].as_str().unwrap().to_owned();
    let with_token = |token: String| {
        let request = ms
            .app
            .client
            .get(ms.app.url(&format!("{ROOT}/context/employee")))
            .bearer_auth(token);
        async move { read(request.send().await.unwrap()).await }
    };
    let (status, employee) = with_token(token.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(employee["uid"], ms.login);
    assert_eq!(employee["meta"]["type"], "employee");
    assert_eq!(employee["permissions"]["currency"]["view"], "ALL");
    let (_, second) = ms.post("/security/token", json!({})).await;
    assert_eq!(
        with_token(token).await.0,
        401,
        "a new token revokes the earlier one"
    );
    assert_eq!(
        with_token(second["access_token"].as_str().unwrap().to_owned())
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn gzip_is_mandatory_unless_the_account_is_lenient() {
    let ms = Ms::new().await;
    let plain = reqwest::Client::builder().no_gzip().build().unwrap();
    let url = ms.href("/entity/currency");
    let refused = plain
        .get(&url)
        .basic_auth(&ms.login, Some(&ms.password))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 415);
    assert_eq!(
        refused.bytes().await.unwrap().len(),
        0,
        "415 with an empty body"
    );
    ms.app
        .settings(&ms.account, json!({ "moysklad": { "lenientGzip": true } }))
        .await;
    let allowed = plain
        .get(&url)
        .basic_auth(&ms.login, Some(&ms.password))
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    let html = ms
        .request(Method::GET, "/entity/currency")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let (status, body) = read(html).await;
    assert_eq!((status, code(&body)), (415, 1062));
}

#[tokio::test]
async fn routing_errors_use_the_vendor_codes() {
    let ms = Ms::new().await;
    let cases = [
        (Method::GET, "/entity/nosuchtype", 404, 1005),
        (Method::GET, "/nowhere/at/all", 404, 1002),
        (Method::GET, "/entity/currency/not-a-uuid", 404, 1000),
        (Method::PUT, "/entity/currency", 400, 1012),
        (Method::DELETE, "/entity/currency", 405, 1039),
        (
            Method::GET,
            "/entity/currency/6b44332f-b0ac-11ea-ac14-000a00000002",
            404,
            1021,
        ),
    ];
    for (method, path, status, error) in cases {
        let (got, body) = ms.call(method.clone(), path, None).await;
        assert_eq!(
            (got, code(&body)),
            (status, error),
            "{method} {path}: {body}"
        );
        assert!(body["errors"][0]["moreInfo"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#error_{error}")));
    }
    let malformed = ms
        .request(Method::POST, "/entity/currency")
        .header("content-type", "application/json")
        .body("{\"name\":")
        .send()
        .await
        .unwrap();
    let (status, body) = read(malformed).await;
    assert_eq!((status, code(&body)), (400, 2001));
    let (status, _) = ms.get("/entity/Currency/").await;
    assert_eq!(
        status, 200,
        "keywords are case-insensitive and a trailing slash is fine"
    );
}

#[tokio::test]
async fn lists_page_with_total_size_and_links() {
    let ms = Ms::new().await;
    for n in 1..=5 {
        let (status, _) = ms
            .post(
                "/entity/productfolder",
                json!({ "name": format!("F{n}"), "code": format!("c{n}") }),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (status, page) = ms.get("/entity/productfolder?limit=2&offset=2").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["F3", "F4"]);
    let meta = &page["meta"];
    assert_eq!(meta["size"], 5);
    assert_eq!(
        (meta["limit"].as_u64(), meta["offset"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(meta["type"], "productfolder");
    assert_eq!(
        meta["href"],
        ms.href("/entity/productfolder?limit=2&offset=2")
    );
    assert_eq!(
        meta["nextHref"],
        ms.href("/entity/productfolder?limit=2&offset=4")
    );
    assert_eq!(
        meta["previousHref"],
        ms.href("/entity/productfolder?limit=2&offset=0")
    );
    assert_eq!(
        page["context"]["employee"]["meta"]["href"],
        ms.href("/context/employee")
    );
    let (status, body) = ms.get("/entity/productfolder?limit=1001").await;
    assert_eq!((status, code(&body)), (400, 1040));
}

#[tokio::test]
async fn filters_search_and_order() {
    let ms = Ms::new().await;
    for (name, code_) in [
        ("Овощи", "veg"),
        ("Фрукты", "fruit"),
        ("Ягоды; лесные", "berry"),
    ] {
        ms.post(
            "/entity/productfolder",
            json!({ "name": name, "code": code_ }),
        )
        .await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let query = |filter: &str| format!("/entity/productfolder?filter={}", urlencode(filter));
    let (_, page) = ms.get(&query("name=Овощи;name=Фрукты")).await;
    assert_eq!(names(&page), ["Овощи", "Фрукты"], "repeated = is any of");
    let (_, page) = ms.get(&query("name!=Овощи;name!=Фрукты")).await;
    assert_eq!(names(&page), ["Ягоды; лесные"], "repeated != is none of");
    let (_, page) = ms.get(&query("name~ОВО")).await;
    assert_eq!(names(&page), ["Овощи"], "like is case-insensitive");
    let (_, page) = ms.get(&query("code=~uit")).await;
    assert_eq!(names(&page), ["Фрукты"]);
    let (_, page) = ms.get(&query("name=Ягоды\\; лесные")).await;
    assert_eq!(
        names(&page),
        ["Ягоды; лесные"],
        "\\; is a literal semicolon"
    );
    let (_, page) = ms.get(&query("description=")).await;
    assert_eq!(
        page["meta"]["size"], 3,
        "an empty value matches missing fields"
    );
    let (_, page) = ms.get("/entity/productfolder?order=code,desc").await;
    assert_eq!(names(&page), ["Овощи", "Фрукты", "Ягоды; лесные"]);
    let (_, page) = ms
        .get(&format!(
            "/entity/productfolder?search={}",
            urlencode("фрук")
        ))
        .await;
    assert_eq!(names(&page), ["Фрукты"]);
    let (status, body) = ms.get(&query("weight>3")).await;
    assert_eq!((status, code(&body)), (400, 1034));
    let (status, body) = ms.get(&query("name>a")).await;
    assert_eq!((status, code(&body)), (400, 1034), "strings are not ranged");
    let (status, body) = ms.get("/entity/productfolder?order=owner").await;
    assert_eq!((status, code(&body)), (400, 1063));
    let (status, body) = ms.get(&query("updated>yesterday")).await;
    assert_eq!((status, code(&body)), (400, 1035));
}

#[tokio::test]
async fn rate_limit_headers_and_429() {
    let ms = Ms::new().await;
    let response = ms
        .request(Method::GET, "/entity/currency")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-ratelimit-limit"], "45");
    assert_eq!(response.headers()["x-lognex-retry-timeinterval"], "3000");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "44");
    let mut last = None;
    for _ in 0..45 {
        last = Some(
            ms.request(Method::GET, "/entity/currency")
                .send()
                .await
                .unwrap(),
        );
    }
    let limited = last.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("x-lognex-retry-after"));
    let (_, body) = read(limited).await;
    assert_eq!(code(&body), 1049);
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn an_account_can_change_or_lift_the_rate_limit() {
    let ms = Ms::new().await;
    let set = |value: serde_json::Value| {
        ms.app
            .settings(&ms.account, json!({ "moysklad": { "rateLimit": value } }))
    };
    set(json!(3)).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = ms
            .request(Method::GET, "/entity/currency")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429]);
    set(json!(false)).await;
    let lifted = ms
        .request(Method::GET, "/entity/currency")
        .send()
        .await
        .unwrap();
    assert_eq!(
        lifted.status(),
        200,
        "not enforced, though counted in the headers"
    );
}
