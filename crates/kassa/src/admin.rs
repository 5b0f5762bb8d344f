//! Twin-only controls of the Kassa dialect, mounted in the admin API:
//! `POST /admin/api/accounts/{id}/kassa/cashboxes` adds a cash register to the account,
//! `GET` of the same path lists them with their device state (what the console's Faults
//! page toggles), and `GET|PUT /admin/api/accounts/{id}/kassa/cashboxes/{cashbox}/device` reads and injects
//! device failures (`offline`: every operation fails until it is back; `fnFull`: the fiscal
//! drive takes no more receipts).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde_json::{json, Value};
use twin_core::entities::EntityWrite;
use twin_http::{AppState, Problem};
use twin_store::{Document, ListQuery, PageRequest, Scope};

use crate::render::public;
use crate::seed::{self, CASHBOX};
use crate::writes::Changes;
use crate::DIALECT;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/kassa/cashboxes",
            get(list_cashboxes).post(add_cashbox),
        )
        .route(
            "/accounts/{id}/kassa/cashboxes/{cashbox}/device",
            get(read_device).put(set_device),
        )
}

fn json_body(body: &[u8]) -> Result<Value, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::bad_request(format!("malformed JSON: {e}")))
}

/// Adds a cash register: `{name, serial (16 digits), status? ("ACTIVE" or "INACTIVE")}`;
/// 201 with the cash register as the API shows it.
async fn add_cashbox(
    State(state): State<AppState>,
    Path(account): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, Problem> {
    let account = state.core.accounts.get(&account).await?;
    let body = json_body(&body)?;
    let name = body["name"]
        .as_str()
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| Problem::bad_request("name: a non-empty string is required"))?;
    let serial = body["serial"]
        .as_str()
        .filter(|s| s.len() == 16 && s.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| Problem::bad_request("serial: 16 digits are required"))?;
    let active = match body.get("status").and_then(Value::as_str) {
        None | Some("ACTIVE") => true,
        Some("INACTIVE") => false,
        Some(_) => return Err(Problem::bad_request("status: ACTIVE or INACTIVE")),
    };
    let id = state.core.ids.uuid(&account, DIALECT).await?.to_string();
    let now = account.now(state.core.clock.as_ref());
    let doc = Document::new(
        account.scope(DIALECT).key(CASHBOX, id.clone()),
        seed::cashbox(&id, name, serial, active),
    );
    let saved = state
        .core
        .entities
        .create(EntityWrite::new(doc, now))
        .await?;
    Ok((StatusCode::CREATED, Json(public(saved.body))).into_response())
}

/// The most cash registers listed: far more than an account has (three, plus those added).
const CASHBOX_LIMIT: u32 = 1000;

/// The account's cash registers in the order they were made: `{"items": [{"id", "name",
/// "status", "serialNumber", "device": {"offline", "fnFull"}}]}`. An account that never
/// made a Kassa request has none yet (its first request seeds three).
async fn list_cashboxes(
    State(state): State<AppState>,
    Path(account): Path<String>,
) -> Result<Json<Value>, Problem> {
    let account = state.core.accounts.get(&account).await?;
    let mut query = ListQuery::new(account.scope(DIALECT), CASHBOX).page(PageRequest::Offset {
        offset: 0,
        limit: CASHBOX_LIMIT,
    });
    query.count_total = false;
    let page = state.core.entities.list(&query).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|doc| {
            json!({
                "id": doc.body["id"],
                "name": doc.body["name"],
                "status": doc.body["status"],
                "serialNumber": doc.body["serialNumber"],
                "device": device(&doc.body),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

async fn cashbox(state: &AppState, account: &str, id: &str) -> Result<Document, Problem> {
    let account = state.core.accounts.get(account).await?;
    state
        .core
        .entities
        .find(&Scope::new(account.id, DIALECT), CASHBOX, id)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "Not found", "no such cash register"))
}

fn device(body: &Value) -> Value {
    let state = &body["_device"];
    json!({
        "offline": state["offline"].as_bool().unwrap_or(false),
        "fnFull": state["fnFull"].as_bool().unwrap_or(false),
    })
}

async fn read_device(
    State(state): State<AppState>,
    Path((account, id)): Path<(String, String)>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(device(&cashbox(&state, &account, &id).await?.body)))
}

/// Sets `{offline?, fnFull?}` (booleans; a field left out stays); answers the state.
async fn set_device(
    State(state): State<AppState>,
    Path((account, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, Problem> {
    let input = json_body(&body)?;
    let doc = cashbox(&state, &account, &id).await?;
    let mut now = device(&doc.body);
    for name in ["offline", "fnFull"] {
        match input.get(name) {
            None => {}
            Some(Value::Bool(flag)) => now[name] = json!(flag),
            Some(_) => {
                return Err(Problem::bad_request(format!(
                    "{name}: a boolean is required"
                )))
            }
        }
    }
    let mut body = doc.body.clone();
    body["_device"] = now.clone();
    Changes::new(Utc::now())
        .update(&doc, body)
        .apply(state.core.store.as_ref())
        .await?;
    Ok(Json(now))
}
