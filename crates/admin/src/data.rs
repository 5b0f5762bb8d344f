//! Reset and snapshots of an account's data.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use twin_store::Snapshot;

use crate::problem::{Body, PathParams};
use crate::{Admin, Problem};

/// The snapshot file's format tag; importing refuses anything else.
const FORMAT: &str = "twin-snapshot/1";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    dialect: Option<String>,
}

/// Empties the account's data in one dialect (`{"dialect": "moysklad"}`) or all (`{}`).
pub async fn reset(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
    Body(request): Body<ResetRequest>,
) -> Result<StatusCode, Problem> {
    admin
        .app
        .core
        .reset_account(&id, request.dialect.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotFile {
    format: String,
    snapshot: Snapshot,
}

/// The account's data as a file: documents, sequences and history, not credentials.
pub async fn export(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Response, Problem> {
    let core = &admin.app.core;
    core.accounts.get(&id).await?;
    let file = SnapshotFile {
        format: FORMAT.into(),
        snapshot: core
            .store
            .export(&id)
            .await
            .map_err(twin_core::CoreError::from)?,
    };
    let body = serde_json::to_vec_pretty(&file).map_err(|e| Problem::bad_request(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{id}.twin.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Replaces the account's data with a snapshot file's.
pub async fn import(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
    Body(file): Body<SnapshotFile>,
) -> Result<StatusCode, Problem> {
    if file.format != FORMAT {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unknown snapshot format",
            format!("expected format {FORMAT:?}"),
        ));
    }
    let core = &admin.app.core;
    core.accounts.get(&id).await?;
    core.store
        .import(&id, &file.snapshot)
        .await
        .map_err(twin_core::CoreError::from)?;
    core.limiter.forget(&twin_core::rate_limit_prefix(&id));
    Ok(StatusCode::NO_CONTENT)
}
