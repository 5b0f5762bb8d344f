//! The form adding a fault rule: its fields as the browser sends them, turned into the
//! admin API's rule. Numbers go as typed, so the admin judges every field and its problem
//! detail is what the page shows; a refused form is drawn again with what was typed.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::api::number_or_text;
use crate::html::{any_account_options, dialect_options, esc, selected};

/// The actions a rule takes, as the select names them; the first is preselected.
const ACTIONS: [(&str, &str); 5] = [
    ("rate_limit", "429, the vendor's rate limit"),
    ("error", "Server error (5xx)"),
    ("latency", "Latency"),
    ("timeout", "Timeout"),
    ("drop", "Drop the connection"),
];

/// The statuses an `error` rule may answer with (the admin refuses others).
const ERROR_STATUSES: [&str; 4] = ["500", "502", "503", "504"];

/// Every field as text, empty when not given.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct RuleForm {
    pub dialect: String,
    pub endpoint: String,
    pub account: String,
    pub probability: String,
    pub count: String,
    pub action: String,
    pub latency_ms: String,
    pub retry_after_ms: String,
    pub status: String,
    pub timeout_ms: String,
}

impl RuleForm {
    /// The rule for `POST /admin/api/faults`: empty fields left out (the admin's
    /// defaults), the action with the one parameter that belongs to it.
    pub fn rule(&self) -> Value {
        let mut rule = Map::new();
        for (name, value) in [
            ("dialect", &self.dialect),
            ("endpoint", &self.endpoint),
            ("account", &self.account),
        ] {
            if !value.trim().is_empty() {
                rule.insert(name.into(), json!(value.trim()));
            }
        }
        for (name, value) in [("probability", &self.probability), ("count", &self.count)] {
            if let Some(number) = number_or_text(value) {
                rule.insert(name.into(), number);
            }
        }
        let mut action = Map::new();
        action.insert("type".into(), json!(self.action.trim()));
        let parameter = match self.action.trim() {
            "latency" => Some(("ms", &self.latency_ms)),
            "rate_limit" => Some(("retryAfterMs", &self.retry_after_ms)),
            "error" => Some(("status", &self.status)),
            "timeout" => Some(("ms", &self.timeout_ms)),
            _ => None,
        };
        if let Some((name, value)) = parameter {
            if let Some(number) = number_or_text(value) {
                action.insert(name.into(), number);
            }
        }
        rule.insert("action".into(), Value::Object(action));
        Value::Object(rule)
    }

    /// The form, filled in with these fields; `accounts` are the ids to choose from,
    /// `endpoints` the (dialect, endpoint label) pairs offered while typing.
    pub fn render(&self, accounts: &[Value], endpoints: &[(String, String)]) -> String {
        let account_options = any_account_options(accounts, &self.account, "Any");
        let labels: String = endpoints
            .iter()
            .map(|(dialect, endpoint)| {
                format!(
                    "<option value=\"{}\">{}</option>",
                    esc(endpoint),
                    esc(dialect)
                )
            })
            .collect();
        let chosen = if self.action.is_empty() {
            ACTIONS[0].0
        } else {
            self.action.as_str()
        };
        let actions: String = ACTIONS
            .iter()
            .map(|(id, label)| {
                format!(
                    "<option value=\"{id}\"{}>{label}</option>",
                    selected(chosen == *id)
                )
            })
            .collect();
        let statuses: String = ERROR_STATUSES
            .iter()
            .map(|status| {
                format!(
                    "<option{}>{status}</option>",
                    selected(self.status == *status)
                )
            })
            .collect();
        let number = |name: &str, label: &str, value: &str, extra: &str| {
            format!(
                "<label>{label}<input name=\"{name}\" type=\"number\" inputmode=\"decimal\" \
                 value=\"{}\"{extra}></label>",
                esc(value)
            )
        };
        // Each action's parameter is labelled with its action; the script shows only the
        // chosen action's (`data-action`), without it all are there and the others unused.
        let parameter = |action: &str, field: String| {
            format!("<div class=\"parameter\" data-action=\"{action}\">{field}</div>")
        };
        format!(
            "<form method=\"post\" action=\"/console/faults\" class=\"filters\" id=\"fault-form\">\
             <label>Dialect<select name=\"dialect\">{}</select></label>\
             <label>Endpoint<input name=\"endpoint\" list=\"endpoint-labels\" value=\"{}\" \
             placeholder=\"any\" autocomplete=\"off\"></label>\
             <datalist id=\"endpoint-labels\">{labels}</datalist>\
             <label>Account<select name=\"account\">{account_options}</select></label>\
             {}{}\
             <label>Action<select name=\"action\" data-action-select>{actions}</select></label>\
             {}{}{}{}\
             <button type=\"submit\">Add rule</button></form>",
            dialect_options(&self.dialect, "Any"),
            esc(&self.endpoint),
            number(
                "probability",
                "Probability",
                &self.probability,
                " step=\"any\" min=\"0\" max=\"1\" placeholder=\"1\" size=\"6\""
            ),
            number(
                "count",
                "Count",
                &self.count,
                " step=\"1\" min=\"1\" placeholder=\"no limit\" size=\"8\""
            ),
            parameter(
                "latency",
                number(
                    "latency_ms",
                    "Latency ms",
                    &self.latency_ms,
                    " step=\"1\" min=\"1\" placeholder=\"1000\""
                )
            ),
            parameter(
                "rate_limit",
                number(
                    "retry_after_ms",
                    "429: retry after ms",
                    &self.retry_after_ms,
                    " step=\"1\" min=\"1\" placeholder=\"vendor's window\""
                )
            ),
            parameter(
                "error",
                format!("<label>Error status<select name=\"status\">{statuses}</select></label>")
            ),
            parameter(
                "timeout",
                number(
                    "timeout_ms",
                    "Timeout ms",
                    &self.timeout_ms,
                    " step=\"1\" min=\"1\" placeholder=\"30000\""
                )
            ),
        )
    }
}

