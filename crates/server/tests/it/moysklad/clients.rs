//! Real MoySklad clients against Twin, unchanged and only pointed here: the npm `moysklad`
//! package, the vendor's PyPI SDK `moysklad-remap-12-sdk`, and schemathesis over the vendor's
//! OpenAPI bundle. The scripts live in `conformance/moysklad`; `scripts/test` installs what
//! they need and exports `TWIN_CONFORMANCE_NODE_DIR` and `TWIN_CONFORMANCE_PYTHON`. Without
//! those the tests are skipped, except on CI (`CI` set), where they must run.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use tokio::process::Command;

use super::Ms;

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

fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// `None` when what a test needs is not installed: the test then returns as skipped, except on
/// CI, where it fails.
fn require(what: Option<String>, missing: &str) -> Option<String> {
    if what.is_none() {
        assert!(
            !on_ci(),
            "{missing}; CI must run the real-client tests (scripts/test installs them)"
        );
        eprintln!("skipped: {missing} (scripts/test installs the clients and sets it)");
    }
    what
}

fn installed(variable: &str) -> Option<String> {
    let value = std::env::var(variable).ok().filter(|v| !v.is_empty());
    require(value, &format!("{variable} is not set"))
}

/// A fresh account with a MoySklad login and rate limiting switched off: the scripts make
/// many calls in quick succession, schemathesis thousands.
async fn account() -> Ms {
    let ms = Ms::new().await;
    let response = ms
        .app
        .admin(Method::PATCH, &format!("/accounts/{}/settings", ms.account))
        .json(&json!({ "moysklad": { "rateLimit": false } }))
        .send()
        .await
        .expect("account settings");
    assert_eq!(response.status(), 200, "switching the rate limit off");
    ms
}

/// Runs `command` against the account with `TWIN_BASE`, `MS_LOGIN`, `MS_PASSWORD`,
/// `TWIN_ADMIN_TOKEN` and `TWIN_ACCOUNT` (for set-up the vendor API has no means for), and
/// asserts it exits 0 within `limit`, printing its output otherwise.
async fn run(name: &str, ms: &Ms, command: &mut Command, limit: Duration) {
    let log = tempfile::NamedTempFile::new().expect("log file");
    // One open file for both streams (a duplicate shares the offset), so they interleave
    // rather than overwrite each other.
    let out = log.reopen().expect("log for the output");
    let err = out.try_clone().expect("log for errors");
    command
        .current_dir(scripts())
        .env("TWIN_BASE", &ms.app.base)
        .env("MS_LOGIN", &ms.login)
        .env("MS_PASSWORD", &ms.password)
        .env("TWIN_ADMIN_TOKEN", &ms.app.admin_token)
        .env("TWIN_ACCOUNT", &ms.account)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        // Its own process group, so a timeout ends whatever the script started too.
        .process_group(0)
        .kill_on_drop(true);
    let started = Instant::now();
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("{name}: cannot start {command:?}: {e}"));
    let outcome = tokio::time::timeout(limit, child.wait()).await;
    let elapsed = started.elapsed();
    let output = || std::fs::read_to_string(log.path()).unwrap_or_default();
    let status = match outcome {
        Ok(status) => status.expect("waiting for the script"),
        Err(_) => {
            // The child leads its own process group (pgid = pid): end that group, and only
            // it. `--` matters: procps' kill reads `-KILL -<pid>` without it as "every
            // process".
            if let Some(pid) = child.id().filter(|pid| *pid > 1) {
                let _ = std::process::Command::new("kill")
                    .args(["-s", "KILL", "--", &format!("-{pid}")])
                    .status();
            }
            let _ = child.kill().await;
            panic!(
                "{name} did not finish within {limit:?}; its output:\n{}",
                output()
            );
        }
    };
    assert!(
        status.success(),
        "{name} failed ({status}) after {elapsed:.1?}; its output:\n{}",
        output()
    );
    eprintln!("{name} passed in {elapsed:.1?}; its output:\n{}", output());
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
