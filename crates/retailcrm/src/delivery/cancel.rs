//! `orders/{externalId}/delivery/cancel`: the shop asks the delivery service to cancel an
//! order's integrated delivery.

use axum::response::Response;
use serde_json::{json, Value};

use super::tracking::write;
use super::{delivery_type, service, status_of};
use crate::customers::fields::boolean;
use crate::error::{texts, RetailError, RetailResult};
use crate::journal::Journal;
use crate::orders;
use crate::render::ok;
use crate::request::{success, timestamp, Ctx, RetailRequest};

/// The status of a cancelled delivery (*Inferred* code).
pub const CANCELLED: &str = "cancelled";

/// Why the service would refuse to cancel the delivery, if it would: the module is gone
/// or inactive (the service cannot be reached), or the delivery's current status is one
/// its `statusList` marks `isEditable: false` (past the point of change).
fn refusal(module: Option<&Value>, status: Option<&str>) -> Option<&'static str> {
    let Some(module) = module else {
        return Some("The delivery service is not available");
    };
    let fixed = status
        .and_then(|code| status_of(module, code))
        .is_some_and(|entry| entry["isEditable"] == false);
    fixed.then_some("The delivery can no longer be cancelled in its current status")
}

/// `POST /api/v5/orders/{externalId}/delivery/cancel`: `by`, `force` (boolean, `false` by
/// default); `{"success": true}`. The order's `delivery.data.status` becomes `cancelled`
/// (`statusDate` now, `statusText` the module's name of it when its `statusList` has
/// one), recorded in the order's history. Errors (400, *Inferred* texts): no integrated
/// delivery (the delivery type is bound to no module, or the service has no delivery id
/// for it), a delivery cancelled already, and — unless `force` — one the service would
/// not cancel (`refusal`); with `force` such a delivery is marked cancelled all the same,
/// as the seed says.
pub async fn cancel(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let force = match &request.params["force"] {
        Value::Null => false,
        value => boolean(value).ok_or_else(|| RetailError::parameter("force", texts::BOOLEAN))?,
    };
    let before = orders::find(ctx, request).await?;
    let delivery = &before.body["delivery"];
    let kind = match delivery["code"].as_str() {
        Some(code) => delivery_type(ctx, code).await?,
        None => None,
    };
    let integration = kind
        .as_ref()
        .and_then(|kind| kind["integrationCode"].as_str())
        .filter(|_| delivery["data"]["externalId"].is_string());
    let Some(integration) = integration else {
        return Err(RetailError::bad_request(
            "The order has no integrated delivery",
        ));
    };
    let status = delivery["data"]["status"].as_str();
    if status == Some(CANCELLED) {
        return Err(RetailError::bad_request(
            "The integrated delivery of the order is already cancelled",
        ));
    }
    let module = service(ctx, integration).await?;
    if let Some(reason) = refusal(module.as_ref(), status) {
        if !force {
            return Err(RetailError::bad_request(reason));
        }
    }
    let mut body = before.body.clone();
    let data = &mut body["delivery"]["data"];
    data["status"] = json!(CANCELLED);
    data["statusDate"] = json!(timestamp(ctx.now));
    let name = module
        .as_ref()
        .and_then(|m| status_of(m, CANCELLED))
        .and_then(|entry| entry["name"].as_str());
    if let Some(fields) = data.as_object_mut() {
        fields.remove("statusComment");
        match name {
            Some(name) => fields.insert("statusText".into(), json!(name)),
            None => fields.remove("statusText"),
        };
    }
    let mut journal = Journal::new(ctx).await?;
    write(&mut journal, ctx, &before, body);
    journal.commit(orders::taken).await?;
    Ok(ok(success(json!({}))))
}
