//! Building HTML by hand, safely: every piece of data goes through [`esc`], markup is
//! written as literals. Small helpers for what many pages show (JSON, copy buttons, times).

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use twin_core::DIALECTS;

use crate::api::{Api, ApiError};

/// Text escaped for an element's content or a quoted attribute.
pub struct Esc<'a>(pub &'a str);

pub fn esc(text: &str) -> Esc<'_> {
    Esc(text)
}

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// A JSON value pretty-printed in a `<pre>`, with a button copying it.
pub fn json_block(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    code_block(&text, "json")
}

/// A text body pretty-printed when it is JSON, as it is otherwise; `—` when absent.
pub fn body_block(body: Option<&str>) -> String {
    match body {
        None | Some("") => "<p class=\"muted\">—</p>".into(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(value) if value.is_object() || value.is_array() => json_block(&value),
            _ => code_block(text, "text"),
        },
    }
}

/// Preformatted text with a copy button.
pub fn code_block(text: &str, class: &str) -> String {
    format!(
        "<div class=\"code\">{}<pre class=\"{}\"><code>{}</code></pre></div>",
        copy_button(text, "Copy"),
        esc(class),
        esc(text)
    )
}

/// A button that puts `text` on the clipboard (the console's script does the copying).
pub fn copy_button(text: &str, label: &str) -> String {
    format!(
        "<button type=\"button\" class=\"copy\" data-copy=\"{}\">{}</button>",
        esc(text),
        esc(label)
    )
}

/// A time as UTC, to the second, in a `<time>` the script may show in local time.
pub fn time(at: &DateTime<Utc>) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        at.to_rfc3339(),
        at.format("%Y-%m-%d %H:%M:%S")
    )
}

/// A time read from JSON (RFC 3339), or the raw text when it does not parse.
pub fn json_time(value: &Value) -> String {
    match (value.as_str(), json_datetime(value)) {
        (Some(_), Some(at)) => time(&at),
        (Some(text), None) => esc(text).to_string(),
        (None, _) => "—".into(),
    }
}

/// A time the admin API gave (an RFC 3339 string), in UTC.
pub fn json_datetime(value: &Value) -> Option<DateTime<Utc>> {
    rfc3339(value.as_str()?)
}

/// A `datetime-local` value (minutes, seconds or fractions) taken as UTC, or RFC 3339.
pub fn datetime_local(text: &str) -> Option<DateTime<Utc>> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|at| at.and_utc())
        .or_else(|| rfc3339(text))
}

fn rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// A JSON scalar as text (strings unquoted, null as `—`).
pub fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(text) => esc(text).to_string(),
        other => esc(&other.to_string()).to_string(),
    }
}

/// A status code with its class as a CSS hook (`s2`, `s4`, ...).
pub fn status_badge(status: u64) -> String {
    format!(
        "<span class=\"status s{}\">{status}</span>",
        (status / 100).min(9)
    )
}

/// A message that something was refused, announced to screen readers.
pub fn alert(message: &str) -> String {
    format!("<p class=\"error\" role=\"alert\">{}</p>", esc(message))
}

/// [`alert`] with a `data-test` hook, for pages whose tests look for their own alert.
pub fn hooked_alert(message: &str, hook: &'static str) -> String {
    format!(
        "<p class=\"error\" role=\"alert\" data-test=\"{hook}\">{}</p>",
        esc(message)
    )
}

/// The dialects as selects name them, in [`DIALECTS`] order.
pub const DIALECT_NAMES: [&str; 4] = ["RetailCRM", "MoySklad", "Produman.Kassa", "SalesDoc"];

/// ` selected` for the `<option>` that is.
pub fn selected(yes: bool) -> &'static str {
    if yes {
        " selected"
    } else {
        ""
    }
}

/// A dialect select's options: `any` (the empty value) first, then the four, `current`
/// selected; a `current` that is no dialect is kept as an option, so a refused value shows.
pub fn dialect_options(current: &str, any: &str) -> String {
    let mut options = format!(
        "<option value=\"\"{}>{}</option>",
        selected(current.is_empty()),
        esc(any)
    );
    for (id, name) in DIALECTS.iter().zip(DIALECT_NAMES) {
        options.push_str(&format!(
            "<option value=\"{id}\"{}>{name}</option>",
            selected(current == *id)
        ));
    }
    if !current.is_empty() && !DIALECTS.contains(&current) {
        options.push_str(&format!("<option selected>{}</option>", esc(current)));
    }
    options
}

/// A form choosing one of `accounts` (from `GET /accounts`) for the page at `action`; the
/// choice travels in the query string as `account`, so a page's address says what it shows.
pub fn account_picker(action: &str, accounts: &[Value], current: Option<&str>) -> String {
    format!(
        "<form method=\"get\" action=\"{}\" class=\"filters\" data-test=\"account-picker\">\
         <label for=\"account\">Account<select id=\"account\" name=\"account\" required>\
         <option value=\"\">Choose an account</option>{}</select></label>\
         <button type=\"submit\">Open</button></form>",
        esc(action),
        account_options(accounts, current)
    )
}

/// The `<option>`s of `accounts`, `current` selected: `id — name` (the id alone when the
/// name adds nothing).
pub fn account_options(accounts: &[Value], current: Option<&str>) -> String {
    let mut options = String::new();
    for account in accounts {
        let id = account["id"].as_str().unwrap_or_default();
        let name = account["name"].as_str().unwrap_or_default();
        let selected = if current == Some(id) { " selected" } else { "" };
        let label = if name.is_empty() || name == id {
            id.to_owned()
        } else {
            format!("{id} — {name}")
        };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(id),
            esc(&label)
        ));
    }
    options
}

