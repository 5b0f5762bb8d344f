//! Requests per minute: the stats' `perMinute` added up per dialect into bars (a minute
//! each up to two hours, more in longer windows), one chart per dialect stacked by status
//! class, and its table.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::Value;
use twin_core::DIALECTS;

use super::svg::{bar_chart, Chart, Group, Segment};
use super::{dialect_name, legend};
use crate::html::{esc, json_datetime};

/// The status classes, in stacking order (bottom first).
pub const CLASSES: [&str; 4] = ["2xx", "3xx", "4xx", "5xx"];

/// The most bars a time chart draws; longer windows add minutes up per bar.
const MAX_BARS: i64 = 120;

/// Minutes per bar for a window: 1 up to two hours, then the first of 2, 5, 10, 15, 30
/// and 60 that keeps the bars at [`MAX_BARS`] or fewer.
pub fn bucket_minutes(window_minutes: i64) -> i64 {
    [1, 2, 5, 10, 15, 30, 60]
        .into_iter()
        .find(|size| (window_minutes + size - 1) / size <= MAX_BARS)
        .unwrap_or(60)
}

/// A dialect's counts per bar start and status class.
type Buckets = BTreeMap<DateTime<Utc>, [u64; 4]>;

/// `perMinute` added up per dialect into bars of `size` minutes.
fn buckets(stats: &Value, size: i64) -> BTreeMap<String, Buckets> {
    let mut by_dialect: BTreeMap<String, Buckets> = BTreeMap::new();
    for row in stats["perMinute"].as_array().into_iter().flatten() {
        let (Some(minute), Some(dialect)) =
            (json_datetime(&row["minute"]), row["dialect"].as_str())
        else {
            continue;
        };
        let Some(class) = CLASSES.iter().position(|c| row["statusClass"] == *c) else {
            continue;
        };
        let Ok(start) = minute.duration_trunc(Duration::minutes(size)) else {
            continue;
        };
        by_dialect
            .entry(dialect.to_owned())
            .or_default()
            .entry(start)
            .or_default()[class] += row["count"].as_u64().unwrap_or_default();
    }
    by_dialect
}

pub fn section(stats: &Value, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let window = (to - from).num_minutes().max(1);
    let size = bucket_minutes(window);
    let per = if size == 1 {
        "minute".to_owned()
    } else {
        format!("{size} minutes")
    };
    let by_dialect = buckets(stats, size);
    let intro = format!(
        "<section aria-labelledby=\"requests-title\" id=\"requests-chart\">\
         <h2 id=\"requests-title\">Requests per {per}</h2>{}",
        legend("status", &CLASSES)
    );
    if by_dialect.is_empty() {
        return format!(
            "{intro}<p class=\"muted\" data-test=\"no-requests\">No requests in this window.</p>\
             </section>"
        );
    }
    let Ok(first) = from.duration_trunc(Duration::minutes(size)) else {
        return String::new();
    };
    let starts: Vec<DateTime<Utc>> = (0..)
        .map(|i| first + Duration::minutes(i * size))
        .take_while(|start| *start <= to)
        .collect();
    let mut ordered: Vec<&String> = by_dialect.keys().collect();
    ordered.sort_by_key(|d| DIALECTS.iter().position(|known| known == d).unwrap_or(9));
    let mut out = format!("{intro}<div class=\"grid charts\">");
    for dialect in ordered {
        let counts = &by_dialect[dialect];
        let name = dialect_name(dialect);
        let groups = starts
            .iter()
            .map(|start| {
                let row = counts.get(start).copied().unwrap_or_default();
                let label = start.format("%H:%M").to_string();
                let segments = CLASSES
                    .iter()
                    .zip(row)
                    .map(|(class, count)| Segment {
                        value: count as f64,
                        class: format!("c{class}"),
                        label: format!("{label}: {count} × {class}"),
                    })
                    .collect();
                Group {
                    label,
                    bars: vec![segments],
                }
            })
            .collect::<Vec<_>>();
        let total: u64 = counts.values().flatten().sum();
        let title = format!("{name}: requests per {per}");
        let description = format!(
            "{total} requests in the window, stacked by status class; the table below has the counts."
        );
        let id = format!("requests-{dialect}");
        let chart = bar_chart(&Chart {
            id: &id,
            title: &title,
            description: &description,
            x_label: "time (UTC)",
            y_label: "requests",
            label_every: (groups.len() / 6).max(1),
            groups,
        });
        out.push_str(&format!(
            "<figure class=\"panel\" data-test=\"requests-chart\" data-dialect=\"{}\">\
             <figcaption><h3>{}</h3></figcaption>{chart}{}</figure>",
            esc(dialect),
            esc(name),
            requests_table(dialect, counts, &per)
        ));
    }
    out.push_str("</div></section>");
    out
}

/// The bars with requests, as rows: start, each class, total.
fn requests_table(dialect: &str, counts: &Buckets, per: &str) -> String {
    let rows: String = counts
        .iter()
        .map(|(start, row)| {
            let cells: String = row
                .iter()
                .map(|count| format!("<td class=\"num\">{count}</td>"))
                .collect();
            format!(
                "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th>{cells}\
                 <td class=\"num\">{}</td></tr>",
                start.to_rfc3339(),
                start.format("%H:%M"),
                row.iter().sum::<u64>()
            )
        })
        .collect();
    let heads: String = CLASSES
        .iter()
        .map(|class| format!("<th scope=\"col\" class=\"num\">{class}</th>"))
        .collect();
    format!(
        "<details><summary>Numbers</summary><div class=\"scroll\">\
         <table class=\"figures\" data-test=\"requests-table\" data-dialect=\"{}\">\
         <caption class=\"muted\">Requests per {} starting at (UTC)</caption>\
         <thead><tr><th scope=\"col\">Time</th>{heads}<th scope=\"col\" class=\"num\">All</th>\
         </tr></thead><tbody>{rows}</tbody></table></div></details>",
        esc(dialect),
        esc(per)
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn long_windows_add_minutes_up_per_bar() {
        assert_eq!(bucket_minutes(15), 1);
        assert_eq!(bucket_minutes(60), 1);
        assert_eq!(bucket_minutes(120), 1);
        assert_eq!(bucket_minutes(360), 5);
        assert_eq!(bucket_minutes(1440), 15);
    }

    #[test]
    fn minutes_add_up_into_their_bar_by_dialect_and_class() {
        let stats = json!({ "perMinute": [
            { "minute": "2024-05-01T10:01:00Z", "dialect": "kassa", "statusClass": "2xx", "count": 2 },
            { "minute": "2024-05-01T10:03:00Z", "dialect": "kassa", "statusClass": "2xx", "count": 1 },
            { "minute": "2024-05-01T10:04:00Z", "dialect": "kassa", "statusClass": "5xx", "count": 4 },
            { "minute": "2024-05-01T10:06:00Z", "dialect": "moysklad", "statusClass": "4xx", "count": 7 },
        ] });
        let by = buckets(&stats, 5);
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        assert_eq!(by["kassa"][&at("2024-05-01T10:00:00Z")], [3, 0, 0, 4]);
        assert_eq!(by["moysklad"][&at("2024-05-01T10:05:00Z")], [0, 0, 7, 0]);
        assert_eq!(by.len(), 2);
    }
}
