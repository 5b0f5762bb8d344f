//! One handler for every path under `/kassa`: it routes the method and path to an
//! operation, authenticates (the application alone for the integration calls, the client
//! token for everything else), applies the rate limit and the fault rules, seeds a new
//! account, and answers.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use twin_http::{AppState, Endpoint, RequestMeta};

use crate::async_operations;
use crate::auth;
use crate::categories;
use crate::endpoint::{KassaEndpoint, Routed};
use crate::error::{KassaError, KassaResult};
use crate::integrations;
use crate::operations;
use crate::orders;
use crate::products;
use crate::rate_limit;
use crate::references;
use crate::request::{Ctx, KassaRequest};
use crate::seed;
use crate::webhook_endpoints;
use crate::Kassa;

/// Where the vendor's client sends `/v1/<action>`: its base URL is `.../kassa`.
const API_PREFIX: &str = "/kassa/v1/";
/// The approval link of a connection request (see `integrations`).
const APPROVAL_PREFIX: &str = "/kassa/integrations/connect/";

pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let meta = RequestMeta::of(request.extensions());
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    if let Some(id) = path.strip_prefix(APPROVAL_PREFIX) {
        if parts.method == Method::GET {
            return integrations::approval_page(&state, id).await;
        }
        return KassaError::method_not_allowed().into_response();
    }
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return KassaError::not_found().into_response();
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let (endpoint, id) = match KassaEndpoint::route(&parts.method, &segments) {
        Routed::Found(endpoint, id) => (endpoint, id),
        Routed::WrongMethod => return KassaError::method_not_allowed().into_response(),
        Routed::Unknown => return KassaError::not_found().into_response(),
    };
    if let Some(meta) = &meta {
        meta.set_endpoint(endpoint.name());
    }
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let request = KassaRequest::new(id, parts.uri.query(), body);
    let answer = match endpoint {
        KassaEndpoint::IntegrationConnect
        | KassaEndpoint::IntegrationGet
        | KassaEndpoint::IntegrationDeactivate => {
            application_call(&state, &parts.headers, endpoint, &request).await
        }
        _ => return client_call(&state, &parts.headers, meta, endpoint, &request).await,
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// The integration calls, made with the application's id and secret alone (there is no
/// client token before the first connection). Not rate-limited: the vendor counts
/// requests per client token.
async fn application_call(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    endpoint: KassaEndpoint,
    request: &KassaRequest<'_>,
) -> KassaResult<Response> {
    let app = auth::application(state, headers).await?;
    match endpoint {
        KassaEndpoint::IntegrationConnect => integrations::connect(state, &app, request).await,
        KassaEndpoint::IntegrationGet => integrations::get(state, &app, request).await,
        _ => integrations::deactivate(state, &app, request).await,
    }
}

/// A call on the account's data: authenticated by the client token, counted in its
/// window, with the window's headers on every answer.
async fn client_call(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    meta: Option<std::sync::Arc<RequestMeta>>,
    endpoint: KassaEndpoint,
    request: &KassaRequest<'_>,
) -> Response {
    let (account, credential) = match auth::client(state, headers).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    if let Some(meta) = &meta {
        meta.set_account(&account.id);
    }
    let decision = rate_limit::check(state, &account, &credential.id, endpoint);
    let mut response = if decision.allowed {
        if let Some(faulted) = twin_http::faults::inject::<Kassa>(state, meta.as_deref()).await {
            return faulted;
        }
        let ctx = Ctx::new(state.core.clone(), account, credential);
        handle(&ctx, endpoint, request)
            .await
            .unwrap_or_else(IntoResponse::into_response)
    } else {
        KassaError::rate_limited().into_response()
    };
    rate_limit::headers(&decision, response.headers_mut());
    response
}

async fn handle(
    ctx: &Ctx,
    endpoint: KassaEndpoint,
    request: &KassaRequest<'_>,
) -> KassaResult<Response> {
    use KassaEndpoint as E;
    seed::ensure(ctx).await?;
    match endpoint {
        E::CashboxList => references::cashboxes(ctx, request).await,
        E::CashboxGet => references::cashbox(ctx, request).await,
        E::CounterpartyList => references::counterparties(ctx, request).await,
        E::EmployeeList => references::employees(ctx, request).await,
        E::CashMovementCategoryList => references::cash_movement_categories(ctx, request).await,
        E::OrderList => orders::list(ctx, request).await,
        E::OrderCreate => orders::create(ctx, request).await,
        E::OrderGet => orders::get(ctx, request).await,
        E::OrderUpdate => orders::update(ctx, request).await,
        E::OrderDelete => orders::delete(ctx, request).await,
        E::AsyncOperationList => async_operations::list(ctx, request).await,
        E::AsyncOperationCreate => async_operations::create(ctx, request).await,
        E::AsyncOperationGet => async_operations::get(ctx, request).await,
        E::ProductCategoryList => categories::list(ctx, request).await,
        E::ProductCategoryCreate => categories::create(ctx, request).await,
        E::ProductCategoryGet => categories::get(ctx, request).await,
        E::ProductCategoryUpdate => categories::update(ctx, request).await,
        E::ProductCategoryDelete => categories::delete(ctx, request).await,
        E::ProductList => products::list(ctx, request).await,
        E::ProductCreate => products::create(ctx, request).await,
        E::ProductGet => products::get(ctx, request).await,
        E::ProductUpdate => products::update(ctx, request).await,
        E::ProductDelete => products::delete(ctx, request).await,
        E::OperationList => operations::list(ctx, request).await,
        E::OperationGet => operations::get(ctx, request).await,
        E::OperationCreate => {
            auth::subscription(&ctx.account)?;
            operations::create(ctx, request).await
        }
        E::OperationRetry => {
            auth::subscription(&ctx.account)?;
            operations::retry(ctx, request).await
        }
        E::CashMovementEdit => operations::edit_cash_movement(ctx, request).await,
        E::WebhookEndpointList => webhook_endpoints::list(ctx, request).await,
        E::WebhookEndpointCreate => webhook_endpoints::create(ctx, request).await,
        E::WebhookEndpointGet => webhook_endpoints::get(ctx, request).await,
        E::WebhookEndpointUpdate => webhook_endpoints::update(ctx, request).await,
        E::WebhookEndpointDelete => webhook_endpoints::delete(ctx, request).await,
        E::WebhookEndpointTest => webhook_endpoints::test(ctx, request).await,
        // Answered with the application's headers alone, before any account is known.
        E::IntegrationConnect | E::IntegrationGet | E::IntegrationDeactivate => {
            Err(KassaError::not_found())
        }
    }
}
