//! One request of the log: what was sent where, what came back, and the same request as
//! a curl command. Secrets were masked when it was logged; nothing here can unmask them.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use twin_core::request_log::MASK;

use super::curl;
use super::filters::Filters;
use crate::api::encode;
use crate::html::{
    body_block, copy_button, esc, headers_table, json_block, json_time, scalar, status_badge,
};
use crate::layout::{Page, Section};
use crate::Console;

pub async fn page(
    State(console): State<Console>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = id else {
        let page = Page::new("Request", Section::Requests);
        return page.error(StatusCode::BAD_REQUEST, "A request id is a number.");
    };
    let page = Page::new(format!("Request {id}"), Section::Requests);
    let entry = match console.api.get(&format!("/requests/{}", encode(&id))).await {
        Ok(entry) => entry,
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            let message = format!("There is no request {id} in the log.");
            return page.error(error.status, &message);
        }
        Err(error) => return page.error(error.status, error.reason()),
    };
    // The address clients were given, so the URL and the curl line work from outside.
    let url = format!("{}{}", console.public_url, super::path_and_query(&entry));
    let command = curl::command(&entry, &url);
    let content = format!(
        "{}{}<section aria-labelledby=\"curl-title\" id=\"curl\">\
         <h2 id=\"curl-title\">Copy as curl</h2><p>{} <span class=\"muted\">Secrets were \
         masked (<code>{MASK}</code>) when the request was logged and stay masked in the \
         command: put the real ones back before running it.</span></p>\
         <pre class=\"shell\"><code>{}</code></pre></section>\
         <h2>Request headers</h2>{}\
         <h2>Request body</h2><div id=\"request-body\">{}</div>\
         <h2>Response body</h2><div id=\"response-body\">{}</div>",
        facts(&entry, &url),
        same_links(&entry),
        copy_button(&command, "Copy as curl"),
        esc(&command),
        headers_table(&entry["request_headers"], "request-headers"),
        request_body(&entry),
        body_block(entry["response_body"].as_str()),
    );
    page.render(&content)
}

fn facts(entry: &Value, url: &str) -> String {
    let account = match entry["account"].as_str() {
        Some(account) => format!(
            "<a href=\"/console/data?account={}\">{}</a>",
            esc(&encode(account)),
            esc(account)
        ),
        None => "<span class=\"muted\">none (not signed in)</span>".into(),
    };
    let request_id = entry["request_id"].as_str().unwrap_or_default();
    format!(
        "<dl class=\"facts panel\" id=\"request-facts\">\
         <dt>Method</dt><dd><code>{}</code></dd>\
         <dt>URL</dt><dd><code data-test=\"url\">{}</code> {}</dd>\
         <dt>Dialect</dt><dd>{}</dd><dt>Endpoint</dt><dd><code>{}</code></dd>\
         <dt>Account</dt><dd>{account}</dd>\
         <dt>Status</dt><dd>{}</dd><dt>Latency</dt><dd>{} ms</dd><dt>Time (UTC)</dt><dd>{}</dd>\
         <dt>Request id</dt><dd><code>{}</code> {}</dd></dl>",
        scalar(&entry["method"]),
        esc(url),
        copy_button(url, "Copy"),
        scalar(&entry["dialect"]),
        scalar(&entry["endpoint"]),
        status_badge(entry["status"].as_u64().unwrap_or_default()),
        scalar(&entry["latency_ms"]),
        json_time(&entry["at"]),
        esc(request_id),
        copy_button(request_id, "Copy"),
    )
}

/// Links to the log narrowed to what this request shares with others.
fn same_links(entry: &Value) -> String {
    let text = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
    let dialect = Filters {
        dialect: text("dialect"),
        ..Filters::default()
    };
    let endpoint = Filters {
        endpoint: text("endpoint"),
        ..dialect.clone()
    };
    let mut links = vec![
        ("same-endpoint", "this endpoint", endpoint),
        ("same-dialect", "this dialect", dialect),
    ];
    if let Some(account) = entry["account"].as_str() {
        let account = Filters {
            account: account.to_owned(),
            ..Filters::default()
        };
        links.insert(1, ("same-account", "this account", account));
    }
    let links: Vec<String> = links
        .into_iter()
        .map(|(hook, label, filters)| {
            format!(
                "<a href=\"/console/requests{}\" data-test=\"{hook}\">{label}</a>",
                esc(&filters.link(""))
            )
        })
        .collect();
    format!("<p class=\"links\">Requests to {}</p>", links.join(" · "))
}

/// The body; a form body (RetailCRM's, with JSON documents in its fields) also decoded
/// field by field, since its percent-encoding hides what was sent. JSON sent under a form
/// type (`curl -d`) stays JSON.
fn request_body(entry: &Value) -> String {
    let body = entry["request_body"].as_str();
    let is_form = entry["request_headers"]["content-type"]
        .as_str()
        .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"));
    let looks_json = |body: &str| body.trim_start().starts_with(['{', '[']);
    let Some(form) = body.filter(|body| is_form && !body.is_empty() && !looks_json(body)) else {
        return body_block(body);
    };
    let fields: String = url::form_urlencoded::parse(form.as_bytes())
        .map(|(name, value)| {
            let value = match serde_json::from_str::<Value>(&value) {
                Ok(json) if json.is_object() || json.is_array() => json_block(&json),
                _ => format!("<code>{}</code>", esc(&value)),
            };
            format!("<dt>{}</dt><dd>{value}</dd>", esc(&name))
        })
        .collect();
    format!(
        "<dl class=\"facts panel form-fields\">{fields}</dl>\
         <details><summary>As sent</summary>{}</details>",
        body_block(body)
    )
}
