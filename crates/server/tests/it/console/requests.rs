//! The request log pages: traffic of two accounts through two dialects, then the list,
//! its filters, the live fragment, paging, and one request's page with its curl line.

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{answer, unique, TestApp};

use crate::moysklad::Ms;
use crate::retailcrm::Crm;

/// What one test sent: every request carries `marker` (in its query or body), so the
/// test finds its own among the shared server's traffic.
struct Traffic {
    app: &'static TestApp,
    marker: String,
    crm: Crm,
    ms: Ms,
}

const HOSTILE: &str = "<script>alert('x')</script>";

/// Oldest first: a RetailCRM customer created with a hostile name (201), a MoySklad
/// search (200), the same search with a wrong password (401, no account learned).
async fn traffic() -> Traffic {
    let crm = Crm::new().await;
    let marker = unique("mark");
    let customer = json!({ "firstName": HOSTILE, "lastName": marker });
    crm.create(customer).await;
    let ms = Ms::on(crm.app).await;
    let (status, _) = ms.get(&format!("/entity/product?search={marker}")).await;
    assert_eq!(status, 200);
    let refused = crm
        .app
        .client
        .get(
            crm.app
                .url(&format!("/api/remap/1.2/entity/product?search={marker}")),
        )
        .basic_auth(&ms.login, Some("wrong-password"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    Traffic {
        app: crm.app,
        marker,
        crm,
        ms,
    }
}

impl Traffic {
    async fn list(&self, filters: &str) -> String {
        super::page(self.app, &format!("/requests?q={}&{filters}", self.marker)).await
    }

    /// The log entries of this traffic as the admin API gives them, newest first.
    async fn entries(&self) -> Vec<Value> {
        let path = format!("/requests?q={}", self.marker);
        let log = answer(self.app.admin(Method::GET, &path)).await;
        assert_eq!(log.status, 200);
        log.body["items"].as_array().unwrap().clone()
    }
}

/// A console `GET`: the status and the text, whatever the status.
async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.console(Method::GET, path).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The table rows of a results listing, in order.
fn rows(html: &str) -> Vec<&str> {
    html.split("<tr data-test=\"request-row\"")
        .skip(1)
        .map(|rest| &rest[..rest.find("</tr>").unwrap()])
        .collect()
}

/// The text between `start` (included) and the next `end` (included).
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"));
    let after = from + start.len();
    let to = after + html[after..].find(end).expect("end") + end.len();
    &html[from..to]
}

/// An attribute's text as the browser reads it.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_log_lists_requests_newest_first_and_each_filter_narrows_it() {
    let t = traffic().await;
    let all = t.list("").await;
    let listed = rows(&all);
    assert_eq!(listed.len(), 3, "{all}");
    assert!(listed[0].contains("<span class=\"status s4\">401</span>"));
    assert!(listed[1].contains("<span class=\"status s2\">200</span>"));
    assert!(listed[2].contains("/api/v5/customers/create"));
    assert!(listed[2].contains(&format!("<td>{}</td>", t.crm.account)));
    let ids: Vec<i64> = t
        .entries()
        .await
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    for (row, id) in listed.iter().zip(&ids) {
        assert!(row.contains(&format!("href=\"/console/requests/{id}\"")));
    }

    let moysklad = t.list("dialect=moysklad").await;
    assert_eq!(rows(&moysklad).len(), 2);
    assert!(rows(&moysklad)
        .iter()
        .all(|row| row.contains("<td>moysklad</td>")));
    assert!(moysklad.contains("<option value=\"moysklad\" selected>MoySklad</option>"));
    let retailcrm = t.list("dialect=retailcrm").await;
    assert_eq!(rows(&retailcrm).len(), 1);
    assert!(rows(&retailcrm)[0].contains("<td>v5/customers/create</td>"));

    let refused = t.list("status=4xx").await;
    assert_eq!(rows(&refused).len(), 1);
    assert!(rows(&refused)[0].contains("401"));
    assert_eq!(rows(&t.list("status=200").await).len(), 1);

    let of_crm = t.list(&format!("account={}", t.crm.account)).await;
    assert_eq!(rows(&of_crm).len(), 1);
    assert!(!of_crm.contains("/api/remap/1.2/"), "no MoySklad row");
    let of_ms = t.list(&format!("account={}", t.ms.account)).await;
    assert_eq!(
        rows(&of_ms).len(),
        1,
        "the refused request named no account"
    );
    assert!(rows(&of_ms)[0].contains("200") && !of_ms.contains("/api/v5/"));

    let by_endpoint = t.list("endpoint=v5%2Fcustomers%2Fcreate").await;
    assert_eq!(rows(&by_endpoint).len(), 1);
    let future = t.list("from=2999-01-01T00%3A00").await;
    assert!(rows(&future).is_empty() && future.contains("No requests match"));
    let window = t
        .list("from=2000-01-01T00%3A00&to=2999-12-31T23%3A59%3A59")
        .await;
    assert_eq!(rows(&window).len(), 3);
    assert!(
        window.contains("value=\"2000-01-01T00:00\""),
        "the form keeps the times"
    );
    let elsewhere = super::page(t.app, &format!("/requests?q={}", unique("nothing"))).await;
    assert!(rows(&elsewhere).is_empty());
}

