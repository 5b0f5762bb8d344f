//! The Charts page: one account's requests and webhook deliveries drawn, with the numbers
//! under each chart equal to `GET /admin/api/stats` for the same window and account; the
//! window's bar size, an empty account, and the admin's refusal of a bad window.

use std::collections::BTreeMap;

use reqwest::Method;
use twin_testkit::{answer, TestApp, WebhookSink};

use crate::moysklad::Ms;
use crate::webhooks::{send_test, wait_status};

/// The page's text, whatever its status.
async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.console(Method::GET, path).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The text from `start` up to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).expect("end")]
}

/// A table's body rows, each as its cells' text (markup stripped).
fn rows(table: &str) -> Vec<Vec<String>> {
    let body = between(table, "<tbody>", "</tbody>");
    body.split("<tr")
        .skip(1)
        .map(|row| {
            // Each piece of text between tags is a cell's; the row starts inside its tag.
            let (mut cells, mut text, mut in_tag) = (Vec::new(), String::new(), true);
            for c in row.chars() {
                match c {
                    '<' => {
                        in_tag = true;
                        if !text.trim().is_empty() {
                            cells.push(text.trim().to_owned());
                        }
                        text.clear();
                    }
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            cells
        })
        .collect()
}

#[tokio::test]
async fn charts_show_the_stats_of_the_window_with_the_same_numbers_beneath() {
    let ms = Ms::new().await;
    let app = ms.app;
    for _ in 0..3 {
        assert_eq!(ms.get("/entity/product").await.0, 200);
    }
    let missing = "/entity/product/00000000-0000-0000-0000-000000000000";
    assert_eq!(ms.get(missing).await.0, 404);
    let sink = WebhookSink::start().await;
    let delivery = send_test(app, &ms.account, &sink.url("/hook")).await;
    wait_status(app, delivery, "delivered").await;

    let (status, page) = get(app, &format!("/charts?minutes=60&account={}", ms.account)).await;
    assert_eq!(status, 200, "{page}");
    let stats = answer(app.admin(
        Method::GET,
        &format!("/stats?minutes=60&account={}", ms.account),
    ))
    .await;
    assert_eq!(stats.status, 200);

    // Requests: one chart, MoySklad's, titled for screen readers; its table is perMinute.
    assert_eq!(page.matches("data-test=\"requests-chart\"").count(), 1);
    assert!(page.contains("<svg class=\"chart\""));
    assert!(page
        .contains("<title id=\"requests-moysklad-title\">MoySklad: requests per minute</title>"));
    assert!(page.contains("aria-labelledby=\"requests-moysklad-title requests-moysklad-desc\""));
    let mut expected: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for row in stats.body["perMinute"].as_array().unwrap() {
        assert_eq!(row["dialect"], "moysklad");
        let class = ["2xx", "3xx", "4xx", "5xx"]
            .iter()
            .position(|c| row["statusClass"] == *c)
            .unwrap();
        let minute = &row["minute"].as_str().unwrap()[11..16];
        expected.entry(minute.to_owned()).or_default()[class] += row["count"].as_u64().unwrap();
    }
    let shown: BTreeMap<String, [u64; 4]> =
        rows(between(&page, "data-test=\"requests-table\"", "</table>"))
            .into_iter()
            .map(|cells| {
                let n = |i: usize| cells[i].parse::<u64>().unwrap();
                assert_eq!(n(5), n(1) + n(2) + n(3) + n(4), "the All column");
                (cells[0].clone(), [n(1), n(2), n(3), n(4)])
            })
            .collect();
    assert_eq!(shown, expected);
    let totals = expected.values().fold([0; 4], |mut sum, row| {
        for (s, c) in sum.iter_mut().zip(row) {
            *s += c;
        }
        sum
    });
    assert_eq!(
        totals,
        [3, 0, 1, 0],
        "the 200s and the 404 (the webhook is not a request)"
    );

    // Latency: the table row is the API's figures.
    let latency = &stats.body["latency"][0];
    let cells = &rows(between(&page, "data-test=\"latency-table\"", "</table>"))[0];
    let figures: Vec<String> = ["count", "p50", "p90", "p99", "max"]
        .iter()
        .map(|name| latency[name].to_string())
        .collect();
    assert_eq!(cells[0], "MoySklad");
    assert_eq!(cells[1..], figures[..]);
    assert!(page.contains("<title id=\"latency-title\">Latency percentiles per dialect</title>"));

    // Deliveries: the one test webhook, delivered.
    assert_eq!(stats.body["deliveries"]["delivered"], 1);
    assert_eq!(stats.body["deliveries"]["successRate"], 1.0);
    let cells = &rows(between(&page, "data-test=\"deliveries-table\"", "</table>"))[0];
    assert_eq!(cells, &["1", "0", "0", "100.0 %"]);
    assert!(page.contains("Success rate <strong>100.0 %</strong>"));
    assert!(page.contains("<title id=\"deliveries-title\">Webhook deliveries</title>"));

    // The window and account stay chosen in the form.
    assert!(page.contains("<option value=\"60\" selected>1 hour</option>"));
    let chosen = format!("<option value=\"{0}\" selected>{0}", ms.account);
    assert!(page.contains(&chosen), "the account stays chosen");
}

#[tokio::test]
async fn long_windows_add_minutes_up_and_quiet_accounts_say_so() {
    let app = twin_testkit::sqlite_app();
    let quiet = app.unique_account().await;
    let page = super::page(app, &format!("/charts?minutes=1440&account={quiet}")).await;
    assert!(page.contains("<h2 id=\"requests-title\">Requests per 15 minutes</h2>"));
    assert!(page.contains("data-test=\"no-requests\""));
    assert!(!page.contains("data-test=\"requests-chart\""));
    assert!(page.contains("No delivery ended in this window; 0 pending."));
    // Without a query: the last hour of every account.
    let all = super::page(app, "/charts").await;
    assert!(all.contains("<option value=\"60\" selected>1 hour</option>"));
    assert!(all.contains("<option value=\"\" selected>All</option>"));
}

#[tokio::test]
async fn a_bad_window_shows_the_admins_problem_with_its_status() {
    let app = twin_testkit::sqlite_app();
    for (minutes, reason) in [
        ("0", "minutes must be between 1 and 1440"),
        ("<b>", "minutes"),
    ] {
        let (status, page) = get(app, &format!("/charts?minutes={}", urlencode(minutes))).await;
        assert_eq!(status, 400, "{minutes}");
        let alert = between(&page, "role=\"alert\">", "</p>");
        assert!(alert.contains(reason), "{alert}");
        assert!(!page.contains("<b>"), "escaped");
        assert!(page.contains("id=\"chart-filters\""), "the form stays");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}
