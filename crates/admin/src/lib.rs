//! Twin's own admin API under `/admin/api`: accounts, credentials, reset, snapshots, the
//! data browser, the request log and its statistics, webhook subscriptions and
//! deliveries, background jobs, per-account clocks and fault rules. Every route but the
//! OpenAPI document wants `Authorization: Bearer <admin token>`; errors are problem
//! documents.

mod accounts;
mod browse;
mod clock;
mod credentials;
mod data;
mod faults;
mod health;
mod jobs;
mod links;
mod problem;
mod requests;
mod stats;
mod webhooks;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use twin_http::{observe, AppState, DialectAdmin, DialectInfo, Observe, Plumbing};

pub use problem::Problem;

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

#[derive(Clone)]
struct Admin {
    app: AppState,
    token: Arc<str>,
    /// What the dialects told of their data (webhook subscription kinds, link keys).
    dialects: Arc<[DialectInfo]>,
}

impl Admin {
    /// What dialect `name` told of its data (nothing, for a dialect that told nothing).
    fn dialect(&self, name: &str) -> DialectInfo {
        let told = self.dialects.iter().find(|d| d.name == name).copied();
        told.unwrap_or(DialectInfo {
            name: "",
            subscription_kinds: &[],
            link_keys: &[],
        })
    }
}

/// The admin routes, guarded by `token`, with what the dialects hand over: their own
/// routes (`Dialect::admin_routes`) and where their webhook subscriptions are stored.
pub fn router(app: AppState, token: &str, dialects: Vec<DialectAdmin>) -> Router {
    let admin = Admin {
        app: app.clone(),
        token: token.into(),
        dialects: dialects.iter().map(|d| d.info).collect(),
    };
    let guarded = Router::new()
        .route("/accounts", post(accounts::create).get(accounts::list))
        .route(
            "/accounts/{id}",
            get(accounts::get).delete(accounts::delete),
        )
        .route(
            "/accounts/{id}/settings",
            axum::routing::patch(accounts::settings),
        )
        .route(
            "/accounts/{id}/credentials",
            post(credentials::issue).get(credentials::list),
        )
        .route(
            "/accounts/{id}/credentials/{credential}",
            axum::routing::delete(credentials::revoke),
        )
        .route("/accounts/{id}/data", get(browse::overview))
        .route("/accounts/{id}/data/{dialect}/{kind}", get(browse::list))
        .route(
            "/accounts/{id}/data/{dialect}/{kind}/{entity}",
            get(browse::entity),
        )
        .route(
            "/accounts/{id}/data/{dialect}/{kind}/{entity}/history",
            get(browse::history),
        )
        .route("/accounts/{id}/reset", post(data::reset))
        .route(
            "/accounts/{id}/snapshot",
            get(data::export).put(data::import),
        )
        .route("/accounts/{id}/clock", get(clock::get).post(clock::set))
        .route(
            "/accounts/{id}/webhooks/subscriptions",
            get(webhooks::subscriptions),
        )
        .route("/accounts/{id}/webhooks/test", post(webhooks::send_test))
        .route(
            "/faults",
            post(faults::create).get(faults::list).delete(faults::clear),
        )
        .route("/faults/{id}", get(faults::get).delete(faults::delete))
        .route("/health", get(health::get))
        .route("/jobs", get(jobs::list))
        .route("/jobs/{id}", get(jobs::get))
        .route("/requests", get(requests::list))
        .route("/requests/{id}", get(requests::get))
        .route("/stats", get(stats::get))
        .route("/webhooks/deliveries", get(webhooks::list))
        .route("/webhooks/deliveries/{id}", get(webhooks::get))
        .route(
            "/webhooks/deliveries/{id}/redeliver",
            post(webhooks::redeliver),
        )
        .with_state(admin.clone());
    let guarded = dialects
        .into_iter()
        .fold(guarded, |routes, dialect| {
            routes.merge(dialect.routes.with_state(app.clone()))
        })
        .route_layer(from_fn_with_state(admin, authorize));
    let api = Router::new()
        .route("/openapi.json", get(openapi))
        .merge(guarded)
        .fallback(|| async { problem::plumbing(Plumbing::NotFound) })
        .method_not_allowed_fallback(|| async { problem::plumbing(Plumbing::MethodNotAllowed) });
    let observed = observe(
        api,
        app,
        Observe {
            dialect: "admin",
            log: false,
            render: problem::plumbing,
        },
    );
    Router::new().nest("/admin/api", observed)
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn authorize(State(admin): State<Admin>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if presented.is_some_and(|token| {
        twin_core::ids::constant_time_eq(token.as_bytes(), admin.token.as_bytes())
    }) {
        next.run(request).await
    } else {
        let mut response = Problem::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "send Authorization: Bearer <admin token>",
        )
        .into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            "Bearer".parse().expect("static header"),
        );
        response
    }
}

/// A page of items with the total, as every admin listing returns it.
#[derive(serde::Serialize)]
struct Listing<T> {
    items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

impl<T> From<twin_store::Page<T>> for Listing<T> {
    fn from(page: twin_store::Page<T>) -> Self {
        Self {
            items: page.items,
            total: page.total,
            next: page.next_cursor,
        }
    }
}

/// Listing bounds shared by the admin's offset-paged collections.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Paging {
    #[serde(default)]
    offset: u64,
    #[serde(default = "default_limit")]
    limit: u32,
}

fn default_limit() -> u32 {
    50
}

impl Paging {
    fn limit(&self) -> Result<u32, Problem> {
        if (1..=1000).contains(&self.limit) {
            Ok(self.limit)
        } else {
            Err(Problem::bad_request("limit must be between 1 and 1000"))
        }
    }
}
