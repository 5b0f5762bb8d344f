//! `/stats`: the console's charts (see `twin_core::stats`).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use twin_core::stats::{self, Stats};

use crate::problem::Params;
use crate::{Admin, Problem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default = "default_minutes")]
    minutes: u32,
    account: Option<String>,
}

fn default_minutes() -> u32 {
    60
}

/// The last `minutes` (1 to 1440, a day) of requests and deliveries, of one account or all.
pub async fn get(
    State(admin): State<Admin>,
    Params(window): Params<Window>,
) -> Result<Json<Stats>, Problem> {
    if !(1..=1440).contains(&window.minutes) {
        return Err(Problem::bad_request("minutes must be between 1 and 1440"));
    }
    let stats = stats::collect(&admin.app.core, window.minutes, window.account).await?;
    Ok(Json(stats))
}
