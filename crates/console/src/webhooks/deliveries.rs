//! The deliveries table (newest first, offset pages): each row what was sent where, how it
//! stands and how the receiver last answered, linking to the delivery's page.

use serde_json::Value;

use super::Filters;
use crate::api::encode;
use crate::html::{esc, json_time, pager, scalar, status_badge, Pages};

pub fn section(filters: &Filters, listing: &Value) -> String {
    let items = listing["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let table = if items.is_empty() {
        "<p class=\"muted\" data-test=\"no-deliveries\">No deliveries match.</p>".to_owned()
    } else {
        let rows: String = items.iter().map(row).collect();
        format!(
            "<div class=\"scroll\"><table class=\"deliveries\" id=\"delivery-table\"><thead><tr>\
             <th scope=\"col\">Id</th><th scope=\"col\">Created (UTC)</th>\
             <th scope=\"col\">Account</th><th scope=\"col\">Dialect</th>\
             <th scope=\"col\">Event</th><th scope=\"col\">URL</th><th scope=\"col\">Status</th>\
             <th scope=\"col\" class=\"num\">Attempts</th><th scope=\"col\">Last answer</th>\
             </tr></thead><tbody>{rows}</tbody></table></div>"
        )
    };
    let pages = Pages {
        offset: filters.offset.parse().unwrap_or(0),
        limit: filters.limit.parse().ok().filter(|n| *n > 0).unwrap_or(50),
        shown: items.len() as u64,
        total: listing["total"].as_u64().unwrap_or_default(),
    };
    let pager = pager(&pages, "delivery-pager", |offset| {
        format!("/console/webhooks{}", filters.query(&offset.to_string()))
    });
    format!(
        "<section id=\"deliveries\" aria-labelledby=\"deliveries-title\">\
         <h2 id=\"deliveries-title\">Deliveries</h2>{table}{pager}</section>"
    )
}

fn row(delivery: &Value) -> String {
    let id = scalar(&delivery["id"]);
    let account = delivery["account"].as_str().unwrap_or_default();
    let attempts = delivery["attempts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    format!(
        "<tr data-test=\"delivery-row\" data-id=\"{id}\">\
         <td><a href=\"/console/webhooks/deliveries/{id}\">{id}</a></td><td>{}</td>\
         <td><a href=\"/console/webhooks?account={}\">{}</a></td><td>{}</td><td>{}</td>\
         <td class=\"path\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        json_time(&delivery["created_at"]),
        esc(&encode(account)),
        esc(account),
        scalar(&delivery["dialect"]),
        scalar(&delivery["event"]),
        scalar(&delivery["url"]),
        delivery_status(&delivery["status"]),
        attempts.len(),
        attempts.last().map(answer).unwrap_or_else(|| "—".into()),
    )
}

/// A delivery's status as a badge: pending, delivered or failed.
pub fn delivery_status(status: &Value) -> String {
    let status = status.as_str().unwrap_or_default();
    format!(
        "<span class=\"delivery-status {0}\" data-test=\"delivery-status\">{0}</span>",
        esc(status)
    )
}

/// How the receiver answered an attempt: its status code, or why there was no answer.
pub fn answer(attempt: &Value) -> String {
    match attempt["http_status"].as_u64() {
        Some(code) => status_badge(code),
        None => format!(
            "<span class=\"bad\">{}</span>",
            esc(attempt["error"].as_str().unwrap_or("no answer"))
        ),
    }
}
