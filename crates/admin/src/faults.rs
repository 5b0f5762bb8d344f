//! `/faults`: the fault rules applied to vendor requests (`twin_core::faults`). They live
//! in the process: replicas do not share them and a restart forgets them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;
use twin_core::faults::{NewRule, Rule};
use twin_core::CoreError;

use crate::problem::{Body, PathParams};
use crate::{Admin, Listing, Problem};

/// `{"dialect"?, "endpoint"?, "account"?, "probability"?, "count"?, "action"}`: every
/// mistake in it is a 400, the account must exist.
pub async fn create(
    State(admin): State<Admin>,
    Body(body): Body<Value>,
) -> Result<impl IntoResponse, Problem> {
    let new: NewRule =
        serde_json::from_value(body).map_err(|error| Problem::bad_request(error.to_string()))?;
    if let Some(account) = &new.account {
        if admin.app.core.accounts.find(account).await?.is_none() {
            return Err(Problem::bad_request(format!(
                "account: no account {account:?}"
            )));
        }
    }
    let now = admin.app.core.clock.now();
    let rule = admin
        .app
        .core
        .faults
        .add(new, now)
        .map_err(|error| match error {
            CoreError::Validation { .. } => Problem::bad_request(error.to_string()),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(rule)))
}

/// Every rule, newest first, with how often it fired.
pub async fn list(State(admin): State<Admin>) -> Json<Listing<Rule>> {
    Json(Listing {
        items: admin.app.core.faults.list(),
        total: None,
        next: None,
    })
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Rule>, Problem> {
    admin
        .app
        .core
        .faults
        .get(&id)
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

pub async fn delete(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, Problem> {
    if admin.app.core.faults.remove(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(&id))
    }
}

/// Removes every rule.
pub async fn clear(State(admin): State<Admin>) -> StatusCode {
    admin.app.core.faults.clear();
    StatusCode::NO_CONTENT
}

fn not_found(id: &str) -> Problem {
    CoreError::NotFound(format!("fault rule {id}")).into()
}
