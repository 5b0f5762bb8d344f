//! Webhooks: `/console/webhooks` shows an account's subscriptions per dialect and the
//! deliveries (every account's when none is chosen) filtered by account, dialect, status
//! and event; `/console/webhooks/deliveries/{id}` shows one delivery with its payload,
//! headers and attempts, and redelivers it.

mod deliveries;
mod delivery;
mod subscriptions;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use twin_core::DIALECTS;

use crate::api::{encode, param, query};
use crate::home::dialect_title;
use crate::html::{account_options, esc, hooked_alert, picker_accounts};
use crate::layout::{fragment, Page, Section};
use crate::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/webhooks", get(page))
        .route("/console/webhooks/rows", get(rows))
        .route("/console/webhooks/deliveries/{id}", get(delivery::page))
        .route(
            "/console/webhooks/deliveries/{id}/state",
            get(delivery::state),
        )
        .route(
            "/console/webhooks/deliveries/{id}/redeliver",
            get(delivery::back).post(delivery::redeliver),
        )
}

/// The delivery statuses the admin API filters by.
const STATUSES: [&str; 3] = ["pending", "delivered", "failed"];

/// The page's filters as text, empty when not given.
#[derive(Default)]
struct Filters {
    account: String,
    dialect: String,
    status: String,
    event: String,
    offset: String,
    limit: String,
}

impl Filters {
    fn parse(raw: Option<&str>) -> Self {
        Self {
            account: param(raw, "account"),
            dialect: param(raw, "dialect"),
            status: param(raw, "status"),
            event: param(raw, "event"),
            offset: param(raw, "offset"),
            limit: param(raw, "limit"),
        }
    }

    /// The query with these filters (the admin's and the page's), starting at `offset`.
    fn query(&self, offset: &str) -> String {
        query(&[
            ("account", &self.account),
            ("dialect", &self.dialect),
            ("status", &self.status),
            ("event", &self.event),
            ("offset", offset),
            ("limit", &self.limit),
        ])
    }
}

async fn page(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let filters = Filters::parse(raw.as_deref());
    let page = Page::new("Webhooks", Section::Webhooks);
    let (accounts, note) = match picker_accounts(&console.api).await {
        Ok(found) => found,
        Err(error) => return page.error(error.status, &error.to_string()),
    };
    let mut status = StatusCode::OK;
    let mut content = format!("{}{note}", form(&filters, &accounts));
    if !filters.account.is_empty() {
        let path = format!(
            "/accounts/{}/webhooks/subscriptions",
            encode(&filters.account)
        );
        match console.api.get(&path).await {
            Ok(listing) => content.push_str(&subscriptions::section(&filters.account, &listing)),
            Err(error) => {
                status = error.status;
                content.push_str(&hooked_alert(&error.to_string(), "webhooks-error"));
            }
        }
    }
    let (listed, results) = listed_deliveries(&console, &filters).await;
    if status == StatusCode::OK {
        status = listed;
    }
    // Live only on the first page: refreshing a later one would lose its place.
    if filters.offset.parse::<u64>().unwrap_or(0) == 0 {
        content.push_str(&format!(
            "<p class=\"live\"><label><input type=\"checkbox\" id=\"live\" \
             data-live-toggle=\"{LIVE_REGION}\"> Live (refresh every 2 s)</label></p>\
             <div id=\"{LIVE_REGION}\" data-live-src=\"/console/webhooks/rows{}\" \
             data-live-ms=\"2000\">{results}</div>",
            esc(&filters.query(""))
        ));
    } else {
        content.push_str(&results);
    }
    page.render_with(status, &content)
}

/// The region the live checkbox refreshes (and the rows route fills).
const LIVE_REGION: &str = "delivery-results";

/// The deliveries section alone, as the page shows it: what the live region is refreshed
/// with.
async fn rows(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let (status, markup) = listed_deliveries(&console, &Filters::parse(raw.as_deref())).await;
    fragment(status, markup)
}

/// The deliveries the filters pick, as a section, or the admin's refusal.
async fn listed_deliveries(console: &Console, filters: &Filters) -> (StatusCode, String) {
    let path = format!("/webhooks/deliveries{}", filters.query(&filters.offset));
    match console.api.get(&path).await {
        Ok(listing) => (StatusCode::OK, deliveries::section(filters, &listing)),
        Err(error) => (
            error.status,
            hooked_alert(&error.to_string(), "webhooks-error"),
        ),
    }
}

/// The filters form: account (its subscriptions shown too), dialect, status, event.
fn form(filters: &Filters, accounts: &[Value]) -> String {
    let option = |value: &str, label: &str, current: &str| {
        let selected = if value == current { " selected" } else { "" };
        format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(value),
            esc(label)
        )
    };
    // A value the lists do not offer (an account beyond the first 1000) stays chosen.
    let unlisted = |value: &str, listed: bool| {
        if value.is_empty() || listed {
            String::new()
        } else {
            format!("<option selected>{}</option>", esc(value))
        }
    };
    let account_listed = accounts.iter().any(|a| a["id"] == filters.account.as_str());
    let account_options = account_options(accounts, Some(&filters.account));
    let mut dialects = option("", "All", &filters.dialect);
    for dialect in DIALECTS.iter().chain(&["twin"]) {
        let label = if *dialect == "twin" {
            "Twin (test webhooks)"
        } else {
            dialect_title(dialect)
        };
        dialects.push_str(&option(dialect, label, &filters.dialect));
    }
    let dialect_listed = filters.dialect == "twin" || DIALECTS.contains(&filters.dialect.as_str());
    dialects.push_str(&unlisted(&filters.dialect, dialect_listed));
    let mut statuses = option("", "All", &filters.status);
    for status in STATUSES {
        statuses.push_str(&option(status, status, &filters.status));
    }
    statuses.push_str(&unlisted(
        &filters.status,
        STATUSES.contains(&filters.status.as_str()),
    ));
    let limit = if filters.limit.is_empty() {
        String::new()
    } else {
        format!(
            "<input type=\"hidden\" name=\"limit\" value=\"{}\">",
            esc(&filters.limit)
        )
    };
    format!(
        "<form method=\"get\" action=\"/console/webhooks\" class=\"filters panel\" \
         role=\"search\" aria-label=\"Filter webhooks\" id=\"webhook-filters\">\
         <label for=\"account\">Account<select id=\"account\" name=\"account\">\
         <option value=\"\">All accounts</option>{account_options}{}</select></label>\
         <label for=\"webhook-dialect\">Dialect<select id=\"webhook-dialect\" name=\"dialect\">\
         {dialects}</select></label>\
         <label for=\"webhook-status\">Status<select id=\"webhook-status\" name=\"status\">\
         {statuses}</select></label>\
         <label for=\"webhook-event\">Event<input id=\"webhook-event\" name=\"event\" \
         value=\"{}\"></label>{limit}\
         <button type=\"submit\">Filter</button>\
         <a class=\"button secondary\" href=\"/console/webhooks\">Clear</a></form>",
        unlisted(&filters.account, account_listed),
        esc(&filters.event),
    )
}
