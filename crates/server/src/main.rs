use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use twin_core::login_guard::{Limit, LoginLimits};
use twin_core::webhooks::RetryPolicy;
use twin_server::config::{Cli, Command, Config};
use twin_server::{demo, open_store, start, EdgeLimits, Launch};

#[tokio::main]
async fn main() {
    let Cli { command } = Cli::parse();
    let config = match command {
        Command::Serve(config) => config,
        Command::Seed(config) => {
            if let Err(message) = twin_server::seed::run(config).await {
                eprintln!("twin seed: {message}");
                std::process::exit(1);
            }
            return;
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    if let Err(message) = serve(config).await {
        tracing::error!("{message}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let store = open_store(&config.database_url)
        .await
        .map_err(|e| format!("cannot open {}: {e}", config.database_url))?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let generated = config.admin_token.is_none();
    let admin_token = config
        .admin_token
        .clone()
        .unwrap_or_else(twin_core::ids::random_token);
    let retry = RetryPolicy {
        base_delay: Duration::from_millis(config.webhook_retry_ms),
        ..RetryPolicy::default()
    };
    let running = start(
        store,
        Launch {
            listener,
            public_url: config.public_url.clone(),
            admin_token: admin_token.clone(),
            retry,
            worker_poll: Duration::from_millis(config.webhook_poll_ms.max(10)),
            demo: config.demo,
            edge: EdgeLimits {
                header_read_timeout: Duration::from_millis(config.header_read_timeout_ms.max(1)),
                ..EdgeLimits::default()
            },
            destinations: config.webhook_allow.clone(),
            login_limits: LoginLimits {
                password: Limit {
                    failures: config.login_failure_limit,
                    window: Duration::from_secs(config.login_failure_window_secs),
                },
                secret: Limit {
                    failures: config.key_failure_limit,
                    window: Duration::from_secs(config.key_failure_window_secs),
                },
            },
        },
    )
    .await?;
    let base = running.state.public_url.to_string();
    tracing::info!(addr = %running.addr, database = %config.database_url, "twin is listening");
    if generated {
        println!("Admin token (generated; pass --admin-token to fix it): {admin_token}");
    }
    if config.demo {
        println!("{}", demo::banner(&base, &admin_token));
    }
    println!("Twin is listening on {base}");
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
