//! Database faults under load: PostgreSQL stopped mid-load and started again, and SQLite's
//! disk filled up and freed. While the database is gone every dialect answers its own 5xx
//! error shape within the request timeout (never hangs); when it returns, Twin recovers by
//! itself, without a restart, and nothing acknowledged is lost.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use twin_testkit::{unique, TwinProcess, WebhookSink};

use super::load::Ledger;
use super::private_pg::PrivatePg;
use super::shop::{answer, Shop, CLIENT_CATEGORY};
use super::{check, spawn_workers, wait_for_acks, Scene, BINARY, FAST_WEBHOOKS};

/// The generous bound on an answer while the database is gone: the request timeout
/// (30 s; the pool gives up waiting for a connection after 10 s) and some slack. An
/// answer after it counts as a hang.
const ANSWER_BOUND: Duration = Duration::from_secs(45);
/// How long Twin may take to serve again once the database is back.
const RECOVERY_BOUND: Duration = Duration::from_secs(90);

/// One write per dialect, each creating something new.
fn probes(shop: &Shop, base: &str) -> Vec<(&'static str, RequestBuilder)> {
    let name = unique("probe");
    let customer = json!({ "externalId": name, "firstName": name }).to_string();
    let sale = json!({
        "operationType": "CASH_IN", "cashboxId": shop.cashbox, "createdById": shop.owner,
        "details": { "amount": 1 }
    });
    let client = json!({ "code_1C": name, "shortName": name, "clientCategory": { "code_1C": CLIENT_CATEGORY } });
    vec![
        (
            "retailcrm",
            shop.retailcrm(base, "/customers/create", &[("customer", customer)]),
        ),
        (
            "moysklad",
            shop.moysklad(base, Method::POST, "/entity/product")
                .json(&json!({ "name": name })),
        ),
        (
            "kassa",
            shop.kassa(base, Method::POST, "/operations").json(&sale),
        ),
        (
            "salesdoc",
            shop.salesdoc(base, "setClient", json!({ "data": { "client": [client] } })),
        ),
    ]
}

/// Whether `body` is the dialect's own error document.
fn vendor_error_shape(dialect: &str, body: &Value) -> bool {
    match dialect {
        "retailcrm" => body["success"] == false && body["errorMsg"].is_string(),
        "moysklad" => {
            body["errors"][0]["error"].is_string() && body["errors"][0]["code"].is_number()
        }
        "kassa" => body["message"].is_string() && body["code"].is_string(),
        _ => body["status"] == false && body["error"]["message"].is_string(),
    }
}

/// While the database is gone (or full): each probe, all sent at once, gets an answer in
/// time, a success or a 5xx in its vendor's shape; returns how many failed.
async fn fails_cleanly(shop: &Shop, base: &str) -> usize {
    let sent: Vec<_> = probes(shop, base)
        .into_iter()
        .map(|(dialect, request)| {
            tokio::spawn(async move {
                let started = Instant::now();
                let answered = tokio::time::timeout(ANSWER_BOUND, answer(request)).await;
                (dialect, answered, started.elapsed())
            })
        })
        .collect();
    let mut failed = 0;
    for probe in sent {
        let (dialect, answered, took) = probe.await.expect("probe");
        let (status, body) = answered
            .unwrap_or_else(|_| panic!("{dialect} hung with the database at fault"))
            .expect("an answer, not a dropped connection");
        eprintln!("{dialect}: {status} after {took:?} with the database at fault");
        if status < 300 {
            continue;
        }
        assert!(
            status >= 500,
            "{dialect} answered {status} with the database at fault: {body}"
        );
        assert!(
            vendor_error_shape(dialect, &body),
            "{dialect} {status}: {body}"
        );
        failed += 1;
    }
    failed
}

