//! MoySklad JSON API 1.2 under `/api/remap/1.2`: the vendor's conventions (auth, mandatory
//! gzip, `meta` links, lists with filter/search/order/expand, mass operations, error
//! codes, rate-limit headers) and the entities built so far. See
//! `docs/moysklad/fidelity.md` for what differs from the real service.

mod accounts;
mod admin;
mod assortment;
mod auth;
mod catalog_routes;
mod catalog_settings;
pub mod dataset;
mod endpoint;
mod engine;
mod entities;
mod error;
mod fields;
mod filter;
mod metadata;
mod model;
mod params;
mod price_types;
mod rate_limit;
mod reads;
mod reports;
mod representation;
mod routes;
mod seed;
mod stock;
mod tree;
mod webhooks;

use axum::response::Response;
use axum::routing::any;
use axum::Router;
use twin_http::faults::Injected;
use twin_http::{AppState, Dialect, Plumbing};

pub use endpoint::MsEndpoint;
use error::MsError;
pub use webhooks::delivery_policy;

/// The parsers of what clients send (query parameters, `filter=`/`order=`/`expand=`,
/// hrefs, times), public so that the fuzz targets (`fuzz/`) can call them directly.
pub mod untrusted {
    pub use crate::engine::check_expand;
    pub use crate::entities::by_keyword;
    pub use crate::error::MsError;
    pub use crate::filter::{list_filter, parse as parse_filter, sort_keys, Field, Op, Term};
    pub use crate::model::{Entity, EntityInfo};
    pub use crate::params::{echo_query, expand_paths, list_params, query_pairs, ListParams};
    pub use crate::representation::{parse_href, parse_reference, parse_time, Links, Target};
}

/// The API's root path.
pub const BASE_PATH: &str = "/api/remap/1.2";

/// The dialect's name in the store, request log and metrics.
pub const DIALECT: &str = "moysklad";

pub struct MoySklad;

impl Dialect for MoySklad {
    const NAME: &'static str = DIALECT;
    /// Codes are checked for uniqueness across the catalog on every write, integrations
    /// sync by `externalCode`, and variants, consignments and folder contents are found
    /// by their parent's id.
    const INDEXED_FIELDS: &'static [&'static str] = &[
        "code",
        "externalCode",
        "product.id",
        "assortment.id",
        "productFolder.id",
        "agent.id",
    ];
    const SUBSCRIPTION_KINDS: &'static [&'static str] =
        &[entities::webhook::KEYWORD, entities::webhookstock::KEYWORD];

    fn router(state: AppState) -> Router {
        Router::new()
            .route(BASE_PATH, any(routes::dispatch))
            .route(&format!("{BASE_PATH}/"), any(routes::dispatch))
            .route(&format!("{BASE_PATH}/{{*rest}}"), any(routes::dispatch))
            .with_state(state)
    }

    fn admin_routes() -> Router<AppState> {
        admin::routes()
    }

    fn plumbing_error(error: Plumbing) -> Response {
        use axum::response::IntoResponse;
        match error {
            Plumbing::PayloadTooLarge => MsError::too_large().into_response(),
            Plumbing::Timeout => MsError::new(1088, "Превышено время выполнения запроса")
                .with_status(axum::http::StatusCode::GATEWAY_TIMEOUT)
                .into_response(),
            Plumbing::NotFound => MsError::unknown_path("").into_response(),
            Plumbing::MethodNotAllowed => MsError::method_not_allowed("").into_response(),
        }
    }

    fn fault_answer(fault: Injected, _endpoint: &'static str) -> Response {
        use axum::response::IntoResponse;
        match fault {
            Injected::RateLimited { retry_after } => rate_limit::refusal(retry_after),
            Injected::ServerError(status) => MsError::internal(status).into_response(),
        }
    }
}
