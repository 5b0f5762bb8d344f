//! The window's summaries: latency percentiles per dialect and the webhook delivery
//! success rate, each drawn and tabled.

use serde_json::Value;
use twin_core::DIALECTS;

use super::svg::{bar_chart, share_bar, Chart, Group, Segment};
use super::{dialect_name, legend};
use crate::html::esc;

const PERCENTILES: [&str; 3] = ["p50", "p90", "p99"];

pub fn latency(stats: &Value) -> String {
    let mut rows: Vec<&Value> = stats["latency"].as_array().into_iter().flatten().collect();
    rows.sort_by_key(|row| DIALECTS.iter().position(|d| row["dialect"] == *d));
    let intro = format!(
        "<section aria-labelledby=\"latency-title\" id=\"latency-chart\" class=\"panel\">\
         <h2 id=\"latency-title\">Latency percentiles</h2>{}",
        legend("percentile", &PERCENTILES)
    );
    if rows.is_empty() {
        return format!("{intro}<p class=\"muted\">No requests in this window.</p></section>");
    }
    let groups = rows
        .iter()
        .map(|row| {
            let name = dialect_name(row["dialect"].as_str().unwrap_or_default());
            // "Kassa" for "Produman.Kassa": four labels fit a phone's width.
            let short = name.rsplit('.').next().unwrap_or(name);
            Group {
                label: short.to_owned(),
                bars: PERCENTILES
                    .iter()
                    .map(|p| {
                        let ms = row[*p].as_u64().unwrap_or_default();
                        vec![Segment {
                            value: ms as f64,
                            class: format!("c{p}"),
                            label: format!("{name} {p}: {ms} ms"),
                        }]
                    })
                    .collect(),
            }
        })
        .collect();
    let chart = bar_chart(&Chart {
        id: "latency",
        title: "Latency percentiles per dialect",
        description: "p50, p90 and p99 of each dialect's request latency in milliseconds; \
                      the table below has them with the maximum.",
        x_label: "dialect",
        y_label: "milliseconds",
        groups,
        label_every: 1,
    });
    let body: String = rows
        .iter()
        .map(|row| {
            let cell = |name: &str| format!("<td class=\"num\">{}</td>", row[name]);
            format!(
                "<tr data-dialect=\"{}\"><th scope=\"row\">{}</th>{}{}{}{}{}</tr>",
                esc(row["dialect"].as_str().unwrap_or_default()),
                esc(dialect_name(row["dialect"].as_str().unwrap_or_default())),
                cell("count"),
                cell("p50"),
                cell("p90"),
                cell("p99"),
                cell("max")
            )
        })
        .collect();
    format!(
        "{intro}{chart}<div class=\"scroll\"><table class=\"figures\" data-test=\"latency-table\">\
         <thead><tr><th scope=\"col\">Dialect</th><th scope=\"col\" class=\"num\">Requests</th>\
         <th scope=\"col\" class=\"num\">p50 ms</th><th scope=\"col\" class=\"num\">p90 ms</th>\
         <th scope=\"col\" class=\"num\">p99 ms</th><th scope=\"col\" class=\"num\">max ms</th>\
         </tr></thead><tbody>{body}</tbody></table></div></section>"
    )
}

pub fn deliveries(deliveries: &Value) -> String {
    let count = |name: &str| deliveries[name].as_u64().unwrap_or_default();
    let (delivered, failed, pending) = (count("delivered"), count("failed"), count("pending"));
    let rate = match deliveries["successRate"].as_f64() {
        Some(rate) => format!("{:.1} %", rate * 100.0),
        None => "—".into(),
    };
    let summary = match deliveries["successRate"].as_f64() {
        Some(_) => format!(
            "{rate} delivered of the {} deliveries that ended; {pending} pending.",
            delivered + failed
        ),
        None => format!("No delivery ended in this window; {pending} pending."),
    };
    let parts = [
        ("delivered", delivered),
        ("failed", failed),
        ("pending", pending),
    ];
    let segments: Vec<Segment> = parts
        .iter()
        .map(|(name, value)| Segment {
            value: *value as f64,
            class: format!("c{name}"),
            label: format!("{value} {name}"),
        })
        .collect();
    let bar = share_bar(
        "deliveries",
        "Webhook deliveries",
        &format!("{delivered} delivered, {failed} failed, {pending} pending: {summary}"),
        &segments,
    );
    format!(
        "<section aria-labelledby=\"deliveries-title\" id=\"deliveries-chart\" class=\"panel\">\
         <h2 id=\"deliveries-title\">Webhook deliveries</h2>\
         <p class=\"rate\" data-test=\"success-rate\">Success rate <strong>{rate}</strong>. \
         <span class=\"muted\">{summary}</span></p>{}{bar}\
         <div class=\"scroll\"><table class=\"figures\" data-test=\"deliveries-table\">\
         <thead><tr><th scope=\"col\" class=\"num\">Delivered</th>\
         <th scope=\"col\" class=\"num\">Failed</th><th scope=\"col\" class=\"num\">Pending</th>\
         <th scope=\"col\" class=\"num\">Success rate</th></tr></thead>\
         <tbody><tr><td class=\"num\">{delivered}</td><td class=\"num\">{failed}</td>\
         <td class=\"num\">{pending}</td><td class=\"num\">{rate}</td></tr></tbody></table></div>\
         <p class=\"muted\">Deliveries created in the window, of every dialect's webhooks.</p>\
         </section>",
        legend("state", &["delivered", "failed", "pending"]),
    )
}
