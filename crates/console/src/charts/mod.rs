//! Charts (`/console/charts?minutes=60&account=`): `GET /admin/api/stats` drawn as inline
//! SVG (`svg.rs`): requests per minute of each dialect stacked by status class, latency
//! percentiles per dialect, the webhook delivery success rate. Each chart has the same
//! numbers in a table beneath it, for people who would rather read, and screen readers.

mod requests;
mod summary;
mod svg;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use twin_core::DIALECTS;

use crate::api::query;
use crate::html::{
    alert, any_account_options, esc, json_datetime, picker_accounts, selected, DIALECT_NAMES,
};
use crate::layout::{Page, Section};
use crate::Console;

pub fn routes() -> Router<Console> {
    Router::new().route("/console/charts", get(page))
}

/// The windows offered, in minutes, with their names.
const WINDOWS: [(&str, &str); 4] = [
    ("15", "15 minutes"),
    ("60", "1 hour"),
    ("360", "6 hours"),
    ("1440", "24 hours"),
];

/// The page's query: the window and the account, as typed (the admin judges them).
#[derive(Default)]
struct Filters {
    minutes: String,
    account: String,
}

impl Filters {
    fn parse(raw: Option<&str>) -> Self {
        let mut filters = Self::default();
        for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match name.as_ref() {
                "minutes" => filters.minutes = value.into_owned(),
                "account" => filters.account = value.into_owned(),
                _ => {}
            }
        }
        if filters.minutes.is_empty() {
            filters.minutes = "60".into();
        }
        filters
    }
}

async fn page(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let filters = Filters::parse(raw.as_deref());
    let page = Page::new("Charts", Section::Charts);
    let accounts = match picker_accounts(&console.api).await {
        Ok((accounts, _)) => accounts,
        Err(error) => return page.error(error.status, error.reason()),
    };
    let path = format!(
        "/stats{}",
        query(&[("minutes", &filters.minutes), ("account", &filters.account)])
    );
    let (status, charts) = match console.api.get(&path).await {
        Ok(stats) => (StatusCode::OK, charts(&stats)),
        Err(error) => (error.status, alert(error.reason())),
    };
    let content = format!("{}{charts}", form(&filters, &accounts));
    page.render_with(status, &content)
}

fn form(filters: &Filters, accounts: &[Value]) -> String {
    let mut windows: String = WINDOWS
        .iter()
        .map(|(minutes, name)| {
            format!(
                "<option value=\"{minutes}\"{}>{name}</option>",
                selected(filters.minutes == *minutes)
            )
        })
        .collect();
    if !WINDOWS
        .iter()
        .any(|(minutes, _)| filters.minutes == *minutes)
    {
        windows.push_str(&format!(
            "<option selected>{}</option>",
            esc(&filters.minutes)
        ));
    }
    let options = any_account_options(accounts, &filters.account, "All");
    format!(
        "<form method=\"get\" action=\"/console/charts\" class=\"filters panel\" \
         id=\"chart-filters\" aria-label=\"Chart window\">\
         <label>Window<select name=\"minutes\">{windows}</select></label>\
         <label>Account<select name=\"account\">{options}</select></label>\
         <button type=\"submit\">Show</button></form>"
    )
}

/// The three sections for a stats answer.
fn charts(stats: &Value) -> String {
    let from = json_datetime(&stats["from"]);
    let to = json_datetime(&stats["to"]);
    let window = match (from, to) {
        (Some(from), Some(to)) => format!(
            "<p class=\"muted\" id=\"chart-window\">From {} to {} UTC.{}</p>",
            from.format("%Y-%m-%d %H:%M"),
            to.format("%Y-%m-%d %H:%M"),
            if stats["truncated"] == true {
                " The window held more than 100 000 requests: the figures are of the newest \
                 100 000."
            } else {
                ""
            }
        ),
        _ => String::new(),
    };
    let requests = match (from, to) {
        (Some(from), Some(to)) => requests::section(stats, from, to),
        _ => String::new(),
    };
    format!(
        "{window}{requests}{}{}",
        summary::latency(stats),
        summary::deliveries(&stats["deliveries"])
    )
}

pub fn dialect_name(dialect: &str) -> &str {
    DIALECTS
        .iter()
        .position(|d| *d == dialect)
        .map_or(dialect, |at| DIALECT_NAMES[at])
}

/// The colours' meanings, as a list (the SVG's colours are the `c<name>` classes).
pub fn legend(what: &str, names: &[&str]) -> String {
    let items: String = names
        .iter()
        .map(|name| {
            format!(
                "<li><svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">\
                 <rect class=\"c{name}\" width=\"10\" height=\"10\"/></svg>{name}</li>"
            )
        })
        .collect();
    format!("<ul class=\"legend\" aria-label=\"Colours by {what}\">{items}</ul>")
}
