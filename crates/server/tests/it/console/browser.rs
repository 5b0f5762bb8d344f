//! The console in a real browser: the `twin` binary with `--demo` on a fresh SQLite
//! database, driven through every flow in `e2e/console/flows/` by Playwright in Debian's
//! Chromium (`e2e/console/run.mjs`; docs/console.md, "Browser tests"). `scripts/test`
//! installs both and sets `TWIN_CONSOLE_E2E_DIR` and `TWIN_CHROMIUM`; without them the test
//! is skipped, except on CI (`CI` set), where it must run. Screenshots go to
//! `target/console-screenshots/`; with `TWIN_CONSOLE_DOCS=1` the main ones also replace those
//! in `docs/console/`.

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use tokio::process::Command;
use twin_server::demo;
use twin_testkit::TwinProcess;

use crate::conformance::{installed, run};

const BINARY: &str = env!("CARGO_BIN_EXE_twin");

#[tokio::test]
async fn every_console_flow_passes_in_headless_chromium() {
    let Some(e2e_dir) = installed("TWIN_CONSOLE_E2E_DIR") else {
        return;
    };
    let Some(chromium) = installed("TWIN_CHROMIUM") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", data.path().join("console.db").display());
    let twin = TwinProcess::start(BINARY, &database, &["--demo"]).await;
    // The well-known credentials `--demo` creates, which the flows expect on the home page.
    let credentials = json!({
        "account": demo::ACCOUNT,
        "retailcrm": { "key": demo::RETAILCRM_KEY },
        "moysklad": { "login": demo::MOYSKLAD_LOGIN, "password": demo::MOYSKLAD_PASSWORD },
        "kassa": {
            "appId": demo::KASSA_APP_ID,
            "appSecret": demo::KASSA_APP_SECRET,
            "clientToken": demo::KASSA_CLIENT_TOKEN,
        },
        "salesdoc": { "login": demo::SALESDOC_LOGIN, "password": demo::SALESDOC_PASSWORD },
    });
    // `target/tmp`'s sibling.
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).with_file_name("console-screenshots");
    let mut command = Command::new("node");
    command
        .arg(Path::new(&e2e_dir).join("run.mjs"))
        .env("TWIN_BASE", &twin.base)
        .env("TWIN_ADMIN_TOKEN", &twin.admin_token)
        .env("TWIN_DEMO", credentials.to_string())
        .env("TWIN_CHROMIUM", chromium)
        .env("TWIN_SCREENSHOTS", &screenshots)
        .env_remove("TWIN_CONSOLE_DOCS_DIR");
    if std::env::var("TWIN_CONSOLE_DOCS").is_ok_and(|value| value == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/console");
        command.env("TWIN_CONSOLE_DOCS_DIR", docs);
    }
    run(
        "console browser flows",
        Path::new(&e2e_dir),
        &mut command,
        Duration::from_secs(600),
    )
    .await;
    twin.kill().await;
}
