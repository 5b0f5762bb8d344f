//! One shared Twin per test binary and backend, running on its own thread and runtime so
//! it outlives each test's runtime; tests isolate themselves with fresh accounts.

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use twin_core::login_guard::{Limit, LoginLimits};
use twin_core::webhooks::RetryPolicy;
use twin_server::{open_store, start, Launch, Running};

pub struct TestApp {
    pub base: String,
    pub admin_token: String,
    pub client: reqwest::Client,
}

/// How fast test servers retry webhooks, so retry tests finish in well under a second.
pub const TEST_RETRY: Duration = Duration::from_millis(50);

/// How test servers are launched on `listener`, with `login_limits`.
fn launch(
    listener: tokio::net::TcpListener,
    admin_token: &str,
    login_limits: LoginLimits,
) -> Launch {
    Launch {
        listener,
        public_url: None,
        admin_token: admin_token.to_owned(),
        retry: RetryPolicy {
            base_delay: TEST_RETRY,
            ..RetryPolicy::default()
        },
        worker_poll: Duration::from_millis(20),
        demo: false,
        edge: twin_server::EdgeLimits::default(),
        destinations: twin_core::destinations::Destinations::anywhere(),
        login_limits,
    }
}

/// A client that opens a connection per request: a pooled connection dies with the
/// runtime that opened it, and each test has its own runtime.
fn client() -> reqwest::Client {
    unpooled().build().expect("test client")
}

/// Like [`client`], but leaving redirects to the test, as the console's answers are
/// checked for where they send the browser.
pub fn console_client() -> reqwest::Client {
    unpooled()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("console test client")
}

/// The builder both clients start from: no idle connections kept.
fn unpooled() -> reqwest::ClientBuilder {
    reqwest::Client::builder().pool_max_idle_per_host(0)
}

static SQLITE: OnceLock<TestApp> = OnceLock::new();
static PG: OnceLock<Option<TestApp>> = OnceLock::new();

/// The shared server over a temp SQLite file.
pub fn sqlite_app() -> &'static TestApp {
    SQLITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("twin.db").display());
        // The directory must outlive every test of the binary.
        std::mem::forget(dir);
        TestApp::spawn_on_thread(move || async move { Some(url) }).expect("sqlite app")
    })
}

/// The shared server over a fresh PostgreSQL database, when `TWIN_TEST_PG_URL` is set.
pub fn pg_app() -> Option<&'static TestApp> {
    PG.get_or_init(|| TestApp::spawn_on_thread(|| crate::fresh_pg_database("app")))
        .as_ref()
}

