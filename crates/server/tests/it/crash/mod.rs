//! Crash under load: a mixed write load through all four dialects, the real `twin` binary
//! SIGKILLed at random points and restarted on the same database, and after each restart
//! every acknowledged write and every history and outbox invariant checked. A short run
//! per backend here; `scripts/crash-load [kills]` runs the long one (the ignored test
//! `crash::long_run`), which prints the figures docs/reliability/crash.md quotes.

mod faults;
mod load;
mod private_pg;
mod shop;
mod verify;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use twin_store::Store;
use twin_testkit::{fresh_pg_database, TwinProcess, WebhookSink};

use load::{Ledger, Target, Worker};
use shop::{answer, Shop};

const BINARY: &str = env!("CARGO_BIN_EXE_twin");
/// Webhooks polled and retried fast, so the final check need not wait long.
const FAST_WEBHOOKS: [&str; 4] = ["--webhook-poll-ms", "10", "--webhook-retry-ms", "50"];
/// Concurrent writers per server.
const WORKERS: usize = 6;
/// How long the load may go without a single acknowledged write before the run fails.
const STALL: Duration = Duration::from_secs(60);

/// What a run survived and checked.
#[derive(Debug, Default)]
pub struct Figures {
    pub kills: usize,
    pub writes_checked: usize,
    pub invariant_checks: usize,
    /// From spawning the restarted server to its first healthy answer.
    pub recoveries: Vec<Duration>,
    /// From the last restart's checks to every acknowledged sale completed and every
    /// queued webhook delivered: bounded by the webhook lease (60 s), after which a
    /// delivery the kill interrupted is sent again.
    pub settled: Duration,
}

impl Figures {
    pub fn print(&self, backend: &str) {
        let mut sorted = self.recoveries.clone();
        sorted.sort();
        let ms = |d: Option<&Duration>| d.map_or(0, |d| d.as_millis());
        eprintln!(
            "crash-load {backend}: kills survived {}, writes checked {}, invariant checks {}, \
             recovery median {} ms, max {} ms, queues settled {} ms after the last restart",
            self.kills,
            self.writes_checked,
            self.invariant_checks,
            ms(sorted.get(sorted.len() / 2)),
            ms(sorted.last()),
            self.settled.as_millis(),
        );
    }
}

/// A random number below `bound`.
fn random_below(bound: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() % u128::from(bound)) as u64
}

fn spawn_workers(
    shop: &Shop,
    base: &str,
    ledger: &Arc<Ledger>,
    label: &str,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..WORKERS)
        .map(|n| {
            let worker = Worker {
                shop: shop.clone(),
                base: base.to_owned(),
                ledger: ledger.clone(),
                tag: twin_testkit::unique(&format!("{label}{n}")),
                mine: Vec::new(),
            };
            tokio::spawn(worker.run())
        })
        .collect()
}

