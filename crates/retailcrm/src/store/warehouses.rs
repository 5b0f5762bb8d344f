//! `reference/stores/{code}/edit` (the Python client's `stores_edit`, a companion): the
//! account's stores (reference data, `crate::reference::STORES`) created or changed.
//! Inventory uploads name stores by these codes, so a new store takes stock at once.

use axum::response::Response;
use serde_json::json;

use crate::error::RetailResult;
use crate::orders::fields::choice;
use crate::reference::STORES;
use crate::reference_edit::{self, flags, text};
use crate::request::{Ctx, RetailRequest};

/// The vendor's store types.
const TYPES: [&str; 4] = [
    "store-type-online",
    "store-type-retail",
    "store-type-warehouse",
    "store-type-supplier",
];
/// How a store counts its stock: whole items, fractions, or only present/absent (the
/// seed's "actual stock accounting": 1 or 0).
const INVENTORY_TYPES: [&str; 3] = ["integer", "fractional", "actual"];

/// `POST /api/v5/reference/stores/{code}/edit`: `store=<json>` `{name, type,
/// inventoryType, externalId, xmlId, description, email, active}`. A new store needs
/// `name`; it is an active warehouse counting whole items unless given (*Inferred*: the
/// fields of the account's default store). 201 for a new store, 200 for a change.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut edit = reference_edit::start(ctx, request, STORES, "store").await?;
    for field in ["name", "externalId", "xmlId", "description", "email"] {
        text(&mut edit, field);
    }
    flags(&mut edit, &["active"]);
    for (field, allowed) in [
        ("type", &TYPES[..]),
        ("inventoryType", &INVENTORY_TYPES[..]),
    ] {
        let Some(value) = edit.doc.get(field).filter(|v| !v.is_null()).cloned() else {
            continue;
        };
        let allowed: Vec<String> = allowed.iter().map(|a| (*a).to_owned()).collect();
        if let Some(code) = choice(&mut edit.problems, field, &value, &allowed) {
            edit.entry.insert(field.into(), code);
        }
    }
    if edit.is_new() {
        for (field, value) in [
            ("active", json!(true)),
            ("type", json!("store-type-warehouse")),
            ("inventoryType", json!("integer")),
        ] {
            edit.entry.entry(field).or_insert(value);
        }
    }
    reference_edit::finish(ctx, STORES, edit, &["name"]).await
}
