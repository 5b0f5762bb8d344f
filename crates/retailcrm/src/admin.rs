//! Twin-only controls of the RetailCRM dialect, mounted in the admin API: edits made "in
//! the CRM's interface" by one of the account's users, which the history records with
//! `source: "user"` and `user {id}` (no `apiKey`), as the vendor records its users' edits.
//! `POST /admin/api/accounts/{id}/retailcrm/customers/{customerId}/edit` and
//! `POST /admin/api/accounts/{id}/retailcrm/customers-corporate/{customerId}/edit` take
//! `{"userId"?: N (default 1), "customer" | "customerCorporate": {...}}` (the internal id
//! in the path) and apply the API edit's rules; the answer is the API's `{"success":
//! true, "id": N}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use chrono::Utc;
use serde_json::{Map, Value};
use twin_core::credentials::{Credential, Secret};
use twin_http::{AppState, Problem};

use crate::corporate::edit::edit_corporate;
use crate::customers::edit::edit_customer;
use crate::customers::{find_in, CORPORATE, CUSTOMER};
use crate::error::RetailError;
use crate::request::Ctx;
use crate::DIALECT;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/retailcrm/customers/{customer}/edit",
            post(edit_individual),
        )
        .route(
            "/accounts/{id}/retailcrm/customers-corporate/{customer}/edit",
            post(edit_company),
        )
}

/// A RetailCRM error as the admin API's problem: its message, then its field problems.
pub fn problem(error: RetailError) -> Problem {
    let mut detail = error.message.clone();
    for (field, text) in &error.errors {
        detail.push_str(&format!("; {field}: {text}"));
    }
    let title = match error.status {
        StatusCode::NOT_FOUND => "Not found",
        _ => "Bad request",
    };
    Problem::new(error.status, title, detail)
}

/// The account's context for a user's edit: a stand-in credential reaching every site
/// (the user works in the CRM, not through a key), and the user's id.
pub async fn user_ctx(
    state: &AppState,
    account: &str,
    body: &Value,
) -> Result<(Ctx, i64), Problem> {
    let account = state.core.accounts.get(account).await?;
    let user = match body.get("userId") {
        None | Some(Value::Null) => 1,
        Some(id) => id
            .as_i64()
            .filter(|id| crate::users::by_id(*id).is_some())
            .ok_or_else(|| Problem::bad_request("userId: the id of one of the account's users"))?,
    };
    let credential = Credential {
        id: format!("user:{user}"),
        account: account.id.clone(),
        dialect: DIALECT.to_owned(),
        created_at: Utc::now(),
        secret: Secret::ApiKey {
            key: String::new(),
            scopes: Vec::new(),
            sites: Vec::new(),
        },
    };
    Ok((Ctx::new(state.core.clone(), account, credential), user))
}

fn document(body: &Value, field: &str) -> Result<Map<String, Value>, Problem> {
    body.get(field)
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| Problem::bad_request(format!("{field}: a JSON object is required")))
}

async fn edit_of(
    state: AppState,
    account: String,
    customer: String,
    body: Bytes,
    kind: &str,
) -> Result<Response, Problem> {
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("malformed JSON: {e}")))?;
    let field = if kind == CORPORATE {
        "customerCorporate"
    } else {
        "customer"
    };
    let changes = document(&body, field)?;
    let (ctx, user) = user_ctx(&state, &account, &body).await?;
    let before = find_in(&ctx, kind, true, None, &customer)
        .await
        .map_err(problem)?;
    let done = if kind == CORPORATE {
        edit_corporate(&ctx, &before, changes, true, Some(user)).await
    } else {
        edit_customer(&ctx, &before, changes, true, Some(user)).await
    };
    done.map_err(problem)
}

async fn edit_individual(
    State(state): State<AppState>,
    Path((account, customer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    edit_of(state, account, customer, body, CUSTOMER).await
}

async fn edit_company(
    State(state): State<AppState>,
    Path((account, customer)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    edit_of(state, account, customer, body, CORPORATE).await
}
