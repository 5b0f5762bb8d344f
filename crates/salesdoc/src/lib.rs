//! SalesDoc API V2 at `POST /api/v2`: one endpoint, the operation in the body's
//! `method`, the `{method, auth, filial, params, data}` envelope with its pre-parse
//! errors, `login` tokens, disabled methods, filials, per-method rate limits and time
//! windows, and the reference engine (CS_id → SD_id → code_1C) with the first
//! references. See `docs/salesdoc/fidelity.md` for what is built, inferred and not
//! built yet.

mod access;
mod admin;
mod agent;
mod auth;
mod balance;
mod batch;
mod bonus;
mod cashbox;
mod client;
mod client_category;
mod client_channel;
mod client_ledger;
mod client_type;
mod consumption;
mod correction;
mod currency_unit;
mod current_balance;
mod endpoint;
mod envelope;
mod error;
mod expeditor;
mod filial_move;
mod filials;
mod inventory;
mod ledger;
mod limits;
mod movement;
mod order;
mod outgoing;
mod payment;
mod payment_confirmation;
mod payment_type;
mod people;
mod photo;
mod photo_report;
mod price;
mod price_type;
mod product;
mod product_refs;
mod purchase;
mod reference;
mod render;
mod request;
mod routes;
mod seed;
mod shipper;
mod stock;
mod stock_count;
mod stock_doc;
mod store_log;
mod supervisor;
mod tag;
mod territory;
mod trade_direction;
mod values;
mod visit;
mod vs_exchange;
mod warehouse;

use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use twin_http::faults::{self, Injected};
use twin_http::{AppState, Dialect, Plumbing};

pub use endpoint::SdEndpoint;
use error::SdError;

/// The parsers of what clients send (the envelope, list parameters, periods and values),
/// public so that the fuzz targets (`fuzz/`) can call them directly.
pub mod untrusted {
    pub use crate::endpoint::Include;
    pub use crate::envelope::Envelope;
    pub use crate::error::SdError;
    pub use crate::reference::list::{date_range, Listing};
    pub use crate::stock_doc::period_filters;
    pub use crate::values::{active, period_bound, text, Bound};
}

/// The dialect's name in the store, request log and metrics.
pub const DIALECT: &str = "salesdoc";

pub struct SalesDoc;

impl Dialect for SalesDoc {
    const NAME: &'static str = DIALECT;
    /// Warehouses are `store` (and `storeFrom`, `storeTo`) in the vendor's documents.
    const LINK_KEYS: &'static [(&'static str, &'static str)] = &[
        ("store", warehouse::KEY),
        ("storeFrom", warehouse::KEY),
        ("storeTo", warehouse::KEY),
        ("defectWarehouse", warehouse::KEY),
        ("vanWarehouse", warehouse::KEY),
    ];

    /// `/api/v2` and `/api/v2/` (vendor clients use both); RetailCRM's `/api/{*rest}`
    /// leaves them to this router, as an exact path wins over a wildcard.
    fn router(state: AppState) -> Router {
        Router::new()
            .route("/api/v2", any(routes::dispatch))
            .route("/api/v2/", any(routes::dispatch))
            .with_state(state)
    }

    fn admin_routes() -> Router<AppState> {
        admin::routes()
            .merge(seed::routes())
            .merge(filial_move::admin::routes())
    }

    fn plumbing_error(error: Plumbing) -> Response {
        match error {
            Plumbing::PayloadTooLarge => SdError::bad_request("Request body is too large"),
            Plumbing::Timeout => SdError::new(504, "Request timed out"),
            Plumbing::NotFound => SdError::method_not_found(),
            Plumbing::MethodNotAllowed => SdError::post_only(),
        }
        .into_response()
    }

    fn fault_answer(fault: Injected, endpoint: &'static str) -> Response {
        match fault {
            Injected::RateLimited { .. } => limits::refusal(endpoint),
            Injected::ServerError(status) => {
                SdError::new(status.as_u16(), faults::server_error_text(status))
            }
        }
        .into_response()
    }
}
