//! The account's clock: its time and setting, and forms to freeze, set, advance and release
//! it (`GET`/`POST /accounts/{id}/clock`). Times on the page are UTC, as the admin API's.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{done, fields, refusal, refused};
use crate::api::{encode, ApiError};
use crate::html::{datetime_local, esc, json_datetime, json_time};
use crate::layout::PagePath;
use crate::Console;

/// The quick moves offered next to the free-form advance.
const QUICK: [(i64, &str, &str); 2] = [(3600, "+1 h", "hour"), (86_400, "+1 day", "day")];

pub fn section(id: &str, clock: &Value) -> String {
    let action = format!("/console/accounts/{}/clock", esc(&encode(id)));
    let now = json_datetime(&clock["now"]);
    let now_input = now
        .map(|at| at.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default();
    let mut quick = String::new();
    for (seconds, label, hook) in QUICK {
        quick.push_str(&format!(
            "<form method=\"post\" action=\"{action}\" data-test=\"clock-advance-{hook}\">\
             <input type=\"hidden\" name=\"action\" value=\"advance\">\
             <input type=\"hidden\" name=\"seconds\" value=\"{seconds}\">\
             <button type=\"submit\" class=\"secondary\">{label}</button></form>"
        ));
    }
    format!(
        "<section class=\"panel\" id=\"clock\" aria-labelledby=\"clock-title\">\
         <h2 id=\"clock-title\">Clock</h2>\
         <dl class=\"facts\"><dt>Account time</dt><dd data-test=\"clock-now\">{now}</dd>\
         <dt>Setting</dt><dd data-test=\"clock-setting\">{setting}</dd></dl>\
         <p class=\"muted\">What this account's APIs take for now (creation times, dates of \
         documents, webhook times); other accounts keep theirs. Times are UTC.</p>\
         <form method=\"post\" action=\"{action}\" class=\"filters\" data-test=\"clock-freeze\">\
         <input type=\"hidden\" name=\"action\" value=\"freeze\">\
         <label for=\"clock-freeze-at\">Freeze at, UTC (empty: now)<input id=\"clock-freeze-at\" \
         name=\"at\" type=\"datetime-local\" step=\"1\"></label>\
         <button type=\"submit\">Freeze</button></form>\
         <form method=\"post\" action=\"{action}\" class=\"filters\" data-test=\"clock-set\">\
         <input type=\"hidden\" name=\"action\" value=\"set\">\
         <label for=\"clock-set-at\">Set to, UTC<input id=\"clock-set-at\" name=\"at\" \
         type=\"datetime-local\" step=\"1\" value=\"{now_input}\" required></label>\
         <button type=\"submit\">Set</button></form>\
         <form method=\"post\" action=\"{action}\" class=\"filters\" data-test=\"clock-advance\">\
         <input type=\"hidden\" name=\"action\" value=\"advance\">\
         <label for=\"clock-advance-seconds\">Advance by seconds (negative: back)\
         <input id=\"clock-advance-seconds\" name=\"seconds\" type=\"number\" step=\"1\" \
         required></label><button type=\"submit\">Advance</button></form>\
         <div class=\"quick\">{quick}\
         <form method=\"post\" action=\"{action}\" data-test=\"clock-release\">\
         <input type=\"hidden\" name=\"action\" value=\"release\">\
         <button type=\"submit\" class=\"secondary\">Release (real time)</button></form>\
         </div></section>",
        now = json_time(&clock["now"]),
        setting = setting(&clock["setting"]),
    )
}

fn setting(setting: &Value) -> String {
    match setting["mode"].as_str() {
        Some("frozen") => format!("Frozen at {}", json_time(&setting["at"])),
        Some("shifted") => {
            let offset_ms = setting["offset_ms"].as_i64().unwrap_or_default();
            let seconds = (offset_ms as f64 / 1000.0).round() as i64;
            let way = if seconds < 0 { "behind" } else { "ahead of" };
            format!("Running, {} {way} real time", span(seconds))
        }
        Some("real") => "Real time".into(),
        _ => esc(&setting.to_string()).to_string(),
    }
}

#[derive(Deserialize)]
pub struct ClockForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    seconds: String,
}

