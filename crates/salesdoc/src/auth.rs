//! `login` (01-general §2) and the token check of every other method. The account's
//! SalesDoc users are its `salesdoc` password credentials; each has a `userId` (`d0_N`)
//! that stays the same across logins, kept in a `user` document of the account. A login
//! issues a new token and revokes the user's earlier ones ("a new login invalidates the
//! previous token").

use axum::response::Response;
use serde_json::{json, Value};
use twin_core::accounts::Account;
use twin_core::credentials::{Credential, Secret};
use twin_core::ids::constant_time_eq;
use twin_core::login_guard::Subject;
use twin_http::login_limit::{guarded, Locked};
use twin_http::AppState;
use twin_store::{Batch, Document, Expect, StoreError, Write};

use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::render::ok;
use crate::values::text;
use crate::DIALECT;

/// The kind (and the sequence) of the account's users: those who log in and those SalesDoc
/// creates with agents and expeditors share one numbering.
pub const USER_KIND: &str = "user";

/// The documented texts of `login`'s 401.
const USER_NOT_FOUND: &str = "User not found";
const WRONG_PASSWORD: &str = "Invalid login/password";
/// *Inferred* texts for the other methods (the docs name the cases, not the words).
const NO_TOKEN: &str = "Authorization required";
const BAD_TOKEN: &str = "Invalid token";
/// *Inferred*: the docs name no limit on failed logins (docs/reliability/isolation.md).
const TOO_MANY_FAILURES: &str = "Too many failed login attempts";

impl From<Locked> for SdError {
    fn from(_: Locked) -> Self {
        SdError::rate_limited(TOO_MANY_FAILURES)
    }
}

/// `login`'s check: the account and user credential whose `auth {login, password}`
/// the envelope carries.
pub async fn check_login(state: &AppState, envelope: &Envelope) -> SdResult<(Account, Credential)> {
    let login = envelope.auth.get("login").and_then(text);
    let password = envelope.auth.get("password").and_then(text);
    let login = login.ok_or_else(|| SdError::unauthorized(USER_NOT_FOUND))?;
    let check = async {
        let found = state.core.credentials.by_login(DIALECT, &login).await?;
        let Some(credential) = found else {
            return Ok(Err(SdError::unauthorized(USER_NOT_FOUND)));
        };
        // Not a password: refused without counting as a failure.
        let Secret::Password { password: held, .. } = &credential.secret else {
            return Err(SdError::unauthorized(USER_NOT_FOUND));
        };
        let given = password.unwrap_or_default();
        if !constant_time_eq(given.as_bytes(), held.as_bytes()) {
            return Ok(Err(SdError::unauthorized(WRONG_PASSWORD)));
        }
        Ok(Ok(credential))
    };
    let credential = guarded(state, DIALECT, Subject::Login(&login), check).await?;
    let account = account_of(state, &credential, USER_NOT_FOUND).await?;
    Ok((account, credential))
}

/// `login`'s answer, `result {userId, token}`: a new token for the checked user, whose
/// earlier ones stop working.
pub async fn login(
    state: &AppState,
    account: &Account,
    credential: &Credential,
) -> SdResult<Response> {
    let user_id = user_id(state, account, credential).await?;
    let token = state
        .core
        .credentials
        .issue_token(credential, None, true)
        .await?;
    let Secret::Token { token, .. } = token.secret else {
        return Err(SdError::new(500, "a token was not issued"));
    };
    let body = json!({ "status": true, "result": { "userId": user_id, "token": token } });
    Ok(ok(body))
}

/// The account and user credential behind `auth {userId, token}`: 401 when the
/// token is missing, unknown or revoked, or belongs to another user. A missing `userId`
/// is accepted with a valid token (*Inferred*: vendor clients are seen sending the token
/// alone).
pub async fn authenticate(
    state: &AppState,
    envelope: &Envelope,
) -> SdResult<(Account, Credential)> {
    let token = envelope
        .auth
        .get("token")
        .and_then(text)
        .ok_or_else(|| SdError::unauthorized(NO_TOKEN))?;
    let check = async {
        let Some(issued) = state.core.credentials.by_token(DIALECT, &token).await? else {
            return Ok(Err(SdError::unauthorized(BAD_TOKEN)));
        };
        let account = account_of(state, &issued, BAD_TOKEN).await?;
        let user_id = user_id(state, &account, &issued).await?;
        if let Some(claimed) = envelope.auth.get("userId").and_then(text) {
            if !constant_time_eq(claimed.as_bytes(), user_id.as_bytes()) {
                return Ok(Err(SdError::unauthorized(USER_NOT_FOUND)));
            }
        }
        Ok(Ok((account, issued)))
    };
    guarded(state, DIALECT, Subject::Secret, check).await
}

/// The credential's account; 401 with `message` when it is gone.
async fn account_of(state: &AppState, credential: &Credential, message: &str) -> SdResult<Account> {
    state
        .core
        .accounts
        .find(&credential.account)
        .await?
        .ok_or_else(|| SdError::unauthorized(message))
}

/// The user's `userId`: `d0_N`, N numbered in the account in order of first use.
async fn user_id(state: &AppState, account: &Account, credential: &Credential) -> SdResult<String> {
    let scope = account.scope(DIALECT);
    let key = scope.key(USER_KIND, credential.id.clone());
    loop {
        if let Some(doc) = state.core.store.get(&key).await? {
            if let Some(id) = doc.body.get("userId").and_then(Value::as_str) {
                return Ok(id.to_owned());
            }
        }
        let number = state.core.store.next_sequence(&scope, USER_KIND).await?;
        let user_id = format!("d0_{number}");
        let doc = Document::new(key.clone(), json!({ "userId": user_id }));
        let write = Write::Put {
            doc,
            expect: Expect::Absent,
        };
        let at = account.now(state.core.clock.as_ref());
        let batch = Batch::new().write(write);
        match crate::request::apply_recorded(&state.core, batch, at).await {
            Ok(_) => return Ok(user_id),
            // Another request numbered the user first: read its number.
            Err(StoreError::Duplicate { .. } | StoreError::Conflict(_)) => continue,
            Err(other) => return Err(other.into()),
        }
    }
}