#[tokio::test]
async fn a_bad_filter_shows_the_admins_problem_with_a_400() {
    let app = twin_testkit::sqlite_app();
    for (path, detail) in [
        (
            "/requests?status=6xx",
            "status is a code like 404 or a class like 4xx",
        ),
        ("/requests?from=yesterday", "from"),
        ("/requests/rows?status=abc", "status is a code like 404"),
    ] {
        let (status, html) = get(app, path).await;
        assert_eq!(status, 400, "{path}");
        let alert = between(&html, "<p class=\"error\" role=\"alert\">", "</p>");
        assert!(alert.contains(detail), "{path}: {alert}");
    }
    let (_, page) = get(app, "/requests?status=6xx&q=%22%3E%3Cb%3E").await;
    assert!(page.contains("id=\"request-filters\""), "the form stays");
    assert!(page.contains("value=\"6xx\""));
    assert!(
        page.contains("value=\"&quot;&gt;&lt;b&gt;\"") && !page.contains("\"><b>"),
        "filter text is escaped back into the form"
    );
}

#[tokio::test]
async fn the_rows_fragment_answers_the_same_rows_as_the_page() {
    let t = traffic().await;
    let page = t.list("dialect=moysklad").await;
    let live_src = format!(
        "data-live-src=\"/console/requests/rows?dialect=moysklad&amp;q={}\"",
        t.marker
    );
    assert!(page.contains(&live_src), "{page}");
    assert!(page.contains("data-live-toggle=\"request-results\""));
    let rows_path = format!("/requests/rows?dialect=moysklad&q={}", t.marker);
    let (status, fragment) = get(t.app, &rows_path).await;
    assert_eq!(status, 200);
    assert!(!fragment.contains("<html"), "just the results");
    assert_eq!(rows(&fragment), rows(&page));
    assert_eq!(
        between(&fragment, "<table", "</table>"),
        between(&page, "<table", "</table>")
    );
}

#[tokio::test]
async fn older_pages_follow_the_before_cursor_and_keep_the_filters() {
    let t = traffic().await;
    let first = t.list("limit=2").await;
    assert_eq!(rows(&first).len(), 2);
    let older = between(&first, "<a href=\"/console/requests?", "\"");
    let older = unescape(&older["<a href=\"/console".len()..older.len() - 1]);
    assert!(older.contains(&format!("q={}", t.marker)) && older.contains("limit=2"));
    let ids = t.entries().await;
    assert!(
        older.ends_with(&format!("before={}", ids[1]["id"])),
        "{older}"
    );
    let second = super::page(t.app, &older).await;
    let second_rows = rows(&second);
    assert_eq!(second_rows.len(), 1);
    assert!(
        second_rows[0].contains("<td>v5/customers/create</td>"),
        "the oldest"
    );
    assert!(second.contains("No older requests"));
    assert!(
        !second.contains("data-live-src"),
        "no live refresh while paging"
    );
}

