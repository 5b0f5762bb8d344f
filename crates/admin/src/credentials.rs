//! `/accounts/{id}/credentials`: issue, list, revoke.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use twin_core::credentials::{Credential, NewSecret};

use crate::problem::{Body, PathParams};
use crate::{Admin, Problem};

#[derive(Deserialize)]
pub struct IssueRequest {
    dialect: String,
    #[serde(flatten)]
    secret: NewSecret,
}

pub async fn issue(
    State(admin): State<Admin>,
    PathParams(account): PathParams<String>,
    Body(request): Body<IssueRequest>,
) -> Result<impl IntoResponse, Problem> {
    let core = &admin.app.core;
    core.accounts.get(&account).await?;
    let credential = core
        .credentials
        .issue(&account, &request.dialect, request.secret)
        .await?;
    Ok((StatusCode::CREATED, Json(credential)))
}

pub async fn list(
    State(admin): State<Admin>,
    PathParams(account): PathParams<String>,
) -> Result<Json<Vec<Credential>>, Problem> {
    let core = &admin.app.core;
    core.accounts.get(&account).await?;
    Ok(Json(core.credentials.list(&account).await?))
}

pub async fn revoke(
    State(admin): State<Admin>,
    PathParams((account, credential)): PathParams<(String, String)>,
) -> Result<StatusCode, Problem> {
    admin
        .app
        .core
        .credentials
        .revoke(&account, &credential)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
