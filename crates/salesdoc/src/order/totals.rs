//! Money of the family's documents (DIGEST §3.4; *Inferred* where the docs' example
//! disagrees with itself: 10 × 15000 less 5 % is 142500 on the line, yet its header says
//! 157500 / 150000). Amounts are rounded to 2 decimals, as the vendor shows money.
//!
//! - an order line's `summa` = quantity × price × (1 − discount / 100);
//! - `totalSumma` = Σ quantity × price of the order lines (bonus lines excluded),
//!   `totalSummaAfterDiscount` = Σ line `summa`, `discountSumma` the difference;
//! - `totalReturnsSumma` = Σ returned × price × (1 − discount / 100),
//!   `totalReturnsCount` = the number of lines with something returned;
//! - a return's line `summa` = quantity × price, its `totalSumma` = `summa` = Σ of them,
//!   `discount` 0.

use serde_json::{json, Map, Value};

use crate::values::number;

/// Money to 2 decimals.
pub fn money(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// A line's amount after its discount (percent).
pub fn discounted(quantity: f64, price: f64, discount: f64) -> f64 {
    money(quantity * price * (1.0 - discount / 100.0))
}

fn member(line: &Value, name: &str) -> f64 {
    line[name].as_f64().unwrap_or_default()
}

/// An order's totals from its stored lines, as getOrder shows them.
pub fn order_totals(lines: &[Value]) -> Map<String, Value> {
    let (mut total, mut after, mut returns, mut returned_lines) = (0.0, 0.0, 0.0, 0);
    for line in lines {
        let (quantity, price, discount) = (
            member(line, "quantity"),
            member(line, "price"),
            member(line, "discount"),
        );
        let returned = member(line, "returned");
        total += quantity * price;
        after += discounted(quantity, price, discount);
        returns += discounted(returned, price, discount);
        if returned > 0.0 {
            returned_lines += 1;
        }
    }
    let (total, after) = (money(total), money(after));
    let mut totals = Map::new();
    totals.insert("totalSumma".into(), number(total));
    totals.insert("discountSumma".into(), number(money(total - after)));
    totals.insert("totalSummaAfterDiscount".into(), number(after));
    totals.insert("totalReturnsSumma".into(), number(money(returns)));
    totals.insert("totalReturnsCount".into(), json!(returned_lines));
    totals
}

/// A return's (or exchange's) totals from its stored lines.
pub fn return_totals(lines: &[Value]) -> Map<String, Value> {
    let total = money(
        lines
            .iter()
            .map(|l| money(member(l, "quantity") * member(l, "price")))
            .sum(),
    );
    let mut totals = Map::new();
    totals.insert("totalSumma".into(), number(total));
    totals.insert("discount".into(), json!(0));
    totals.insert("summa".into(), number(total));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_line_is_discounted_and_totalled() {
        let lines = [json!({"quantity": 10, "price": 15000.0, "discount": 5, "returned": 2})];
        let totals = order_totals(&lines);
        assert_eq!(totals["totalSumma"], json!(150000));
        assert_eq!(totals["totalSummaAfterDiscount"], json!(142500));
        assert_eq!(totals["discountSumma"], json!(7500));
        assert_eq!(totals["totalReturnsSumma"], json!(28500));
        assert_eq!(totals["totalReturnsCount"], json!(1));
    }

    #[test]
    fn a_return_sums_quantity_times_price() {
        let lines = [
            json!({"quantity": 5, "price": 15000.0}),
            json!({"quantity": 0.5, "price": 3.33}),
        ];
        assert_eq!(return_totals(&lines)["summa"], json!(75001.67));
    }
}
