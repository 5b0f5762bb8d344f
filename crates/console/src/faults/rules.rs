//! The rules table: what each rule matches, what it does, how often it fired, and a
//! Delete button. It is also the live region's fragment, so the fired counts move while
//! a client runs.

use serde_json::Value;

use super::form::describe_action;
use crate::api::encode;
use crate::html::{esc, json_time, scalar};

/// The table of `GET /admin/api/faults`' items (newest first), or a line saying none.
pub fn table(listing: &Value) -> String {
    let items = listing["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if items.is_empty() {
        return "<p class=\"muted\" data-test=\"no-rules\">No fault rules: every request is \
                answered as usual.</p>"
            .into();
    }
    let rows: String = items.iter().map(row).collect();
    format!(
        "<div class=\"scroll\"><table class=\"faults\" id=\"fault-table\">\
         <caption class=\"muted\">Newest first; the newest matching rule is tried first.</caption>\
         <thead><tr><th scope=\"col\">Dialect</th><th scope=\"col\">Endpoint</th>\
         <th scope=\"col\">Account</th><th scope=\"col\" class=\"num\">Probability</th>\
         <th scope=\"col\" class=\"num\">Count</th><th scope=\"col\">Action</th>\
         <th scope=\"col\" class=\"num\">Fired</th><th scope=\"col\">Created (UTC)</th>\
         <th scope=\"col\"><span class=\"sr-only\">Delete</span></th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

fn row(rule: &Value) -> String {
    let id = rule["id"].as_str().unwrap_or_default();
    let any = |name: &str| match rule[name].as_str() {
        Some(value) => format!("<code>{}</code>", esc(value)),
        None => "<span class=\"muted\">any</span>".into(),
    };
    let fired = rule["fired"].as_u64().unwrap_or_default();
    let (count, spent) = match rule["count"].as_u64() {
        Some(count) => (count.to_string(), fired >= count),
        None => ("<span class=\"muted\">no limit</span>".into(), false),
    };
    let spent = if spent {
        " <span class=\"muted\">spent</span>"
    } else {
        ""
    };
    let action = describe_action(&rule["action"]);
    format!(
        "<tr data-test=\"fault-rule\" data-id=\"{id_text}\" data-fired=\"{fired}\">\
         <td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{count}</td>\
         <td>{action_text}</td><td class=\"num\" data-test=\"fired\">{fired}{spent}</td><td>{}</td>\
         <td><form method=\"post\" action=\"/console/faults/{id_link}/delete\">\
         <button type=\"submit\" class=\"secondary\" aria-label=\"Delete the rule {action_text}\">\
         Delete</button></form></td></tr>",
        any("dialect"),
        any("endpoint"),
        any("account"),
        scalar(&rule["probability"]),
        json_time(&rule["createdAt"]),
        id_text = esc(id),
        id_link = esc(&encode(id)),
        action_text = esc(&action),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rows_show_any_for_what_a_rule_leaves_open_and_spent_rules() {
        let html = table(&json!({ "items": [{
            "id": "r1", "dialect": "kassa", "endpoint": null, "account": "<a>",
            "probability": 1.0, "count": 2, "fired": 2,
            "action": { "type": "drop" }, "createdAt": "2024-05-01T10:00:00Z"
        }] }));
        assert!(html.contains("<code>kassa</code>"));
        assert!(html.contains("<span class=\"muted\">any</span>"));
        assert!(html.contains("<code>&lt;a&gt;</code>"));
        assert!(html.contains("data-fired=\"2\""));
        assert!(html.contains("2 <span class=\"muted\">spent</span>"));
        assert!(html.contains("action=\"/console/faults/r1/delete\""));
        assert!(table(&json!({ "items": [] })).contains("no-rules"));
    }
}
