//! The request log: `/console/requests` searches it (newest first, paged with the admin's
//! `before` cursor, live while on the first page), `/console/requests/rows` answers just
//! the results for the live refresh, `/console/requests/{id}` shows one request.

mod curl;
mod entry;
mod filters;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

pub use entry::page as entry;
use filters::Filters;

use crate::html::{alert, esc, json_time, scalar, status_badge};
use crate::layout::{fragment, Page, Section};
use crate::Console;

/// The region the live checkbox refreshes (and its fragment route fills).
const LIVE_REGION: &str = "request-results";

pub async fn page(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let filters = Filters::parse(raw.as_deref());
    let (status, results) = search(&console, &filters).await;
    let newest = esc(&filters.link("")).to_string();
    // Live only on the first page: refreshing an older one would lose its place.
    let (live, source) = if filters.before.is_empty() {
        (
            format!(
                "<p class=\"live\"><label><input type=\"checkbox\" id=\"live\" \
                 data-live-toggle=\"{LIVE_REGION}\"> Live (refresh every 2 s)</label></p>"
            ),
            format!(" data-live-src=\"/console/requests/rows{newest}\" data-live-ms=\"2000\""),
        )
    } else {
        (
            format!(
                "<p class=\"muted\">Older requests. <a href=\"/console/requests{newest}\">\
                 Newest</a> (live refresh is there).</p>"
            ),
            String::new(),
        )
    };
    let content = format!(
        "{}{live}<div id=\"{LIVE_REGION}\"{source}>{results}</div>",
        filters.form()
    );
    Page::new("Requests", Section::Requests).render_with(status, &content)
}

/// The results alone (table and pager), as the page shows them: what the live region
/// is refreshed with.
pub async fn rows(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let filters = Filters::parse(raw.as_deref());
    let (status, markup) = search(&console, &filters).await;
    fragment(status, markup)
}

/// The results of the filters, or what the admin API found wrong with them.
async fn search(console: &Console, filters: &Filters) -> (StatusCode, String) {
    let path = format!("/requests{}", filters.admin_query());
    match console.api.get(&path).await {
        Ok(listing) => (StatusCode::OK, results(filters, &listing)),
        Err(error) => (error.status, alert(error.reason())),
    }
}

fn results(filters: &Filters, listing: &Value) -> String {
    let items = listing["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if items.is_empty() {
        return "<p class=\"muted\" data-test=\"no-requests\">No requests match.</p>".into();
    }
    let rows: String = items.iter().map(row).collect();
    let older = match listing["next"].as_str() {
        Some(next) => format!(
            "<a href=\"/console/requests{}\" rel=\"next\" data-test=\"older\">Older</a>",
            esc(&filters.link(next))
        ),
        None => "<span class=\"muted\">No older requests.</span>".into(),
    };
    format!(
        "<div class=\"scroll\"><table class=\"requests\" id=\"request-table\">\
         <thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">Dialect</th>\
         <th scope=\"col\">Account</th><th scope=\"col\">Method</th>\
         <th scope=\"col\">Path</th><th scope=\"col\">Endpoint</th>\
         <th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">ms</th></tr></thead>\
         <tbody>{rows}</tbody></table></div><nav class=\"pager\" aria-label=\"Pages\">{older}</nav>"
    )
}

/// One request; its time links to its page (the first column, so phones see it unscrolled).
fn row(entry: &Value) -> String {
    let id = scalar(&entry["id"]);
    format!(
        "<tr data-test=\"request-row\" data-id=\"{id}\">\
         <td><a href=\"/console/requests/{id}\">{}</a></td><td>{}</td><td>{}</td>\
         <td>{}</td><td class=\"path\">{}</td>\
         <td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
        json_time(&entry["at"]),
        scalar(&entry["dialect"]),
        scalar(&entry["account"]),
        scalar(&entry["method"]),
        esc(&path_and_query(entry)),
        scalar(&entry["endpoint"]),
        status_badge(entry["status"].as_u64().unwrap_or_default()),
        scalar(&entry["latency_ms"]),
    )
}

/// The path with its query (as logged: secrets in it masked).
fn path_and_query(entry: &Value) -> String {
    let path = entry["path"].as_str().unwrap_or_default();
    match entry["query"].as_str().filter(|query| !query.is_empty()) {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    }
}
