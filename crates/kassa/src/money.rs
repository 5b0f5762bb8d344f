//! Money and quantities as the vendor writes them (JSON numbers such as `100` or `12.5`),
//! held exactly: sums in kopecks, quantities in thousandths, so totals never drift.

use serde_json::{json, Value};

/// Kopecks of a JSON number with at most two decimals; `None` for anything else.
pub fn kopecks(value: &Value) -> Option<i64> {
    scaled(value, 100)
}

/// Thousandths of a JSON number with at most three decimals (the fiscal quantity).
pub fn thousandths(value: &Value) -> Option<i64> {
    scaled(value, 1000)
}

fn scaled(value: &Value, scale: i64) -> Option<i64> {
    if let Some(whole) = value.as_i64() {
        return whole.checked_mul(scale);
    }
    let number = value.as_f64()?;
    let exact = number * scale as f64;
    let rounded = exact.round();
    ((exact - rounded).abs() < 1e-6 && rounded.abs() < 1e15).then_some(rounded as i64)
}

/// Renders kopecks as the samples do: `100` when whole, `12.5` otherwise.
pub fn render(kopecks: i64) -> Value {
    if kopecks % 100 == 0 {
        json!(kopecks / 100)
    } else {
        json!(kopecks as f64 / 100.0)
    }
}

/// Renders thousandths of a unit: `1` when whole, `0.25` otherwise.
pub fn render_quantity(thousandths: i64) -> Value {
    if thousandths % 1000 == 0 {
        json!(thousandths / 1000)
    } else {
        json!(thousandths as f64 / 1000.0)
    }
}

/// A position's sum in kopecks: quantity × price, rounded half up to the kopeck.
pub fn line_total(quantity: i64, price: i64) -> i64 {
    let product = i128::from(quantity) * i128::from(price);
    ((product + 500) / 1000) as i64
}

/// `part` of `total` as a share of `whole`, in kopecks, rounded down (the last share of
/// a split takes the remainder).
pub fn share(total: i64, part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    (i128::from(total) * i128::from(part) / i128::from(whole)) as i64
}
