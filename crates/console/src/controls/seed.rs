//! Seed demo data: `twin seed`'s MoySklad dataset loaded into the account in the
//! background (`POST /accounts/{id}/moysklad/seed`), and the account's latest seed job
//! with its progress, refreshed from `GET /console/jobs/{job}` (`GET /admin/api/jobs/{id}`)
//! until it has ended.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{fields, refused};
use crate::api::{encode, number_or_text, query};
use crate::html::{alert, esc, json_time};
use crate::layout::{fragment, PagePath};
use crate::Console;

/// The kind of job the MoySklad seeding runs as.
const KIND: &str = "moysklad.seed";

pub fn section(id: &str, job: Option<&Value>) -> String {
    let progress = match job {
        Some(job) => format!(
            "<div id=\"seed-progress\" data-live-src=\"/console/jobs/{}\" data-live-ms=\"1000\">\
             {}</div>",
            esc(&encode(job["id"].as_str().unwrap_or_default())),
            progress(job)
        ),
        None => "<p class=\"muted\" data-test=\"no-seed-job\">No seeding job for this account \
                 since the server started.</p>"
            .into(),
    };
    format!(
        "<section class=\"panel\" id=\"seed\" aria-labelledby=\"seed-title\">\
         <h2 id=\"seed-title\">Seed demo data</h2>\
         <p class=\"muted\">Loads <code>twin seed</code>'s MoySklad dataset in the background: \
         folders, goods with variants, services, bundles, stores, counterparties and stock \
         (the same seed gives the same data). The account gets the MoySklad login \
         <code>admin@{id}</code> (password <code>{id}</code>) unless it has one. A second run \
         into the same account fails on folder codes: reset MoySklad first.</p>\
         <form method=\"post\" action=\"/console/accounts/{link}/seed\" class=\"filters\" \
         data-test=\"seed\">\
         <label for=\"seed-dataset\">Dataset<select id=\"seed-dataset\" name=\"dataset\">\
         <option value=\"small\">small (200 goods)</option>\
         <option value=\"large\">large (100 000 goods)</option>\
         <option value=\"goods\">a number of goods</option></select></label>\
         <label for=\"seed-goods\">Goods (for a number)<input id=\"seed-goods\" name=\"goods\" \
         type=\"number\" min=\"1\" max=\"1000000\" step=\"1\" placeholder=\"1000\"></label>\
         <label for=\"seed-number\">Seed<input id=\"seed-number\" name=\"seed\" type=\"number\" \
         min=\"0\" step=\"1\" value=\"1\"></label>\
         <button type=\"submit\">Start</button></form>{progress}</section>",
        link = esc(&encode(id)),
        id = esc(id),
    )
}

/// The account's newest seed job this process knows of.
pub async fn latest_job(console: &Console, id: &str) -> Option<Value> {
    let jobs = console.api.get("/jobs").await.ok()?;
    jobs["items"]
        .as_array()?
        .iter()
        .find(|job| job["kind"] == KIND && job["account"] == id)
        .cloned()
}

/// A job's progress and state. An ended job's markup carries `data-live-done`, which stops
/// the refresh.
fn progress(job: &Value) -> String {
    let count = |name: &str| job[name].as_u64().unwrap_or_default();
    let (done, total) = (count("done"), count("total"));
    let state = job["state"].as_str().unwrap_or_default();
    // Before the job knows its total, the bar shows activity without a value.
    let bar = if total == 0 {
        "<progress aria-label=\"Seeding\"></progress>".to_owned()
    } else {
        format!("<progress value=\"{done}\" max=\"{total}\" aria-label=\"Seeding\"></progress>")
    };
    let ended = match state {
        "finished" => {
            let written: Vec<String> = job["result"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, value)| value.is_number())
                .map(|(name, value)| format!("{value} {}", esc(name)))
                .collect();
            format!(
                "<p data-live-done><span class=\"ok\">Finished</span> {}: {}.</p>",
                json_time(&job["finishedAt"]),
                written.join(", ")
            )
        }
        "failed" => format!(
            "<p data-live-done><span class=\"bad\">Failed</span> {}: {}</p>",
            json_time(&job["finishedAt"]),
            esc(job["error"].as_str().unwrap_or_default())
        ),
        _ => String::new(),
    };
    format!(
        "<div class=\"job\" data-test=\"seed-job\" data-state=\"{}\" data-done=\"{done}\" \
         data-total=\"{total}\"><p>{bar} <span data-test=\"seed-count\">{done} of {total}</span> \
         writes · {} · started {}</p>{ended}</div>",
        esc(state),
        esc(state),
        json_time(&job["startedAt"]),
    )
}

/// The form's fields: the dataset chosen, the number of goods when that is the choice,
/// and the seed, all as typed (the admin judges them).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SeedForm {
    dataset: String,
    goods: String,
    seed: String,
}

/// `POST /console/accounts/{id}/seed`: starts the job and goes back to its progress.
pub async fn start(
    State(console): State<Console>,
    PagePath(id): PagePath<String>,
    form: Result<Form<SeedForm>, FormRejection>,
) -> Response {
    let form = match fields(form) {
        Ok(form) => form,
        Err(failure) => return refused(&console, &id, failure).await,
    };
    let mut body = Map::new();
    // A number of goods chosen but not typed goes as it is, for the admin to refuse.
    let dataset = match form.dataset.trim() {
        "goods" => Some(form.goods.trim()),
        "" => None,
        named => Some(named),
    };
    if let Some(dataset) = dataset {
        body.insert("dataset".into(), Value::String(dataset.to_owned()));
    }
    if let Some(seed) = number_or_text(&form.seed) {
        body.insert("seed".into(), seed);
    }
    let path = format!("/accounts/{}/moysklad/seed", encode(&id));
    match console
        .api
        .send(Method::POST, &path, Some(&Value::Object(body)))
        .await
    {
        Ok(_) => {
            let target = query(&[("account", &id), ("notice", "Seeding started.")]);
            Redirect::to(&format!("/console/controls{target}#seed")).into_response()
        }
        Err(failure) => refused(&console, &id, failure).await,
    }
}

/// `GET /console/jobs/{job}`: the job's progress alone, for the live region.
pub async fn job(State(console): State<Console>, PagePath(job): PagePath<String>) -> Response {
    let (status, markup) = match console.api.get(&format!("/jobs/{}", encode(&job))).await {
        Ok(job) => (StatusCode::OK, progress(&job)),
        Err(error) => (error.status, alert(error.reason())),
    };
    fragment(status, markup)
}
