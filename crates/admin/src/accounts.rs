//! `/accounts`: create, list, get, delete, settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{Map, Value};
use twin_core::accounts::{Account, NewAccount};

use crate::problem::{Body, Params, PathParams};
use crate::{Admin, Listing, Paging, Problem};

pub async fn create(
    State(admin): State<Admin>,
    Body(new): Body<NewAccount>,
) -> Result<impl IntoResponse, Problem> {
    let account = admin.app.core.accounts.create(new).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

pub async fn list(
    State(admin): State<Admin>,
    Params(paging): Params<Paging>,
) -> Result<Json<Listing<Account>>, Problem> {
    let page = admin
        .app
        .core
        .accounts
        .list(paging.offset, paging.limit()?)
        .await?;
    Ok(Json(page.into()))
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Account>, Problem> {
    Ok(Json(admin.app.core.accounts.get(&id).await?))
}

pub async fn delete(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, Problem> {
    admin.app.core.delete_account(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Merges per-dialect switches into the account's settings (`null` removes one).
pub async fn settings(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
    Body(patch): Body<Map<String, Value>>,
) -> Result<Json<Account>, Problem> {
    for (dialect, values) in &patch {
        if !twin_core::DIALECTS.contains(&dialect.as_str()) || !values.is_object() {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid settings",
                format!(
                    "settings are objects keyed by dialect ({:?})",
                    twin_core::DIALECTS
                ),
            ));
        }
    }
    Ok(Json(
        admin.app.core.accounts.update_settings(&id, patch).await?,
    ))
}
