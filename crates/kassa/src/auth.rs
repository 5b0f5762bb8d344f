//! Who is asking. Every call names its application (`X-APP-ID`, `X-APP-SECRET`); calls
//! on an account's data add the client token the integration flow issued
//! (`X-CLIENT-TOKEN`). A missing header is 401, headers that match no live integration
//! are 403 (the seed's "invalid token"); the 402 of an inactive subscription is the
//! operations' own (see `subscription`).

use axum::http::HeaderMap;
use twin_core::accounts::Account;
use twin_core::credentials::{Credential, Secret};
use twin_core::ids::constant_time_eq;
use twin_core::login_guard::Subject;
use twin_http::login_limit::{guarded, Locked};
use twin_http::AppState;

use crate::error::{KassaError, KassaResult};
use crate::DIALECT;

impl From<Locked> for KassaError {
    fn from(_: Locked) -> Self {
        KassaError::rate_limited()
    }
}

/// The application a request names.
pub struct App {
    pub id: String,
    pub secret: String,
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The application headers, which must belong to an application Twin knows: one that
/// some account's Kassa credential carries.
pub async fn application(state: &AppState, headers: &HeaderMap) -> KassaResult<App> {
    let (Some(id), Some(secret)) = (header(headers, "x-app-id"), header(headers, "x-app-secret"))
    else {
        return Err(KassaError::no_token());
    };
    let check = async {
        let known = state
            .core
            .credentials
            .by_app_id(DIALECT, id)
            .await?
            .iter()
            .any(|credential| {
                matches!(&credential.secret, Secret::App { app_secret, .. }
                    if constant_time_eq(app_secret.as_bytes(), secret.as_bytes()))
            });
        Ok(known.then_some(()).ok_or_else(KassaError::invalid_token))
    };
    guarded(state, DIALECT, Subject::Secret, check).await?;
    Ok(App {
        id: id.to_owned(),
        secret: secret.to_owned(),
    })
}

/// The account and integration behind the three headers.
pub async fn client(state: &AppState, headers: &HeaderMap) -> KassaResult<(Account, Credential)> {
    let (Some(id), Some(secret), Some(token)) = (
        header(headers, "x-app-id"),
        header(headers, "x-app-secret"),
        header(headers, "x-client-token"),
    ) else {
        return Err(KassaError::no_token());
    };
    let check = async {
        let found = state
            .core
            .credentials
            .by_app(DIALECT, id, secret, token)
            .await?;
        Ok(found.ok_or_else(KassaError::invalid_token))
    };
    let credential = guarded(state, DIALECT, Subject::Secret, check).await?;
    let account = state.core.accounts.get(&credential.account).await?;
    Ok((account, credential))
}

/// 402 unless the account's cash register subscription is active: the account setting
/// `kassa.subscription` (`true` unless set to `false`). Fiscal operations need it.
pub fn subscription(account: &Account) -> KassaResult<()> {
    let active = account
        .setting(DIALECT, "subscription")
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    if active {
        Ok(())
    } else {
        Err(KassaError::no_subscription())
    }
}
