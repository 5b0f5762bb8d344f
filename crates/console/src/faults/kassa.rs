//! Kassa's device faults: an account's cash registers with their simulated device's state
//! (`GET /admin/api/accounts/{id}/kassa/cashboxes`) and buttons putting one offline or its
//! fiscal drive full, and back (`PUT .../kassa/cashboxes/{cashbox}/device`).

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{render, Refused, View};
use crate::api::{encode, fields, query};
use crate::html::{account_options, alert, esc};
use crate::{ApiError, Console};

/// The section for `account` (none: no account to pick); `cashboxes` is its listing or
/// what the admin answered instead.
pub fn section(
    accounts: &[Value],
    account: Option<&str>,
    cashboxes: Option<Result<Value, ApiError>>,
    refused: Option<&ApiError>,
) -> String {
    let options = account_options(accounts, account);
    let picker = format!(
        "<form method=\"get\" action=\"/console/faults#kassa-devices\" class=\"filters\" \
         id=\"kassa-account\"><label>Account<select name=\"kassa\">{options}</select></label>\
         <button type=\"submit\" class=\"secondary\">Show cash registers</button></form>"
    );
    let refused = refused
        .map(|error| alert(error.reason()))
        .unwrap_or_default();
    let listing = match (account, cashboxes) {
        (Some(account), Some(Ok(listing))) => table(account, &listing),
        (_, Some(Err(error))) => alert(error.reason()),
        _ => "<p class=\"muted\">No accounts yet.</p>".into(),
    };
    format!(
        "<section aria-labelledby=\"kassa-title\" id=\"kassa-devices\" class=\"panel\">\
         <h2 id=\"kassa-title\">Kassa devices</h2>\
         <p class=\"muted\">A cash register's simulated device. Offline, every operation on \
         it fails (<code>FAIL</code>, an <code>OPERATION_FAILED</code> webhook) until it is \
         back; with its fiscal drive full, receipts fail.</p>{picker}{refused}{listing}</section>"
    )
}

fn table(account: &str, listing: &Value) -> String {
    let items = listing["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if items.is_empty() {
        return format!(
            "<p class=\"muted\" data-test=\"no-cashboxes\">{} has no cash registers yet: its \
             first Kassa request makes three (or add one with <code>POST \
             /admin/api/accounts/{{id}}/kassa/cashboxes</code>).</p>",
            esc(account)
        );
    }
    let rows: String = items.iter().map(|cashbox| row(account, cashbox)).collect();
    format!(
        "<div class=\"scroll\"><table class=\"cashboxes\" id=\"kassa-table\">\
         <thead><tr><th scope=\"col\">Cash register</th><th scope=\"col\">Serial number</th>\
         <th scope=\"col\">Status</th><th scope=\"col\">Device</th>\
         <th scope=\"col\">Fiscal drive</th><th scope=\"col\">Change</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>"
    )
}

fn row(account: &str, cashbox: &Value) -> String {
    let id = cashbox["id"].as_str().unwrap_or_default();
    let name = cashbox["name"].as_str().unwrap_or(id);
    let offline = cashbox["device"]["offline"].as_bool().unwrap_or(false);
    let full = cashbox["device"]["fnFull"].as_bool().unwrap_or(false);
    let state = |bad: bool, good_text: &str, bad_text: &str| {
        if bad {
            format!("<span class=\"bad\">{bad_text}</span>")
        } else {
            format!("<span class=\"ok\">{good_text}</span>")
        }
    };
    // One form, two buttons: the button pressed sends its own name and value.
    let toggle = |field: &str, now: bool, label: &str| {
        format!(
            "<button type=\"submit\" name=\"{field}\" value=\"{}\" class=\"secondary\" \
             data-test=\"{field}\" aria-label=\"{label}: {}\">{label}</button>",
            !now,
            esc(name)
        )
    };
    format!(
        "<tr data-test=\"cashbox\" data-id=\"{id_text}\" data-offline=\"{offline}\" \
         data-fn-full=\"{full}\"><th scope=\"row\">{name_text}</th><td>{}</td><td>{}</td>\
         <td>{}</td><td>{}</td><td><form method=\"post\" action=\"/console/faults/kassa\" \
         class=\"buttons\"><input type=\"hidden\" name=\"account\" value=\"{}\">\
         <input type=\"hidden\" name=\"cashbox\" value=\"{id_text}\">\
         <input type=\"hidden\" name=\"name\" value=\"{name_text}\">{}{}</form></td></tr>",
        esc(cashbox["serialNumber"].as_str().unwrap_or_default()),
        esc(cashbox["status"].as_str().unwrap_or_default()),
        state(offline, "online", "offline"),
        state(full, "has room", "full"),
        esc(account),
        toggle(
            "offline",
            offline,
            if offline {
                "Bring online"
            } else {
                "Put offline"
            }
        ),
        toggle(
            "fnFull",
            full,
            if full {
                "Free the fiscal drive"
            } else {
                "Fill the fiscal drive"
            }
        ),
        id_text = esc(id),
        name_text = esc(name),
    )
}

/// A toggle as the browser sends it: the pressed button's field is `"true"` or `"false"`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Toggle {
    account: String,
    cashbox: String,
    /// The register's name, for the notice.
    name: String,
    offline: Option<String>,
    #[serde(rename = "fnFull")]
    fn_full: Option<String>,
}

/// `POST /console/faults/kassa`: sets the device and goes back to the account's cash
/// registers, or shows the page with the admin's refusal.
pub async fn set(
    State(console): State<Console>,
    toggle: Result<Form<Toggle>, FormRejection>,
) -> Response {
    let toggle = match fields(toggle) {
        Ok(toggle) => toggle,
        Err(error) => {
            let refused = Some(Refused::Kassa(error));
            return render(&console, &View::default(), &Default::default(), refused).await;
        }
    };
    let mut device = Map::new();
    for (name, value) in [("offline", &toggle.offline), ("fnFull", &toggle.fn_full)] {
        if let Some(value) = value {
            // Anything but the two words goes as text, for the admin to refuse.
            let flag = match value.as_str() {
                "true" => json!(true),
                "false" => json!(false),
                other => json!(other),
            };
            device.insert(name.into(), flag);
        }
    }
    let path = format!(
        "/accounts/{}/kassa/cashboxes/{}/device",
        encode(&toggle.account),
        encode(&toggle.cashbox)
    );
    let view = View {
        kassa: Some(toggle.account.clone()),
        ..View::default()
    };
    match console
        .api
        .send(Method::PUT, &path, Some(&Value::Object(device)))
        .await
    {
        Ok(now) => {
            let say = |flag: &str, yes: &str, no: &str| {
                if now[flag] == true {
                    yes.to_owned()
                } else {
                    no.to_owned()
                }
            };
            let name = if toggle.name.is_empty() {
                &toggle.cashbox
            } else {
                &toggle.name
            };
            let notice = format!(
                "{name}: {}, fiscal drive {}.",
                say("offline", "offline", "online"),
                say("fnFull", "full", "with room")
            );
            let target = query(&[("kassa", &toggle.account), ("notice", &notice)]);
            Redirect::to(&format!("/console/faults{target}#kassa-devices")).into_response()
        }
        Err(error) => {
            render(
                &console,
                &view,
                &Default::default(),
                Some(Refused::Kassa(error)),
            )
            .await
        }
    }
}
