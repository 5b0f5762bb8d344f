//! RetailCRM API v5 under `/api`, the layout of the vendor's clients
//! (`<base>/api/v5/...`): API keys with permissions and site access, the
//! `{"success": ...}` envelope and its errors, form bodies of JSON documents, PHP bracket
//! filters, page/limit pagination, the per-key rate limit, sites, customers with their
//! change history, customer interaction, users, custom fields, integration modules and
//! the catalog with its stock per store. See `docs/retailcrm/fidelity.md` for what differs from the real
//! service and what is not built yet.

mod admin;
mod admin_extra;
mod auth;
mod conventions;
mod corporate;
mod cost_refs;
mod costs;
mod currencies;
mod custom_fields;
mod customers;
mod delivery;
mod delivery_types;
mod endpoint;
mod error;
mod files;
mod history;
mod interaction;
mod journal;
mod loyalty;
mod modules;
mod notifications;
mod orders;
mod payments;
mod rate_limit;
mod reference;
mod reference_edit;
mod render;
mod request;
mod routes;
mod sites;
mod statistic;
mod store;
mod tasks;
mod telephony;
mod telephony_calls;
mod users;
mod verification;
mod web_analytics;

use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use twin_http::faults::{self, Injected};
use twin_http::{AppState, Dialect, Plumbing};

pub use endpoint::RetailEndpoint;
use error::RetailError;

/// The parsers of what clients send (bracket queries and forms, JSON form fields, list
/// filters, times), public so that the fuzz targets (`fuzz/`) can call them directly.
pub mod untrusted {
    pub use crate::customers::list::{
        containing, contragent_types, custom_field, date_range, day_range, flags, ids, integers,
        list_of, managers, search, short_text,
    };
    pub use crate::error::RetailError;
    pub use crate::orders::list::{bounds, codes};
    pub use crate::request::{parse_time, Paging, RetailRequest};
}

/// The dialect's name in the store, request log and metrics.
pub const DIALECT: &str = "retailcrm";

pub struct RetailCrm;

impl Dialect for RetailCrm {
    const NAME: &'static str = DIALECT;

    fn router(state: AppState) -> Router {
        Router::new()
            .route("/api", any(routes::dispatch))
            .route("/api/{*rest}", any(routes::dispatch))
            .with_state(state)
    }

    fn admin_routes() -> Router<AppState> {
        admin::routes()
            .merge(admin_extra::routes())
            .merge(telephony_calls::admin_routes())
    }

    fn plumbing_error(error: Plumbing) -> Response {
        match error {
            Plumbing::PayloadTooLarge => RetailError::too_large(),
            Plumbing::Timeout => RetailError::timeout(),
            Plumbing::NotFound => RetailError::no_method(),
            Plumbing::MethodNotAllowed => RetailError::method_not_allowed(),
        }
        .into_response()
    }

    fn fault_answer(fault: Injected, _endpoint: &'static str) -> Response {
        match fault {
            Injected::RateLimited { retry_after } => {
                rate_limit::refusal(retry_after.unwrap_or(rate_limit::WINDOW))
            }
            Injected::ServerError(status) => {
                RetailError::new(status, faults::server_error_text(status)).into_response()
            }
        }
    }
}