/// How a rule's action reads in the table: `429 (retry after 1500 ms)`, `latency 200 ms`.
pub fn describe_action(action: &Value) -> String {
    let ms = |name: &str| action[name].as_u64().map(|ms| format!("{ms} ms"));
    match action["type"].as_str().unwrap_or_default() {
        "rate_limit" => match ms("retryAfterMs") {
            Some(wait) => format!("429, retry after {wait}"),
            None => "429, the vendor's wait".into(),
        },
        "error" => format!("error {}", action["status"]),
        "latency" => format!("latency {}", ms("ms").unwrap_or_default()),
        "timeout" => match ms("ms") {
            Some(after) => format!("timeout after {after}"),
            None => "timeout (request timeout)".into(),
        },
        "drop" => "drop the connection".into(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str) -> RuleForm {
        RuleForm {
            action: action.into(),
            latency_ms: "250".into(),
            retry_after_ms: "1500".into(),
            status: "503".into(),
            timeout_ms: String::new(),
            ..RuleForm::default()
        }
    }

    #[test]
    fn empty_fields_are_left_to_the_admins_defaults() {
        let rule = RuleForm {
            dialect: "moysklad".into(),
            endpoint: " entity.list ".into(),
            probability: "0.5".into(),
            ..form("rate_limit")
        }
        .rule();
        assert_eq!(
            rule,
            json!({
                "dialect": "moysklad", "endpoint": "entity.list", "probability": 0.5,
                "action": { "type": "rate_limit", "retryAfterMs": 1500 }
            })
        );
    }

    #[test]
    fn each_action_takes_only_its_own_parameter() {
        assert_eq!(
            form("latency").rule()["action"],
            json!({ "type": "latency", "ms": 250 })
        );
        assert_eq!(
            form("error").rule()["action"],
            json!({ "type": "error", "status": 503 })
        );
        assert_eq!(
            form("timeout").rule()["action"],
            json!({ "type": "timeout" })
        );
        assert_eq!(form("drop").rule()["action"], json!({ "type": "drop" }));
    }

    #[test]
    fn what_is_no_number_goes_as_typed_for_the_admin_to_refuse() {
        let rule = RuleForm {
            count: "many".into(),
            ..form("latency")
        }
        .rule();
        assert_eq!(rule["count"], "many");
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed_escaped() {
        let html = RuleForm {
            endpoint: "<b>".into(),
            account: "gone".into(),
            ..form("error")
        }
        .render(&[json!({ "id": "demo", "name": "demo" })], &[]);
        assert!(html.contains("value=\"&lt;b&gt;\""));
        assert!(html.contains("<option selected>gone</option>"));
        assert!(html.contains("<option value=\"error\" selected>"));
        assert!(html.contains("<option selected>503</option>"));
    }

    #[test]
    fn actions_read_as_what_the_client_gets() {
        assert_eq!(
            describe_action(&json!({ "type": "rate_limit" })),
            "429, the vendor's wait"
        );
        assert_eq!(
            describe_action(&json!({ "type": "timeout", "ms": 500 })),
            "timeout after 500 ms"
        );
        assert_eq!(
            describe_action(&json!({ "type": "error", "status": 502 })),
            "error 502"
        );
    }
}
