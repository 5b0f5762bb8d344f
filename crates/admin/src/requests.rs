//! `/requests`: the request log, newest first.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use twin_core::CoreError;
use twin_store::{LogEntry, LogQuery};

use crate::problem::{Params, PathParams};
use crate::{Admin, Listing, Problem};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    account: Option<String>,
    dialect: Option<String>,
    endpoint: Option<String>,
    /// An exact status (`404`) or a class (`4xx`).
    status: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    /// Text found in the path, query or either body.
    q: Option<String>,
    /// The `next` of the previous page.
    before: Option<i64>,
    limit: Option<u32>,
}

fn status_range(status: &str) -> Result<(u16, u16), Problem> {
    let invalid = || Problem::bad_request("status is a code like 404 or a class like 4xx");
    if let Some(class) = status.strip_suffix("xx") {
        let class: u16 = class.parse().map_err(|_| invalid())?;
        return if (1..=5).contains(&class) {
            Ok((class * 100, class * 100 + 99))
        } else {
            Err(invalid())
        };
    }
    let code: u16 = status.parse().map_err(|_| invalid())?;
    Ok((code, code))
}

pub async fn list(
    State(admin): State<Admin>,
    Params(filters): Params<Filters>,
) -> Result<Json<Listing<LogEntry>>, Problem> {
    let limit = filters.limit.unwrap_or(50);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request("limit must be between 1 and 1000"));
    }
    let (status_min, status_max) = match &filters.status {
        Some(status) => status_range(status).map(|(a, b)| (Some(a), Some(b)))?,
        None => (None, None),
    };
    let query = LogQuery {
        account: filters.account,
        dialect: filters.dialect,
        endpoint: filters.endpoint,
        status_min,
        status_max,
        from: filters.from,
        to: filters.to,
        text: filters.q.filter(|q| !q.is_empty()),
        before_id: filters.before,
        limit,
    };
    let core = &admin.app.core;
    core.log.flush().await?;
    let page = core
        .store
        .query_log(&query)
        .await
        .map_err(CoreError::from)?;
    Ok(Json(page.into()))
}

pub async fn get(
    State(admin): State<Admin>,
    PathParams(id): PathParams<i64>,
) -> Result<Json<LogEntry>, Problem> {
    let core = &admin.app.core;
    core.log.flush().await?;
    let entry = core.store.get_log(id).await.map_err(CoreError::from)?;
    entry
        .map(Json)
        .ok_or_else(|| CoreError::NotFound(format!("request {id}")).into())
}
