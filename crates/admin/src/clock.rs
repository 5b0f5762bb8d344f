//! `/accounts/{id}/clock`: read and steer an account's time.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use twin_core::accounts::Account;
use twin_core::clock::{ClockCommand, ClockSetting};

use crate::problem::{Body, PathParams};
use crate::{Admin, Problem};

#[derive(Serialize)]
pub struct ClockView {
    now: DateTime<Utc>,
    setting: ClockSetting,
}

fn view(admin: &Admin, account: &Account) -> ClockView {
    ClockView {
        now: account.now(admin.app.core.clock.as_ref()),
        setting: account.clock,
    }
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
) -> Result<Json<ClockView>, Problem> {
    let account = admin.app.core.accounts.get(&id).await?;
    Ok(Json(view(&admin, &account)))
}

/// `{"action": "freeze" | "set" | "advance" | "release", "at": .., "seconds": ..}`.
pub async fn set(
    State(admin): State<Admin>,
    PathParams(id): PathParams<String>,
    Body(command): Body<ClockCommand>,
) -> Result<Json<ClockView>, Problem> {
    let account = admin.app.core.accounts.set_clock(&id, command).await?;
    Ok(Json(view(&admin, &account)))
}
