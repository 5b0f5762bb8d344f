use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use axum::Router;

use crate::faults::Injected;
use crate::{observe, AppState, Observe, RequestMeta};

/// The failures the plumbing itself answers, before or around a handler; each dialect
/// renders them in its vendor's error format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plumbing {
    PayloadTooLarge,
    Timeout,
    NotFound,
    MethodNotAllowed,
}

/// One vendor's operation. Each dialect lists the vendor's whole surface as an enum of
/// these: the coverage checklist, the request-log label and the rate-limit key.
pub trait Endpoint: Copy + Send + Sync + 'static {
    fn name(self) -> &'static str;
}

/// A vendor API served on its own paths.
pub trait Dialect: 'static {
    /// The dialect's name in the store, the request log and metrics (`retailcrm`, ...).
    const NAME: &'static str;

    /// Body fields that equality filters often test on large kinds (codes, references to
    /// a parent): the store indexes them when it opens (`Store::index_fields`).
    const INDEXED_FIELDS: &'static [&'static str] = &[];

    /// Store kinds holding the webhook subscriptions the vendor's API makes, listed by
    /// the admin API (`/accounts/{id}/webhooks/subscriptions`).
    const SUBSCRIPTION_KINDS: &'static [&'static str] = &[];

    /// `(body key, kind)` for keys of stored bodies that refer to a document of a kind
    /// they do not name (SalesDoc's `store` holds a warehouse): the admin data browser
    /// links them besides those `twin_core::links` finds by its own rules.
    const LINK_KEYS: &'static [(&'static str, &'static str)] = &[];

    /// The vendor's routes, with their full paths, and a fallback for unknown ones.
    fn router(state: AppState) -> Router;

    fn plumbing_error(error: Plumbing) -> Response;

    /// A fault rule's refusal of a request to `endpoint` in the vendor's format: the 429
    /// exactly as the dialect's own rate limit answers it (body and headers), or its
    /// server error.
    fn fault_answer(fault: Injected, endpoint: &'static str) -> Response;

    /// Twin-only controls of the dialect (e.g. setting stock that no vendor endpoint
    /// writes), mounted in the admin API behind its token, below `/admin/api`. Paths
    /// should start with `/accounts/{id}/<dialect>/`; errors are [`crate::Problem`]s.
    fn admin_routes() -> Router<AppState> {
        Router::new()
    }

    /// Labels a route with its endpoint, for the request log and metrics.
    fn endpoint<E: Endpoint>(endpoint: E, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
        route.layer(from_fn(move |request: Request, next: Next| async move {
            if let Some(meta) = RequestMeta::of(request.extensions()) {
                meta.set_endpoint(endpoint.name());
            }
            next.run(request).await
        }))
    }
}

/// What a dialect hands the admin API: its controls, and what the admin's data views
/// need to know of its data.
pub struct DialectAdmin {
    pub routes: Router<AppState>,
    pub info: DialectInfo,
}

/// The admin's data views' knowledge of a dialect's data (see the [`Dialect`] consts).
#[derive(Debug, Clone, Copy)]
pub struct DialectInfo {
    pub name: &'static str,
    pub subscription_kinds: &'static [&'static str],
    pub link_keys: &'static [(&'static str, &'static str)],
}

impl DialectAdmin {
    pub fn of<D: Dialect>() -> Self {
        Self {
            routes: D::admin_routes(),
            info: DialectInfo {
                name: D::NAME,
                subscription_kinds: D::SUBSCRIPTION_KINDS,
                link_keys: D::LINK_KEYS,
            },
        }
    }
}

/// Adds a dialect's routes to the app, logged and measured under its name.
pub fn mount<D: Dialect>(app: Router, state: &AppState) -> Router {
    let observed = observe(
        D::router(state.clone()),
        state.clone(),
        Observe {
            dialect: D::NAME,
            log: true,
            render: D::plumbing_error,
        },
    );
    app.merge(observed)
}
