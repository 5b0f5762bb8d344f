//! Methods an account has disabled (01-general §8: "server-configured list of disabled
//! methods"): the account setting `salesdoc.disabledMethods`, a list of method names,
//! set with `PUT /admin/api/accounts/{id}/salesdoc/disabled-methods`. A disabled method
//! answers 403 after authentication; `login` cannot be disabled.

use twin_core::accounts::Account;

use crate::endpoint::SdEndpoint;
use crate::error::{SdError, SdResult};
use crate::DIALECT;

pub const SETTING: &str = "disabledMethods";

/// The account's disabled methods, as stored.
pub fn disabled(account: &Account) -> Vec<String> {
    account
        .setting(DIALECT, SETTING)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// 403 when the account disabled the method.
pub fn permit(account: &Account, endpoint: SdEndpoint) -> SdResult<()> {
    if disabled(account).iter().any(|m| m == endpoint.method()) {
        return Err(SdError::method_disabled(endpoint.method()));
    }
    Ok(())
}
