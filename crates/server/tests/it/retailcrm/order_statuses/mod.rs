//! What an order's status change brings: its status comment (only with a new status), and
//! bonuses credited when the order completes (taken back when it leaves the complete
//! group).

mod accrual;
mod status_comment;

use serde_json::Value;

use super::Crm;

/// `POST /v5/orders/{id}/edit?by=id` with `order`; the answer.
pub async fn edit(crm: &Crm, id: &Value, order: Value) -> (u16, Value) {
    crm.post(
        &format!("/v5/orders/{id}/edit"),
        &[("by", "id".to_owned()), ("order", order.to_string())],
    )
    .await
}

/// The order history records of the order `id`, as `(field, oldValue, newValue)`.
pub async fn records(crm: &Crm, id: &Value) -> Vec<(String, Value, Value)> {
    super::orders::history(crm, "")
        .await
        .into_iter()
        .filter(|record| record["order"]["id"] == *id)
        .map(|r| {
            (
                r["field"].as_str().unwrap_or_default().to_owned(),
                r["oldValue"].clone(),
                r["newValue"].clone(),
            )
        })
        .collect()
}