impl TestApp {
    fn spawn_on_thread<F, Fut>(database: F) -> Option<TestApp>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Option<String>>,
    {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("test runtime");
            runtime.block_on(async move {
                let Some(url) = database().await else {
                    let _ = sender.send(None);
                    return;
                };
                let store = open_store(&url).await.expect("open test store");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let token = crate::unique("admin");
                // Every test of the binary calls from 127.0.0.1: wrong keys and tokens sent
                // by unrelated tests must not add up to a lock. Private apps keep the limit.
                let defaults = LoginLimits::default();
                let limits = LoginLimits {
                    secret: Limit {
                        failures: 0,
                        ..defaults.secret
                    },
                    ..defaults
                };
                let running = start(store, launch(listener, &token, limits))
                    .await
                    .expect("start test app");
                let _ = sender.send(Some((format!("http://{}", running.addr), token)));
                std::future::pending::<()>().await;
            });
        });
        let (base, admin_token) = receiver.recv().expect("test app thread")?;
        Some(TestApp {
            base,
            admin_token,
            client: client(),
        })
    }

    /// A server of the calling test's own, on its runtime, over a temp SQLite file, for
    /// tests that reach into the server (`Running::state`), e.g. to call a dialect's
    /// hooks. It stops with the test's runtime.
    pub async fn private() -> (TestApp, Running) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("twin.db").display());
        // The database must outlive the server, which outlives this call.
        std::mem::forget(dir);
        Self::private_on(&url).await
    }

    /// [`TestApp::private`] leaked, for tests that only talk HTTP to a server of their
    /// own: the dialects' test helpers borrow it as `&'static`. It stops with the test's
    /// runtime.
    pub async fn private_leaked() -> &'static TestApp {
        let (app, running) = Self::private().await;
        std::mem::forget(running);
        Box::leak(Box::new(app))
    }

    /// A server of the calling test's own over `database_url`: several of them on one
    /// PostgreSQL database are replicas sharing the work.
    pub async fn private_on(database_url: &str) -> (TestApp, Running) {
        let store = open_store(database_url).await.expect("open test store");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let admin_token = crate::unique("admin");
        let running = start(
            store,
            launch(listener, &admin_token, LoginLimits::default()),
        )
        .await
        .expect("start private test app");
        let app = TestApp {
            base: format!("http://{}", running.addr),
            admin_token,
            client: client(),
        };
        (app, running)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request to the admin API (`path` below `/admin/api`) with the admin token.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(&format!("/admin/api{path}")))
            .bearer_auth(&self.admin_token)
    }

    /// A console request (`path` below `/console`) from a browser signed in with the admin
    /// token: it carries the cookie `POST /console/login` sets. Redirects are not followed.
    pub fn console(&self, method: Method, path: &str) -> RequestBuilder {
        let cookie = twin_console::api::encode(&self.admin_token);
        console_client()
            .request(method, self.url(&format!("/console{path}")))
            .header("cookie", format!("twin_console={cookie}"))
    }

    /// A new account no other test uses; returns its id.
    pub async fn unique_account(&self) -> String {
        self.create_account(json!({})).await
    }

    /// Like [`Self::unique_account`], with a display name of the test's choosing.
    pub async fn named_account(&self, name: &str) -> String {
        self.create_account(json!({ "name": name })).await
    }

    async fn create_account(&self, mut request: Value) -> String {
        let id = crate::unique("t");
        request["id"] = json!(id);
        let response = self
            .admin(Method::POST, "/accounts")
            .json(&request)
            .send()
            .await
            .expect("create account");
        assert_eq!(response.status(), 201, "creating account {id}");
        id
    }

    /// Issues a credential (`{"dialect": .., "type": .., ...}`) and returns it.
    pub async fn credential(&self, account: &str, request: Value) -> Value {
        let response = self
            .admin(Method::POST, &format!("/accounts/{account}/credentials"))
            .json(&request)
            .send()
            .await
            .expect("issue credential");
        assert_eq!(response.status(), 201, "issuing {request}");
        response.json().await.expect("credential JSON")
    }

    /// Changes an account's settings (`{"kassa": {"rateLimit": false}}`) through the admin
    /// API, failing the test unless it succeeds; returns the settings now in force.
    pub async fn settings(&self, account: &str, settings: Value) -> Value {
        let request = self
            .admin(Method::PATCH, &format!("/accounts/{account}/settings"))
            .json(&settings);
        let answer = crate::answer(request).await;
        assert_eq!(answer.status, 200, "settings {settings}: {}", answer.body);
        answer.body
    }

    /// Drives an account's clock (`{"action": "freeze", "at": ..}`, `{"action": "advance",
    /// ..}`), failing the test unless it succeeds; returns the clock's state.
    pub async fn clock(&self, account: &str, command: Value) -> Value {
        let request = self
            .admin(Method::POST, &format!("/accounts/{account}/clock"))
            .json(&command);
        let answer = crate::answer(request).await;
        assert_eq!(answer.status, 200, "clock {command}: {}", answer.body);
        answer.body
    }

    /// Exports account `from`'s snapshot and imports it into account `to` (replacing its
    /// data), as a team copies an account between instances.
    pub async fn copy_snapshot(&self, from: &str, to: &str) {
        let exported = self
            .admin(Method::GET, &format!("/accounts/{from}/snapshot"))
            .send()
            .await
            .expect("snapshot export")
            .bytes()
            .await
            .expect("snapshot bytes");
        let imported = self
            .admin(Method::PUT, &format!("/accounts/{to}/snapshot"))
            .header("content-type", "application/json")
            .body(exported)
            .send()
            .await
            .expect("snapshot import");
        assert_eq!(imported.status().as_u16(), 204, "snapshot import");
    }
}