#[tokio::test]
async fn a_request_page_shows_masked_secrets_pretty_bodies_and_a_curl_line() {
    let t = traffic().await;
    let entries = t.entries().await;
    let (refused, created) = (&entries[0], &entries[2]);

    let html = super::page(t.app, &format!("/requests/{}", created["id"])).await;
    let url = format!("{}/api/v5/customers/create", t.app.base);
    assert!(html.contains(&format!("<code data-test=\"url\">{url}</code>")));
    assert!(html.contains("<th scope=\"row\">x-api-key</th><td>***</td>"));
    assert!(!html.contains(&t.crm.key), "the key never shows");
    assert!(html.contains(&format!("href=\"/console/data?account={}\"", t.crm.account)));
    assert!(html.contains(&format!(
        "href=\"/console/requests?account={}\" data-test=\"same-account\"",
        t.crm.account
    )));
    assert!(html.contains(
        "href=\"/console/requests?dialect=retailcrm&amp;endpoint=v5%2Fcustomers%2Fcreate\" \
         data-test=\"same-endpoint\""
    ));
    // The form field holding JSON is decoded and pretty-printed, hostile text escaped.
    assert!(html.contains(&format!("  &quot;lastName&quot;: &quot;{}&quot;", t.marker)));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert"));
    let response_body = between(&html, "<div id=\"response-body\">", "</pre>");
    assert!(
        response_body.contains("  &quot;success&quot;: true"),
        "{response_body}"
    );

    let curl = between(
        &html,
        "<section aria-labelledby=\"curl-title\"",
        "</section>",
    );
    assert!(curl.contains("masked"));
    let command = unescape(
        between(curl, "data-copy=\"", "\"")
            .trim_start_matches("data-copy=\"")
            .trim_end_matches('"'),
    );
    let body = created["request_body"].as_str().unwrap();
    assert!(
        command.starts_with("curl \\\n  --compressed \\\n  -X 'POST' \\\n"),
        "{command}"
    );
    assert!(
        command.contains(&format!("\\\n  '{url}' \\\n")),
        "{command}"
    );
    assert!(command.contains("-H 'x-api-key: ***'"));
    assert!(command.contains("-H 'content-type: application/x-www-form-urlencoded'"));
    assert!(!command.contains("content-length") && !command.contains("host:"));
    assert!(
        command.ends_with(&format!("--data-binary '{}'", body.replace('\'', r"'\''"))),
        "{command}"
    );

    let html = super::page(t.app, &format!("/requests/{}", refused["id"])).await;
    assert!(html.contains("<th scope=\"row\">authorization</th><td>***</td>"));
    assert!(!html.contains("wrong-password") && !html.contains("d3JvbmctcGFzc3dvcmQ"));
    assert!(html.contains("none (not signed in)"));
    assert!(html.contains(&format!(
        "{}/api/remap/1.2/entity/product?search={}",
        t.app.base, t.marker
    )));
    assert!(
        html.contains("--compressed"),
        "gzip asked for, so curl decodes"
    );
    let response_body = between(&html, "<div id=\"response-body\">", "</pre>");
    assert!(
        response_body.contains("  &quot;errors&quot;: ["),
        "{response_body}"
    );
}

#[tokio::test]
async fn an_unknown_request_is_a_404_page() {
    let app = twin_testkit::sqlite_app();
    let (status, missing) = get(app, "/requests/999999999999").await;
    assert_eq!(status, 404);
    assert!(missing.contains("There is no request 999999999999 in the log."));
    let (status, garbled) = get(app, "/requests/%3Cb%3E").await;
    assert_eq!(status, 400);
    assert!(garbled.contains("Request &lt;b&gt;") && !garbled.contains("<b>"));
    let (status, undecodable) = get(app, "/requests/%FF").await;
    assert_eq!(status, 400);
    assert!(undecodable.contains("A request id is a number."));
}

#[tokio::test]
async fn quotes_and_ampersands_of_a_path_are_escaped_and_quoted_for_the_shell() {
    let app = twin_testkit::sqlite_app();
    let marker = unique("mark");
    let path = format!("/api/v5/it's&more?{marker}");
    let sent = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(sent.status(), 404);
    let list = super::page(app, &format!("/requests?q={marker}")).await;
    let listed = rows(&list);
    assert_eq!(listed.len(), 1);
    assert!(listed[0].contains(&format!("/api/v5/it&#39;s&amp;more?{marker}")));
    assert!(!list.contains("it's&more"));
    let id = between(listed[0], "data-id=\"", "\"");
    let id = id.trim_start_matches("data-id=\"").trim_end_matches('"');
    let html = super::page(app, &format!("/requests/{id}")).await;
    let curl = between(&html, "data-copy=\"curl", "\"");
    let url = format!("{}/api/v5/it'\\''s&more?{marker}", app.base);
    assert!(unescape(curl).contains(&format!("'{url}'")), "{curl}");
}
