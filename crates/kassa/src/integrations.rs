//! The integration flow: an application asks to connect to the Produman account with an
//! email (`POST /v1/integrations/connect`), the account's user approves it at the
//! `requestConnectionUrl`, and the application reads its client token from
//! `GET /v1/integrations/{id}`; `DELETE /v1/integrations/{id}` deactivates it, revoking
//! the token. Integrations live outside every account (their ids are global); each
//! approved one is a Kassa credential of the account.
//!
//! Twin's user approves at once unless the account's setting
//! `kassa.approveIntegrations` is `"manual"`: then opening the `requestConnectionUrl`
//! approves. An account's email is its setting `kassa.email`, else `<account id>@twin.local`.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value};
use twin_core::accounts::Account;
use twin_core::credentials::{NewSecret, Secret};
use twin_core::entities::EntityWrite;
use twin_core::ids::constant_time_eq;
use twin_core::SYSTEM_ACCOUNT;
use twin_http::AppState;
use twin_store::{Document, Scope};

use crate::auth::App;
use crate::error::{texts, KassaError, KassaResult};
use crate::request::{timestamp, KassaRequest};
use crate::{webhooks, DIALECT};

const KIND: &str = "integration";

fn scope() -> Scope {
    Scope::new(SYSTEM_ACCOUNT, DIALECT)
}

/// The email the account's Produman user signs in with.
pub fn email_of(account: &Account) -> String {
    account
        .setting(DIALECT, "email")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{}@twin.local", account.id))
}

async fn account_by_email(state: &AppState, email: &str) -> KassaResult<Option<Account>> {
    let mut offset = 0;
    loop {
        let page = state.core.accounts.list(offset, 500).await?;
        if let Some(found) = page
            .items
            .iter()
            .find(|account| email_of(account).eq_ignore_ascii_case(email))
        {
            return Ok(Some(found.clone()));
        }
        if page.items.len() < 500 {
            return Ok(None);
        }
        offset += 500;
    }
}