/// Polls until every probe succeeds again; returns how long that took.
async fn recovers(shop: &Shop, base: &str) -> Duration {
    let started = Instant::now();
    for (dialect, _) in probes(shop, base) {
        loop {
            let request = probes(shop, base)
                .into_iter()
                .find(|(d, _)| *d == dialect)
                .map(|(_, r)| r)
                .unwrap();
            let (status, body) = answer(request).await.expect("an answer");
            if status < 300 {
                break;
            }
            assert!(
                started.elapsed() < RECOVERY_BOUND,
                "{dialect} still failing: {status} {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    started.elapsed()
}

/// Once the fault is over: every dialect serves again by itself, without a restart, and
/// what was acknowledged before, during and after the fault is committed (it survives a
/// kill) with its history and webhooks.
async fn recovers_and_keeps_everything(
    shop: &Shop,
    twin: TwinProcess,
    url: &str,
    sink: &WebhookSink,
    ledger: &Ledger,
    fault: &str,
) {
    let took = recovers(shop, &twin.base).await;
    eprintln!("{fault} over: every dialect served again after {took:?}");
    twin.kill().await;
    let twin = TwinProcess::start(BINARY, url, &FAST_WEBHOOKS).await;
    let store = twin_server::open_store(url).await.expect("store");
    let scene = Scene {
        shop,
        process: &twin,
        store: &store,
        sink,
    };
    check(scene, &ledger.snapshot()).await;
    twin.kill().await;
}

/// Runs the load until 60 writes are acknowledged, then lets `fault` happen under it and
/// stops the workers that have not given up a moment later.
async fn load_then(shop: &Shop, base: &str, ledger: &Arc<Ledger>, fault: impl FnOnce()) {
    let workers = spawn_workers(shop, base, ledger, "f");
    wait_for_acks(ledger, 0, 60).await;
    fault();
    tokio::time::sleep(Duration::from_secs(2)).await;
    ledger.stop.store(true, Ordering::SeqCst);
    for worker in workers {
        worker.await.expect("worker");
    }
    let refused = ledger.refused.lock().unwrap().clone();
    for (status, finding) in refused {
        assert!(
            status >= 500,
            "a write failed otherwise than with a 5xx: {status} {finding}"
        );
    }
}

#[tokio::test]
async fn postgres_stopped_mid_load_fails_cleanly_and_twin_recovers_by_itself() {
    let Some(pg) = PrivatePg::start() else {
        eprintln!("PostgreSQL is not installed: skipped");
        return;
    };
    let url = pg.url();
    let sink = WebhookSink::start().await;
    let twin = TwinProcess::start(BINARY, &url, &FAST_WEBHOOKS).await;
    let shop = Shop::open(&twin, &sink).await;
    let ledger = Arc::new(Ledger::default());
    load_then(&shop, &twin.base, &ledger, || pg.stop()).await;
    assert_eq!(
        fails_cleanly(&shop, &twin.base).await,
        4,
        "every write fails while PostgreSQL is down"
    );
    pg.start_again();
    recovers_and_keeps_everything(&shop, twin, &url, &sink, &ledger, "PostgreSQL down").await;
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts `size` of tmpfs; `None` when this process may not mount (not root).
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("mount point");
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).expect("mount point");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output()
            .is_ok_and(|out| out.status.success());
        mounted.then_some(Self { path, _dir: dir })
    }

    /// Writes a file until the disk is full.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.flush();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .output();
    }
}

#[tokio::test]
async fn sqlite_disk_full_fails_cleanly_without_corruption_and_recovers() {
    let Some(disk) = SmallDisk::mount("24m") else {
        eprintln!("mounting a small tmpfs needs root: skipped");
        return;
    };
    let db = disk.path.join("twin.db");
    let url = format!("sqlite:{}", db.display());
    let sink = WebhookSink::start().await;
    let twin = TwinProcess::start(BINARY, &url, &FAST_WEBHOOKS).await;
    let shop = Shop::open(&twin, &sink).await;
    let ledger = Arc::new(Ledger::default());
    let mut filler = None;
    load_then(&shop, &twin.base, &ledger, || filler = Some(disk.fill())).await;
    // SQLite may still find room in pages it already has: some writes may succeed.
    let failed = fails_cleanly(&shop, &twin.base).await + ledger.refused.lock().unwrap().len();
    assert!(failed > 0, "the full disk failed no write");
    std::fs::remove_file(filler.expect("filled")).expect("free the space");
    recovers_and_keeps_everything(&shop, twin, &url, &sink, &ledger, "disk full").await;

    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("open the database");
    let (verdict,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity check");
    assert_eq!(verdict, "ok");
}
