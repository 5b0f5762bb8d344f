//! Test support: Twin spawned on `127.0.0.1:0` over a temp SQLite file or a fresh
//! PostgreSQL database, fresh accounts, a webhook sink, account settings and clocks, answers read as JSON, the real binary for crash tests,
//! JSON redactions for snapshot assertions and what the golden-case runners share.

mod answer;
mod app;
mod golden;
mod json;
mod pg;
mod process;
mod sink;

pub use answer::{answer, Answer};
pub use app::{console_client, pg_app, sqlite_app, TestApp};
pub use golden::{known_failures, shape_problems};
pub use json::redact;
pub use pg::fresh_pg_database;
pub use process::TwinProcess;
pub use sink::{Received, WebhookSink};

/// A short random suffix for names that must not collide between tests.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}
