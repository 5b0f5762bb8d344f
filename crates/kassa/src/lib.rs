//! Produman.Kassa under `/kassa/v1`, the layout of the vendor's PHP client
//! (`PRODUMAN_API_URL=http://HOST:PORT/kassa`): application and client-token auth, the
//! integration flow, cursor pages, `{"message","code","details"}` errors, the weighted
//! sliding-window rate limit, and the account's cash registers and reference lists. See
//! `docs/kassa/fidelity.md` for what differs from the real service.

mod admin;
mod async_operations;
mod async_tasks;
mod auth;
mod categories;
mod crud;
mod device;
mod endpoint;
mod enums;
mod error;
mod fields;
mod integrations;
mod money;
mod operations;
mod orders;
mod pages;
mod products;
mod rate_limit;
mod records;
mod references;
mod render;
mod request;
mod routes;
mod seed;
mod webhook_endpoints;
mod webhooks;
mod writes;

use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use twin_http::faults::Injected;
use twin_http::{AppState, Dialect, Plumbing};

pub use device::run as run_devices;
pub use endpoint::KassaEndpoint;
use error::KassaError;
pub use webhooks::delivery_policy;

/// The parsers of what clients send (bodies, their fields and exact numbers, query
/// parameters and pages), public so that the fuzz targets (`fuzz/`) can call them directly.
pub mod untrusted {
    pub use crate::error::KassaError;
    pub use crate::fields::Fields;
    pub use crate::money::{kopecks, thousandths, Decimal};
    pub use crate::orders::{check_body as check_order_body, list_filters as order_list_filters};
    pub use crate::pages::PageParams;
    pub use crate::records::References;
    pub use crate::request::{parse_time, KassaRequest, Problems};
}

/// The dialect's name in the store, request log and metrics.
pub const DIALECT: &str = "kassa";

pub struct Kassa;

impl Dialect for Kassa {
    const NAME: &'static str = DIALECT;
    const SUBSCRIPTION_KINDS: &'static [&'static str] = &[webhooks::ENDPOINT];

    fn router(state: AppState) -> Router {
        Router::new()
            .route("/kassa", any(routes::dispatch))
            .route("/kassa/{*rest}", any(routes::dispatch))
            .with_state(state)
    }

    fn admin_routes() -> Router<AppState> {
        admin::routes()
    }

    fn plumbing_error(error: Plumbing) -> Response {
        match error {
            Plumbing::PayloadTooLarge => KassaError::too_large(),
            Plumbing::Timeout => KassaError::timeout(),
            Plumbing::NotFound => KassaError::not_found(),
            Plumbing::MethodNotAllowed => KassaError::method_not_allowed(),
        }
        .into_response()
    }

    fn fault_answer(fault: Injected, _endpoint: &'static str) -> Response {
        match fault {
            Injected::RateLimited { retry_after } => rate_limit::refusal(retry_after),
            Injected::ServerError(status) => KassaError::server_error(status).into_response(),
        }
    }
}