/// A select's options for an optional account: `any` (the empty value) first, then
/// [`account_options`]; a `current` that is no listed account is kept as an option, so a
/// refused or unlisted value shows.
pub fn any_account_options(accounts: &[Value], current: &str, any: &str) -> String {
    let mut options = format!(
        "<option value=\"\"{}>{}</option>{}",
        selected(current.is_empty()),
        esc(any),
        account_options(accounts, Some(current))
    );
    let listed = accounts.iter().any(|account| account["id"] == current);
    if !current.is_empty() && !listed {
        options.push_str(&format!("<option selected>{}</option>", esc(current)));
    }
    options
}

/// The most accounts a picker lists.
const PICKER_ACCOUNTS: usize = 1000;

/// The accounts a picker offers (the first [`PICKER_ACCOUNTS`]), and a note to show when
/// there are more than that.
pub async fn picker_accounts(api: &Api) -> Result<(Vec<Value>, String), ApiError> {
    let listing = api
        .get(&format!("/accounts?limit={PICKER_ACCOUNTS}"))
        .await?;
    let items = listing["items"].as_array().cloned().unwrap_or_default();
    let note = if listing["total"].as_u64().unwrap_or_default() > items.len() as u64 {
        format!(
            "<p class=\"muted\">Only the first {PICKER_ACCOUNTS} accounts are listed: \
             put another one's id in the address (<code>?account=ID</code>).</p>"
        )
    } else {
        String::new()
    };
    Ok((items, note))
}

/// [`account_picker`] over the accounts the admin API lists, with the note when it lists
/// only some.
pub async fn pick_account(
    api: &Api,
    action: &str,
    current: Option<&str>,
) -> Result<String, ApiError> {
    let (accounts, note) = picker_accounts(api).await?;
    Ok(format!(
        "{}{note}",
        account_picker(action, &accounts, current)
    ))
}

/// Headers (a JSON object of names to values) as a two-column table with this `id`.
pub fn headers_table(headers: &Value, id: &str) -> String {
    let Some(headers) = headers.as_object().filter(|headers| !headers.is_empty()) else {
        return "<p class=\"muted\">—</p>".into();
    };
    let rows: String = headers
        .iter()
        .map(|(name, value)| {
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                esc(name),
                scalar(value)
            )
        })
        .collect();
    format!(
        "<div class=\"scroll\"><table class=\"headers\" id=\"{}\">\
         <thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Value</th></tr></thead>\
         <tbody>{rows}</tbody></table></div>",
        esc(id)
    )
}

/// Where an offset pager stands: `shown` rows from `offset` of `total`, pages of `limit`.
#[derive(Clone, Copy)]
pub struct Pages {
    pub offset: u64,
    pub limit: u64,
    pub shown: u64,
    pub total: u64,
}

/// "a–b of N" with Previous and Next links; `link(offset)` is the address of the page
/// starting at that offset (escaped here). `id` names the pager for browser flows.
/// Nothing when there is nothing to page through.
pub fn pager(pages: &Pages, id: &str, link: impl Fn(u64) -> String) -> String {
    let Pages {
        offset,
        limit,
        shown,
        total,
    } = *pages;
    if total == 0 {
        return String::new();
    }
    let range = if shown == 0 {
        format!("none of {total}")
    } else {
        format!("{}–{} of {total}", offset + 1, offset + shown)
    };
    let previous = if offset > 0 {
        format!(
            "<a href=\"{}\" rel=\"prev\" data-test=\"previous\">Previous</a>",
            esc(&link(offset.saturating_sub(limit)))
        )
    } else {
        "<span class=\"muted\">Previous</span>".into()
    };
    let next = if offset + shown < total {
        format!(
            "<a href=\"{}\" rel=\"next\" data-test=\"next\">Next</a>",
            esc(&link(offset + shown))
        )
    } else {
        "<span class=\"muted\">Next</span>".into()
    };
    format!(
        "<nav class=\"pager\" aria-label=\"Pages\" id=\"{}\">{previous}\
         <span data-test=\"range\">{range}</span>{next}</nav>",
        esc(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>").to_string(),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("plain").to_string(), "plain");
    }

    #[test]
    fn bodies_pretty_print_json_only() {
        assert!(body_block(Some("{\"a\":1}")).contains("&quot;a&quot;: 1"));
        assert!(body_block(Some("a=1&b=<2>")).contains("a=1&amp;b=&lt;2&gt;"));
        assert!(body_block(None).contains('—'));
    }

    #[test]
    fn pagers_link_to_the_pages_around() {
        let link = |offset: u64| format!("?offset={offset}&a=<b>");
        let middle = Pages {
            offset: 10,
            limit: 10,
            shown: 10,
            total: 25,
        };
        let markup = pager(&middle, "p", link);
        assert!(markup.contains("11–20 of 25"), "{markup}");
        assert!(markup.contains("href=\"?offset=0&amp;a=&lt;b&gt;\" rel=\"prev\""));
        assert!(markup.contains("href=\"?offset=20&amp;a=&lt;b&gt;\" rel=\"next\""));
        let last = Pages {
            offset: 20,
            shown: 5,
            ..middle
        };
        assert!(!pager(&last, "p", link).contains("rel=\"next\""));
        let beyond = Pages {
            offset: 30,
            shown: 0,
            ..middle
        };
        let markup = pager(&beyond, "p", link);
        assert!(markup.contains("none of 25") && markup.contains("?offset=20"));
        let empty = Pages { total: 0, ..beyond };
        assert_eq!(pager(&empty, "p", link), "");
    }
}
