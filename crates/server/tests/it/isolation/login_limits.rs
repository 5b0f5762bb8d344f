//! Failed-login limits through HTTP (`twin_core::login_guard`), on a server of the test's
//! own with small limits: wrong passwords per login and address, wrong keys and tokens per
//! dialect and address, each refused with the dialect's 429 and `Retry-After`. Also the
//! credentials' digest index: secrets are not stored as lookups, and credentials written
//! before it are re-indexed at start.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use twin_core::credentials::Credential;
use twin_core::login_guard::{Limit, LoginLimits};
use twin_server::Running;
use twin_store::{Batch, Document, Expect, Scope, Write};
use twin_testkit::{answer, unique, TestApp};

use crate::kassa::Kassa;
use crate::moysklad::{code, Ms};

const PASSWORD_FAILURES: usize = 3;
const KEY_FAILURES: usize = 4;
const WINDOW: Duration = Duration::from_secs(600);

/// A server of the test's own (its counters are its own), with small limits.
async fn limited() -> (&'static TestApp, Running) {
    let (app, running) = TestApp::private().await;
    running.state.core.login_guard.configure(LoginLimits {
        password: Limit {
            failures: PASSWORD_FAILURES,
            window: WINDOW,
        },
        secret: Limit {
            failures: KEY_FAILURES,
            window: WINDOW,
        },
    });
    (Box::leak(Box::new(app)), running)
}

/// A fresh account on `app` holding one credential (`{"dialect": .., "type": .., ..}`).
async fn account_with(app: &TestApp, credential: serde_json::Value) -> String {
    let account = app.unique_account().await;
    app.credential(&account, credential).await;
    account
}

/// The `Retry-After` seconds of an answer: within the window.
fn retry_after(headers: &reqwest::header::HeaderMap) -> u64 {
    let seconds: u64 = headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After seconds");
    assert!((1..=WINDOW.as_secs()).contains(&seconds), "{seconds}");
    seconds
}

#[tokio::test]
async fn moysklad_wrong_passwords_lock_the_login_with_1048() {
    let (app, _running) = limited().await;
    let ms = Ms::on(app).await;
    let other = Ms::on(app).await;
    let wrong = Ms {
        password: "wrong".to_owned(),
        ..Ms::on(app).await
    };
    let wrong = Ms {
        login: ms.login.clone(),
        ..wrong
    };
    for _ in 0..PASSWORD_FAILURES {
        let (status, body) = wrong.get("/entity/product").await;
        assert_eq!((status, code(&body)), (401, 1056), "{body}");
    }
    // Locked: even the right password is refused, so a guess that hits tells nothing.
    let response = ms
        .request(Method::GET, "/entity/product")
        .send()
        .await
        .unwrap();
    let locked = twin_testkit::Answer::read(response).await;
    assert_eq!(
        (locked.status, code(&locked.body)),
        (429, 1048),
        "{}",
        locked.body
    );
    retry_after(&locked.headers);
    // Another login from the same address is not locked.
    assert_eq!(other.get("/entity/product").await.0, 200);
}

#[tokio::test]
async fn salesdoc_wrong_passwords_lock_the_login_and_a_right_one_clears_them() {
    let (app, _running) = limited().await;
    let login = unique("sd-user");
    account_with(
        app,
        json!({ "dialect": "salesdoc", "type": "password", "login": login, "password": "pw" }),
    )
    .await;
    let attempt = |password: &str| {
        let body = json!({ "method": "login", "auth": { "login": login, "password": password } });
        answer(app.client.post(app.url("/api/v2")).body(body.to_string()))
    };
    for _ in 0..PASSWORD_FAILURES - 1 {
        assert_eq!(attempt("wrong").await.status, 401);
    }
    assert_eq!(
        attempt("pw").await.status,
        200,
        "a right password clears the count"
    );
    for _ in 0..PASSWORD_FAILURES {
        assert_eq!(attempt("wrong").await.status, 401);
    }
    let locked = attempt("pw").await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.body["status"], false, "{}", locked.body);
    assert_eq!(locked.body["error"]["code"], 429, "{}", locked.body);
    retry_after(&locked.headers);
}

