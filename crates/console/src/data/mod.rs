//! The data browser: `/console/data?account=ID` lists what an account holds per dialect and
//! kind, `/console/data/{account}/{dialect}/{kind}` pages a kind's documents, and
//! `.../{kind}/{entity}` shows one document, what it refers to and its history — all from
//! the admin API's `/accounts/{id}/data`.

mod entity;
mod history;
mod list;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use crate::api::{encode, param, query, ApiError};
use crate::home::dialect_title;
use crate::html::{esc, hooked_alert, pick_account};
use crate::layout::{Page, PagePath, Section};
use crate::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/data", get(overview))
        .route("/console/data/{account}", get(to_overview))
        .route("/console/data/{account}/{dialect}", get(to_dialect))
        .route("/console/data/{account}/{dialect}/{kind}", get(list::page))
        .route(
            "/console/data/{account}/{dialect}/{kind}/{entity}",
            get(entity::page),
        )
}

/// The overview of `account`'s data (its address; not yet escaped for markup).
fn overview_href(account: &str) -> String {
    format!("/console/data{}", query(&[("account", account)]))
}

/// A kind's page (not yet escaped for markup).
fn kind_href(account: &str, dialect: &str, kind: &str) -> String {
    format!(
        "/console/data/{}/{}/{}",
        encode(account),
        encode(dialect),
        encode(kind)
    )
}

/// A document's page (not yet escaped for markup).
fn entity_href(account: &str, dialect: &str, kind: &str, id: &str) -> String {
    format!("{}/{}", kind_href(account, dialect, kind), encode(id))
}

/// Where a page sits: account › dialect › kind (› document), each a link but the last.
fn crumbs(account: &str, dialect: &str, kind: &str, entity: Option<&str>) -> String {
    let overview = overview_href(account);
    let kind_item = match entity {
        Some(_) => format!(
            "<a href=\"{}\">{}</a>",
            esc(&kind_href(account, dialect, kind)),
            esc(kind)
        ),
        None => format!("<span aria-current=\"page\">{}</span>", esc(kind)),
    };
    let entity_item = entity
        .map(|id| format!("<li><span aria-current=\"page\">{}</span></li>", esc(id)))
        .unwrap_or_default();
    format!(
        "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>\
         <li><a href=\"{}\">{}</a></li><li><a href=\"{}#data-{}\">{}</a></li>\
         <li>{kind_item}</li>{entity_item}</ol></nav>",
        esc(&overview),
        esc(account),
        esc(&overview),
        esc(dialect),
        esc(dialect_title(dialect)),
    )
}

async fn to_overview(PagePath(account): PagePath<String>) -> Response {
    Redirect::to(&overview_href(&account)).into_response()
}

async fn to_dialect(PagePath((account, dialect)): PagePath<(String, String)>) -> Response {
    Redirect::to(&format!(
        "{}#data-{}",
        overview_href(&account),
        encode(&dialect)
    ))
    .into_response()
}

/// The picker, then (with an account chosen) a panel per dialect listing its kinds.
async fn overview(State(console): State<Console>, RawQuery(raw): RawQuery) -> Response {
    let account = param(raw.as_deref(), "account");
    let page = Page::new("Data", Section::Data);
    let chosen = Some(account.as_str()).filter(|id| !id.is_empty());
    let mut content = match pick_account(&console.api, "/console/data", chosen).await {
        Ok(picker) => picker,
        Err(error) => return page.error(error.status, &error.to_string()),
    };
    let Some(account) = chosen else {
        return page.render(&content);
    };
    let path = format!("/accounts/{}/data", encode(account));
    match console.api.get(&path).await {
        Ok(overview) => {
            content.push_str(&account_links(account));
            content.push_str(&dialect_panels(account, &overview));
            page.render(&content)
        }
        Err(error) => {
            content.push_str(&hooked_alert(&error.to_string(), "data-error"));
            page.render_with(error.status, &content)
        }
    }
}

/// The account's other console pages.
fn account_links(account: &str) -> String {
    let link = esc(&encode(account)).to_string();
    format!(
        "<p class=\"links\">Account <strong>{}</strong> · \
         <a href=\"/console/requests?account={link}\">Requests</a> · \
         <a href=\"/console/webhooks?account={link}\">Webhooks</a> · \
         <a href=\"/console/controls?account={link}\">Controls</a></p>",
        esc(account)
    )
}

fn dialect_panels(account: &str, overview: &Value) -> String {
    let mut panels = String::new();
    for entry in overview["dialects"].as_array().into_iter().flatten() {
        let dialect = entry["dialect"].as_str().unwrap_or_default();
        let kinds = entry["kinds"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let body = if kinds.is_empty() {
            "<p class=\"muted\">Nothing stored yet.</p>".to_owned()
        } else {
            let rows: String = kinds
                .iter()
                .map(|entry| {
                    let kind = entry["kind"].as_str().unwrap_or_default();
                    format!(
                        "<tr data-test=\"kind-row\" data-kind=\"{}\"><td><a href=\"{}\">{}</a>\
                         </td><td class=\"num\">{}</td></tr>",
                        esc(kind),
                        esc(&kind_href(account, dialect, kind)),
                        esc(kind),
                        entry["count"].as_u64().unwrap_or_default()
                    )
                })
                .collect();
            format!(
                "<div class=\"scroll\"><table class=\"kinds\"><thead><tr>\
                 <th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">Documents</th>\
                 </tr></thead><tbody>{rows}</tbody></table></div>"
            )
        };
        panels.push_str(&format!(
            "<section class=\"panel\" id=\"data-{id}\" aria-labelledby=\"data-{id}-title\">\
             <h2 id=\"data-{id}-title\">{}</h2>{body}</section>",
            esc(dialect_title(dialect)),
            id = esc(dialect),
        ));
    }
    format!("<div class=\"grid data\">{panels}</div>")
}

/// A page's offset and limit from its query: as given for the admin API to judge, and as
/// numbers for the pager (50 rows when not given).
fn paging(raw: Option<&str>) -> (String, String, u64, u64) {
    let offset = param(raw, "offset");
    let limit = param(raw, "limit");
    let offset_number = offset.parse().unwrap_or(0);
    let limit_number = limit.parse().ok().filter(|n| *n > 0).unwrap_or(50);
    (offset, limit, offset_number, limit_number)
}

/// A 404 page for an address of the browser whose account, dialect, kind or document the
/// admin does not know; other refusals with their own status.
fn refused(title: &str, error: &ApiError) -> Response {
    let page = Page::new(title, Section::Data);
    if error.status == StatusCode::NOT_FOUND {
        let detail = if error.detail.is_empty() {
            "There is no such data."
        } else {
            &error.detail
        };
        return page.error(StatusCode::NOT_FOUND, detail);
    }
    page.error(error.status, &error.to_string())
}
