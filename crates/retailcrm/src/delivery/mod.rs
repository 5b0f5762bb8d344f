//! Deliveries: the delivery services integration modules bring (`integration-modules/
//! {code}/edit` with `integrations.delivery`), the cost calculation, the status updates a
//! delivery module sends for its orders, shipments to the services, the cancellation of an
//! order's integrated delivery, and the order's printed forms.
//!
//! A delivery type is *integrated* when its `integrationCode` names an active module of
//! the account with a delivery configuration. Registering such a module gives the account
//! a delivery type of the module's code bound to it (*Inferred*: the vendor offers the
//! service's delivery type once the module is connected), so orders can use it at once.

pub mod calculate;
pub mod cancel;
pub mod data;
pub mod pdf;
pub mod plates;
pub mod shipments;
pub mod tracking;

use serde_json::{json, Value};

use crate::error::RetailResult;
use crate::reference::{self, DELIVERY_TYPES};
use crate::request::Ctx;

/// The stored kind of integration modules (`modules.rs`).
const MODULE: &str = "integration_module";

/// The account's delivery type `code`, active or not.
pub async fn delivery_type(ctx: &Ctx, code: &str) -> RetailResult<Option<Value>> {
    Ok(reference::load(ctx, DELIVERY_TYPES)
        .await?
        .into_iter()
        .find(|entry| entry["code"] == code))
}

/// The module with this code when it is active and has a delivery configuration.
pub async fn service(ctx: &Ctx, code: &str) -> RetailResult<Option<Value>> {
    let Some(doc) = ctx.core.entities.find(&ctx.scope, MODULE, code).await? else {
        return Ok(None);
    };
    let serves = doc.body["active"] != false && doc.body["integrations"]["delivery"].is_object();
    Ok(serves.then_some(doc.body))
}

/// The delivery service a delivery type is bound to, when it is integrated.
pub async fn service_of(ctx: &Ctx, delivery_type: &Value) -> RetailResult<Option<Value>> {
    match delivery_type["integrationCode"].as_str() {
        Some(code) => service(ctx, code).await,
        None => Ok(None),
    }
}

/// The delivery configuration's status `code` (`statusList [{code, name, isEditable,
/// isError, isPreprocessing}]`).
pub fn status_of<'a>(module: &'a Value, code: &str) -> Option<&'a Value> {
    module["integrations"]["delivery"]["statusList"]
        .as_array()?
        .iter()
        .find(|status| status["code"] == code)
}

/// A module just saved: when it has a delivery configuration, the account gets a delivery
/// type of its code bound to it, unless a type of that code exists already.
pub async fn registered(ctx: &Ctx, module: &Value) -> RetailResult<()> {
    let Some(code) = module["code"].as_str() else {
        return Ok(());
    };
    if !module["integrations"]["delivery"].is_object() {
        return Ok(());
    }
    let types = reference::load(ctx, DELIVERY_TYPES).await?;
    if types.iter().any(|entry| entry["code"] == code) {
        return Ok(());
    }
    let body = json!({
        "name": module["name"].as_str().unwrap_or(code),
        "code": code,
        "active": true,
        "defaultForCrm": false,
        "defaultCost": 0,
        "defaultNetCost": 0,
        "integrationCode": code,
        "paymentTypes": ["cash", "bank-card", "bank-transfer", "credit"],
        "deliveryServices": [],
        "ordering": (types.len() + 1) * 10,
    });
    reference::add_absent(ctx, DELIVERY_TYPES, &[body]).await
}
