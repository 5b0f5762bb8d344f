//! The log's filters: read from the page's query, handed to the admin API as they are
//! (it judges them, and its problem detail is what the page shows), except the times:
//! `datetime-local` inputs carry no zone, so they are read as UTC.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::api::query;
use crate::html::{datetime_local, dialect_options, esc};

/// Every filter as text, empty when not given.
#[derive(Default, Clone)]
pub struct Filters {
    pub dialect: String,
    pub endpoint: String,
    pub status: String,
    pub account: String,
    pub from: String,
    pub to: String,
    pub q: String,
    /// Rows per page (the admin's default when empty).
    pub limit: String,
    /// The admin's cursor: only entries older than this id.
    pub before: String,
}

impl Filters {
    /// From a query string; the last of repeated names wins, unknown names are ignored.
    pub fn parse(raw: Option<&str>) -> Self {
        let mut filters = Self::default();
        for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let slot = match name.as_ref() {
                "dialect" => &mut filters.dialect,
                "endpoint" => &mut filters.endpoint,
                "status" => &mut filters.status,
                "account" => &mut filters.account,
                "from" => &mut filters.from,
                "to" => &mut filters.to,
                "q" => &mut filters.q,
                "limit" => &mut filters.limit,
                "before" => &mut filters.before,
                _ => continue,
            };
            *slot = value.into_owned();
        }
        filters
    }

    /// The query of `GET /admin/api/requests`.
    pub fn admin_query(&self) -> String {
        let (from, to) = (utc(&self.from), utc(&self.to));
        self.query_with(&from, &to, &self.before)
    }

    /// A console query with the same filters (times as entered) and the cursor given.
    pub fn link(&self, before: &str) -> String {
        self.query_with(&self.from, &self.to, before)
    }

    fn query_with(&self, from: &str, to: &str, before: &str) -> String {
        query(&[
            ("dialect", &self.dialect),
            ("endpoint", &self.endpoint),
            ("status", &self.status),
            ("account", &self.account),
            ("from", from),
            ("to", to),
            ("q", &self.q),
            ("limit", &self.limit),
            ("before", before),
        ])
    }

    /// The filters form, filled in with these filters.
    pub fn form(&self) -> String {
        let options = dialect_options(&self.dialect, "All");
        let text = |name: &str, label: &str, value: &str, extra: &str| {
            format!(
                "<label>{label}<input name=\"{name}\" value=\"{}\"{extra}></label>",
                esc(value)
            )
        };
        let time = |name: &str, label: &str, value: &str| {
            text(
                name,
                label,
                &local_input(value),
                " type=\"datetime-local\" step=\"1\"",
            )
        };
        let limit = if self.limit.is_empty() {
            String::new()
        } else {
            format!(
                "<input type=\"hidden\" name=\"limit\" value=\"{}\">",
                esc(&self.limit)
            )
        };
        let fields = [
            text("endpoint", "Endpoint", &self.endpoint, ""),
            text(
                "status",
                "Status",
                &self.status,
                " placeholder=\"404 or 4xx\" size=\"8\"",
            ),
            text("account", "Account", &self.account, ""),
            time("from", "From (UTC)", &self.from),
            time("to", "To (UTC)", &self.to),
            text(
                "q",
                "Text",
                &self.q,
                " type=\"search\" placeholder=\"path, query, bodies\"",
            ),
        ]
        .concat();
        format!(
            "<form method=\"get\" action=\"/console/requests\" class=\"filters panel\" \
             role=\"search\" aria-label=\"Filter requests\" id=\"request-filters\">\
             <label>Dialect<select name=\"dialect\">{options}</select></label>{fields}{limit}\
             <button type=\"submit\">Filter</button>\
             <a class=\"button secondary\" href=\"/console/requests\">Clear</a></form>"
        )
    }
}

/// A time for the admin API: RFC 3339 as it is, a `datetime-local` value as UTC, anything
/// else as it is (for the admin to refuse).
fn utc(value: &str) -> String {
    if DateTime::parse_from_rfc3339(value).is_ok() {
        return value.to_owned();
    }
    datetime_local(value)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        .unwrap_or_else(|| value.to_owned())
}

/// A time as a `datetime-local` input shows it (UTC, no zone).
fn local_input(value: &str) -> String {
    match DateTime::parse_from_rfc3339(value) {
        Ok(at) => at
            .with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        Err(_) => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_local_values_are_read_as_utc() {
        assert_eq!(utc("2024-05-01T10:30"), "2024-05-01T10:30:00Z");
        assert_eq!(utc("2024-05-01T10:30:15"), "2024-05-01T10:30:15Z");
        assert_eq!(
            utc("2024-05-01T10:30:00+03:00"),
            "2024-05-01T10:30:00+03:00"
        );
        assert_eq!(utc("yesterday"), "yesterday");
        assert_eq!(
            local_input("2024-05-01T10:30:00+03:00"),
            "2024-05-01T07:30:00"
        );
    }

    #[test]
    fn the_last_repeated_filter_wins_and_links_keep_them() {
        let filters = Filters::parse(Some("dialect=kassa&dialect=moysklad&q=a+b&notice=x"));
        assert_eq!(filters.dialect, "moysklad");
        assert_eq!(filters.link("7"), "?dialect=moysklad&q=a%20b&before=7");
        let timed = Filters::parse(Some("from=2024-05-01T10%3A30&before=9"));
        assert_eq!(
            timed.admin_query(),
            "?from=2024-05-01T10%3A30%3A00Z&before=9"
        );
    }
}
