//! Twin-only controls of the SalesDoc dialect, in the admin API: the account's disabled
//! methods and its filials, each a whole list replaced at once.
//!
//! - `GET|PUT /admin/api/accounts/{id}/salesdoc/disabled-methods` — `{"methods":
//!   ["getOrder", ...]}`; every name must be a method of the vendor's surface.
//! - `GET|PUT /admin/api/accounts/{id}/salesdoc/filials` — `{"filials": [{"filial_id",
//!   "name", "domain"?, "prefix"}]}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use twin_http::{AppState, Problem};

use crate::endpoint::SdEndpoint;
use crate::filials::{self, Filial};
use crate::{access, DIALECT};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/salesdoc/disabled-methods",
            get(disabled_methods).put(set_disabled_methods),
        )
        .route(
            "/accounts/{id}/salesdoc/filials",
            get(list_filials).put(set_filials),
        )
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::bad_request(format!("malformed body: {e}")))
}

/// Stores one SalesDoc setting of the account.
async fn save(state: &AppState, account: &str, name: &str, value: Value) -> Result<(), Problem> {
    let mut patch = Map::new();
    patch.insert(DIALECT.into(), json!({ name: value }));
    state.core.accounts.update_settings(account, patch).await?;
    Ok(())
}

async fn disabled_methods(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let account = state.core.accounts.get(&account).await?;
    Ok(Json(json!({ "methods": access::disabled(&account) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Methods {
    methods: Vec<String>,
}

async fn set_disabled_methods(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let Methods { methods } = parse(&body)?;
    if let Some(unknown) = methods.iter().find(|m| SdEndpoint::parse(m).is_none()) {
        return Err(Problem::bad_request(format!(
            "methods: {unknown} is no SalesDoc method"
        )));
    }
    if methods.iter().any(|m| m == "login") {
        return Err(Problem::bad_request("methods: login cannot be disabled"));
    }
    state.core.accounts.get(&account).await?;
    save(&state, &account, access::SETTING, json!(methods)).await?;
    Ok(Json(json!({ "methods": methods })))
}

async fn list_filials(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let account = state.core.accounts.get(&account).await?;
    Ok(Json(json!({ "filials": filials::of(&account) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Filials {
    filials: Vec<Filial>,
}

async fn set_filials(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Problem> {
    let Filials { filials: list } = parse(&body)?;
    filials::validate(&list).map_err(Problem::bad_request)?;
    state.core.accounts.get(&account).await?;
    save(&state, &account, filials::SETTING, json!(list)).await?;
    Ok(Json(json!({ "filials": list })))
}
