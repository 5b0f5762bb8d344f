//! An account's webhook subscriptions, per dialect whose API makes them: where each one
//! sends, on which events, whether it is on. Each links to its stored document.

use serde_json::Value;

use crate::api::encode;
use crate::home::dialect_title;
use crate::html::esc;

/// The section for `account` from `GET /accounts/{id}/webhooks/subscriptions`.
pub fn section(account: &str, listing: &Value) -> String {
    let mut panels = String::new();
    let mut without = Vec::new();
    for entry in listing["dialects"].as_array().into_iter().flatten() {
        let dialect = entry["dialect"].as_str().unwrap_or_default();
        if entry["kinds"].as_array().is_none_or(Vec::is_empty) {
            without.push(dialect_title(dialect));
            continue;
        }
        let items = entry["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let body = if items.is_empty() {
            "<p class=\"muted\">None yet.</p>".to_owned()
        } else {
            table(account, dialect, items)
        };
        panels.push_str(&format!(
            "<section class=\"panel\" id=\"subscriptions-{id}\" \
             aria-labelledby=\"subscriptions-{id}-title\">\
             <h3 id=\"subscriptions-{id}-title\">{}</h3>{body}</section>",
            esc(dialect_title(dialect)),
            id = esc(dialect),
        ));
    }
    let without = if without.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"muted\">{} make no webhook subscriptions through their APIs.</p>",
            esc(&without.join(" and "))
        )
    };
    format!(
        "<section id=\"subscriptions\" aria-labelledby=\"subscriptions-title\">\
         <h2 id=\"subscriptions-title\">Subscriptions of {}</h2>{panels}{without}</section>",
        esc(account)
    )
}

fn table(account: &str, dialect: &str, items: &[Value]) -> String {
    let rows: String =
        items
            .iter()
            .map(|doc| {
                let text = |name: &str| doc[name].as_str().unwrap_or_default();
                let body = &doc["body"];
                let href = format!(
                    "/console/data/{}/{}/{}/{}",
                    encode(account),
                    encode(dialect),
                    encode(text("kind")),
                    encode(text("id"))
                );
                format!(
                "<tr data-test=\"subscription-row\" data-id=\"{}\"><td><a href=\"{}\">{}</a></td>\
                 <td>{}</td><td class=\"path\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(text("id")),
                esc(&href),
                esc(text("id")),
                esc(text("kind")),
                esc(body["url"].as_str().or(body["_url"].as_str()).unwrap_or("—")),
                esc(&events(body)),
                active(body),
            )
            })
            .collect();
    format!(
        "<div class=\"scroll\"><table class=\"subscriptions\"><thead><tr>\
         <th scope=\"col\">Id</th><th scope=\"col\">Kind</th><th scope=\"col\">URL</th>\
         <th scope=\"col\">Events</th><th scope=\"col\">Active</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

/// What a subscription listens to: Kassa's list of events, or MoySklad's action and
/// entity type (a stock subscription's report and stock types).
fn events(body: &Value) -> String {
    if let Some(events) = body["events"].as_array() {
        let names: Vec<&str> = events.iter().filter_map(Value::as_str).collect();
        return names.join(", ");
    }
    let parts: Vec<&str> = [
        "action",
        "entityType",
        "diffType",
        "reportType",
        "stockType",
    ]
    .iter()
    .filter_map(|name| body[*name].as_str())
    .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" ")
    }
}

/// MoySklad's `enabled` or Kassa's `status`.
fn active(body: &Value) -> String {
    match (&body["enabled"], body["status"].as_str()) {
        (Value::Bool(true), _) => "<span class=\"ok\">yes</span>".into(),
        (Value::Bool(false), _) => "<span class=\"bad\">no</span>".into(),
        (_, Some(status)) => esc(status).to_string(),
        _ => "—".into(),
    }
}
