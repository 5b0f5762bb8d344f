//! `twin seed`: fills an account with a dataset, writing straight into the store through
//! the dialect's services, with a progress line on stderr.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use twin_core::accounts::NewAccount;
use twin_core::clock::SystemClock;
use twin_core::Core;
use twin_moysklad::dataset::{self, Dataset, Summary};

use crate::config::SeedConfig;

pub async fn run(config: SeedConfig) -> Result<Summary, String> {
    let store = crate::open_store(&config.database_url)
        .await
        .map_err(|e| format!("cannot open {}: {e}", config.database_url))?;
    let core = Core::new(store, Arc::new(SystemClock));
    ensure_account(&core, &config.account, config.seed).await?;
    let started = Instant::now();
    let mut bar = ProgressLine::new(started);
    let summary = dataset::generate(
        &core,
        &config.public_url,
        &config.account,
        config.dataset,
        config.seed,
        &mut |done, total| bar.show(done, total),
    )
    .await?;
    bar.finish();
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "Seeded account {}: {summary} ({} writes in {elapsed:.1} s, {:.0}/s)",
        config.account,
        summary.writes(),
        summary.writes() as f64 / elapsed.max(0.001)
    );
    Ok(summary)
}

/// The account, created with `seed` as its id seed when missing, and a MoySklad login
/// `admin@<account>` / `<account>` unless it has one.
async fn ensure_account(core: &Core, account: &str, seed: u64) -> Result<(), String> {
    core.accounts
        .ensure(NewAccount {
            id: Some(account.into()),
            name: None,
            seed: Some(seed),
        })
        .await
        .map_err(|e| format!("cannot create account {account}: {e}"))?;
    dataset::ensure_login(core, account).await
}

/// Loads the `small` dataset into the demo account unless it already has goods.
pub async fn demo(core: &Core, public_url: &str) -> Result<(), String> {
    if dataset::has_goods(core, crate::demo::ACCOUNT).await? {
        return Ok(());
    }
    let started = Instant::now();
    let small = Dataset {
        goods: dataset::SMALL_GOODS,
    };
    let summary = dataset::generate(
        core,
        public_url,
        crate::demo::ACCOUNT,
        small,
        1,
        &mut |_, _| {},
    )
    .await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data loaded: {summary}"
    );
    Ok(())
}

/// `\r`-rewritten progress: writes done, rate and time left, at most five times a second.
struct ProgressLine {
    started: Instant,
    shown: Option<Instant>,
}

impl ProgressLine {
    fn new(started: Instant) -> Self {
        Self {
            started,
            shown: None,
        }
    }

    fn show(&mut self, done: u64, total: u64) {
        let now = Instant::now();
        if self
            .shown
            .is_some_and(|shown| now - shown < Duration::from_millis(200))
        {
            return;
        }
        self.shown = Some(now);
        let elapsed = (now - self.started).as_secs_f64().max(0.001);
        let rate = done as f64 / elapsed;
        let left = total.saturating_sub(done) as f64 / rate.max(0.001);
        let percent = done * 100 / total.max(1);
        eprint!(
            "\r  {done}/{total} writes ({percent}%), {rate:.0}/s, about {:.0} s left   ",
            left
        );
        let _ = std::io::stderr().flush();
    }

    fn finish(&self) {
        if self.shown.is_some() {
            eprintln!();
        }
    }
}
