//! `/jobs`: this process's background jobs (seeding), with their progress.

use axum::extract::State;
use axum::Json;
use twin_core::jobs::Job;
use twin_core::CoreError;

use crate::problem::PathParams;
use crate::{Admin, Listing, Problem};

/// Newest first; a replica knows only its own jobs.
pub async fn list(State(admin): State<Admin>) -> Json<Listing<Job>> {
    Json(Listing {
        items: admin.app.core.jobs.list(),
        total: None,
        next: None,
    })
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Job>, Problem> {
    admin
        .app
        .core
        .jobs
        .get(&id)
        .map(Json)
        .ok_or_else(|| CoreError::NotFound(format!("job {id}")).into())
}
