//! Each dialect's answers to a rule: the 429 compared with the one its own limiter gives
//! (driven into a real refusal on another account), and its 5xx and timeout shapes.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{answer, Answer};

use super::add_rule;
use crate::kassa::Kassa;
use crate::moysklad::Ms;
use crate::retailcrm::Crm;
use crate::salesdoc::Sd;

/// Asserts that the rule's answer is the limiter's: the same status and body, the same
/// values of `same` headers, and the `present` ones on both.
fn assert_same_refusal(injected: &Answer, real: &Answer, same: &[&str], present: &[&str]) {
    assert_eq!(real.status, 429, "the limiter refused: {}", real.body);
    assert_eq!(injected.status, real.status, "{}", injected.body);
    assert_eq!(injected.body, real.body);
    for name in same.iter().chain(["content-type"].iter()) {
        assert_eq!(
            injected.headers.get(*name),
            real.headers.get(*name),
            "{name}"
        );
    }
    for name in present {
        assert!(
            real.headers.contains_key(*name),
            "{name} on the limiter's 429"
        );
        assert!(
            injected.headers.contains_key(*name),
            "{name} on the rule's 429"
        );
    }
}

fn header<'a>(answer: &'a Answer, name: &str) -> &'a str {
    answer.headers[name].to_str().expect("header text")
}

/// Sends `request()` until an answer is a 429 (at most `tries` times); that answer.
async fn first_refusal(tries: usize, request: impl Fn() -> reqwest::RequestBuilder) -> Answer {
    for _ in 0..tries {
        let got = answer(request()).await;
        if got.status == 429 {
            return got;
        }
    }
    panic!("no 429 within {tries} requests");
}

#[tokio::test]
async fn retailcrm_gets_its_limiters_429() {
    let limited = Crm::new().await;
    limited.settings(json!({ "rateLimit": true })).await;
    let versions = |crm: &Crm| {
        crm.app
            .client
            .get(crm.app.url("/api/api-versions"))
            .header("X-API-KEY", &crm.key)
    };
    let real = first_refusal(30, || versions(&limited)).await;

    let crm = Crm::new().await;
    let rule = json!({ "account": crm.account, "endpoint": "api-versions", "count": 1,
                       "action": { "type": "rate_limit" } });
    add_rule(crm.app, rule).await;
    let injected = answer(versions(&crm)).await;
    assert_same_refusal(&injected, &real, &["retry-after"], &[]);
    assert_eq!(
        header(&injected, "retry-after"),
        "1",
        "the vendor's one-second window"
    );

    let rule = json!({ "account": crm.account, "count": 1,
                       "action": { "type": "rate_limit", "retryAfterMs": 5000 } });
    add_rule(crm.app, rule).await;
    let longer = answer(versions(&crm)).await;
    assert_eq!(longer.status, 429, "{}", longer.body);
    assert_eq!(header(&longer, "retry-after"), "5");
    assert_eq!(answer(versions(&crm)).await.status, 200, "both rules spent");
}

#[tokio::test]
async fn moysklad_gets_its_limiters_429() {
    let limited = Ms::new().await;
    limited
        .app
        .settings(&limited.account, json!({ "moysklad": { "rateLimit": 1 } }))
        .await;
    let employee = |ms: &Ms| ms.request(Method::GET, "/context/employee");
    let real = first_refusal(5, || employee(&limited)).await;

    let ms = Ms::new().await;
    let rule = json!({ "account": ms.account, "dialect": "moysklad", "endpoint": "context.employee",
                       "count": 1, "action": { "type": "rate_limit", "retryAfterMs": 1500 } });
    add_rule(ms.app, rule).await;
    let injected = answer(employee(&ms)).await;
    assert_same_refusal(
        &injected,
        &real,
        &["x-lognex-retry-timeinterval", "x-ratelimit-remaining"],
        &[
            "x-ratelimit-limit",
            "x-lognex-reset",
            "x-lognex-retry-after",
        ],
    );
    assert_eq!(injected.body["errors"][0]["code"], 1049);
    assert_eq!(header(&injected, "x-lognex-retry-after"), "1500");
    assert_eq!(header(&injected, "x-ratelimit-remaining"), "0");
    assert_eq!(answer(employee(&ms)).await.status, 200, "the rule is spent");

    // An account with its own limit sees that limit in the injected 429, as its limiter's.
    ms.app
        .settings(&ms.account, json!({ "moysklad": { "rateLimit": 10 } }))
        .await;
    let rule = json!({ "account": ms.account, "count": 1, "action": { "type": "rate_limit" } });
    add_rule(ms.app, rule).await;
    let injected = answer(employee(&ms)).await;
    assert_eq!(injected.status, 429);
    assert_eq!(header(&injected, "x-ratelimit-limit"), "10");
}

