//! A webhook receiver that records what it gets and answers with scripted statuses, or
//! not at all.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// The query string, without `?`.
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

/// How the sink answers one request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    Status(u16),
    /// Holds the request open longer than any sender waits.
    Silence,
}

/// How long a silent answer keeps the request open.
const SILENCE: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Answers for the next requests; 200 once they run out.
    script: VecDeque<Reply>,
}

#[derive(Clone)]
pub struct WebhookSink {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl WebhookSink {
    /// Starts a sink on `127.0.0.1:0` in the current runtime.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/{*path}", post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind sink");
        let base = format!("http://{}", listener.local_addr().expect("sink address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, inner }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Answers the next requests with these statuses, in order.
    pub fn respond_with(&self, statuses: &[u16]) {
        self.inner
            .lock()
            .expect("sink")
            .script
            .extend(statuses.iter().map(|s| Reply::Status(*s)));
    }

    /// Leaves the next `count` requests unanswered (recorded, held open for a minute).
    pub fn stay_silent(&self, count: usize) {
        self.inner
            .lock()
            .expect("sink")
            .script
            .extend(std::iter::repeat_n(Reply::Silence, count));
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("sink").received.clone()
    }

    /// Waits until at least `count` requests arrived, or panics after `timeout`.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "sink got {} of {count} webhooks within {timeout:?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let reply = {
        let mut inner = inner.lock().expect("sink");
        inner.received.push(Received {
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        inner.script.pop_front().unwrap_or(Reply::Status(200))
    };
    match reply {
        Reply::Status(status) => StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        Reply::Silence => {
            tokio::time::sleep(SILENCE).await;
            StatusCode::OK
        }
    }
}
