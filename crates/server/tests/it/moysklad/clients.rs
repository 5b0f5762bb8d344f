//! Real MoySklad clients against Twin, unchanged and only pointed here: the npm `moysklad`
//! package, the vendor's PyPI SDK `moysklad-remap-12-sdk`, and schemathesis over the vendor's
//! OpenAPI bundle. The scripts live in `conformance/moysklad`; `scripts/test` installs what
//! they need and exports `TWIN_CONFORMANCE_NODE_DIR` and `TWIN_CONFORMANCE_PYTHON`. Without
//! those the tests are skipped, except on CI (`CI` set), where they must run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;
use tokio::process::Command;

use super::Ms;
use crate::conformance::{self, installed, require};

/// `conformance/moysklad` in the repository.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/moysklad")
}

/// The vendor's bundled OpenAPI document: `TWIN_MS_OPENAPI`, or the copy in `shared/` beside
/// the repository.
fn openapi_bundle() -> PathBuf {
    let path = std::env::var_os("TWIN_MS_OPENAPI")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/ref/moysklad-openapi/openapi.bundled.yaml")
        });
    path.canonicalize().unwrap_or(path)
}

/// A fresh account with a MoySklad login and rate limiting switched off: the scripts make
/// many calls in quick succession, schemathesis thousands.
async fn account() -> Ms {
    let ms = Ms::new().await;
    ms.app
        .settings(&ms.account, json!({ "moysklad": { "rateLimit": false } }))
        .await;
    ms
}

/// Runs `command` in `conformance/moysklad` against the account with `TWIN_BASE`,
/// `MS_LOGIN`, `MS_PASSWORD`, `TWIN_ADMIN_TOKEN` and `TWIN_ACCOUNT` (for set-up the vendor
/// API has no means for).
async fn run(name: &str, ms: &Ms, command: &mut Command, limit: Duration) {
    command
        .env("TWIN_BASE", &ms.app.base)
        .env("MS_LOGIN", &ms.login)
        .env("MS_PASSWORD", &ms.password)
        .env("TWIN_ADMIN_TOKEN", &ms.app.admin_token)
        .env("TWIN_ACCOUNT", &ms.account);
    conformance::run(name, &scripts(), command, limit).await;
}

#[tokio::test]
async fn the_npm_client_creates_reads_updates_lists_and_deletes() {
    let Some(node_dir) = installed("TWIN_CONFORMANCE_NODE_DIR") else {
        return;
    };
    // The script next to its installed node_modules: Node resolves `moysklad` from there.
    let script = Path::new(&node_dir).join("npm-client.mjs");
    let ms = account().await;
    run(
        "npm moysklad client",
        &ms,
        Command::new("node").arg(script),
        Duration::from_secs(120),
    )
    .await;
}

#[tokio::test]
async fn the_python_sdk_creates_reads_updates_lists_and_deletes() {
    let Some(python) = installed("TWIN_CONFORMANCE_PYTHON") else {
        return;
    };
    let script = scripts().join("python-client.py");
    let ms = account().await;
    // Importing the SDK builds validators for every generated method: close to a minute.
    run(
        "PyPI moysklad-remap-12-sdk",
        &ms,
        Command::new(python).arg(script),
        Duration::from_secs(400),
    )
    .await;
}

#[tokio::test]
async fn schemathesis_finds_no_conformance_failures() {
    let Some(python) = installed("TWIN_CONFORMANCE_PYTHON") else {
        return;
    };
    let bundle = openapi_bundle();
    let found = bundle.is_file().then(|| bundle.display().to_string());
    let Some(bundle) = require(
        found,
        &format!(
            "no OpenAPI bundle at {} (TWIN_MS_OPENAPI)",
            bundle.display()
        ),
    ) else {
        return;
    };
    let script = scripts().join("schemathesis.sh");
    let ms = account().await;
    run(
        "schemathesis",
        &ms,
        Command::new("bash")
            .arg(script)
            .env("TWIN_MS_OPENAPI", bundle)
            .env("TWIN_CONFORMANCE_PYTHON", python),
        Duration::from_secs(1200),
    )
    .await;
}
