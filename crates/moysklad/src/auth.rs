//! Who is asking: Basic `login:password` or a Bearer token, resolved to the account and
//! the employee behind the credential. Also the header rules every call passes: mandatory
//! gzip (415 with an empty body otherwise) and the `Accept` check.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use twin_core::accounts::Account;
use twin_core::credentials::{Credential, Secret};
use twin_core::login_guard::Subject;
use twin_http::login_limit::{self, Locked};
use twin_http::AppState;

use crate::error::MsError;
use crate::DIALECT;

pub struct Session {
    pub account: Account,
    pub credential: Credential,
    /// The employee's uid, the credential's login (`admin@demo`).
    pub uid: String,
}

pub enum Rejection {
    Error(MsError),
    /// 415 with an empty body: the vendor's answer to a request that does not accept gzip.
    NoGzip,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Self::Error(error) => error.into_response(),
            Self::NoGzip => StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response(),
        }
    }
}

impl From<Locked> for Rejection {
    fn from(_: Locked) -> Self {
        MsError::too_many_logins().into()
    }
}

impl From<MsError> for Rejection {
    fn from(error: MsError) -> Self {
        Self::Error(error)
    }
}

pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Session, Rejection> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(MsError::auth)?;
    let credentials = &state.core.credentials;
    let credential = if let Some(encoded) = authorization.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(MsError::auth)?;
        let (login, password) = decoded.split_once(':').ok_or_else(MsError::auth)?;
        let subject = Subject::Login(login);
        guarded(
            state,
            subject,
            credentials.by_password(DIALECT, login, password),
        )
        .await?
    } else if let Some(token) = authorization.strip_prefix("Bearer ") {
        guarded(
            state,
            Subject::Secret,
            credentials.by_token(DIALECT, token.trim()),
        )
        .await?
    } else {
        return Err(MsError::auth().into());
    };
    let account = state
        .core
        .accounts
        .get(&credential.account)
        .await
        .map_err(MsError::from)?;
    let Secret::Password { login, .. } = &credential.secret else {
        return Err(MsError::auth().into());
    };
    let uid = login.to_lowercase();
    check_headers(&account, headers)?;
    Ok(Session {
        account,
        credential,
        uid,
    })
}

/// Checks a credential under the failed-login limits: 1048 while the login (or, for
/// tokens, the client address) has failed too often, else 1056 when it matches nothing.
async fn guarded(
    state: &AppState,
    subject: Subject<'_>,
    check: impl std::future::Future<Output = twin_core::CoreResult<Option<Credential>>>,
) -> Result<Credential, Rejection> {
    let check = async {
        let found = check.await.map_err(MsError::from)?;
        Ok(found.ok_or_else(|| MsError::auth().into()))
    };
    login_limit::guarded(state, DIALECT, subject, check).await
}

/// Gzip is mandatory unless the account switched on `moysklad.lenientGzip`; `Accept`, when
/// given, must allow JSON.
fn check_headers(account: &Account, headers: &HeaderMap) -> Result<(), Rejection> {
    let lenient = account
        .setting(DIALECT, "lenientGzip")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("gzip"));
    if !gzip && !lenient {
        return Err(Rejection::NoGzip);
    }
    if let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        let accept = accept.to_ascii_lowercase();
        if !(accept.contains("application/json") || accept.contains("*/*")) {
            return Err(MsError::bad_accept().into());
        }
    }
    Ok(())
}