/// `POST /v1/integrations/connect`: 201 with the request's id and approval link.
pub async fn connect(
    state: &AppState,
    app: &App,
    request: &KassaRequest<'_>,
) -> KassaResult<Response> {
    let body = request.json()?;
    let email = match body.get("email") {
        None | Some(Value::Null) => return Err(KassaError::field("email", texts::BLANK)),
        Some(Value::String(email)) if email.trim().is_empty() => {
            return Err(KassaError::field("email", texts::BLANK))
        }
        Some(Value::String(email)) if twin_http::is_email(email.trim()) => email.trim().to_owned(),
        Some(_) => return Err(KassaError::field("email", texts::EMAIL)),
    };
    let account = account_by_email(state, &email)
        .await?
        .ok_or_else(|| KassaError::field("email", "User with this email was not found."))?;
    let id = state.core.ids.uuid(&account, DIALECT).await?.to_string();
    let now = account.now(state.core.clock.as_ref());
    let record = json!({
        "id": id,
        "account": account.id,
        "appId": app.id,
        "appSecret": app.secret,
        "status": "PENDING",
        "clientToken": null,
        "credentialId": null,
        "createdAt": timestamp(now),
    });
    let doc = Document::new(scope().key(KIND, id.clone()), record);
    let stored = state
        .core
        .entities
        .create(EntityWrite::new(doc, now))
        .await?;
    let manual = account
        .setting(DIALECT, "approveIntegrations")
        .and_then(Value::as_str)
        == Some("manual");
    if !manual {
        approve(state, stored).await?;
    }
    let answer = json!({
        "requestConnectionId": id,
        "requestConnectionUrl": format!("{}/kassa/integrations/connect/{id}", state.public_url),
    });
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

/// Issues the integration's client token and tells the application's endpoints in the
/// account (`INTEGRATION_REQUEST_COMPLETED`). An approved integration stays as it is.
async fn approve(state: &AppState, stored: Document) -> KassaResult<Document> {
    if stored.body["status"] != "PENDING" {
        return Ok(stored);
    }
    let account = state
        .core
        .accounts
        .get(stored.body["account"].as_str().unwrap_or_default())
        .await?;
    let app_id = stored.body["appId"].as_str().unwrap_or_default().to_owned();
    let credential = state
        .core
        .credentials
        .issue(
            &account.id,
            DIALECT,
            NewSecret::App {
                app_id: Some(app_id.clone()),
                app_secret: stored.body["appSecret"].as_str().map(str::to_owned),
                client_token: None,
            },
        )
        .await?;
    let Secret::App { client_token, .. } = &credential.secret else {
        return Err(KassaError::internal());
    };
    let mut doc = stored;
    doc.body["status"] = json!("ACTIVE");
    doc.body["clientToken"] = json!(client_token);
    doc.body["credentialId"] = json!(credential.id);
    let now = account.now(state.core.clock.as_ref());
    let mut write = EntityWrite::new(doc, now);
    write.deliveries = webhooks::deliveries(
        &state.core,
        &account.scope(DIALECT),
        "INTEGRATION_REQUEST_COMPLETED",
        &json!({ "id": write.doc.key.id, "clientToken": client_token }),
        Some(&app_id),
        now,
    )
    .await?;
    Ok(state.core.entities.update(write).await?)
}

/// The application's own integration; another application's answers 404. An
/// application is its id and its secret: accounts' credentials may carry one id with
/// different secrets, and one of them must not read the other's client token.
async fn owned(state: &AppState, app: &App, request: &KassaRequest<'_>) -> KassaResult<Document> {
    let id = request.uuid()?;
    let same = |field: &Value, given: &str| {
        field
            .as_str()
            .is_some_and(|held| constant_time_eq(held.as_bytes(), given.as_bytes()))
    };
    state
        .core
        .entities
        .find(&scope(), KIND, id)
        .await?
        .filter(|doc| same(&doc.body["appId"], &app.id) & same(&doc.body["appSecret"], &app.secret))
        .ok_or_else(KassaError::not_found)
}

/// The answer's fields: the id, the client token (null until approved or after
/// deactivation) and the access list (Twin grants the whole account: empty).
fn render(doc: &Document) -> Value {
    let token = match doc.body["status"].as_str() {
        Some("ACTIVE") => doc.body["clientToken"].clone(),
        _ => Value::Null,
    };
    json!({ "id": doc.key.id, "clientToken": token, "access": [] })
}

/// `GET /v1/integrations/{id}`.
pub async fn get(state: &AppState, app: &App, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = owned(state, app, request).await?;
    Ok(axum::Json(render(&doc)).into_response())
}

/// `DELETE /v1/integrations/{id}`: 204; the client token stops working and the
/// application's endpoints hear `INTEGRATION_TERMINATED`.
pub async fn deactivate(
    state: &AppState,
    app: &App,
    request: &KassaRequest<'_>,
) -> KassaResult<Response> {
    let mut doc = owned(state, app, request).await?;
    if doc.body["status"] != "INACTIVE" {
        let account = state
            .core
            .accounts
            .get(doc.body["account"].as_str().unwrap_or_default())
            .await?;
        if let Some(credential) = doc.body["credentialId"].as_str() {
            match state.core.credentials.revoke(&account.id, credential).await {
                Ok(()) | Err(twin_core::CoreError::NotFound(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        doc.body["status"] = json!("INACTIVE");
        let now = account.now(state.core.clock.as_ref());
        let mut write = EntityWrite::new(doc, now);
        write.deliveries = webhooks::deliveries(
            &state.core,
            &account.scope(DIALECT),
            "INTEGRATION_TERMINATED",
            &json!({ "id": write.doc.key.id }),
            Some(&app.id),
            now,
        )
        .await?;
        state.core.entities.update(write).await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /kassa/integrations/connect/{id}`: the approval link, standing in for the
/// user's click in the vendor's cabinet.
pub async fn approval_page(state: &AppState, id: &str) -> Response {
    let found = match state.core.entities.find(&scope(), KIND, id).await {
        Ok(found) => found,
        Err(error) => return KassaError::from(error).into_response(),
    };
    let Some(doc) = found else {
        return KassaError::not_found().into_response();
    };
    match approve(state, doc).await {
        Ok(doc) if doc.body["status"] == "ACTIVE" => {
            Html("<!doctype html><title>Twin</title><p>The integration is approved.</p>")
                .into_response()
        }
        Ok(_) => Html("<!doctype html><title>Twin</title><p>The integration was deactivated.</p>")
            .into_response(),
        Err(error) => error.into_response(),
    }
}
