//! The vendor's PyPI client `retailcrm` against Twin, unchanged and only pointed here
//! (`conformance/retailcrm/python-client.py`, `python-orders.py`, `python-tasks.py`,
//! `python-store.py`). `scripts/test` installs it into a venv of
//! its own (it pins `requests` below schemathesis' version) and exports
//! `TWIN_CONFORMANCE_RETAILCRM_PYTHON`; without it the test is skipped, except on CI.

use std::path::Path;
use std::time::Duration;

use tokio::process::Command;

use super::Crm;
use crate::conformance::{self, installed};

/// Runs `script` of `conformance/retailcrm` with a fresh account's key limited to one
/// site, as the demo's.
async fn drive(script: &str) {
    let Some(python) = installed("TWIN_CONFORMANCE_RETAILCRM_PYTHON") else {
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/retailcrm");
    let crm = Crm::with_key(&[], &["py-shop"]).await;
    let mut command = Command::new(python);
    command
        .arg(dir.join(script))
        .env("TWIN_BASE", &crm.app.base)
        .env("RCRM_KEY", &crm.key)
        .env("RCRM_SITE", "py-shop");
    conformance::run(
        &format!("PyPI retailcrm {script}"),
        &dir,
        &mut command,
        Duration::from_secs(120),
    )
    .await;
}

#[tokio::test]
async fn the_python_client_drives_customers_and_corporate_customers() {
    drive("python-client.py").await;
}

#[tokio::test]
async fn the_python_client_drives_orders() {
    drive("python-orders.py").await;
}

#[tokio::test]
async fn the_python_client_drives_tasks_calls_and_statistics() {
    drive("python-tasks.py").await;
}

#[tokio::test]
async fn the_python_client_drives_the_catalog_and_stock() {
    drive("python-store.py").await;
}