#[tokio::test]
async fn kassa_gets_its_limiters_429() {
    let limited = Kassa::new().await;
    limited.settings(json!({ "rateLimit": true })).await;
    // Cash register lists weigh 15 of the 60 a minute allows.
    let real = first_refusal(6, || limited.request(Method::GET, "/cashboxes")).await;

    let kassa = Kassa::new().await;
    let rule = json!({ "account": kassa.account, "dialect": "kassa", "endpoint": "cashboxes.list",
                       "count": 1, "action": { "type": "rate_limit", "retryAfterMs": 2000 } });
    add_rule(kassa.app, rule).await;
    let injected = answer(kassa.request(Method::GET, "/cashboxes")).await;
    assert_same_refusal(
        &injected,
        &real,
        &["ratelimit-limit", "ratelimit-remaining"],
        &["retry-after"],
    );
    assert_eq!(injected.body["code"], "TOO_MANY_REQUESTS");
    assert_eq!(header(&injected, "retry-after"), "2");
    let passed = answer(kassa.request(Method::GET, "/cashboxes")).await;
    assert_eq!(passed.status, 200, "the rule is spent: {}", passed.body);
}

#[tokio::test]
async fn salesdoc_gets_its_limiters_429() {
    // getStockForDate: once per five minutes.
    let limited = Sd::new().await;
    let stock = |sd: &Sd| {
        let body = json!({ "method": "getStockForDate",
                           "auth": { "userId": sd.user_id, "token": sd.token }, "params": {} });
        sd.app
            .client
            .post(sd.app.url("/api/v2"))
            .body(body.to_string())
    };
    let real = first_refusal(2, || stock(&limited)).await;

    let sd = Sd::new().await;
    let rule = json!({ "account": sd.account, "endpoint": "getStockForDate", "count": 1,
                       "action": { "type": "rate_limit" } });
    add_rule(sd.app, rule).await;
    let injected = answer(stock(&sd)).await;
    assert_same_refusal(&injected, &real, &["retry-after"], &[]);
    assert!(
        !injected.headers.contains_key("retry-after"),
        "the vendor announces no wait"
    );
    // A method without a rate of its own gets a generic text in the same shape.
    let rule = json!({ "account": sd.account, "endpoint": "getUnit", "count": 1,
                       "action": { "type": "rate_limit" } });
    add_rule(sd.app, rule).await;
    let (status, body) = sd.get("getUnit", json!({})).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({ "status": false, "error": { "code": 429, "message": "Too many requests to getUnit" } })
    );
}

#[tokio::test]
async fn every_dialect_answers_a_rule_5xx_in_its_own_shape() {
    let crm = Crm::new().await;
    let ms = Ms::new().await;
    let kassa = Kassa::new().await;
    let sd = Sd::new().await;
    for (account, status) in [
        (&crm.account, 502),
        (&ms.account, 503),
        (&kassa.account, 503),
        (&sd.account, 504),
    ] {
        let rule = json!({ "account": account, "action": { "type": "error", "status": status } });
        add_rule(crm.app, rule).await;
    }
    let (status, body) = crm.get("/v5/customers", "").await;
    assert_eq!(
        (status, body),
        (502, json!({ "success": false, "errorMsg": "Bad gateway" }))
    );
    let (status, body) = ms.get("/entity/product").await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        json!({ "errors": [{ "error": "Внутренняя ошибка", "code": 1000,
                 "moreInfo": "https://dev.moysklad.ru/doc/api/remap/1.2/#error_1000" }] })
    );
    let (status, body) = kassa.get("/products").await;
    assert_eq!(status, 503);
    assert_eq!(body["code"], "SERVICE_UNAVAILABLE", "{body}");
    assert_eq!(body["message"], "Service unavailable", "{body}");
    let (status, body) = sd.get("getUnit", json!({})).await;
    assert_eq!(
        (status, body),
        (
            504,
            json!({ "status": false, "error": { "code": 504, "message": "Gateway timeout" } })
        )
    );
}

#[tokio::test]
async fn a_timeout_rule_holds_the_request_then_answers_the_dialects_timeout() {
    let crm = Crm::new().await;
    let kassa = Kassa::new().await;
    for account in [&crm.account, &kassa.account] {
        let rule = json!({ "account": account, "action": { "type": "timeout", "ms": 200 } });
        add_rule(crm.app, rule).await;
    }
    let started = Instant::now();
    let (status, body) = crm.get("/api-versions", "").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        (status, body),
        (
            504,
            json!({ "success": false, "errorMsg": "Request processing timed out" })
        )
    );
    let started = Instant::now();
    let (status, body): (u16, Value) = kassa.get("/products").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(status, 504);
    assert_eq!(body["code"], "TIMEOUT", "{body}");
}
