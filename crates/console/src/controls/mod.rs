//! The Controls page (`/console/controls?account=ID`): what no production account offers —
//! reset, snapshot download and upload, the account's clock, seeding demo data. Each
//! section is one module giving its markup and the console route its forms post to; every
//! action calls the admin API and answers `303` back to the page with a notice, or the page
//! with the admin's error and status. A section is one module and one entry in
//! [`sections`].

mod clock;
mod reset;
mod seed;
mod snapshot;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{encode, fields, query, refusal, ApiError};
use crate::html::{esc, hooked_alert, pick_account};
use crate::layout::{Page, PagePath, Section};
use crate::Console;

/// The page and its actions, each behind sign-in. `GET` of an action's address (where
/// signing in after a refused post leads) shows the page again.
pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/controls", get(page))
        .route("/console/accounts/{id}/reset", get(back).post(reset::reset))
        .route("/console/accounts/{id}/snapshot", get(snapshot::export))
        .route(
            "/console/accounts/{id}/snapshot/import",
            get(back).post(snapshot::import),
        )
        .route("/console/accounts/{id}/clock", get(back).post(clock::steer))
        .route("/console/accounts/{id}/seed", get(back).post(seed::start))
        .route("/console/jobs/{job}", get(seed::job))
}

#[derive(Deserialize)]
pub struct PageQuery {
    account: Option<String>,
    notice: Option<String>,
}

async fn page(State(console): State<Console>, Query(query): Query<PageQuery>) -> Response {
    let account = query.account.as_deref().filter(|id| !id.is_empty());
    render(&console, account, query.notice.as_deref(), None).await
}

async fn back(PagePath(id): PagePath<String>) -> Response {
    Redirect::to(&format!("/console/controls{}", query(&[("account", &id)]))).into_response()
}

/// Where a successful action sends the browser: the page, telling what was done.
fn done(account: &str, notice: &str) -> Response {
    let target = query(&[("account", account), ("notice", notice)]);
    Redirect::to(&format!("/console/controls{target}")).into_response()
}

/// The page for `account` (the picker alone when none is chosen), with the last action's
/// notice or its failure; a failure's status is the page's.
async fn render(
    console: &Console,
    account: Option<&str>,
    notice: Option<&str>,
    failure: Option<ApiError>,
) -> Response {
    let page = Page::new("Controls", Section::Controls).notice(notice);
    let mut content = match pick_account(&console.api, "/console/controls", account).await {
        Ok(picker) => picker,
        Err(error) => return page.error(error.status, &error.to_string()),
    };
    let mut status = StatusCode::OK;
    if let Some(error) = &failure {
        status = error.status;
        content.push_str(&hooked_alert(&error.to_string(), "controls-error"));
    }
    let Some(id) = account else {
        return page.render_with(status, &content);
    };
    // The clock is read through the account, so an unknown account is its 404.
    match console
        .api
        .get(&format!("/accounts/{}/clock", encode(id)))
        .await
    {
        Ok(clock) => {
            let job = seed::latest_job(console, id).await;
            content.push_str(&sections(id, &clock, job.as_ref()));
        }
        Err(error) => {
            if failure.is_none() {
                status = error.status;
                content.push_str(&hooked_alert(&error.to_string(), "controls-error"));
            }
        }
    }
    page.render_with(status, &content)
}

/// The account's sections, in the order people reach for them.
fn sections(id: &str, clock: &Value, seed_job: Option<&Value>) -> String {
    let link = esc(&encode(id)).to_string();
    format!(
        "<p class=\"links\">Account <strong>{}</strong> · \
         <a href=\"/console/data?account={link}\">Data</a> · \
         <a href=\"/console/requests?account={link}\">Requests</a> · \
         <a href=\"/console/webhooks?account={link}\">Webhooks</a></p>\
         <div class=\"grid controls\">{}{}{}{}</div>",
        esc(id),
        reset::section(id),
        snapshot::section(id),
        clock::section(id, clock),
        seed::section(id, seed_job),
    )
}

/// The page again with why an action on `id` was refused, and the refusal's status.
async fn refused(console: &Console, id: &str, failure: ApiError) -> Response {
    render(console, Some(id), None, Some(failure)).await
}
