//! The product lines of a family document as a SET item gives them (`orderProducts`,
//! `bonusProducts`, `defectProducts`, an exchange's `replaceProducts`): each names its
//! product (`{product: {CS_id|SD_id|code_1C}, ...}`), and is stored as `{product (SD_id),
//! quantity, price, ...}`. A line without `price` takes the price list's price of the
//! document's price type; none there fails the item with "Price not found" (12.1,
//! 12.5). Bonus lines cost nothing unless priced (*Inferred*).

use serde_json::{json, Map, Value};

use crate::price::price_of;
use crate::reference::upsert::Refused;
use crate::reference::Record;
use crate::request::Ctx;
use crate::stock_doc::{non_negative, optional, positive, product_lines_in};
use crate::values::number;

/// How a list's lines are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// An order's line: `quantity`, `price`, `discount` (percent, 0–100), `returned`
    /// (at most the quantity).
    Sold,
    /// A bonus line: `quantity`, `price` (0 when absent).
    Bonus,
    /// A returned or exchanged line: `quantity` above zero, `price`, `exp_date`.
    Returned,
}

/// One line as read, before its price is settled.
struct Read {
    at: String,
    quantity: f64,
    price: Option<f64>,
    discount: f64,
    returned: f64,
    exp_date: Value,
}

fn read_line(
    kind: LineKind,
    item: &Map<String, Value>,
    at: &str,
    errors: &mut Vec<String>,
) -> Option<Read> {
    let quantity = match kind {
        LineKind::Sold => non_negative(item, at, "quantity", true, errors),
        LineKind::Bonus | LineKind::Returned => positive(item, at, "quantity", errors),
    };
    let price = non_negative(item, at, "price", false, errors);
    let (mut discount, mut returned) = (0.0, 0.0);
    if kind == LineKind::Sold {
        discount = non_negative(item, at, "discount", false, errors).unwrap_or_default();
        if discount > 100.0 {
            errors.push(format!("{at}discount must be at most 100"));
        }
        returned = non_negative(item, at, "returned", false, errors).unwrap_or_default();
        if quantity.is_some_and(|q| returned > q) {
            errors.push(format!("{at}returned must not exceed quantity"));
        }
    }
    Some(Read {
        at: at.to_owned(),
        quantity: quantity?,
        price,
        discount,
        returned,
        exp_date: optional(item, "exp_date"),
    })
}

/// The stored lines of the item's list `member` (`required`: absent fails the item).
pub async fn read_lines(
    ctx: &Ctx,
    item: &Map<String, Value>,
    member: &str,
    required: bool,
    kind: LineKind,
    price_type: Option<&Record>,
    errors: &mut Vec<String>,
) -> Result<Vec<Value>, Refused> {
    let read = product_lines_in(ctx, item, member, required, errors, |line, errors| {
        read_line(kind, line.item, &line.at, errors)
    })
    .await?;
    let mut stored = Vec::new();
    for (product, line) in read {
        let price = match (line.price, kind, price_type) {
            (Some(price), _, _) => price,
            (None, LineKind::Bonus, _) => 0.0,
            (None, _, Some(price_type)) => {
                match price_of(ctx, &price_type.sd_id, &product.sd_id).await? {
                    Some(price) => price,
                    None => {
                        errors.push(format!("{}price: Price not found", line.at));
                        continue;
                    }
                }
            }
            // The price type failed the item already.
            (None, _, None) => continue,
        };
        let mut row = json!({
            "product": product.sd_id,
            "quantity": number(line.quantity),
            "price": number(price),
        });
        match kind {
            LineKind::Sold => {
                row["discount"] = number(line.discount);
                row["returned"] = number(line.returned);
            }
            LineKind::Bonus => {}
            LineKind::Returned => row["exp_date"] = line.exp_date,
        }
        stored.push(row);
    }
    Ok(stored)
}
