//! The ceiling `bench/run` measures Twin against: the same HTTP stack (axum, tokio) with no
//! storage and no JSON work. It answers `GET /<name>` (query ignored) with the bytes of the
//! file `<name>` in the directory it was given — responses captured from Twin, still gzipped —
//! so a load generator sees the same bytes as from Twin at the cost of the stack alone.
//!
//! It doubles as the webhook sink: every `POST` is answered `200` and counted, and
//! `GET /_count` returns the count, so the suite can measure deliveries per second.
//!
//! Usage: `twin-bench-baseline LISTEN_ADDR [DIR]`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

struct Baseline {
    /// Captured bodies by file name; all are gzip-encoded JSON.
    bodies: HashMap<String, Bytes>,
    /// `POST`s received (webhook deliveries when used as a sink).
    posts: AtomicU64,
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let Some(listen) = args.next() else {
        eprintln!("usage: twin-bench-baseline LISTEN_ADDR [DIR]");
        std::process::exit(2);
    };
    let bodies = match args.next() {
        Some(dir) => load(Path::new(&dir)).unwrap_or_else(|e| {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(1);
        }),
        None => HashMap::new(),
    };
    let state = Arc::new(Baseline {
        bodies,
        posts: AtomicU64::new(0),
    });
    let app = Router::new().fallback(answer).with_state(state);
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .unwrap_or_else(|e| {
            eprintln!("cannot listen on {listen}: {e}");
            std::process::exit(1);
        });
    axum::serve(listener, app).await.expect("server failed");
}

fn load(dir: &Path) -> std::io::Result<HashMap<String, Bytes>> {
    let mut bodies = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        bodies.insert(name, Bytes::from(std::fs::read(entry.path())?));
    }
    Ok(bodies)
}

async fn answer(State(state): State<Arc<Baseline>>, request: Request) -> Response {
    if request.method() == Method::POST {
        state.posts.fetch_add(1, Ordering::Relaxed);
        return StatusCode::OK.into_response();
    }
    let name = request.uri().path().trim_start_matches('/');
    if name == "_count" {
        return state
            .posts
            .load(Ordering::Relaxed)
            .to_string()
            .into_response();
    }
    match state.bodies.get(name) {
        Some(body) => (
            [
                (header::CONTENT_TYPE, "application/json;charset=utf-8"),
                (header::CONTENT_ENCODING, "gzip"),
            ],
            body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
