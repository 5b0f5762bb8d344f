//! Bar charts drawn as inline SVG, without a library: an axis with round ticks, groups of
//! bars (a group per minute, or per dialect) whose bars stack segments (status classes)
//! or stand side by side (percentiles), and a bar of shares (deliveries). Colours come
//! from CSS classes, so the stylesheet decides them; every chart carries a `<title>` and
//! `<desc>` for screen readers, and each segment a `<title>` shown on hover.

use std::fmt::Write;

use crate::html::esc;

/// The drawing's coordinate space; the SVG scales to its box.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
/// Room for the x labels and the axis name, also at the larger text of phones.
const BOTTOM: f64 = 52.0;

/// A y-axis from 0 to `max` with ticks at each `step`.
#[derive(Debug, PartialEq)]
pub struct Axis {
    pub max: f64,
    pub step: f64,
}

impl Axis {
    /// The smallest round axis holding `value` in about four whole steps of 1, 2 or
    /// 5 × 10ⁿ (counts and milliseconds are whole).
    pub fn fitting(value: f64) -> Self {
        let value = if value.is_finite() && value > 0.0 {
            value
        } else {
            1.0
        };
        let rough = value / 4.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|step| *step >= rough)
            .unwrap_or(10.0 * magnitude)
            .max(1.0)
            .round();
        let max = (value / step).ceil() * step;
        Self { max, step }
    }

    /// The ticks from 0 to the top, in order.
    pub fn ticks(&self) -> Vec<f64> {
        let count = (self.max / self.step).round() as usize;
        (0..=count).map(|i| i as f64 * self.step).collect()
    }

    /// How tall `value` stands in a plot `height` high.
    pub fn scale(&self, value: f64, height: f64) -> f64 {
        if self.max <= 0.0 {
            0.0
        } else {
            (value / self.max).clamp(0.0, 1.0) * height
        }
    }
}

/// One coloured part of a bar: its value, CSS class and hover text.
pub struct Segment {
    pub value: f64,
    pub class: String,
    pub label: String,
}

/// Bars drawn side by side under one x label; each bar's segments stack from the bottom.
pub struct Group {
    pub label: String,
    pub bars: Vec<Vec<Segment>>,
}

pub struct Chart<'a> {
    /// Unique in the page: the ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// What the chart shows, in one sentence for screen readers.
    pub description: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub groups: Vec<Group>,
    /// Every how many groups an x label is written (time series have many groups).
    pub label_every: usize,
}

/// Where group `index` of `count` starts, and how wide each group is, in the plot.
pub fn slot(index: usize, count: usize) -> (f64, f64) {
    let plot = WIDTH - LEFT - RIGHT;
    let width = plot / count.max(1) as f64;
    (LEFT + index as f64 * width, width)
}

/// The chart as an `<svg>` element.
pub fn bar_chart(chart: &Chart) -> String {
    let plot_height = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_height;
    let tallest = chart
        .groups
        .iter()
        .flat_map(|group| &group.bars)
        .map(|bar| bar.iter().map(|segment| segment.value).sum::<f64>())
        .fold(0.0, f64::max);
    let axis = Axis::fitting(tallest);
    let mut out = String::new();
    let id = esc(chart.id);
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(chart.title),
        esc(chart.description)
    );
    for tick in axis.ticks() {
        let y = base - axis.scale(tick, plot_height);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            number(tick)
        );
    }
    let count = chart.groups.len();
    for (index, group) in chart.groups.iter().enumerate() {
        let (start, width) = slot(index, count);
        let inner = width * 0.8;
        let bar_width = inner / group.bars.len().max(1) as f64;
        for (position, bar) in group.bars.iter().enumerate() {
            let x = start + width * 0.1 + position as f64 * bar_width;
            let mut top = base;
            for segment in bar.iter().filter(|segment| segment.value > 0.0) {
                let height = axis.scale(segment.value, plot_height);
                top -= height;
                let _ = write!(
                    out,
                    "<rect class=\"{}\" x=\"{x:.2}\" y=\"{top:.2}\" width=\"{:.2}\" \
                     height=\"{height:.2}\"><title>{}</title></rect>",
                    esc(&segment.class),
                    bar_width.max(0.5),
                    esc(&segment.label)
                );
            }
        }
        // Every `label_every`th group is labelled, but not one too close to the right edge,
        // where its text would be cut.
        let every = chart.label_every.max(1);
        if index % every == 0 && index + every / 2 < count {
            let _ = write!(
                out,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                start + width / 2.0,
                base + 18.0,
                esc(&group.label)
            );
        }
    }
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{base}\" y2=\"{base}\"/>\
         <text class=\"label\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text class=\"label\" transform=\"rotate(-90)\" x=\"{:.1}\" y=\"18\" \
         text-anchor=\"middle\">{}</text></svg>",
        WIDTH - RIGHT,
        LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        HEIGHT - 4.0,
        esc(chart.x_label),
        -(TOP + plot_height / 2.0),
        esc(chart.y_label),
    );
    out
}

