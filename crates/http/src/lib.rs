//! HTTP plumbing the vendor dialects share: the [`Dialect`] trait, the application state,
//! request ids, the request-log and metrics layer, the limits every route gets, and the
//! fault rules applied to vendor requests.

mod account_ctx;
mod dialect;
pub mod faults;
pub mod login_limit;
mod meta;
pub mod metrics;
mod observe;
pub mod php_query;
mod problem;
pub mod rate_limit;

use std::sync::Arc;

pub use account_ctx::AccountCtx;
pub use dialect::{mount, Dialect, DialectAdmin, DialectInfo, Endpoint, Plumbing};
pub use meta::RequestMeta;
pub use metrics::Metrics;
pub use observe::{observe, Observe, REQUEST_ID_HEADER};
pub use problem::Problem;
use twin_core::Core;

/// The largest request body any route accepts.
pub const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// How long a request may take before it is answered with a timeout.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether `url` is an absolute http or https address with a host and no whitespace: what
/// the vendors accept as a webhook target.
pub fn is_http_url(url: &str) -> bool {
    !url.contains(char::is_whitespace)
        && url::Url::parse(url).is_ok_and(|parsed| {
            matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some()
        })
}

/// An email address's rough shape: something, `@`, a dotted domain, no whitespace. The
/// vendors check no more than this, so neither does Twin.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    /// The base URL clients reach Twin at, without a trailing slash; absolute links in
    /// responses (MoySklad's `meta.href`) start with it.
    pub public_url: Arc<str>,
    pub metrics: Arc<Metrics>,
}