/// Waits until `count` more writes were acknowledged than `from`; fails on a stall or a
/// refused write.
async fn wait_for_acks(ledger: &Ledger, from: usize, count: usize) {
    let mut last = (ledger.acked_total.load(Ordering::SeqCst), Instant::now());
    loop {
        let refused = ledger.refused.lock().unwrap().clone();
        assert!(
            refused.is_empty(),
            "writes refused under load: {refused:#?}"
        );
        let now = ledger.acked_total.load(Ordering::SeqCst);
        if now >= from + count {
            return;
        }
        if now != last.0 {
            last = (now, Instant::now());
        }
        assert!(
            last.1.elapsed() < STALL,
            "no write acknowledged for {STALL:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The crash-under-load run: `kills` SIGKILLs of the server at random points, each
/// followed by a restart and the checks. With `replica`, a second server on the same
/// (PostgreSQL) database takes load throughout and must keep acknowledging writes while
/// the first is dead.
pub async fn crash_under_load(database_url: &str, kills: usize, replica: bool) -> Figures {
    let sink = WebhookSink::start().await;
    let mut victim = TwinProcess::start(BINARY, database_url, &FAST_WEBHOOKS).await;
    let survivor = match replica {
        true => Some(TwinProcess::start(BINARY, database_url, &FAST_WEBHOOKS).await),
        false => None,
    };
    let shop = Shop::open(&victim, &sink).await;
    let store = twin_server::open_store(database_url)
        .await
        .expect("the test's own store");
    let ledger = Arc::new(Ledger::default());
    let mut figures = Figures::default();
    for round in 0..kills {
        ledger.stop.store(false, Ordering::SeqCst);
        let mut workers = spawn_workers(&shop, &victim.base, &ledger, &format!("r{round}w"));
        let mut survivor_workers = Vec::new();
        if let Some(survivor) = &survivor {
            let label = format!("r{round}s");
            survivor_workers = spawn_workers(&shop, &survivor.base, &ledger, &label);
        }
        let from = ledger.acked_total.load(Ordering::SeqCst);
        wait_for_acks(&ledger, from, 20 + random_below(100) as usize).await;
        victim.kill().await;
        for worker in workers.drain(..) {
            worker.await.expect("worker");
        }
        if !survivor_workers.is_empty() {
            // The survivor keeps acknowledging writes while the victim is dead; then its
            // workers stop, so the checks read a database at rest.
            let from = ledger.acked_total.load(Ordering::SeqCst);
            wait_for_acks(&ledger, from, 20).await;
            figures.invariant_checks += 1;
            ledger.stop.store(true, Ordering::SeqCst);
            for worker in survivor_workers {
                worker.await.expect("survivor worker");
            }
        }
        let restarting = Instant::now();
        victim = TwinProcess::start(BINARY, database_url, &FAST_WEBHOOKS).await;
        figures.recoveries.push(restarting.elapsed());
        figures.kills += 1;
        let touched = ledger.take_touched();
        let scene = Scene {
            shop: &shop,
            process: &victim,
            store: &store,
            sink: &sink,
        };
        let checked = check(scene, &touched).await;
        figures.writes_checked += checked.writes;
        figures.invariant_checks += checked.invariants;
    }
    let everything = ledger.snapshot();
    let scene = || Scene {
        shop: &shop,
        process: &victim,
        store: &store,
        sink: &sink,
    };
    figures.invariant_checks += check(scene(), &everything).await.invariants;
    let settling = Instant::now();
    figures.invariant_checks += settle(scene(), &everything).await;
    figures.settled = settling.elapsed();
    victim.kill().await;
    if let Some(survivor) = survivor {
        survivor.kill().await;
    }
    figures
}

/// What the checks look at: the account, the server running now, the database (read
/// directly) and the webhook receiver.
pub struct Scene<'a> {
    pub shop: &'a Shop,
    pub process: &'a TwinProcess,
    pub store: &'a Arc<dyn Store>,
    pub sink: &'a WebhookSink,
}

/// The checks after a restart, over the entities in `known`.
pub async fn check(scene: Scene<'_>, known: &BTreeMap<Target, load::Known>) -> verify::Checked {
    let (shop, process, store) = (scene.shop, scene.process, scene.store);
    let reading = verify::Reading::take(store, &shop.account, scene.sink).await;
    let writes = verify::acknowledged_writes(shop, &process.base, known, &reading.after).await;
    let mut invariants = verify::history_is_gapless(&reading.after);
    invariants += verify::outbox_matches_history(&reading);
    verify::Checked { writes, invariants }
}

/// After the last restart: every acknowledged sale completes exactly once (the queue
/// survived the kills) and every queued webhook reaches the receiver.
async fn settle(scene: Scene<'_>, known: &BTreeMap<Target, load::Known>) -> usize {
    let (shop, process, store) = (scene.shop, scene.process, scene.store);
    let deadline = Instant::now() + Duration::from_secs(120);
    for (target, known) in known {
        let (Target::Sale(id), Some(_)) = (target, &known.acked) else {
            continue;
        };
        loop {
            let request = shop.kassa(&process.base, Method::GET, &format!("/operations/{id}"));
            let (status, body) = answer(request).await.expect("operation");
            assert_eq!(status, 200, "{body}");
            if body["status"] == "COMPLETE" {
                break;
            }
            assert_ne!(
                body["status"], "FAIL",
                "an acknowledged sale failed: {body}"
            );
            assert!(Instant::now() < deadline, "sale never completed: {body}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    while store.pending_deliveries().await.expect("pending") > 0 {
        assert!(Instant::now() < deadline, "webhooks still pending");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reading = verify::Reading::take(store, &shop.account, scene.sink).await;
    verify::outbox_matches_history(&reading);
    let got: BTreeSet<&str> = reading.received.iter().map(|r| r.body.as_str()).collect();
    for delivery in &reading.deliveries {
        assert_eq!(delivery.status.as_str(), "delivered", "{delivery:?}");
        assert!(
            got.contains(delivery.body.as_str()),
            "never received: {delivery:?}"
        );
    }
    3
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite:{}", dir.path().join("crash.db").display())
}

#[tokio::test]
async fn acknowledged_writes_and_invariants_survive_kills_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    crash_under_load(&sqlite_url(&dir), 3, false)
        .await
        .print("sqlite");
}

#[tokio::test]
async fn acknowledged_writes_and_invariants_survive_kills_on_postgres() {
    match fresh_pg_database("crash_load").await {
        Some(url) => crash_under_load(&url, 3, false).await.print("postgres"),
        None => eprintln!("TWIN_TEST_PG_URL unset: skipped"),
    }
}

#[tokio::test]
async fn one_replica_killed_while_the_other_keeps_serving() {
    match fresh_pg_database("crash_replicas").await {
        Some(url) => crash_under_load(&url, 3, true)
            .await
            .print("postgres, two replicas"),
        None => eprintln!("TWIN_TEST_PG_URL unset: skipped"),
    }
}

/// The long run behind `scripts/crash-load`: `TWIN_CRASH_KILLS` kills (100 by default) on
/// SQLite, on PostgreSQL and on two PostgreSQL replicas, printing the figures.
#[tokio::test]
#[ignore = "long: run by scripts/crash-load"]
async fn long_run() {
    let kills = std::env::var("TWIN_CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    crash_under_load(&sqlite_url(&dir), kills, false)
        .await
        .print("sqlite");
    if let Some(url) = fresh_pg_database("crash_long").await {
        crash_under_load(&url, kills, false).await.print("postgres");
    }
    if let Some(url) = fresh_pg_database("crash_long_replicas").await {
        crash_under_load(&url, kills, true)
            .await
            .print("postgres, two replicas");
    }
}
