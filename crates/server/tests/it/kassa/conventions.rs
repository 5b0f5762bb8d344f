//! Conventions every Kassa call shares: the three auth headers and their 401/403, the
//! error body, cursor pages, filters of the reference lists, 404/405 in the vendor's
//! format, isolation between accounts, and the weighted sliding-window rate limit.

use reqwest::Method;
use serde_json::{json, Value};

use super::{answer, assert_error, assert_invalid, ids, Kassa, ROOT};

#[tokio::test]
async fn missing_headers_are_401_and_wrong_ones_403() {
    let kassa = Kassa::new().await;
    let url = kassa.app.url(&format!("{ROOT}/cashboxes"));
    let bare = answer(kassa.app.client.get(&url)).await;
    assert_error((bare.status, &bare.body), 401, "UNAUTHORIZED", &[]);
    let no_token = answer(
        kassa
            .app
            .client
            .get(&url)
            .header("X-APP-ID", &kassa.app_id)
            .header("X-APP-SECRET", &kassa.app_secret),
    )
    .await;
    assert_error((no_token.status, &no_token.body), 401, "UNAUTHORIZED", &[]);
    for (id, secret, token) in [
        (kassa.app_id.as_str(), kassa.app_secret.as_str(), "wrong"),
        (kassa.app_id.as_str(), "wrong", kassa.token.as_str()),
        ("wrong", kassa.app_secret.as_str(), kassa.token.as_str()),
    ] {
        let wrong = answer(
            kassa
                .app
                .client
                .get(&url)
                .header("X-APP-ID", id)
                .header("X-APP-SECRET", secret)
                .header("X-CLIENT-TOKEN", token),
        )
        .await;
        assert_error((wrong.status, &wrong.body), 403, "FORBIDDEN", &[]);
    }
    let (status, body) = kassa.get("/cashboxes").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn cashboxes_page_by_cursor_and_filter_by_status() {
    let kassa = Kassa::new().await;
    let (status, all) = kassa.get("/cashboxes").await;
    assert_eq!(status, 200, "{all}");
    let every = ids(&all);
    assert_eq!(every.len(), 3, "{all}");
    assert_eq!(all["nextCursor"], Value::Null);
    let first = &all["items"][0];
    for field in [
        "id",
        "name",
        "driver",
        "status",
        "serialNumber",
        "regNumber",
        "fnNumber",
        "ofdInn",
        "ffdVersionKkm",
        "lineLength",
        "cashBalance",
        "availableTaxationSystems",
        "availablePaymentMethods",
        "availablePaymentObjects",
        "availableOperations",
        "availablePaymentSolutions",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(
        first.as_object().unwrap().len(),
        16,
        "no hidden fields: {first}"
    );

    let (_, page) = kassa.get("/cashboxes?limit=2").await;
    assert_eq!(ids(&page), every[..2]);
    assert_eq!(page["nextCursor"], every[2].as_str());
    let (_, rest) = kassa
        .get(&format!("/cashboxes?limit=2&cursor={}", every[2]))
        .await;
    assert_eq!(ids(&rest), every[2..]);
    assert_eq!(rest["nextCursor"], Value::Null);
    let (_, from_second) = kassa
        .get(&format!("/cashboxes?limit=1&cursor={}", every[1]))
        .await;
    assert_eq!(
        ids(&from_second),
        every[1..2],
        "a page starts at its cursor"
    );
    assert_eq!(from_second["nextCursor"], every[2].as_str());

    let (_, active) = kassa.get("/cashboxes?status=ACTIVE").await;
    assert_eq!(ids(&active).len(), 2, "{active}");
    let (_, inactive) = kassa.get("/cashboxes?status=INACTIVE").await;
    assert_eq!(inactive["items"][0]["status"], "INACTIVE");

    let (status, body) = kassa
        .get("/cashboxes?status=BROKEN&limit=51&cursor=x")
        .await;
    assert_invalid(
        (status, &body),
        &[
            "status: The value you selected is not a valid choice.",
            "cursor: This is not a valid UUID.",
            "limit: This value should be between 1 and 50.",
        ],
    );
    let (status, body) = kassa.get("/cashboxes?limit=0").await;
    assert_invalid(
        (status, &body),
        &["limit: This value should be between 1 and 50."],
    );

    let (status, one) = kassa.get(&format!("/cashboxes/{}", every[0])).await;
    assert_eq!(status, 200);
    assert_eq!(&one, first);
    for missing in ["00000000-0000-4000-8000-000000000000", "not-a-uuid"] {
        let (status, body) = kassa.get(&format!("/cashboxes/{missing}")).await;
        assert_error((status, &body), 404, "NOT_FOUND", &[]);
    }
}

#[tokio::test]
async fn reference_lists_filter_as_documented() {
    let kassa = Kassa::new().await;
    let (_, all) = kassa.get("/counterparties").await;
    assert_eq!(ids(&all).len(), 3, "{all}");
    for (search, name) in [
        ("9704211100", "ООО \"ТЕСТ\""),
        ("сидоров", "ИП Сидоров Петр Алексеевич"),
        ("+99871", "ООО \"Самарканд Трейд\""),
    ] {
        let (status, found) = kassa
            .get(&format!("/counterparties?search={}", urlencode(search)))
            .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(
            found["items"].as_array().unwrap().len(),
            1,
            "{search}: {found}"
        );
        assert_eq!(found["items"][0]["name"], name);
    }

    let (_, employees) = kassa.get("/employees").await;
    assert_eq!(ids(&employees).len(), 3);
    assert_eq!(employees["items"][0]["role"], "OWNER");
    let (_, inactive) = kassa.get("/employees?status=INACTIVE").await;
    assert_eq!(ids(&inactive).len(), 1, "{inactive}");

    let (_, out) = kassa.get("/cash-movement-categories?type=OUT").await;
    let names: Vec<&str> = out["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Размен", "Инкассация"]);
    let (status, body) = kassa.get("/cash-movement-categories?type=SIDEWAYS").await;
    assert_invalid(
        (status, &body),
        &["type: The value you selected is not a valid choice."],
    );
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_the_vendor_format() {
    let kassa = Kassa::new().await;
    let (status, body) = kassa.get("/nothing-here").await;
    assert_error((status, &body), 404, "NOT_FOUND", &[]);
    let answer = kassa.call(Method::DELETE, "/cashboxes", None).await;
    assert_error(
        (answer.status, &answer.body),
        405,
        "METHOD_NOT_ALLOWED",
        &[],
    );
}

#[tokio::test]
async fn one_account_never_reaches_another() {
    let (mine, theirs) = (Kassa::new().await, Kassa::new().await);
    let (_, my_boxes) = mine.get("/cashboxes").await;
    let (_, their_boxes) = theirs.get("/cashboxes").await;
    let overlap: Vec<_> = ids(&my_boxes)
        .into_iter()
        .filter(|id| ids(&their_boxes).contains(id))
        .collect();
    assert!(
        overlap.is_empty(),
        "accounts share cashbox ids: {overlap:?}"
    );
    let (status, _) = theirs
        .get(&format!("/cashboxes/{}", ids(&my_boxes)[0]))
        .await;
    assert_eq!(status, 404, "another account's cashbox");
    let (status, _) = theirs
        .get(&format!("/cashboxes?cursor={}", ids(&my_boxes)[1]))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_sliding_window_weighs_heavy_calls() {
    let kassa = Kassa::new().await;
    kassa.settings(json!({ "rateLimit": true })).await;
    kassa.clock(json!({ "action": "freeze" })).await;
    let call = |path: &'static str| kassa.call(Method::GET, path, None);
    let first = call("/employees").await;
    assert_eq!(first.headers["ratelimit-limit"], "60");
    assert_eq!(first.headers["ratelimit-remaining"], "59");
    for remaining in ["44", "29", "14"] {
        let heavy = call("/cashboxes").await;
        assert_eq!(heavy.status, 200);
        assert_eq!(heavy.headers["ratelimit-remaining"], remaining);
    }
    let refused = call("/cashboxes").await;
    assert_error(
        (refused.status, &refused.body),
        429,
        "TOO_MANY_REQUESTS",
        &[],
    );
    assert_eq!(refused.headers["ratelimit-remaining"], "14");
    let light = call("/employees").await;
    assert_eq!(light.status, 200, "a light call still fits");
    assert_eq!(light.headers["ratelimit-remaining"], "13");

    kassa
        .clock(json!({ "action": "advance", "seconds": 61 }))
        .await;
    let later = call("/cashboxes").await;
    assert_eq!(later.status, 200, "the window slid past");
    assert_eq!(later.headers["ratelimit-remaining"], "45");

    kassa.settings(json!({ "rateLimit": false })).await;
    for _ in 0..5 {
        let unlimited = call("/cashboxes").await;
        assert_eq!(unlimited.status, 200, "the limit is off");
        assert!(unlimited.headers.contains_key("ratelimit-remaining"));
    }
}
