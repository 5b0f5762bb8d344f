//! Printed forms of orders: the account's templates (`plates`, reference data seeded on
//! first use) and `orders/{externalId}/plates/{plateId}/print`, which renders one for an
//! order as a PDF document (`pdf`).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::pdf;
use crate::error::{RetailError, RetailResult};
use crate::orders;
use crate::reference::{self, PLATES};
use crate::request::{Ctx, RetailRequest};

/// Twin's printed forms of a new account (*Inferred*: the vendor's accounts start with
/// their own templates, edited in the interface): a sales receipt and an invoice.
pub fn defaults() -> Vec<Value> {
    vec![
        json!({ "id": 1, "code": "sales-receipt", "name": "Товарный чек",
                "title": "Sales receipt", "type": "order", "active": true }),
        json!({ "id": 2, "code": "invoice", "name": "Счёт на оплату",
                "title": "Invoice", "type": "order", "active": true }),
    ]
}

/// Money as the form prints it: two decimals.
fn money(value: &Value) -> String {
    format!("{:.2}", value.as_f64().unwrap_or_default())
}

/// The lines of the form: its title and the order's number and date, the customer, each
/// item with its quantity, price and line total, then the totals: the items' sum, every
/// discount (the items' own and the order's), delivery, the total; the invoice also the
/// amount due after the prepayment.
fn lines(plate: &Value, order: &Value) -> Vec<String> {
    let currency = order["currency"].as_str().unwrap_or("RUB");
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let mut out = vec![
        format!("{} / {}", text(&plate["title"]), text(&plate["name"])),
        format!("Order No. {}", text(&order["number"])),
        format!("Date: {}", text(&order["createdAt"])),
    ];
    let name: Vec<String> = ["lastName", "firstName", "patronymic"]
        .iter()
        .filter_map(|f| order[*f].as_str().map(str::to_owned))
        .collect();
    if !name.is_empty() {
        out.push(format!("Customer: {}", name.join(" ")));
    }
    if let Some(phone) = order["phone"].as_str() {
        out.push(format!("Phone: {phone}"));
    }
    out.push(String::new());
    let mut gross = 0.0;
    for (i, item) in order["items"].as_array().into_iter().flatten().enumerate() {
        let quantity = item["quantity"].as_f64().unwrap_or(1.0);
        let price = item["initialPrice"].as_f64().unwrap_or_default();
        gross += price * quantity;
        out.push(format!(
            "{}. {}  {} x {:.2} = {:.2} {currency}",
            i + 1,
            text(&item["productName"]),
            quantity,
            price,
            price * quantity,
        ));
    }
    let delivery = order["delivery"]["cost"].as_f64().unwrap_or_default();
    let total = order["totalSumm"].as_f64().unwrap_or_default();
    out.push(String::new());
    out.push(format!("Items: {gross:.2} {currency}"));
    out.push(format!(
        "Discount: {:.2} {currency}",
        gross + delivery - total
    ));
    out.push(format!("Delivery: {delivery:.2} {currency}"));
    out.push(format!("Total: {} {currency}", money(&order["totalSumm"])));
    if plate["code"] == "invoice" {
        let prepaid = order["prepaySum"].as_f64().unwrap_or_default();
        out.push(format!("Amount due: {:.2} {currency}", total - prepaid));
    }
    out
}

/// `GET /api/v5/orders/{externalId}/plates/{plateId}/print`: `by`, `site`. The file is
/// the answer's body (`application/pdf`), its name in `Content-Disposition`
/// (`attachment; filename="<plate code>-<order number>.pdf"`). A `plateId` naming no
/// active printed form of the account: 404 `Not found` (*Inferred*: the seed documents no
/// error of its own).
pub async fn print(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let order = orders::find(ctx, request).await?;
    let plate_id = request.args.get(1).and_then(|id| id.parse::<i64>().ok());
    let plate = reference::load(ctx, PLATES)
        .await?
        .into_iter()
        .find(|p| plate_id.is_some() && p["id"].as_i64() == plate_id && p["active"] != false)
        .ok_or_else(RetailError::not_found)?;
    let file = pdf::document(&lines(&plate, &order.body));
    let name = format!(
        "{}-{}.pdf",
        plate["code"].as_str().unwrap_or("plate"),
        pdf::latin(order.body["number"].as_str().unwrap_or_default())
    )
    .replace(
        |c: char| !c.is_ascii_graphic() || matches!(c, '"' | '\\' | '/'),
        "_",
    );
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file,
    )
        .into_response())
}
