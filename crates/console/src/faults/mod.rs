//! Fault injection: `/console/faults` lists the rules of `/admin/api/faults` with how often
//! each fired (refreshed live from `/console/faults/rules`), adds one from a form, deletes
//! one or all, and toggles Kassa cash registers' device faults (`kassa.rs`).

mod form;
mod kassa;
mod rules;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{encode, fields, query};
use crate::html::{alert, picker_accounts};
use crate::layout::{fragment, Page, PagePath, Section};
use crate::{ApiError, Console};
use form::{describe_action, RuleForm};

/// The page, its live fragment and its actions. `GET` of an action's address (where
/// signing in after a refused post leads) goes to the page.
pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/faults", get(page).post(add))
        .route("/console/faults/rules", get(rules))
        .route("/console/faults/clear", get(to_page).post(clear))
        .route("/console/faults/kassa", get(to_page).post(kassa::set))
        .route("/console/faults/{id}/delete", get(to_page).post(delete))
}

async fn to_page() -> Redirect {
    Redirect::to("/console/faults")
}

/// The region the live checkbox refreshes (and `/console/faults/rules` fills).
const LIVE_REGION: &str = "fault-rules";

/// How many recent requests the endpoint suggestions are drawn from.
const SUGGESTIONS_FROM: u32 = 200;

/// What the page's query carries: the last action's notice and the account whose cash
/// registers are shown (none: the first account).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct View {
    notice: Option<String>,
    kassa: Option<String>,
}

/// An admin refusal and the section it is shown in.
enum Refused {
    /// Adding a rule: shown above the form, which keeps what was typed.
    Rule(ApiError),
    /// Deleting one or all.
    Rules(ApiError),
    Kassa(ApiError),
}

impl Refused {
    fn error(&self) -> &ApiError {
        match self {
            Self::Rule(error) | Self::Rules(error) | Self::Kassa(error) => error,
        }
    }
}

async fn page(State(console): State<Console>, Query(view): Query<View>) -> Response {
    render(&console, &view, &RuleForm::default(), None).await
}

/// The page, with the admin's refusal (and its status) where there is one.
async fn render(
    console: &Console,
    view: &View,
    form: &RuleForm,
    refused: Option<Refused>,
) -> Response {
    let page = Page::new("Faults", Section::Faults).notice(view.notice.as_deref());
    let listing = match console.api.get("/faults").await {
        Ok(listing) => listing,
        Err(error) => return page.error(error.status, error.reason()),
    };
    let accounts = match picker_accounts(&console.api).await {
        Ok((accounts, _)) => accounts,
        Err(error) => return page.error(error.status, error.reason()),
    };
    let status = refused
        .as_ref()
        .map_or(StatusCode::OK, |refused| refused.error().status);
    let shown = |wanted: fn(&Refused) -> bool| {
        refused
            .as_ref()
            .filter(|refused| wanted(refused))
            .map(|refused| alert(refused.error().reason()))
            .unwrap_or_default()
    };
    let kassa_account = view
        .kassa
        .clone()
        .filter(|id| !id.is_empty())
        .or_else(|| accounts.first()?["id"].as_str().map(str::to_owned));
    let cashboxes = match &kassa_account {
        Some(id) => Some(
            console
                .api
                .get(&format!("/accounts/{}/kassa/cashboxes", encode(id)))
                .await,
        ),
        None => None,
    };
    let kassa_refused = match &refused {
        Some(Refused::Kassa(error)) => Some(error),
        _ => None,
    };
    let content = format!(
        "<p>Rules make Twin answer chosen vendor requests as a failing service would: \
         late, with the vendor's own 429 or 5xx, a timeout or a dropped connection \
         (<code>/admin/api/faults</code>; rules live in this process).</p>\
         <section aria-labelledby=\"rules-title\" id=\"rules\">\
         <h2 id=\"rules-title\">Rules</h2>{}\
         <div class=\"toolbar\"><p class=\"live\"><label><input type=\"checkbox\" id=\"faults-live\" \
         data-live-toggle=\"{LIVE_REGION}\" checked> Live fired counts (every 2 s)</label></p>\
         <form method=\"post\" action=\"/console/faults/clear\" \
         data-confirm=\"Delete every fault rule?\" id=\"delete-all\">\
         <button type=\"submit\" class=\"danger\">Delete all</button></form></div>\
         <div id=\"{LIVE_REGION}\" data-live-src=\"/console/faults/rules\" data-live-ms=\"2000\" \
         data-live-hold-focus>{}</div></section>\
         <section aria-labelledby=\"add-title\" id=\"add-rule\" class=\"panel\">\
         <h2 id=\"add-title\">Add a rule</h2>{}{}\
         <p class=\"muted\">Empty fields match everything; the endpoint is the label the \
         request log shows (suggested from recent requests).</p></section>{}",
        shown(|refused| matches!(refused, Refused::Rules(_))),
        rules::table(&listing),
        shown(|refused| matches!(refused, Refused::Rule(_))),
        form.render(&accounts, &endpoint_labels(console).await),
        kassa::section(
            &accounts,
            kassa_account.as_deref(),
            cashboxes,
            kassa_refused
        ),
    );
    page.render_with(status, &content)
}