#[tokio::test]
async fn retailcrm_wrong_keys_lock_the_address_for_the_dialect() {
    let (app, _running) = limited().await;
    let key = unique("rcrm-key");
    account_with(
        app,
        json!({ "dialect": "retailcrm", "type": "api_key", "key": key }),
    )
    .await;
    let get = |key: String| {
        answer(
            app.client
                .get(app.url("/api/v5/customers"))
                .header("X-API-KEY", key),
        )
    };
    assert_eq!(get(key.clone()).await.status, 200);
    for n in 0..KEY_FAILURES {
        assert_eq!(get(format!("guess-{n}")).await.status, 401);
    }
    let locked = get(key).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert_eq!(locked.body["success"], false, "{}", locked.body);
    retry_after(&locked.headers);
    // Other dialects count their own failures.
    let ms = Ms::on(app).await;
    assert_eq!(ms.get("/entity/product").await.0, 200);
}

#[tokio::test]
async fn kassa_wrong_tokens_lock_the_address() {
    let (app, _running) = limited().await;
    let kassa = Kassa::on(app).await;
    for n in 0..KEY_FAILURES {
        let guess = Kassa {
            token: format!("guess-{n}"),
            ..kassa.through(app)
        };
        assert_eq!(guess.get("/cashboxes").await.0, 403);
    }
    let locked = kassa.call(Method::GET, "/cashboxes", None).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    retry_after(&locked.headers);
}

#[tokio::test]
async fn secrets_are_indexed_by_digest_and_old_indexes_are_upgraded() {
    let (app, running) = limited().await;
    let core = &running.state.core;
    let key = unique("rcrm-key");
    let account = account_with(
        app,
        json!({ "dialect": "retailcrm", "type": "api_key", "key": key }),
    )
    .await;
    let crm = (account, key);
    let scope = Scope::new(twin_core::SYSTEM_ACCOUNT, "retailcrm");
    let stored = core
        .credentials
        .by_api_key("retailcrm", &crm.1)
        .await
        .unwrap()
        .expect("issued key");
    let doc = core
        .store
        .get(&scope.key("credential", stored.id.clone()))
        .await
        .unwrap()
        .unwrap();
    assert!(
        doc.lookups.values().all(|value| !value.contains(&crm.1)),
        "the key is an index value: {:?}",
        doc.lookups
    );

    // A credential as earlier versions wrote it: the key itself as the lookup.
    let legacy_key = unique("legacy-key");
    let legacy = Credential {
        id: unique("cred"),
        account: crm.0.clone(),
        dialect: "retailcrm".to_owned(),
        created_at: chrono::Utc::now(),
        secret: twin_core::credentials::Secret::ApiKey {
            key: legacy_key.clone(),
            scopes: vec![],
            sites: vec![],
        },
    };
    let doc = Document::new(
        scope.key("credential", legacy.id.clone()),
        serde_json::to_value(&legacy).unwrap(),
    )
    .with_lookup("key", legacy_key.clone());
    let write = Write::Put {
        doc,
        expect: Expect::Absent,
    };
    core.store.apply(Batch::new().write(write)).await.unwrap();
    let get = || {
        answer(
            app.client
                .get(app.url("/api/v5/customers"))
                .header("X-API-KEY", legacy_key.clone()),
        )
    };
    assert_eq!(get().await.status, 401, "not found before the upgrade");
    assert!(core.credentials.upgrade_lookups().await.unwrap() >= 1);
    assert_eq!(get().await.status, 200, "found after it");
    assert_eq!(core.credentials.upgrade_lookups().await.unwrap(), 0);
}

/// The window slides: a lock ends when the oldest failure leaves it (the guard takes the
/// time as an argument, so no test waits).
#[test]
fn a_lock_ends_when_the_oldest_failure_leaves_the_window() {
    use twin_core::login_guard::{LoginGuard, Subject};
    let guard = LoginGuard::default();
    guard.configure(LoginLimits {
        password: Limit {
            failures: 2,
            window: WINDOW,
        },
        ..LoginLimits::default()
    });
    let start = chrono::Utc::now();
    let at = |seconds: i64| start + chrono::Duration::seconds(seconds);
    let login = Subject::Login("Admin@Shop");
    guard.failed("moysklad", login, "10.0.0.1", at(0));
    assert_eq!(guard.locked("moysklad", login, "10.0.0.1", at(1)), None);
    guard.failed("moysklad", Subject::Login("admin@shop"), "10.0.0.1", at(10));
    let wait = guard.locked("moysklad", login, "10.0.0.1", at(10));
    assert_eq!(wait, Some(WINDOW - Duration::from_secs(10)));
    assert_eq!(guard.locked("moysklad", login, "10.0.0.2", at(10)), None);
    assert_eq!(guard.locked("salesdoc", login, "10.0.0.1", at(10)), None);
    let window = WINDOW.as_secs() as i64;
    assert_eq!(
        guard.locked("moysklad", login, "10.0.0.1", at(window)),
        None
    );
}
