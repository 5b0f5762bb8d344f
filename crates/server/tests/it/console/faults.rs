//! The Faults page: a rule added through its form meets a vendor client (the vendor's own
//! 429, the fired count on the page and in the live fragment), deleted one by one or all,
//! the admin's refusals shown with their status, and Kassa's device toggles.
//!
//! Rules are global to a server: on the shared one every rule here names its test's own
//! account; clearing them all runs on a private server.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use twin_testkit::{answer, console_client, unique, TestApp};

use crate::kassa::Kassa;
use crate::moysklad::Ms;

/// Posts a console form; the status and the `Location` (empty when none) or the page.
async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = app
        .console(Method::POST, path)
        .form(form)
        .send()
        .await
        .expect("console form");
    let status = response.status();
    if status == StatusCode::SEE_OTHER {
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        return (status, location);
    }
    (status, response.text().await.unwrap())
}

/// The rules of the admin API naming `account`.
async fn rules_of(app: &TestApp, account: &str) -> Vec<Value> {
    let listed = answer(app.admin(Method::GET, "/faults")).await;
    assert_eq!(listed.status, 200);
    listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| rule["account"] == account)
        .cloned()
        .collect()
}

/// The table row of rule `id`, up to its end.
fn rule_row<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-id=\"{id}\""))?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</tr>").unwrap()])
}

