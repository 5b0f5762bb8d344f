//! The `details` each operation type takes (the vendor client's `Details*Model`s), read
//! into a `Plan`: what the operation shows until it runs and what the device will do.
//! Receipts are in `receipt`.

use serde_json::{json, Value};
use twin_store::Document;

use super::check_category;
use super::receipt;
use crate::error::{texts, KassaResult};
use crate::fields::Fields;
use crate::money;
use crate::references;
use crate::request::{Ctx, Problems};

/// Correction receipts: made by the seller's own decision or on a tax authority's order
/// (*inferred* names).
const CORRECTION_TYPES: [&str; 2] = ["SELF", "INSTRUCTION"];

/// Kinds of acquiring (bank terminal) reports (*inferred* names).
const ACQUIRING_REPORT_TYPES: [&str; 2] = ["SUMMARY", "DETAILED"];

/// The stored kind of orders (built beside operations; read only here).
const ORDER: &str = "order";

/// What creating an operation decided.
pub struct Plan {
    /// The public `details` until the device runs it.
    pub details: Value,
    /// What the device will do (`_plan`), amounts in kopecks.
    pub plan: Value,
    /// The order it concerns (for the `orderId` filter).
    pub order_id: Option<String>,
    /// The receipt positions it sells or returns.
    pub position_ids: Vec<String>,
    /// A document the plan's checks read and that must not have changed when the
    /// operation is stored (a return's sale): the two commit together, so two returns of
    /// one sale cannot both take back what is left.
    pub guard: Option<Document>,
}

impl Plan {
    pub fn simple(details: Value) -> Self {
        Self {
            details,
            plan: json!({}),
            order_id: None,
            position_ids: Vec::new(),
            guard: None,
        }
    }
}

/// Reads the details of an operation of `kind` on `cashbox` (absent when the request
/// named none that exists).
pub async fn read(
    ctx: &Ctx,
    kind: &str,
    fields: &Fields<'_>,
    cashbox: Option<&Value>,
    problems: &mut Problems,
) -> KassaResult<Plan> {
    let balance =
        || json!({ "cashBalance": cashbox.map_or(json!(0), |c| c["cashBalance"].clone()) });
    Ok(match kind {
        "SELL" | "BUY" | "BUY_RETURN" => {
            receipt::sale(ctx, kind, fields, cashbox, problems).await?
        }
        "SELL_RETURN" => receipt::sell_return(ctx, fields, problems).await?,
        k if k.starts_with("CORRECTION_") => correction(fields, problems),
        "CASH_IN" => cash(ctx, fields, problems, "IN").await?,
        "CASH_OUT" => cash(ctx, fields, problems, "OUT").await?,
        "COPY_RECEIPT" => copy_receipt(ctx, fields, problems).await?,
        "PRINT_SLIP" => print_slip(ctx, fields, problems).await?,
        "SET_DATETIME" => {
            fields.time(problems, "dateTime", true);
            Plan::simple(fields.echo(&["dateTime"]))
        }
        "SHIFT_CLOSE" => {
            fields.flag(problems, "onlyCashbox");
            let mut details = balance();
            details["onlyCashbox"] = json!(fields
                .get("onlyCashbox")
                .and_then(Value::as_bool)
                .unwrap_or(false));
            Plan::simple(details)
        }
        "ACQUIRING_REPORT" => {
            fields.choice(
                problems,
                "acquiringReportType",
                &ACQUIRING_REPORT_TYPES,
                true,
            );
            Plan::simple(fields.echo(&["acquiringReportType"]))
        }
        // KKT_INFO, X_REPORT, SHIFT_OPEN: no details; they show the cash balance.
        _ => Plan::simple(balance()),
    })
}

/// `correctionType`, `foundationDocDate` and (for a correction on order)
/// `foundationDocNumber` are required; `invalidReceiptFiscalSign` is a fiscal sign (digits).
fn correction(fields: &Fields<'_>, problems: &mut Problems) -> Plan {
    let kind = fields.choice(problems, "correctionType", &CORRECTION_TYPES, true);
    fields.time(problems, "foundationDocDate", true);
    fields.text(
        problems,
        "foundationDocNumber",
        kind.as_deref() == Some("INSTRUCTION"),
        255,
    );
    if let Some(sign) = fields.string(problems, "invalidReceiptFiscalSign", false) {
        if sign.is_empty() || !sign.chars().all(|c| c.is_ascii_digit()) {
            fields.problem(
                problems,
                "invalidReceiptFiscalSign",
                "This value is not valid.",
            );
        }
    }
    Plan::simple(fields.echo(&[
        "correctionType",
        "invalidReceiptFiscalSign",
        "foundationDocDate",
        "foundationDocNumber",
    ]))
}

/// `CASH_IN` / `CASH_OUT`: a positive `amount`, an optional category that allows the
/// movement, an optional comment (≤ 255).
async fn cash(
    ctx: &Ctx,
    fields: &Fields<'_>,
    problems: &mut Problems,
    direction: &str,
) -> KassaResult<Plan> {
    let amount = fields.money(problems, "amount", true, false);
    let category = fields.uuid(problems, "cashMovementCategoryId", false);
    if let Some(id) = &category {
        check_category(ctx, fields, problems, id, direction).await?;
    }
    let comment = fields.text(problems, "comment", false, 255);
    let mut plan = Plan::simple(json!({
        "cashMovementCategoryId": category,
        "comment": comment,
        "amount": amount.map_or(Value::Null, money::amount),
    }));
    plan.plan = json!({ "amount": amount.unwrap_or_default() });
    Ok(plan)
}

/// An order the details name must exist.
pub async fn order(
    ctx: &Ctx,
    fields: &Fields<'_>,
    problems: &mut Problems,
) -> KassaResult<Option<Value>> {
    let Some(id) = fields.uuid(problems, "orderId", false) else {
        return Ok(None);
    };
    let found = references::find(ctx, ORDER, &id).await?;
    if found.is_none() {
        fields.problem(problems, "orderId", texts::NOT_FOUND);
    }
    Ok(found)
}

/// `COPY_RECEIPT`: the fiscal document number to print again (digits; the device finds
/// it in its fiscal drive) and optionally its order.
async fn copy_receipt(
    ctx: &Ctx,
    fields: &Fields<'_>,
    problems: &mut Problems,
) -> KassaResult<Plan> {
    let number = fields.string(problems, "fdNumber", true);
    let parsed = number.as_deref().and_then(|n| n.parse::<u64>().ok());
    if number.is_some() && parsed.is_none() {
        fields.problem(problems, "fdNumber", "This value is not valid.");
    }
    let order = order(ctx, fields, problems).await?;
    let mut plan = Plan::simple(fields.echo(&["fdNumber", "orderId"]));
    plan.plan = json!({ "fdNumber": parsed });
    plan.order_id = order.and_then(|o| o["id"].as_str().map(str::to_owned));
    Ok(plan)
}

/// `PRINT_SLIP`: non-empty `slipItems`, each with a `type` and `content`.
async fn print_slip(ctx: &Ctx, fields: &Fields<'_>, problems: &mut Problems) -> KassaResult<Plan> {
    for item in fields
        .objects(problems, "slipItems", true)
        .unwrap_or_default()
    {
        item.string(problems, "type", true);
        item.string(problems, "content", true);
    }
    let order = order(ctx, fields, problems).await?;
    let mut plan = Plan::simple(fields.echo(&["slipItems", "orderId"]));
    plan.order_id = order.and_then(|o| o["id"].as_str().map(str::to_owned));
    Ok(plan)
}
