//! Filials (branches) of an account: `{filial_id, name, domain, prefix}` each, kept in
//! the account setting `salesdoc.filials` (set with `PUT
//! /admin/api/accounts/{id}/salesdoc/filials`, or as any account setting). A request
//! names one with `filial.filial_id` (its id or, *Inferred*, its prefix, both
//! case-insensitive); `getFilials` (9.39 / 15.1) lists them. Records of filial-scoped
//! methods belong to one filial or to none, and their `CS_id` carries the filial's
//! prefix (`F1-d0_123`).

use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;
use twin_core::accounts::Account;

use crate::error::{SdError, SdResult};
use crate::render::ok;
use crate::DIALECT;

pub const SETTING: &str = "filials";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filial {
    pub filial_id: String,
    pub name: String,
    #[serde(default)]
    pub domain: String,
    pub prefix: String,
}

/// The account's filials (none when the setting is absent or malformed).
pub fn of(account: &Account) -> Vec<Filial> {
    account
        .setting(DIALECT, SETTING)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// The filial a request names: 400 when the account has no such filial (*Inferred*).
pub fn resolve(account: &Account, filial_id: Option<&str>) -> SdResult<Option<Filial>> {
    let Some(wanted) = filial_id else {
        return Ok(None);
    };
    of(account)
        .into_iter()
        .find(|f| f.filial_id.eq_ignore_ascii_case(wanted) || f.prefix.eq_ignore_ascii_case(wanted))
        .map(Some)
        .ok_or_else(|| SdError::bad_request(format!("Filial {wanted} not found")))
}

/// What makes a filial list valid: ids and prefixes non-empty and unique, names
/// non-empty, prefixes without `-` (it separates the prefix in a `CS_id`).
pub fn validate(filials: &[Filial]) -> Result<(), String> {
    for (index, filial) in filials.iter().enumerate() {
        if filial.filial_id.trim().is_empty() || filial.filial_id == "0" {
            return Err(format!(
                "filials[{index}].filial_id: must not be empty or \"0\""
            ));
        }
        if filial.name.trim().is_empty() {
            return Err(format!("filials[{index}].name: must not be empty"));
        }
        if filial.prefix.trim().is_empty() || filial.prefix.contains('-') {
            return Err(format!("filials[{index}].prefix: non-empty, without '-'"));
        }
        let clash = filials[..index].iter().any(|other| {
            other.filial_id.eq_ignore_ascii_case(&filial.filial_id)
                || other.prefix.eq_ignore_ascii_case(&filial.prefix)
        });
        if clash {
            return Err(format!(
                "filials[{index}]: filial_id and prefix must be unique"
            ));
        }
    }
    Ok(())
}

/// `getFilials` (9.39 / 15.1): every filial of the account, without pagination.
pub fn list(account: &Account) -> Response {
    ok(json!({ "status": true, "result": { "filials": of(account) } }))
}
