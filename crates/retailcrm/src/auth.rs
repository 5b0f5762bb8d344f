//! Who is asking: the API key from the `X-API-KEY` header or the `apiKey` query parameter
//! (the header wins), its permissions (scopes; none listed means all) and the sites it
//! may reach (none listed means all: `access_full`).

use axum::http::HeaderMap;
use twin_core::accounts::Account;
use twin_core::credentials::{Credential, Secret};
use twin_core::login_guard::Subject;
use twin_http::login_limit::{guarded, Locked};
use twin_http::AppState;

use crate::endpoint::RetailEndpoint;
use crate::error::{RetailError, RetailResult};
use crate::DIALECT;

/// Every permission the seed names, reported by `/api/credentials` for a key without a
/// scope list.
pub fn all_scopes() -> Vec<&'static str> {
    let mut scopes: Vec<&str> = RetailEndpoint::ALL
        .iter()
        .filter_map(|endpoint| endpoint.permission())
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}

/// The key a request carries.
pub fn key<'a>(headers: &'a HeaderMap, query: &'a serde_json::Value) -> Option<&'a str> {
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| query["apiKey"].as_str())
        .map(str::trim)
        .filter(|key| !key.is_empty())
}

impl From<Locked> for RetailError {
    fn from(_: Locked) -> Self {
        RetailError::rate_limited()
    }
}

/// The account and credential behind the key: 401 when it is missing or unknown, 429
/// while the client address has made too many wrong attempts (`login_limit`).
pub async fn authenticate(
    state: &AppState,
    key: Option<&str>,
) -> RetailResult<(Account, Credential)> {
    let key = key.ok_or_else(RetailError::key_missing)?;
    let check = async {
        let found = state.core.credentials.by_api_key(DIALECT, key).await?;
        Ok(found.ok_or_else(RetailError::key_wrong))
    };
    let credential = guarded(state, DIALECT, Subject::Secret, check).await?;
    let account = state
        .core
        .accounts
        .find(&credential.account)
        .await?
        .ok_or_else(RetailError::key_wrong)?;
    Ok((account, credential))
}

/// The key's scope list and site list (empty: all).
pub fn grants(credential: &Credential) -> (&[String], &[String]) {
    match &credential.secret {
        Secret::ApiKey { scopes, sites, .. } => (scopes, sites),
        _ => (&[], &[]),
    }
}

/// 403 unless the key holds the method's permission.
pub fn permit(credential: &Credential, endpoint: RetailEndpoint) -> RetailResult<()> {
    let (scopes, _) = grants(credential);
    match endpoint.permission() {
        Some(needed) if !scopes.is_empty() && !scopes.iter().any(|s| s == needed) => {
            Err(RetailError::access_denied())
        }
        _ => Ok(()),
    }
}
