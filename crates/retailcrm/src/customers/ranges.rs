//! List filters on one value or a range: flags (`filter[vip]`) and ranges of days
//! (`filter[dateFrom]`/`[dateTo]`), which customers, corporate customers and orders share.

use std::collections::BTreeMap;

use serde_json::Value;
use twin_store::{CmpOp, Filter};

use super::fields::boolean;
use crate::error::texts;

/// Boolean filters `(filter name, path)`: `1/0/true/false`, else a problem.
pub fn flags(
    filter: &Value,
    names: &[(&str, &str)],
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (flag, path) in names {
        if filter[*flag].is_null() || filter[*flag] == "" {
            continue;
        }
        match boolean(&filter[*flag]) {
            Some(value) => filters.push(Filter::eq(path, value)),
            None => {
                problems.insert(format!("filter[{flag}]"), texts::BOOLEAN.to_owned());
            }
        }
    }
    filters
}

/// A range of days (`Y-m-d`, both ends inclusive) over the `Y-m-d H:i:s` field `path`,
/// from the filters `names` (`dateFrom`, `dateTo`).
pub fn date_range(
    filter: &Value,
    names: (&str, &str),
    path: &str,
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    range_of_days(filter, names, path, [" 00:00:00", " 23:59:59"], problems)
}

/// `date_range` over a field of `Y-m-d` days (`delivery.date`).
pub fn day_range(
    filter: &Value,
    names: (&str, &str),
    path: &str,
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    range_of_days(filter, names, path, ["", ""], problems)
}

/// A range of days over `path`, each bound the day and its `ends` (the times of the
/// first and last instants of a day, or nothing for a field of days).
fn range_of_days(
    filter: &Value,
    names: (&str, &str),
    path: &str,
    ends: [&str; 2],
    problems: &mut BTreeMap<String, String>,
) -> Vec<Filter> {
    let mut filters = Vec::new();
    for (name, op, time) in [(names.0, CmpOp::Ge, ends[0]), (names.1, CmpOp::Le, ends[1])] {
        let Some(date) = filter[name].as_str().filter(|d| !d.is_empty()) else {
            continue;
        };
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            problems.insert(format!("filter[{name}]"), texts::DATE.to_owned());
            continue;
        }
        filters.push(Filter::cmp(path, op, format!("{date}{time}")));
    }
    filters
}
