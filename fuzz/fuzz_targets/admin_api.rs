//! Twin's admin API, whole: the input's first byte picks a route (account creation,
//! settings, credentials, reset, snapshot import, clock, the dialects' admin routes, the
//! listings' query strings) and the rest is its body or query. The app runs in process
//! over a scratch SQLite database (`TWIN_FUZZ_DB_DIR`, else the temp dir) with one
//! account, `fuzz`, and no background workers (no webhook is sent). Nothing may panic,
//! and no input may get a 5xx: bad input is the client's error.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;
use twin_core::accounts::NewAccount;
use twin_core::clock::SystemClock;

const TOKEN: &str = "fuzz-admin-token";

/// `(method, path after /admin/api, whether the rest is a query rather than a body)`.
const ROUTES: [(Method, &str, bool); 15] = [
    (Method::POST, "/accounts", false),
    (Method::PATCH, "/accounts/fuzz/settings", false),
    (Method::POST, "/accounts/fuzz/credentials", false),
    (Method::POST, "/accounts/fuzz/reset", false),
    (Method::PUT, "/accounts/fuzz/snapshot", false),
    (Method::POST, "/accounts/fuzz/clock", false),
    (Method::POST, "/accounts/fuzz/webhooks/test", false),
    (Method::PUT, "/accounts/fuzz/moysklad/stock", false),
    (Method::POST, "/accounts/fuzz/kassa/cashboxes", false),
    (
        Method::PUT,
        "/accounts/fuzz/salesdoc/disabled-methods",
        false,
    ),
    (Method::PUT, "/accounts/fuzz/salesdoc/filials", false),
    (
        Method::POST,
        "/accounts/fuzz/retailcrm/customers/1/edit",
        false,
    ),
    (Method::GET, "/requests", true),
    (Method::GET, "/webhooks/deliveries", true),
    (Method::GET, "/accounts", true),
];

struct Harness {
    runtime: tokio::runtime::Runtime,
    app: Router,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = std::env::var_os("TWIN_FUZZ_DB_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(std::env::temp_dir)
            .join(format!("twin-fuzz-admin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite:{}", dir.join("twin.db").display());
        let app = runtime.block_on(async {
            let store = twin_server::open_store(&url).await.expect("a store");
            let state = twin_server::state(store, Arc::new(SystemClock), "http://twin.local");
            state
                .core
                .accounts
                .create(NewAccount {
                    id: Some("fuzz".into()),
                    name: None,
                    seed: None,
                })
                .await
                .expect("the fuzz account");
            twin_server::app(state, TOKEN)
        });
        Harness { runtime, app }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (method, path, query) = &ROUTES[usize::from(pick) % ROUTES.len()];
    let mut uri = format!("/admin/api{path}");
    let body = if *query {
        uri.push('?');
        uri.push_str(&String::from_utf8_lossy(rest).replace(['#', ' ', '\n', '\r'], "+"));
        Body::empty()
    } else {
        Body::from(rest.to_vec())
    };
    let Ok(request) = Request::builder()
        .method(method.clone())
        .uri(&uri)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/json")
        .body(body)
    else {
        return;
    };
    let harness = harness();
    let response = harness
        .runtime
        .block_on(harness.app.clone().oneshot(request))
        .expect("the router answers");
    assert!(
        !response.status().is_server_error(),
        "{method} {uri} answered {}",
        response.status()
    );
});
