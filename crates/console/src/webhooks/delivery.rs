//! One delivery: where it goes, its payload and headers, every attempt with the receiver's
//! answer, and a Redeliver button. While the delivery is pending its state refreshes
//! itself from `/console/webhooks/deliveries/{id}/state`, so a redelivery's new attempt
//! appears without reloading.

use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;

use super::deliveries::{answer, delivery_status};
use crate::api::{encode, param, query, ApiError};
use crate::home::dialect_title;
use crate::html::{alert, body_block, copy_button, esc, headers_table, json_time, scalar};
use crate::layout::{fragment, Page, PagePath, Section};
use crate::Console;

/// The region refreshed while the delivery is pending.
const LIVE_REGION: &str = "delivery-state";

fn href(id: &str) -> String {
    format!("/console/webhooks/deliveries/{}", encode(id))
}

async fn fetch(console: &Console, id: &str) -> Result<Value, ApiError> {
    console
        .api
        .get(&format!("/webhooks/deliveries/{}", encode(id)))
        .await
}

/// Whether the delivery may still be tried: its page refreshes live only then.
fn is_pending(delivery: &Value) -> bool {
    delivery["status"] == "pending"
}

fn refused(id: &str, error: &ApiError) -> Response {
    let page = Page::new(format!("Delivery {id}"), Section::Webhooks);
    if error.status == StatusCode::NOT_FOUND {
        return page.error(error.status, &format!("There is no delivery {id}."));
    }
    page.error(error.status, &error.to_string())
}

pub async fn page(
    State(console): State<Console>,
    PagePath(id): PagePath<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let delivery = match fetch(&console, &id).await {
        Ok(delivery) => delivery,
        Err(error) => return refused(&id, &error),
    };
    let notice = param(raw.as_deref(), "notice");
    let (live, source) = if is_pending(&delivery) {
        let live = format!(
            "<p class=\"live\"><label><input type=\"checkbox\" id=\"live\" checked \
             data-live-toggle=\"{LIVE_REGION}\"> Live (refresh every second while \
             pending)</label></p>"
        );
        let source = format!(
            " data-live-src=\"{}/state\" data-live-ms=\"1000\"",
            esc(&href(&id))
        );
        (live, source)
    } else {
        (String::new(), String::new())
    };
    let content = format!(
        "{}<form method=\"post\" action=\"{}/redeliver\" data-test=\"redeliver\" \
         class=\"inline redeliver\"><button type=\"submit\">Redeliver</button>\
         <span class=\"muted\">Sends it again now, whatever its state; its attempts so far \
         stay listed.</span></form>\
         <h2>Attempts</h2>{live}<div id=\"{LIVE_REGION}\"{source}>{}</div>\
         <h2>Payload</h2><div id=\"delivery-payload\">{}</div>\
         <h2>Request headers</h2>{}",
        facts(&delivery),
        esc(&href(&id)),
        progress(&delivery),
        body_block(delivery["body"].as_str()),
        headers_table(&delivery["headers"], "delivery-headers"),
    );
    Page::new(format!("Delivery {id}"), Section::Webhooks)
        .notice(Some(&notice))
        .render(&content)
}

/// The state alone (status and attempts), for the live refresh.
pub async fn state(State(console): State<Console>, PagePath(id): PagePath<String>) -> Response {
    let (status, markup) = match fetch(&console, &id).await {
        Ok(delivery) => (StatusCode::OK, progress(&delivery)),
        Err(error) => (error.status, alert(&error.to_string())),
    };
    fragment(status, markup)
}

fn facts(delivery: &Value) -> String {
    let account = delivery["account"].as_str().unwrap_or_default();
    let dialect = delivery["dialect"].as_str().unwrap_or_default();
    let url = delivery["url"].as_str().unwrap_or_default();
    format!(
        "<dl class=\"facts panel\" id=\"delivery-facts\">\
         <dt>Account</dt><dd><a href=\"/console/webhooks{}\">{}</a></dd>\
         <dt>Dialect</dt><dd>{}</dd><dt>Event</dt><dd><code>{}</code></dd>\
         <dt>URL</dt><dd><code data-test=\"url\">{}</code> {}</dd>\
         <dt>Created (UTC)</dt><dd>{}</dd><dt>Attempts allowed</dt><dd>{}</dd></dl>",
        esc(&query(&[("account", account)])),
        esc(account),
        esc(dialect_title(dialect)),
        scalar(&delivery["event"]),
        esc(url),
        copy_button(url, "Copy"),
        json_time(&delivery["created_at"]),
        scalar(&delivery["max_attempts"]),
    )
}

/// The status, when the next attempt is due, and every attempt so far.
fn progress(delivery: &Value) -> String {
    let attempts = delivery["attempts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    // A settled delivery changes no more: `data-live-done` stops the live refresh.
    let (next, settled) = if is_pending(delivery) {
        let next = format!(
            " · next attempt {}",
            json_time(&delivery["next_attempt_at"])
        );
        (next, "")
    } else {
        (String::new(), " data-live-done")
    };
    let summary = format!(
        "<p data-test=\"delivery-summary\"{settled}>{} · <span data-test=\"attempt-count\">{}\
         </span> attempt(s){next}</p>",
        delivery_status(&delivery["status"]),
        attempts.len()
    );
    if attempts.is_empty() {
        return format!("{summary}<p class=\"muted\">Not tried yet.</p>");
    }
    let rows: String = attempts
        .iter()
        .enumerate()
        .map(|(index, attempt)| {
            let result = if attempt["succeeded"] == true {
                "<span class=\"ok\">delivered</span>"
            } else {
                "<span class=\"bad\">failed</span>"
            };
            let excerpt = match attempt["response_excerpt"].as_str() {
                Some(text) if !text.is_empty() => format!("<code>{}</code>", esc(text)),
                _ => "<span class=\"muted\">—</span>".into(),
            };
            format!(
                "<tr data-test=\"attempt-row\"><td class=\"num\">{}</td><td>{}</td><td>{} {result}\
                 </td><td class=\"num\">{}</td><td class=\"excerpt\">{excerpt}</td><td>{}</td></tr>",
                index + 1,
                json_time(&attempt["at"]),
                answer(attempt),
                scalar(&attempt["latency_ms"]),
                match &attempt["retry_at"] {
                    Value::Null => "—".into(),
                    at => json_time(at),
                },
            )
        })
        .collect();
    format!(
        "{summary}<div class=\"scroll\"><table id=\"attempt-table\"><thead><tr>\
         <th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Time (UTC)</th>\
         <th scope=\"col\">Answer</th><th scope=\"col\" class=\"num\">ms</th>\
         <th scope=\"col\">Response excerpt</th><th scope=\"col\">Retry at</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

/// `GET` of the redeliver address (where signing in after a refused post leads): the page.
pub async fn back(PagePath(id): PagePath<String>) -> Response {
    Redirect::to(&href(&id)).into_response()
}

/// Queues the delivery again and goes back to its page, saying so.
pub async fn redeliver(State(console): State<Console>, PagePath(id): PagePath<String>) -> Response {
    let path = format!("/webhooks/deliveries/{}/redeliver", encode(&id));
    match console.api.send(Method::POST, &path, None).await {
        Ok(_) => {
            let notice = format!("Delivery {id} queued again: the worker sends it now.");
            let target = format!("{}{}", href(&id), query(&[("notice", &notice)]));
            Redirect::to(&target).into_response()
        }
        Err(error) => refused(&id, &error),
    }
}