/// A number as an axis shows it: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The widths of `values` as shares of `width`; all zero when they sum to nothing.
pub fn shares(values: &[f64], width: f64) -> Vec<f64> {
    let total: f64 = values.iter().sum();
    values
        .iter()
        .map(|value| {
            if total > 0.0 {
                value / total * width
            } else {
                0.0
            }
        })
        .collect()
}

/// One horizontal bar split into `segments` by their shares of the whole.
pub fn share_bar(id: &str, title: &str, description: &str, segments: &[Segment]) -> String {
    const BAR_HEIGHT: f64 = 36.0;
    let values: Vec<f64> = segments.iter().map(|segment| segment.value).collect();
    let widths = shares(&values, WIDTH);
    let id = esc(id);
    let mut out = format!(
        "<svg class=\"chart share\" viewBox=\"0 0 {WIDTH} {BAR_HEIGHT}\" \
         preserveAspectRatio=\"none\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect class=\"empty\" x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{BAR_HEIGHT}\"/>",
        esc(title),
        esc(description)
    );
    let mut x = 0.0;
    for (segment, width) in segments.iter().zip(widths) {
        if width > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"{}\" x=\"{x:.2}\" y=\"0\" width=\"{width:.2}\" \
                 height=\"{BAR_HEIGHT}\"><title>{}</title></rect>",
                esc(&segment.class),
                esc(&segment.label)
            );
        }
        x += width;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(groups: Vec<Group>, label_every: usize) -> String {
        bar_chart(&Chart {
            id: "c",
            title: "T",
            description: "D",
            x_label: "x",
            y_label: "y",
            groups,
            label_every,
        })
    }

    #[test]
    fn axes_round_up_to_one_two_or_five_steps() {
        assert_eq!(
            Axis::fitting(7.0),
            Axis {
                max: 8.0,
                step: 2.0
            }
        );
        assert_eq!(
            Axis::fitting(130.0),
            Axis {
                max: 150.0,
                step: 50.0
            }
        );
        assert_eq!(
            Axis::fitting(1.0),
            Axis {
                max: 1.0,
                step: 1.0
            }
        );
        // Nothing to show still gets an axis.
        assert_eq!(Axis::fitting(0.0).max, 1.0);
        assert_eq!(Axis::fitting(1234.0).ticks().len(), 4);
    }

    #[test]
    fn values_scale_to_the_plot_and_never_beyond() {
        let axis = Axis::fitting(40.0);
        assert_eq!(axis.max, 40.0);
        assert_eq!(axis.scale(10.0, 200.0), 50.0);
        assert_eq!(axis.scale(40.0, 200.0), 200.0);
        assert_eq!(axis.scale(80.0, 200.0), 200.0);
        assert_eq!(axis.scale(-1.0, 200.0), 0.0);
    }

    #[test]
    fn groups_share_the_plot_width_evenly() {
        let (first, width) = slot(0, 4);
        let (last, _) = slot(3, 4);
        assert_eq!(first, LEFT);
        assert_eq!(width, (WIDTH - LEFT - RIGHT) / 4.0);
        assert_eq!(last + width, WIDTH - RIGHT);
    }

    #[test]
    fn long_series_label_every_nth_group_but_not_at_the_cut_edge() {
        let groups = (0..61)
            .map(|i| Group {
                label: format!("L{i}"),
                bars: vec![],
            })
            .collect();
        let svg = chart(groups, 10);
        let labels: Vec<&str> = svg
            .split(">L")
            .skip(1)
            .map(|rest| &rest[..rest.find('<').unwrap()])
            .collect();
        assert_eq!(labels, ["0", "10", "20", "30", "40", "50"]);
    }

    #[test]
    fn shares_split_the_width_and_nothing_is_empty() {
        assert_eq!(shares(&[3.0, 1.0, 0.0], 400.0), [300.0, 100.0, 0.0]);
        assert_eq!(shares(&[0.0, 0.0], 400.0), [0.0, 0.0]);
    }

    #[test]
    fn segments_stack_from_the_base_with_their_titles_escaped() {
        let segment = |value: f64, class: &str| Segment {
            value,
            class: class.into(),
            label: format!("<{class}>"),
        };
        let group = Group {
            label: "g".into(),
            bars: vec![vec![segment(2.0, "a"), segment(2.0, "b")]],
        };
        let svg = chart(vec![group], 1);
        let base = TOP + HEIGHT - TOP - BOTTOM;
        let half = (HEIGHT - TOP - BOTTOM) / 2.0;
        assert!(svg.contains(&format!(
            "class=\"a\" x=\"{:.2}\" y=\"{:.2}\"",
            LEFT + (WIDTH - LEFT - RIGHT) * 0.1,
            base - half
        )));
        assert!(svg.contains(&format!("y=\"{:.2}\"", base - 2.0 * half)));
        assert!(svg.contains("<title>&lt;a&gt;</title>"));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
    }
}
