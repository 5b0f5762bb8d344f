//! The HTTP/1 server at the edge, with the limits `axum::serve` does not set: a deadline
//! for a request's head (so slowloris clients and idle connections are dropped instead
//! of held forever), a cap on the head's size and header count (answered 431), a cap
//! on open connections (further clients wait in the listen backlog), and the connection
//! closed without an answer when a fault rule drops a request.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::{Service, ServiceExt};
use twin_http::faults::DropConnection;

/// The edge's limits; `Default` is what `twin serve` runs with unless told otherwise.
#[derive(Debug, Clone)]
pub struct EdgeLimits {
    /// How long a client may take to send a request's head, counted from the moment the
    /// server waits for it: on a fresh connection, and between requests of a kept-alive
    /// one (so an idle connection is closed after this long too).
    pub header_read_timeout: Duration,
    /// The largest request head (request line and headers) in bytes.
    pub max_header_bytes: usize,
    /// The most headers one request may carry.
    pub max_headers: usize,
    /// The most connections served at once.
    pub max_connections: usize,
}

impl Default for EdgeLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(20),
            max_header_bytes: 64 * 1024,
            max_headers: 100,
            max_connections: 4096,
        }
    }
}

/// How long to wait before accepting again after `accept` failed (e.g. out of file
/// descriptors), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// `app` with the client's address in every request's extensions, as
/// `into_make_service_with_connect_info` gives it (the failed-login limits count per
/// address), failing instead of answering when the answer is marked [`DropConnection`]:
/// hyper then closes the connection without writing anything, kept-alive or not.
fn with_peer(
    app: &Router,
    peer: SocketAddr,
) -> impl Service<
    Request<Incoming>,
    Response = axum::response::Response,
    Error = Dropped,
    Future = impl Send,
> + Clone {
    app.clone()
        .map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        })
        .map_result(|result: Result<axum::response::Response, Infallible>| {
            let response = result.unwrap_or_else(|never| match never {});
            if response.extensions().get::<DropConnection>().is_some() {
                Err(Dropped)
            } else {
                Ok(response)
            }
        })
}

/// Why a connection ended without an answer: a fault rule dropped it.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a fault rule")
    }
}

impl std::error::Error for Dropped {}

impl From<Infallible> for Dropped {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

/// Serves `app` on `listener` until `stop` turns true, then lets requests in flight
/// finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: EdgeLimits,
    mut stop: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let stopped = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    tokio::pin!(stopped);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = &mut stopped => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .max_header_size(limits.max_header_bytes)
            .max_headers(limits.max_headers)
            .serve_connection(
                TokioIo::new(stream),
                TowerToHyperService::new(with_peer(&app, peer)),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
}
