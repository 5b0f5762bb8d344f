//! The failed-login limits (`twin_core::login_guard`) at the HTTP edge: the client address
//! each attempt is counted under, and the `Retry-After` of a refused one.
//!
//! [`remember_peer`] runs around every vendor request, so a dialect's credential check can ask
//! [`login_locked`] before checking and report the outcome with [`login_failed`] /
//! [`login_succeeded`] without the address being passed down; [`guarded`] does all three
//! around one check. A refusal answers the
//! dialect's own 429; this layer adds `Retry-After` (seconds) to it. The address is the
//! TCP peer: `X-Forwarded-For` is not trusted, since a guesser could vary it.

use std::cell::Cell;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use twin_core::login_guard::Subject;

use crate::AppState;

struct Peer {
    address: Option<IpAddr>,
    retry_after: Cell<Option<Duration>>,
}

tokio::task_local! {
    static PEER: Peer;
}

/// Middleware: remembers the request's client address for the limits, and adds
/// `Retry-After` when an attempt was refused.
pub async fn remember_peer(request: Request, next: Next) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let peer = Peer {
        address,
        retry_after: Cell::new(None),
    };
    let (mut response, retry_after) = PEER
        .scope(peer, async {
            let response = next.run(request).await;
            (response, PEER.with(|peer| peer.retry_after.get()))
        })
        .await;
    if let Some(wait) = retry_after {
        let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert("retry-after", value);
        }
    }
    response
}

/// The client address a key is counted under, written out only when a key is built.
#[derive(Clone, Copy)]
struct Client(Option<IpAddr>);

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(address) => address.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

fn client() -> Client {
    Client(PEER.try_with(|peer| peer.address).ok().flatten())
}

/// Whether the attempt must be refused without checking its secret; when it must, the
/// answer gets `Retry-After`.
pub fn login_locked(state: &AppState, dialect: &str, subject: Subject) -> bool {
    let now = state.core.clock.now();
    let Some(wait) = state
        .core
        .login_guard
        .locked(dialect, subject, client(), now)
    else {
        return false;
    };
    let _ = PEER.try_with(|peer| peer.retry_after.set(Some(wait)));
    true
}

pub fn login_failed(state: &AppState, dialect: &str, subject: Subject) {
    let now = state.core.clock.now();
    state
        .core
        .login_guard
        .failed(dialect, subject, client(), now);
}

/// A correct password clears its login's failures; a valid key or token clears nothing
/// (see `twin_core::login_guard`), so then not even the address is looked up.
pub fn login_succeeded(state: &AppState, dialect: &str, subject: Subject) {
    if let Subject::Secret = subject {
        return;
    }
    state.core.login_guard.succeeded(dialect, subject, client());
}

/// A credential check refused without running: its subject has failed too often. Each
/// dialect turns it into its own 429 (`From<Locked>` for its error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked;

/// A credential check under the failed-login limits: [`Locked`] (the check not run)
/// while `subject` is locked; else the check, whose `Ok(Ok(found))` records a success,
/// `Ok(Err(refusal))` a failure, and `Err` (a fault, or a refusal that does not count)
/// nothing.
pub async fn guarded<T, E: From<Locked>>(
    state: &AppState,
    dialect: &str,
    subject: Subject<'_>,
    check: impl std::future::Future<Output = Result<Result<T, E>, E>>,
) -> Result<T, E> {
    if login_locked(state, dialect, subject) {
        return Err(Locked.into());
    }
    match check.await? {
        Ok(found) => {
            login_succeeded(state, dialect, subject);
            Ok(found)
        }
        Err(refusal) => {
            login_failed(state, dialect, subject);
            Err(refusal)
        }
    }
}
