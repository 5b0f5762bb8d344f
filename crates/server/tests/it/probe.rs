//! A tiny dialect mounted only in tests, to drive the shared plumbing (request log,
//! endpoint labels, metrics, credentials, isolation) through HTTP before the vendor
//! dialects exist. It keeps "notes" in the RetailCRM data of the key's account.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use twin_core::entities::EntityWrite;
use twin_core::CoreError;
use twin_http::faults::Injected;
use twin_http::{AppState, Dialect, Endpoint, Plumbing, RequestMeta};
use twin_store::{Document, ListQuery};

pub struct Probe;

#[derive(Clone, Copy)]
enum NoteEndpoint {
    Create,
    List,
    Get,
}

impl Endpoint for NoteEndpoint {
    fn name(self) -> &'static str {
        match self {
            Self::Create => "notes.create",
            Self::List => "notes.list",
            Self::Get => "notes.get",
        }
    }
}

impl Dialect for Probe {
    const NAME: &'static str = "retailcrm";

    fn router(state: AppState) -> Router {
        use NoteEndpoint::*;
        Router::new()
            .route(
                "/probe/notes",
                Self::endpoint(Create, post(create)).merge(Self::endpoint(List, get(list))),
            )
            .route("/probe/notes/{id}", Self::endpoint(Get, get(fetch)))
            .fallback(|| async { Self::plumbing_error(Plumbing::NotFound) })
            .with_state(state)
    }

    fn plumbing_error(error: Plumbing) -> Response {
        let status = match error {
            Plumbing::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Plumbing::Timeout => StatusCode::REQUEST_TIMEOUT,
            Plumbing::NotFound => StatusCode::NOT_FOUND,
            Plumbing::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        };
        (
            status,
            Json(json!({ "success": false, "errorMsg": format!("{error:?}") })),
        )
            .into_response()
    }

    fn fault_answer(fault: Injected, _endpoint: &'static str) -> Response {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "success": false, "errorMsg": format!("{fault:?}") })),
        )
            .into_response()
    }
}

fn failure(error: CoreError) -> Response {
    let status = match error {
        CoreError::NotFound(_) => StatusCode::NOT_FOUND,
        CoreError::Unauthorized => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    (
        status,
        Json(json!({ "success": false, "errorMsg": error.to_string() })),
    )
        .into_response()
}

async fn account(
    state: &AppState,
    headers: &HeaderMap,
    meta: Option<std::sync::Arc<RequestMeta>>,
) -> Result<String, CoreError> {
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .ok_or(CoreError::Unauthorized)?;
    let credential = state
        .core
        .credentials
        .by_api_key("retailcrm", key)
        .await?
        .ok_or(CoreError::Unauthorized)?;
    if let Some(meta) = meta {
        meta.set_account(&credential.account);
    }
    Ok(credential.account)
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let result = async {
        let owner = account(&state, &headers, meta).await?;
        let note: Value = serde_json::from_slice(&body)
            .map_err(|e| CoreError::validation("body", e.to_string()))?;
        let id = uuid::Uuid::new_v4().to_string();
        let scope = twin_store::Scope::new(owner, "retailcrm");
        let doc = Document::new(scope.key("note", id.clone()), note);
        state
            .core
            .entities
            .create(EntityWrite::new(doc, state.core.clock.now()))
            .await?;
        Ok::<_, CoreError>(id)
    }
    .await;
    match result {
        Ok(id) => (
            StatusCode::CREATED,
            Json(json!({ "success": true, "id": id })),
        )
            .into_response(),
        Err(error) => failure(error),
    }
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let result = async {
        let owner = account(&state, &headers, meta).await?;
        let scope = twin_store::Scope::new(owner, "retailcrm");
        let page = state
            .core
            .entities
            .list(&ListQuery::new(scope, "note"))
            .await?;
        Ok::<_, CoreError>(page.items.into_iter().map(|d| d.body).collect::<Vec<_>>())
    }
    .await;
    match result {
        Ok(notes) => Json(json!({ "success": true, "notes": notes })).into_response(),
        Err(error) => failure(error),
    }
}

async fn fetch(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let result = async {
        let owner = account(&state, &headers, meta).await?;
        let scope = twin_store::Scope::new(owner, "retailcrm");
        Ok::<_, CoreError>(state.core.entities.get(&scope, "note", &id).await?.body)
    }
    .await;
    match result {
        Ok(note) => Json(json!({ "success": true, "note": note })).into_response(),
        Err(error) => failure(error),
    }
}
