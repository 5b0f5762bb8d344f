//! Twin's web console under `/console/`: server-rendered pages over the admin API, which
//! it calls in-process ([`api::Api`]), so everything the console shows or does is also
//! scriptable through `/admin/api`. Pages work without JavaScript; a small script adds
//! copy buttons and live refresh. Nothing is fetched from outside: styles and script are
//! served from `/console/assets/`.

pub mod api;
mod auth;
mod charts;
mod controls;
mod data;
mod faults;
mod home;
pub mod html;
mod layout;
mod requests;
mod webhooks;

use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

pub use api::{Api, ApiError};
pub use layout::{Page, Section};

/// What every console handler gets: the admin API, the token that guards both, and the
/// address clients were given.
#[derive(Clone)]
pub struct Console {
    pub api: Api,
    /// The public base URL (no trailing slash), so URLs and curl lines work from outside.
    public_url: Arc<str>,
    token: Arc<str>,
    /// The sign-in cookie's value: the token, percent-encoded to be a valid cookie.
    cookie: Arc<str>,
}

/// The console's routes, with `admin` the whole admin router (mounted at `/admin/api`)
/// and `token` its bearer token, which is also what signs a browser in; `public_url` is the
/// address clients were given.
pub fn router(admin: Router, token: &str, public_url: &str) -> Router {
    let console = Console {
        api: Api::new(admin, token),
        public_url: public_url.trim_end_matches('/').into(),
        token: token.into(),
        cookie: api::encode(token).into(),
    };
    Router::new()
        .route("/console/", get(home::page))
        .merge(charts::routes())
        .merge(controls::routes())
        .merge(data::routes())
        .merge(faults::routes())
        .merge(webhooks::routes())
        .route("/console/logout", axum::routing::post(auth::logout))
        .route("/console/requests", get(requests::page))
        .route("/console/requests/rows", get(requests::rows))
        .route("/console/requests/{id}", get(requests::entry))
        .route("/console/{*rest}", get(not_found))
        .route_layer(from_fn_with_state(console.clone(), auth::require))
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/login", get(auth::form).post(auth::login))
        .route("/console/assets/{file}", get(asset))
        .with_state(console)
}

const CSS: &str = include_str!("../assets/console.css");
const JS: &str = include_str!("../assets/console.js");

/// The stylesheet and the script, cached for an hour (they change only with the binary).
async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "console.css" => (CSS, "text/css; charset=utf-8"),
        "console.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return not_found().await,
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn not_found() -> Response {
    Page::new("Not found", Section::None)
        .error(StatusCode::NOT_FOUND, "There is no console page here.")
}
