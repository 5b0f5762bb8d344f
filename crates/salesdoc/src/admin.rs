//! Twin-only controls of the SalesDoc dialect, in the admin API: the account's disabled
//! methods and its filials, each a whole list read or replaced at once.
//!
//! - `GET|PUT /admin/api/accounts/{id}/salesdoc/disabled-methods` — `{"methods":
//!   ["getOrder", ...]}`; every name must be a method of the vendor's surface but `login`.
//! - `GET|PUT /admin/api/accounts/{id}/salesdoc/filials` — `{"filials": [{"filial_id",
//!   "name", "domain"?, "prefix"}]}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use twin_core::accounts::Account;
use twin_http::{AppState, Problem};

use crate::endpoint::SdEndpoint;
use crate::filials::{self, Filial};
use crate::{access, DIALECT};

/// One list-valued SalesDoc setting of an account, as the admin API shows and takes it.
struct ListSetting {
    /// The account setting (`salesdoc.<setting>`).
    setting: &'static str,
    /// The member of the admin body holding the list.
    member: &'static str,
    show: fn(&Account) -> Value,
    /// The list to store, or why it is refused.
    check: fn(Value) -> Result<Value, String>,
}

const DISABLED_METHODS: ListSetting = ListSetting {
    setting: access::SETTING,
    member: "methods",
    show: |account| json!(access::disabled(account)),
    check: check_methods,
};

const FILIALS: ListSetting = ListSetting {
    setting: filials::SETTING,
    member: "filials",
    show: |account| json!(filials::of(account)),
    check: check_filials,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/salesdoc/disabled-methods",
            get(|s, p| show(s, p, &DISABLED_METHODS))
                .put(|s, p, b| replace(s, p, b, &DISABLED_METHODS)),
        )
        .route(
            "/accounts/{id}/salesdoc/filials",
            get(|s, p| show(s, p, &FILIALS)).put(|s, p, b| replace(s, p, b, &FILIALS)),
        )
}

fn check_methods(list: Value) -> Result<Value, String> {
    let methods: Vec<String> = serde_json::from_value(list).map_err(|e| e.to_string())?;
    if let Some(unknown) = methods.iter().find(|m| SdEndpoint::parse(m).is_none()) {
        return Err(format!("{unknown} is no SalesDoc method"));
    }
    if methods.iter().any(|m| m == "login") {
        return Err("login cannot be disabled".into());
    }
    Ok(json!(methods))
}

fn check_filials(list: Value) -> Result<Value, String> {
    let list: Vec<Filial> = serde_json::from_value(list).map_err(|e| e.to_string())?;
    filials::validate(&list)?;
    Ok(json!(list))
}

async fn show(
    State(state): State<AppState>,
    Path(account): Path<String>,
    what: &ListSetting,
) -> Result<Json<Value>, Problem> {
    let account = state.core.accounts.get(&account).await?;
    Ok(Json(json!({ what.member: (what.show)(&account) })))
}

async fn replace(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: Bytes,
    what: &ListSetting,
) -> Result<Json<Value>, Problem> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("malformed body: {e}")))?;
    let list = body
        .get(what.member)
        .cloned()
        .ok_or_else(|| Problem::bad_request(format!("{}: a list is required", what.member)))?;
    let list =
        (what.check)(list).map_err(|e| Problem::bad_request(format!("{}: {e}", what.member)))?;
    state.core.accounts.get(&account).await?;
    let mut patch = Map::new();
    patch.insert(DIALECT.into(), json!({ what.setting: list }));
    state.core.accounts.update_settings(&account, patch).await?;
    Ok(Json(json!({ what.member: list })))
}