#[tokio::test]
async fn a_429_rule_from_the_form_meets_the_client_and_counts_until_deleted() {
    let ms = Ms::new().await;
    let app = ms.app;
    let (status, location) = post(
        app,
        "/faults",
        &[
            ("dialect", "moysklad"),
            ("endpoint", "entity.list"),
            ("account", &ms.account),
            ("probability", ""),
            ("count", "1"),
            ("action", "rate_limit"),
            ("latency_ms", "999"),
            ("retry_after_ms", "1500"),
            ("status", "500"),
            ("timeout_ms", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with("/console/faults?notice=Rule%20added"),
        "{location}"
    );
    let added = rules_of(app, &ms.account).await;
    assert_eq!(added.len(), 1, "{added:?}");
    let rule = &added[0];
    assert_eq!(rule["dialect"], "moysklad");
    assert_eq!(rule["endpoint"], "entity.list");
    assert_eq!(rule["count"], 1);
    // Only the chosen action's parameter went along.
    assert_eq!(
        rule["action"],
        serde_json::json!({ "type": "rate_limit", "retryAfterMs": 1500 })
    );
    let id = rule["id"].as_str().unwrap();
    let before = super::page(app, "/faults").await;
    assert!(rule_row(&before, id).unwrap().contains("data-fired=\"0\""));

    let refused = ms
        .request(Method::GET, "/entity/product")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["x-lognex-retry-after"], "1500");
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 1049);
    let (status, _) = ms.get("/entity/product").await;
    assert_eq!(status, 200, "the rule fired its one time");

    let after = super::page(app, "/faults").await;
    let row = rule_row(&after, id).expect("the rule is listed");
    assert!(row.contains("data-fired=\"1\""), "{row}");
    assert!(
        row.contains("1 <span class=\"muted\">spent</span>"),
        "{row}"
    );
    assert!(row.contains("429, retry after 1500 ms"), "{row}");
    assert!(after.contains("data-live-src=\"/console/faults/rules\""));
    let live = super::page(app, "/faults/rules").await;
    assert!(!live.contains("<html"), "a fragment, not a page");
    assert!(rule_row(&live, id).unwrap().contains("data-fired=\"1\""));

    let (status, location) = post(app, &format!("/faults/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/console/faults?notice=Rule%20deleted.");
    assert!(rules_of(app, &ms.account).await.is_empty());
    assert!(rule_row(&super::page(app, "/faults").await, id).is_none());
    let (status, page) = post(app, &format!("/faults/{id}/delete"), &[]).await;
    assert_eq!(status, 404);
    assert!(page.contains(&format!("There is no rule {id}")), "{page}");
}

#[tokio::test]
async fn refused_rules_show_the_admins_problem_and_keep_what_was_typed() {
    let app = twin_testkit::sqlite_app();
    let account = app.unique_account().await;
    let marker = format!("{}<script>", unique("ep"));
    let attempts: [(&[(&str, &str)], &str); 4] = [
        (&[("action", "latency")], "missing field `ms`"),
        (&[("action", "drop"), ("probability", "2")], "probability"),
        (&[("action", "error"), ("status", "418")], "status"),
        (&[("action", "explode")], "unknown variant `explode`"),
    ];
    for (fields, reason) in attempts {
        let mut form = vec![("endpoint", marker.as_str()), ("account", &account)];
        form.extend_from_slice(fields);
        let (status, page) = post(app, "/faults", &form).await;
        assert_eq!(status, 400, "{fields:?}");
        let alert = page
            .split("<p class=\"error\" role=\"alert\">")
            .nth(1)
            .unwrap_or_else(|| panic!("an alert for {fields:?}: {page}"));
        assert!(alert.contains(reason), "{fields:?}: {alert}");
        assert!(page.contains(&format!(
            "value=\"{}\"",
            marker.replace('<', "&lt;").replace('>', "&gt;")
        )));
        assert!(!page.contains("-<script>"), "typed text is escaped");
        assert!(page.contains(&format!("<option value=\"{account}\" selected>{account}")));
    }
    let (status, page) = post(
        app,
        "/faults",
        &[("account", "no-such-account"), ("action", "drop")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("no account"), "{page}");
    assert!(
        rules_of(app, &account).await.is_empty(),
        "nothing was added"
    );

    // Accepted, the same hostile endpoint shows escaped in the table.
    let (status, _) = post(
        app,
        "/faults",
        &[
            ("endpoint", &marker),
            ("account", &account),
            ("action", "drop"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = super::page(app, "/faults").await;
    assert!(page.contains(&format!(
        "<code>{}</code>",
        marker.replace('<', "&lt;").replace('>', "&gt;")
    )));
    assert!(!page.contains("-<script>"));
    let id = rules_of(app, &account).await[0]["id"].clone();
    let path = format!("/faults/{}", id.as_str().unwrap());
    assert_eq!(answer(app.admin(Method::DELETE, &path)).await.status, 204);
}

#[tokio::test]
async fn forms_need_sign_in() {
    let app = twin_testkit::sqlite_app();
    let account = app.unique_account().await;
    let response = console_client()
        .post(app.url("/console/faults"))
        .form(&[("account", account.as_str()), ("action", "drop")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/console/login"));
    assert!(rules_of(app, &account).await.is_empty());
}

#[tokio::test]
async fn actions_answer_pages_even_to_what_no_form_sends() {
    let app = twin_testkit::sqlite_app();
    let response = app
        .console(Method::POST, "/faults")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<h1>Faults</h1>") && page.contains("role=\"alert\""),
        "{page}"
    );
    // Where signing in after a refused post leads: the page.
    for path in ["/faults/clear", "/faults/kassa", "/faults/some-rule/delete"] {
        let response = app.console(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.headers()["location"], "/console/faults");
    }
}

#[tokio::test]
async fn delete_all_clears_every_rule() {
    let app = TestApp::private_leaked().await;
    for action in ["drop", "rate_limit"] {
        let (status, _) = post(app, "/faults", &[("action", action)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let page = super::page(app, "/faults").await;
    assert_eq!(page.matches("data-test=\"fault-rule\"").count(), 2);
    assert!(page.contains("data-confirm=\"Delete every fault rule?\""));
    let (status, location) = post(app, "/faults/clear", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/console/faults?notice=Every%20rule%20deleted.");
    let listed = answer(app.admin(Method::GET, "/faults")).await;
    assert_eq!(listed.body["items"], serde_json::json!([]));
    assert!(super::page(app, "/faults")
        .await
        .contains("data-test=\"no-rules\""));
}

/// The `data-offline` of each cash register row of the page for `account`, in order.
async fn offline_flags(app: &TestApp, account: &str) -> Vec<String> {
    let page = super::page(app, &format!("/faults?kassa={account}")).await;
    page.split("<tr data-test=\"cashbox\"")
        .skip(1)
        .map(|row| {
            let start = row.find("data-offline=\"").unwrap() + "data-offline=\"".len();
            row[start..start + row[start..].find('"').unwrap()].to_owned()
        })
        .collect()
}

/// Presses a Kassa device button: `field` (`offline`, `fnFull`) set to `value`.
async fn toggle(kassa: &Kassa, cashbox: &str, field: &str, value: &str) -> (StatusCode, String) {
    let form = [
        ("account", kassa.account.as_str()),
        ("cashbox", cashbox),
        (field, value),
    ];
    post(kassa.app, "/faults/kassa", &form).await
}

#[tokio::test]
async fn kassa_toggles_put_a_cash_register_offline_and_back() {
    let kassa = Kassa::new().await;
    let app = kassa.app;
    let fresh = super::page(app, &format!("/faults?kassa={}", kassa.account)).await;
    assert!(
        fresh.contains("data-test=\"no-cashboxes\""),
        "no Kassa request yet"
    );
    let (status, listed) = kassa.get("/cashboxes").await;
    assert_eq!(status, 200, "{listed}");
    let first = listed["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(offline_flags(app, &kassa.account).await, ["false"; 3]);

    let (status, location) = toggle(&kassa, &first, "offline", "true").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with(&format!("/console/faults?kassa={}&notice=", kassa.account)),
        "{location}"
    );
    assert!(location.ends_with("#kassa-devices"));
    let device_path = format!("/accounts/{}/kassa/cashboxes/{first}/device", kassa.account);
    let device = answer(app.admin(Method::GET, &device_path)).await;
    assert_eq!(
        device.body,
        serde_json::json!({ "offline": true, "fnFull": false })
    );
    assert_eq!(
        offline_flags(app, &kassa.account).await,
        ["true", "false", "false"]
    );
    let page = super::page(app, &format!("/faults?kassa={}", kassa.account)).await;
    assert!(
        page.contains("name=\"offline\" value=\"false\""),
        "a Bring online button"
    );

    // The admin API lists the same state; another account sees none of these registers.
    let listing = answer(app.admin(
        Method::GET,
        &format!("/accounts/{}/kassa/cashboxes", kassa.account),
    ))
    .await;
    assert_eq!(listing.status, 200);
    assert_eq!(listing.body["items"][0]["id"], first.as_str());
    assert_eq!(listing.body["items"][0]["device"]["offline"], true);
    let other = app.unique_account().await;
    let theirs =
        answer(app.admin(Method::GET, &format!("/accounts/{other}/kassa/cashboxes"))).await;
    assert_eq!(theirs.body["items"], serde_json::json!([]));
    let missing = answer(app.admin(Method::GET, "/accounts/no-such-account/kassa/cashboxes")).await;
    assert_eq!(missing.status, 404);

    let (status, _) = toggle(&kassa, &first, "offline", "false").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(offline_flags(app, &kassa.account).await, ["false"; 3]);

    let (status, page) = toggle(&kassa, &first, "fnFull", "maybe").await;
    assert_eq!(status, 400);
    assert!(page.contains("fnFull: a boolean is required"), "{page}");
    let (status, page) = toggle(&kassa, "no-such", "offline", "true").await;
    assert_eq!(status, 404);
    assert!(page.contains("no such cash register"), "{page}");
}
