//! Building HTML by hand, safely: every piece of data goes through [`esc`], markup is
//! written as literals. Small helpers for what many pages show (JSON, copy buttons, times).

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::Value;

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
    match value.as_str() {
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(at) => time(&at.with_timezone(&Utc)),
            Err(_) => esc(text).to_string(),
        },
        None => "—".into(),
    }
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
}
