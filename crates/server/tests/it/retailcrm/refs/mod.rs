//! Costs and their reference data (cost groups and items), currencies, delivery types
//! edited, notifications and SMS verification: each through HTTP as a client calls it,
//! with its errors, the permission it needs and another account's isolation.

mod cost_refs;
mod costs;
mod costs_list;
mod currencies;
mod delivery_types;
mod notifications;
mod verification;

use serde_json::Value;

use super::Crm;

/// `POST /api/v5{path}` with one form field holding a JSON document.
pub async fn post_doc(crm: &Crm, path: &str, field: &str, doc: Value) -> (u16, Value) {
    crm.post(&format!("/v5{path}"), &[(field, doc.to_string())])
        .await
}

/// The same with another key.
pub async fn post_doc_as(
    crm: &Crm,
    key: &str,
    path: &str,
    field: &str,
    doc: Value,
) -> (u16, Value) {
    crm.post_as(key, &format!("/v5{path}"), &[(field, doc.to_string())])
        .await
}

/// A second account, for isolation.
pub async fn other() -> Crm {
    Crm::new().await
}
