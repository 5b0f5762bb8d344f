//! Warehouses: `getWarehouse` (9.22), `getDefectWarehouse` (9.23) and `setWarehouse`
//! (11.1), in the request's filial. Both lists answer under `warehouse` with `{CS_id,
//! SD_id, code_1C, name, active}`; one stored kind holds both types (`fields.type`:
//! `regular` or `defect`), so every stock document names any warehouse by one `SD_id`
//! series. setWarehouse makes regular warehouses only (the docs name no type member);
//! an update keeps the stored type. Return (defect) warehouses have no SET method: they
//! are seeded in admin (`seed`, path kind `defectWarehouse`).
//!
//! An item needs `name` on create and update alike, as every named reference
//! (*Inferred*: the example always sends it); `active` reads every documented spelling
//! and defaults to active.

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::named::{read_named, render_name_active};
use crate::reference::{list, upsert, RefKind};
use crate::request::Ctx;

/// The stored kind, the SET group and both GET answers' member.
pub const KEY: &str = "warehouse";
const TYPE: &str = "type";
const REGULAR: &str = "regular";
const DEFECT: &str = "defect";
/// Agents' van warehouses, as the admin seeds them (see `vs_exchange`).
pub const VAN: &str = "van";

/// Regular warehouses, as setWarehouse writes them.
pub const WAREHOUSE: RefKind = RefKind {
    key: KEY,
    read: read_regular,
    render: render_name_active,
};

/// Return warehouses, as the admin seeds them.
pub const DEFECT_WAREHOUSE: RefKind = RefKind {
    key: KEY,
    read: read_defect,
    render: render_name_active,
};

/// The fields of a warehouse item over the stored ones: a new one gets `new_type`, a
/// stored one keeps its type.
pub fn read_typed(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
    new_type: &str,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut fields = read_named(item, stored)?;
    if !fields.contains_key(TYPE) {
        fields.insert(TYPE.into(), Value::from(new_type));
    }
    Ok(fields)
}

fn read_regular(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    read_typed(item, stored, REGULAR)
}

fn read_defect(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    read_typed(item, stored, DEFECT)
}

/// `getWarehouse` (9.22): the regular warehouses.
pub async fn get(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    list_of_type(ctx, envelope, REGULAR).await
}

/// `getDefectWarehouse` (9.23): the return warehouses.
pub async fn get_defect(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    list_of_type(ctx, envelope, DEFECT).await
}

async fn list_of_type(ctx: &Ctx, envelope: &Envelope, of_type: &str) -> SdResult<Response> {
    let options = list::Options {
        extra: vec![Filter::eq("fields.type", of_type)],
        ..list::Options::default()
    };
    list::get_with(ctx, envelope, &WAREHOUSE, Include::Ignored, options).await
}

/// `setWarehouse` (11.1).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    upsert::set(ctx, envelope, &WAREHOUSE).await
}