pub async fn steer(
    State(console): State<Console>,
    PagePath(id): PagePath<String>,
    form: Result<Form<ClockForm>, FormRejection>,
) -> Response {
    let command = match fields(form).and_then(|form| command(&form)) {
        Ok(command) => command,
        Err(failure) => return refused(&console, &id, failure).await,
    };
    let path = format!("/accounts/{}/clock", encode(&id));
    match console.api.send(Method::POST, &path, Some(&command)).await {
        Ok(clock) => done(&id, &notice(&command, &clock)),
        Err(error) => refused(&console, &id, error).await,
    }
}

/// The admin command a form asks for; times are read as UTC.
fn command(form: &ClockForm) -> Result<Value, ApiError> {
    let bad = |detail: String| refusal(StatusCode::BAD_REQUEST, detail);
    match form.action.as_str() {
        "freeze" if form.at.trim().is_empty() => Ok(json!({ "action": "freeze" })),
        "freeze" | "set" => {
            let at = utc(&form.at).ok_or_else(|| {
                bad(format!(
                    "{:?} is not a date and time: give one like 2025-01-31T09:30:00 (UTC)",
                    form.at
                ))
            })?;
            Ok(
                json!({ "action": form.action, "at": at.to_rfc3339_opts(SecondsFormat::AutoSi, true) }),
            )
        }
        "advance" => {
            let seconds: i64 = form.seconds.trim().parse().map_err(|_| {
                bad(format!(
                    "{:?} is not a whole number of seconds",
                    form.seconds
                ))
            })?;
            Ok(json!({ "action": "advance", "seconds": seconds }))
        }
        "release" => Ok(json!({ "action": "release" })),
        other => Err(bad(format!(
            "{other:?} is not a clock action: freeze, set, advance or release"
        ))),
    }
}

/// The form's time: a `datetime-local` value taken as UTC, or RFC 3339, spaces aside.
fn utc(text: &str) -> Option<DateTime<Utc>> {
    datetime_local(text.trim())
}

/// What a command did, in words, with the time the account has now.
fn notice(command: &Value, clock: &Value) -> String {
    let now = json_datetime(&clock["now"])
        .map(|at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_default();
    match command["action"].as_str() {
        Some("freeze") => format!("Clock frozen at {now}."),
        Some("set") => format!("Clock set to {now}."),
        Some("advance") => {
            let seconds = command["seconds"].as_i64().unwrap_or_default();
            let way = if seconds < 0 { "back" } else { "forward" };
            format!("Clock moved {} {way}: now {now}.", span(seconds))
        }
        _ => format!("Clock released: real time again ({now})."),
    }
}

/// A length of time as people say it: `1 d 2 h 5 s` (the sign left out).
fn span(seconds: i64) -> String {
    let total = seconds.unsigned_abs();
    let parts: Vec<String> = [(86_400, "d"), (3600, "h"), (60, "min"), (1, "s")]
        .iter()
        .scan(total, |rest, &(unit, name)| {
            let count = *rest / unit;
            *rest %= unit;
            Some((count > 0).then(|| format!("{count} {name}")))
        })
        .flatten()
        .collect();
    if parts.is_empty() {
        "0 s".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(0), "0 s");
        assert_eq!(span(3600), "1 h");
        assert_eq!(span(-90_061), "1 d 1 h 1 min 1 s");
        assert_eq!(span(i64::MIN).split(' ').next(), Some("106751991167300"));
    }

    #[test]
    fn datetime_local_values_are_utc() {
        let at = |text| utc(text).map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        assert_eq!(
            at("2025-01-31T09:30").as_deref(),
            Some("2025-01-31T09:30:00Z")
        );
        assert_eq!(
            at("2025-01-31T09:30:05").as_deref(),
            Some("2025-01-31T09:30:05Z")
        );
        assert_eq!(
            at("2025-01-31T09:30:05.250").as_deref(),
            Some("2025-01-31T09:30:05.250Z")
        );
        assert_eq!(
            at("2025-01-31T12:30:05+03:00").as_deref(),
            Some("2025-01-31T09:30:05Z")
        );
        assert_eq!(at("yesterday"), None);
        assert_eq!(at(""), None);
    }
}
