//! Core services that have no HTTP surface of their own yet: rate limits, seeded ids,
//! entity history, credential resolution.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;
use twin_core::accounts::NewAccount;
use twin_core::clock::{Clock, ManualClock, SystemClock};
use twin_core::credentials::NewSecret;
use twin_core::entities::EntityWrite;
use twin_core::rate_limit::{Policy, RateLimiter};
use twin_core::{Core, CoreError};
use twin_store::{Document, HistoryQuery, Scope};

async fn core(clock: Arc<dyn twin_core::clock::Clock>) -> (Core, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("core.db").display());
    let store = twin_server::open_store(&url).await.unwrap();
    (Core::new(store, clock), dir)
}

fn at(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(1_700_000_000_000 + ms).unwrap()
}

#[test]
fn fixed_windows_reset_on_their_boundary() {
    let limiter = RateLimiter::default();
    let policy = Policy::FixedWindow {
        limit: 3,
        window: Duration::from_secs(1),
    };
    let start = 1_700_000_000_000; // a whole second, where a one-second window starts
    let t = |ms: i64| Utc.timestamp_millis_opt(start + ms).unwrap();
    let allowed: Vec<bool> = (0..4)
        .map(|i| limiter.check("k", &policy, 1, t(i * 100)).allowed)
        .collect();
    assert_eq!(allowed, vec![true, true, true, false]);
    let denied = limiter.check("k", &policy, 1, t(400));
    assert_eq!(denied.retry_after, Duration::from_millis(600));
    assert!(limiter.check("k", &policy, 1, t(1000)).allowed);
    assert!(
        limiter.check("other", &policy, 3, t(400)).allowed,
        "keys are independent"
    );
}

#[test]
fn sliding_windows_weigh_requests() {
    let limiter = RateLimiter::default();
    let policy = Policy::SlidingWindow {
        limit: 10,
        window: Duration::from_secs(10),
    };
    assert!(limiter.check("k", &policy, 6, at(0)).allowed);
    assert!(limiter.check("k", &policy, 4, at(5_000)).allowed);
    let denied = limiter.check("k", &policy, 5, at(6_000));
    assert!(!denied.allowed);
    assert_eq!(denied.remaining, 0);
    assert_eq!(
        denied.retry_after,
        Duration::from_millis(4_000),
        "when the weight-6 request leaves"
    );
    assert!(limiter.check("k", &policy, 5, at(10_000)).allowed);
    assert!(limiter.check("k", &policy, 1, at(10_001)).allowed);
    assert!(!limiter.check("k", &policy, 1, at(10_002)).allowed);
}

#[test]
fn token_buckets_refill_over_time() {
    let limiter = RateLimiter::default();
    let policy = Policy::TokenBucket {
        capacity: 2,
        per_second: 4.0,
    };
    assert!(limiter.check("k", &policy, 1, at(0)).allowed);
    assert!(limiter.check("k", &policy, 1, at(0)).allowed);
    let denied = limiter.check("k", &policy, 1, at(0));
    assert!(!denied.allowed);
    assert_eq!(denied.retry_after, Duration::from_millis(250));
    assert!(limiter.check("k", &policy, 1, at(250)).allowed);
}

#[tokio::test]
async fn seeded_accounts_replay_the_same_ids() {
    let (core, _dir) = core(Arc::new(SystemClock)).await;
    let mut ids = Vec::new();
    for name in ["seed-a", "seed-b"] {
        let account = core
            .accounts
            .create(NewAccount {
                id: Some(name.into()),
                name: None,
                seed: Some(42),
            })
            .await
            .unwrap();
        let mut run = Vec::new();
        for _ in 0..3 {
            run.push(core.ids.uuid(&account, "moysklad").await.unwrap());
        }
        ids.push(run);
    }
    assert_eq!(ids[0], ids[1]);
    assert_ne!(ids[0][0], ids[0][1]);
    assert_eq!(ids[0][0].get_version_num(), 4);
    let random = core.accounts.create(NewAccount::default()).await.unwrap();
    assert_ne!(core.ids.uuid(&random, "moysklad").await.unwrap(), ids[0][0]);
}

