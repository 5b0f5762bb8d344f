//! Command-line flags, each with a `TWIN_...` environment fallback.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "twin",
    version,
    about = "Stateful twins of RetailCRM API v5, MoySklad JSON API 1.2, Produman.Kassa and SalesDoc API V2 on one port."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the four vendor APIs and the admin API.
    Serve(Config),
    /// Write deterministic demo or load data into an account, straight into the store (do
    /// not point it at the SQLite file of a running server).
    Seed(SeedConfig),
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TWIN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Where data lives: `sqlite:PATH` (or a plain path) for the embedded store,
    /// `postgres://USER@HOST/DB` to share one database between replicas.
    #[arg(
        long,
        env = "TWIN_DATABASE_URL",
        default_value = "sqlite:./twin-data/twin.db"
    )]
    pub database_url: String,

    /// The base URL clients reach Twin at, used in absolute links such as MoySklad's
    /// `meta.href` [default: http://<listen address>].
    #[arg(long, env = "TWIN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Create (when missing) the demo account with well-known credentials for all four
    /// dialects, and print them.
    #[arg(long, env = "TWIN_DEMO")]
    pub demo: bool,

    /// Bearer token of the admin API [default: generated at start and printed].
    #[arg(long, env = "TWIN_ADMIN_TOKEN")]
    pub admin_token: Option<String>,

    /// Wait before retrying a failed webhook, in milliseconds; doubles on each further
    /// failure, up to ten minutes. MoySklad's webhooks follow the vendor's policy instead.
    #[arg(long, env = "TWIN_WEBHOOK_RETRY_MS", default_value_t = 5000)]
    pub webhook_retry_ms: u64,

    /// How often the webhook worker looks for due deliveries, in milliseconds.
    #[arg(long, env = "TWIN_WEBHOOK_POLL_MS", default_value_t = 500)]
    pub webhook_poll_ms: u64,

    /// Wrong passwords allowed per login and client address within
    /// `--login-failure-window-secs`; then 429 until the oldest leaves the window. 0: no limit.
    #[arg(long, env = "TWIN_LOGIN_FAILURE_LIMIT", default_value_t = 10)]
    pub login_failure_limit: usize,

    #[arg(long, env = "TWIN_LOGIN_FAILURE_WINDOW_SECS", default_value_t = 300)]
    pub login_failure_window_secs: u64,

    /// Wrong API keys and tokens allowed per dialect and client address within
    /// `--key-failure-window-secs`; then 429 until the oldest leaves the window. 0: no limit.
    #[arg(long, env = "TWIN_KEY_FAILURE_LIMIT", default_value_t = 100)]
    pub key_failure_limit: usize,

    #[arg(long, env = "TWIN_KEY_FAILURE_WINDOW_SECS", default_value_t = 60)]
    pub key_failure_window_secs: u64,

    /// Where webhooks may be sent, for shared deployments: comma-separated host names,
    /// `*.domain` wildcards, IP addresses and CIDR blocks. Subscriptions elsewhere are
    /// refused [default: anywhere].
    #[arg(long, env = "TWIN_WEBHOOK_ALLOW", default_value = "")]
    pub webhook_allow: twin_core::destinations::Destinations,

    /// How long a client may take to send a request's headers (and a kept-alive
    /// connection may stay idle), in milliseconds; slower connections are closed.
    #[arg(long, env = "TWIN_HEADER_READ_TIMEOUT_MS", default_value_t = 20_000)]
    pub header_read_timeout_ms: u64,

    /// Log filter, e.g. `info` or `twin_core=debug` (tracing's EnvFilter syntax).
    #[arg(long, env = "TWIN_LOG", default_value = "info")]
    pub log: String,
}

#[derive(Debug, Clone, Args)]
pub struct SeedConfig {
    /// The store to write to, as for `serve`.
    #[arg(
        long,
        env = "TWIN_DATABASE_URL",
        default_value = "sqlite:./twin-data/twin.db"
    )]
    pub database_url: String,

    /// The account to fill; created (with `--seed` as its id seed) when missing, with the
    /// MoySklad login `admin@<account>`, password `<account>`, unless it has one.
    #[arg(long)]
    pub account: String,

    /// `small` (200 goods, what `serve --demo` loads), `large` (100,000 goods) or a number
    /// of goods.
    #[arg(long, default_value = "small")]
    pub dataset: twin_moysklad::dataset::Dataset,

    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// The base URL the server will be reached at, used in webhook payloads' links.
    #[arg(long, env = "TWIN_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
}
