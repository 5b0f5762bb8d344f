//! Running real vendor clients against Twin: the scripts live in `conformance/<dialect>`;
//! `scripts/test` installs what they need and exports `TWIN_CONFORMANCE_NODE_DIR` and
//! `TWIN_CONFORMANCE_PYTHON`. Without those the tests are skipped, except on CI (`CI` set),
//! where they must run.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::Command;

fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// `None` when what a test needs is not installed: the test then returns as skipped, except on
/// CI, where it fails.
pub fn require(what: Option<String>, missing: &str) -> Option<String> {
    if what.is_none() {
        assert!(
            !on_ci(),
            "{missing}; CI must run the real-client tests (scripts/test installs them)"
        );
        eprintln!("skipped: {missing} (scripts/test installs the clients and sets it)");
    }
    what
}

pub fn installed(variable: &str) -> Option<String> {
    let value = std::env::var(variable).ok().filter(|v| !v.is_empty());
    require(value, &format!("{variable} is not set"))
}

/// Runs `command` (its environment set by the caller) in `dir` and asserts it exits 0
/// within `limit`, printing its output otherwise.
pub async fn run(name: &str, dir: &Path, command: &mut Command, limit: Duration) {
    let log = tempfile::NamedTempFile::new().expect("log file");
    // One open file for both streams (a duplicate shares the offset), so they interleave
    // rather than overwrite each other.
    let out = log.reopen().expect("log for the output");
    let err = out.try_clone().expect("log for errors");
    command
        .current_dir(dir)
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