#[tokio::test]
async fn entities_keep_versions_and_history() {
    let clock = Arc::new(ManualClock::new(at(0)));
    let (core, _dir) = core(clock.clone()).await;
    let scope = Scope::new("acc", "retailcrm");
    let doc = Document::new(
        scope.key("order", "1"),
        json!({ "status": "new", "sum": 10 }),
    )
    .with_lookup("externalId", "ext-1");
    let created = core
        .entities
        .create(EntityWrite::new(doc.clone(), clock.now()))
        .await
        .unwrap();
    assert_eq!(created.version, 1);
    assert!(matches!(
        core.entities
            .create(EntityWrite::new(doc, clock.now()))
            .await,
        Err(CoreError::Conflict(_))
    ));

    clock.advance(chrono::Duration::seconds(5));
    let mut edit = created.clone();
    edit.body = json!({ "status": "paid", "sum": 10 });
    let updated = core
        .entities
        .update(EntityWrite::new(edit.clone(), clock.now()))
        .await
        .unwrap();
    assert_eq!(updated.version, 2);
    assert!(
        matches!(
            core.entities
                .update(EntityWrite::new(edit, clock.now()))
                .await,
            Err(CoreError::Conflict(_))
        ),
        "stale version"
    );
    let found = core
        .entities
        .find_by(&scope, "order", "externalId", "ext-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.body["status"], "paid");
    core.entities
        .delete(&scope, "order", "1", clock.now())
        .await
        .unwrap();

    let history = core
        .entities
        .history(&HistoryQuery::new(scope.clone()))
        .await
        .unwrap();
    let actions: Vec<_> = history
        .items
        .iter()
        .map(|c| (c.id, c.action.as_str()))
        .collect();
    assert_eq!(actions, vec![(1, "create"), (2, "update"), (3, "delete")]);
    assert_eq!(
        history.items[1].data,
        json!({ "diff": { "status": { "old": "new", "new": "paid" } } })
    );
    assert_eq!(history.items[1].at, at(5_000));
}

#[tokio::test]
async fn credentials_resolve_by_each_scheme() {
    let clock = Arc::new(ManualClock::new(at(0)));
    let (core, _dir) = core(clock.clone()).await;
    let account = core.accounts.create(NewAccount::default()).await.unwrap();
    let password = core
        .credentials
        .issue(
            &account.id,
            "moysklad",
            NewSecret::Password {
                login: "Admin@Shop".into(),
                password: Some("pw".into()),
            },
        )
        .await
        .unwrap();
    let found = core
        .credentials
        .by_password("moysklad", "admin@shop", "pw")
        .await
        .unwrap();
    assert_eq!(
        found.as_ref().map(|c| &c.id),
        Some(&password.id),
        "logins are case-insensitive"
    );
    assert!(core
        .credentials
        .by_password("moysklad", "admin@shop", "wrong")
        .await
        .unwrap()
        .is_none());
    assert!(
        core.credentials
            .by_password("salesdoc", "admin@shop", "pw")
            .await
            .unwrap()
            .is_none(),
        "per dialect"
    );

    let first = core
        .credentials
        .issue_token(&password, Some(chrono::Duration::hours(1)), true)
        .await
        .unwrap();
    let token = |c: &twin_core::credentials::Credential| match &c.secret {
        twin_core::credentials::Secret::Token { token, .. } => token.clone(),
        _ => unreachable!(),
    };
    assert!(core
        .credentials
        .by_token("moysklad", &token(&first))
        .await
        .unwrap()
        .is_some());
    let second = core
        .credentials
        .issue_token(&password, Some(chrono::Duration::hours(1)), true)
        .await
        .unwrap();
    assert!(
        core.credentials
            .by_token("moysklad", &token(&first))
            .await
            .unwrap()
            .is_none(),
        "exclusive tokens revoke earlier ones"
    );
    clock.advance(chrono::Duration::hours(2));
    assert!(
        core.credentials
            .by_token("moysklad", &token(&second))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );

    let app = core
        .credentials
        .issue(
            &account.id,
            "kassa",
            NewSecret::App {
                app_id: Some("app".into()),
                app_secret: Some("s".into()),
                client_token: Some("c".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        core.credentials
            .by_app("kassa", "app", "s", "c")
            .await
            .unwrap()
            .map(|c| c.id),
        Some(app.id)
    );
    assert!(core
        .credentials
        .by_app("kassa", "app", "bad", "c")
        .await
        .unwrap()
        .is_none());
}
