//! Webhook endpoints of an application (`/v1/application-webhooks/endpoints`) and the
//! test webhook (`/v1/application-webhooks/test`). Each integration sees and edits only
//! the endpoints it registered. Stored as kind `webhook_endpoint` with what `webhooks`
//! reads to deliver: `_url`, `_secret`, `_appId` (the application) and `_integration`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use twin_core::credentials::Secret;
use twin_store::{Document, Filter, ListQuery};

use crate::crud;
use crate::error::texts;
use crate::error::{KassaError, KassaResult};
use crate::fields::Fields;
use crate::pages;
use crate::render::public;
use crate::request::{timestamp, Ctx, KassaRequest, Problems};
use crate::seed::CASHBOX;
use crate::webhooks::{self, ENDPOINT, EVENTS};
use crate::writes::Changes;

const STATUSES: [&str; 2] = ["ACTIVE", "INACTIVE"];
const AUTH_TYPES: [&str; 3] = ["NO", "BEARER", "BASIC"];

/// The application the integration belongs to.
fn app_id(ctx: &Ctx) -> Option<&str> {
    match &ctx.credential.secret {
        Secret::App { app_id, .. } => Some(app_id),
        _ => None,
    }
}

fn own(ctx: &Ctx) -> Filter {
    Filter::eq("_integration", ctx.integration())
}

/// `GET /v1/application-webhooks/endpoints`: the integration's endpoints (`status` filter).
pub async fn list(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut problems = Problems::default();
    let mut filters = vec![own(ctx)];
    if let Some(status) = problems.choice(request, "status", &STATUSES) {
        filters.push(Filter::eq("status", status));
    }
    let query = ListQuery::new(ctx.scope.clone(), ENDPOINT).filter(Filter::And(filters));
    pages::list(ctx, request, query, problems).await
}

