//! The `twin` server: configuration, the store chosen by URL scheme, the app with every
//! dialect and the admin API on one port, the background workers, and the demo account.

pub mod config;
pub mod demo;
pub mod edge;
mod ops;
pub mod seed;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::sync::watch;
use tower_http::compression::CompressionLayer;
use twin_core::clock::{Clock, SystemClock};
use twin_core::destinations::Destinations;
use twin_core::login_guard::LoginLimits;
use twin_core::webhooks::RetryPolicy;
use twin_core::Core;
use twin_http::{AppState, Dialect, DialectAdmin, Metrics, BODY_LIMIT};
use twin_store::{Store, StoreError};

pub use config::Config;
pub use edge::EdgeLimits;

/// Opens the store a database URL names: `postgres://` (or `postgresql://`) for
/// PostgreSQL, `sqlite:` or a plain file path for SQLite; with the dialects' indexes.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let store: Arc<dyn Store> =
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Arc::new(twin_store_pg::PgStore::open(url).await?)
        } else {
            Arc::new(twin_store_sqlite::SqliteStore::open(url).await?)
        };
    store
        .index_fields(twin_moysklad::MoySklad::INDEXED_FIELDS)
        .await?;
    Ok(store)
}

/// The services and state one process runs on.
pub fn state(store: Arc<dyn Store>, clock: Arc<dyn Clock>, public_url: &str) -> AppState {
    AppState {
        core: Core::new(store, clock),
        public_url: public_url.trim_end_matches('/').into(),
        metrics: Arc::new(Metrics::default()),
    }
}

/// The whole HTTP app: admin API, web console, health, metrics and the vendor dialects.
pub fn app(state: AppState, admin_token: &str) -> Router {
    let dialects = twin_http::mount::<twin_moysklad::MoySklad>(Router::new(), &state);
    let dialects = twin_http::mount::<twin_kassa::Kassa>(dialects, &state);
    let dialects = twin_http::mount::<twin_retailcrm::RetailCrm>(dialects, &state);
    let dialects = twin_http::mount::<twin_salesdoc::SalesDoc>(dialects, &state)
        // Only vendor requests check credentials against the failed-login limits.
        .layer(axum::middleware::from_fn(
            twin_http::login_limit::remember_peer,
        ));
    let admin = twin_admin::router(
        state.clone(),
        admin_token,
        vec![
            DialectAdmin::of::<twin_moysklad::MoySklad>(),
            DialectAdmin::of::<twin_kassa::Kassa>(),
            DialectAdmin::of::<twin_retailcrm::RetailCrm>(),
            DialectAdmin::of::<twin_salesdoc::SalesDoc>(),
        ],
    );
    Router::new()
        .merge(dialects)
        .merge(twin_console::router(
            admin.clone(),
            admin_token,
            &state.public_url,
        ))
        .merge(ops::router(state))
        .merge(admin)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // The fastest level: answers are compressed on every request (MoySklad clients
        // must ask for gzip); on a page of 100 products (290 KB) level 6 takes twice as
        // long as level 1 (zlib: 1.8 against 0.8 ms) for an answer 18% smaller.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(tower_http::CompressionLevel::Fastest),
        )
}

/// A running server: its address and the means to stop it.
pub struct Running {
    pub addr: std::net::SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, and stops the workers.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// What `start` needs besides the store.
pub struct Launch {
    pub listener: tokio::net::TcpListener,
    pub public_url: Option<String>,
    pub admin_token: String,
    pub retry: RetryPolicy,
    pub worker_poll: Duration,
    /// Create the demo account (when missing) and load its data (when it has no goods)
    /// before accepting requests.
    pub demo: bool,
    /// Limits on connections and request heads.
    pub edge: EdgeLimits,
    /// Where webhooks may go (everywhere unless restricted).
    pub destinations: Destinations,
    /// The failed-login limits, in force from the first request.
    pub login_limits: LoginLimits,
}

/// Serves the app on the listener and starts the background workers: the webhook worker,
/// which sends MoySklad's webhooks by the vendor's policy and the others by
/// `launch.retry`, and Kassa's simulated cash registers.
pub async fn start(store: Arc<dyn Store>, launch: Launch) -> Result<Running, String> {
    let addr = launch.listener.local_addr().map_err(|e| e.to_string())?;
    let public_url = launch
        .public_url
        .unwrap_or_else(|| format!("http://{addr}"));
    let mut state = state(store, Arc::new(SystemClock), &public_url);
    state.core.destinations = Arc::new(launch.destinations);
    state.core.login_guard.configure(launch.login_limits);
    state
        .core
        .credentials
        .upgrade_lookups()
        .await
        .map_err(|e| format!("cannot re-index credentials: {e}"))?;
    if launch.demo {
        demo::ensure(&state.core)
            .await
            .map_err(|e| format!("cannot create the demo account: {e}"))?;
        seed::demo(&state.core, &state.public_url)
            .await
            .map_err(|e| format!("cannot load the demo data: {e}"))?;
    }
    let (shutdown, watcher) = watch::channel(false);
    let worker = state
        .core
        .delivery_worker(launch.retry)
        .with_dialect_policy(twin_moysklad::DIALECT, twin_moysklad::delivery_policy())
        .with_dialect_policy(twin_kassa::DIALECT, twin_kassa::delivery_policy());
    let worker_task = tokio::spawn(worker.run(launch.worker_poll, watcher.clone()));
    let devices_task = tokio::spawn(twin_kassa::run_devices(state.core.clone(), watcher.clone()));
    let app = app(state.clone(), &launch.admin_token);
    let server_task = tokio::spawn(edge::serve(launch.listener, app, launch.edge, watcher));
    Ok(Running {
        addr,
        state,
        shutdown,
        tasks: vec![server_task, worker_task, devices_task],
    })
}