/// The (dialect, endpoint) pairs of recent requests, sorted, each once; none when the log
/// cannot be read (they are only suggestions).
async fn endpoint_labels(console: &Console) -> Vec<(String, String)> {
    let path = format!("/requests?limit={SUGGESTIONS_FROM}");
    let Ok(log) = console.api.get(&path).await else {
        return Vec::new();
    };
    let mut labels: Vec<(String, String)> = log["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let text = |name: &str| entry[name].as_str().map(str::to_owned);
            Some((text("dialect")?, text("endpoint")?))
        })
        .collect();
    labels.sort();
    labels.dedup();
    labels
}

/// The rules table alone: what the live region is refreshed with.
async fn rules(State(console): State<Console>) -> Response {
    let (status, markup) = match console.api.get("/faults").await {
        Ok(listing) => (StatusCode::OK, rules::table(&listing)),
        Err(error) => (error.status, alert(error.reason())),
    };
    fragment(status, markup)
}

/// `POST /console/faults`: adds the rule and goes back to the page with a notice, or
/// shows the form again with the admin's problem and its status.
async fn add(
    State(console): State<Console>,
    form: Result<Form<RuleForm>, FormRejection>,
) -> Response {
    let form = match fields(form) {
        Ok(form) => form,
        Err(error) => {
            let refused = Some(Refused::Rule(error));
            return render(&console, &View::default(), &RuleForm::default(), refused).await;
        }
    };
    match console
        .api
        .send(Method::POST, "/faults", Some(&form.rule()))
        .await
    {
        Ok(rule) => {
            let notice = format!(
                "Rule added: {} for {}.",
                describe_action(&rule["action"]),
                matched(&rule)
            );
            back(&notice)
        }
        Err(error) => {
            render(
                &console,
                &View::default(),
                &form,
                Some(Refused::Rule(error)),
            )
            .await
        }
    }
}

/// What a rule matches, in words: `moysklad entity.list of demo`, `every request`.
fn matched(rule: &Value) -> String {
    let parts: Vec<String> = [("", "dialect"), ("", "endpoint"), ("of ", "account")]
        .iter()
        .filter_map(|(prefix, name)| rule[name].as_str().map(|value| format!("{prefix}{value}")))
        .collect();
    if parts.is_empty() {
        "every request".into()
    } else {
        parts.join(" ")
    }
}

/// `POST /console/faults/{id}/delete`.
async fn delete(State(console): State<Console>, PagePath(id): PagePath<String>) -> Response {
    let path = format!("/faults/{}", encode(&id));
    match console.api.send(Method::DELETE, &path, None).await {
        Ok(_) => back("Rule deleted."),
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            let error = ApiError {
                detail: format!("There is no rule {id} (deleted already?)."),
                ..error
            };
            refused_rules(&console, error).await
        }
        Err(error) => refused_rules(&console, error).await,
    }
}

/// `POST /console/faults/clear`: deletes every rule.
async fn clear(State(console): State<Console>) -> Response {
    match console.api.send(Method::DELETE, "/faults", None).await {
        Ok(_) => back("Every rule deleted."),
        Err(error) => refused_rules(&console, error).await,
    }
}

async fn refused_rules(console: &Console, error: ApiError) -> Response {
    let refused = Some(Refused::Rules(error));
    render(console, &View::default(), &RuleForm::default(), refused).await
}

/// 303 back to the page, saying what was done.
fn back(notice: &str) -> Response {
    Redirect::to(&format!("/console/faults{}", query(&[("notice", notice)]))).into_response()
}