/// The integration's endpoint the path names; another's is 404.
async fn stored(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Document> {
    let doc = crud::stored(ctx, ENDPOINT, request).await?;
    if doc.body["_integration"] == ctx.integration() {
        Ok(doc)
    } else {
        Err(KassaError::not_found())
    }
}

/// The fields of a create or a full update: `status`, `url` (an http(s) URL of at most
/// 255 characters), `authType` with a `secret` for `BEARER` and `BASIC` (*inferred*),
/// and a non-empty list of `events`.
fn read(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Value> {
    let input = request.json()?;
    let fields = Fields::new(&input);
    let mut problems = Problems::default();
    let status = fields.choice(&mut problems, "status", &STATUSES, true);
    let url = fields.text(&mut problems, "url", true, 255);
    if url
        .as_deref()
        .is_some_and(|url| !twin_http::is_http_url(url))
    {
        fields.problem(&mut problems, "url", texts::URL);
    } else if url
        .as_deref()
        .is_some_and(|url| !ctx.core.destinations.allows(url))
    {
        fields.problem(&mut problems, "url", texts::URL_NOT_ALLOWED);
    }
    let auth = fields.choice(&mut problems, "authType", &AUTH_TYPES, true);
    let needs_secret = auth.as_deref().is_some_and(|auth| auth != "NO");
    let secret = fields.text(&mut problems, "secret", needs_secret, 255);
    let events: Vec<String> = fields
        .list(&mut problems, "events", true)
        .map(|items| {
            items
                .iter()
                .map(|e| e.as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default();
    if events.iter().any(|e| !EVENTS.contains(&e.as_str())) {
        fields.problem(&mut problems, "events", texts::MULTIPLE_CHOICE);
    }
    problems.into_result()?;
    let mut unique: Vec<String> = Vec::new();
    for event in events {
        if !unique.contains(&event) {
            unique.push(event);
        }
    }
    Ok(json!({
        "status": status,
        "authType": auth,
        "events": unique,
        "_url": url,
        "_secret": if needs_secret { secret } else { None },
        "_appId": app_id(ctx),
        "_integration": ctx.integration(),
    }))
}

/// `POST /v1/application-webhooks/endpoints`: 201.
pub async fn create(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let mut body = read(ctx, request)?;
    let id = ctx.new_id().await?;
    body["id"] = json!(id);
    body["createdAt"] = json!(timestamp(ctx.now));
    let saved = crud::create(ctx, ENDPOINT, &id, body).await?;
    Ok(crud::answer(StatusCode::CREATED, saved.body))
}

/// `GET /v1/application-webhooks/endpoints/{id}`.
pub async fn get(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = stored(ctx, request).await?;
    Ok(crud::answer(StatusCode::OK, doc.body))
}

/// `PUT /v1/application-webhooks/endpoints/{id}`: every field is replaced.
pub async fn update(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = stored(ctx, request).await?;
    let mut body = read(ctx, request)?;
    body["id"] = doc.body["id"].clone();
    body["createdAt"] = doc.body["createdAt"].clone();
    let saved = crud::replace(ctx, doc, body).await?;
    Ok(crud::answer(StatusCode::OK, saved.body))
}

/// `DELETE /v1/application-webhooks/endpoints/{id}`: 204.
pub async fn delete(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let doc = stored(ctx, request).await?;
    crud::remove(ctx, doc).await
}

/// `POST /v1/application-webhooks/test {event, skipVerify}`: sends the event with test
/// data to the integration's active endpoints subscribed to it (404 when there is none);
/// 204 (*inferred*: the seed shows no success answer). Twin does not verify TLS
/// certificates, so `skipVerify` changes nothing.
pub async fn test(ctx: &Ctx, request: &KassaRequest<'_>) -> KassaResult<Response> {
    let input = request.json()?;
    let fields = Fields::new(&input);
    let mut problems = Problems::default();
    let event = fields.choice(&mut problems, "event", &EVENTS, true);
    fields.flag(&mut problems, "skipVerify");
    problems.into_result()?;
    let event = event.unwrap_or_default();
    let query = ListQuery::new(ctx.scope.clone(), ENDPOINT).filter(Filter::And(vec![
        own(ctx),
        Filter::eq("status", "ACTIVE"),
        Filter::holds("events", &event),
    ]));
    let endpoints = ctx.core.entities.list(&query).await?.items;
    if endpoints.is_empty() {
        return Err(KassaError::not_found());
    }
    let content = test_content(ctx, &event).await?;
    let deliveries = endpoints
        .iter()
        .map(|doc| webhooks::delivery(&ctx.account.id, &doc.body, &event, &content, ctx.now))
        .collect();
    Changes::new(ctx.now)
        .deliveries(deliveries)
        .apply(ctx.core.store.as_ref())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Test data of an event: the seed's sample operation, the integration, or the
/// account's first cash register.
async fn test_content(ctx: &Ctx, event: &str) -> KassaResult<Value> {
    Ok(match event {
        "OPERATION_COMPLETED" | "OPERATION_FAILED" => {
            let failed = event == "OPERATION_FAILED";
            json!({
                "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
                "number": 1,
                "createdAt": timestamp(ctx.now),
                "operationType": "X_REPORT",
                "status": if failed { "FAIL" } else { "COMPLETE" },
                "message": if failed { json!("Test") } else { Value::Null },
                "cashboxId": "41fae9c8-dabb-4c22-b6b4-e0ba388688f1",
                "createdById": "e13e432a-5323-4484-a91d-b5969bc564d9",
                "details": { "cashBalance": 1000 },
            })
        }
        "CASHBOX_DATA_CHANGED" => {
            let query = ListQuery::new(ctx.scope.clone(), CASHBOX);
            let first = crud::first(ctx, &query).await?;
            first.map_or(Value::Null, |doc| public(doc.body))
        }
        "INTEGRATION_REQUEST_COMPLETED" => {
            json!({ "id": ctx.integration(), "clientToken": "test" })
        }
        _ => json!({ "id": ctx.integration() }),
    })
}
