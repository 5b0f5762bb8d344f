//! Webhook safety: hostile receivers (hanging, redirecting in a loop, answering an
//! endless body) cost a bounded time and memory and never hold up the API, and the
//! allow-list of destinations refuses subscriptions elsewhere and never delivers there.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use twin_core::destinations::{Destinations, REFUSED};
use twin_testkit::{TestApp, TwinProcess, WebhookSink};

use super::{send_test, wait_delivery, wait_status};
use crate::kassa::Kassa;
use crate::moysklad::webhooks::{settled, subscribe};
use crate::moysklad::{code, Ms};

/// The generous bound an API write must be answered within while a receiver misbehaves.
const ANSWER_BOUND: Duration = Duration::from_secs(5);

/// How a raw receiver treats each request.
#[derive(Clone, Copy)]
enum Receiver {
    /// Reads the request and never answers.
    Hang,
    /// Answers 302 to itself.
    RedirectToSelf,
    /// Answers 200 with a chunked body that never ends.
    EndlessBody,
}

/// Starts `behaviour` on a loopback port; its URL and the count of requests it got.
async fn receiver(behaviour: Receiver) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let (counted, location) = (requests.clone(), url.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (counted, location) = (counted.clone(), location.clone());
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                let _ = stream.read(&mut buffer).await;
                counted.fetch_add(1, Ordering::SeqCst);
                match behaviour {
                    Receiver::Hang => tokio::time::sleep(Duration::from_secs(120)).await,
                    Receiver::RedirectToSelf => {
                        let answer = format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n");
                        let _ = stream.write_all(answer.as_bytes()).await;
                    }
                    Receiver::EndlessBody => {
                        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                        if stream.write_all(head).await.is_err() {
                            return;
                        }
                        let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                    }
                }
            });
        }
    });
    (url, requests)
}

/// A server of the test's own (a misbehaving receiver must not hold up the shared
/// server's worker for other tests), leaked so the dialects' helpers can borrow it.
async fn private_app() -> &'static TestApp {
    TestApp::private_leaked().await
}

/// A test webhook from a fresh account of a server of the test's own to a receiver
/// behaving as `behaviour`: the delivery once `status`, and the receiver's request count.
async fn test_webhook_to(behaviour: Receiver, status: &str) -> (Value, Arc<AtomicUsize>) {
    let app = private_app().await;
    let account = app.unique_account().await;
    let (url, requests) = receiver(behaviour).await;
    let id = send_test(app, &account, &url).await;
    (wait_status(app, id, status).await, requests)
}

#[tokio::test]
async fn a_hanging_receiver_times_out_and_never_holds_up_the_api() {
    let app = private_app().await;
    let ms = Ms::on(app).await;
    let (url, requests) = receiver(Receiver::Hang).await;
    subscribe(
        &ms,
        json!({ "url": url, "action": "CREATE", "entityType": "product" }),
    )
    .await;
    let id = send_test(app, &ms.account, &url).await;
    for n in 0..10 {
        let write = ms.post("/entity/product", json!({ "name": format!("p{n}") }));
        let (status, body) = tokio::time::timeout(ANSWER_BOUND, write)
            .await
            .expect("a write waited for a hanging receiver");
        assert_eq!(status, 200, "{body}");
    }
    let delivery = wait_delivery(app, id, |d| d["attempts"].get(0).is_some()).await;
    let attempt = &delivery["attempts"][0];
    assert_eq!(attempt["succeeded"], false);
    assert!(attempt["http_status"].is_null(), "{attempt}");
    assert!(attempt["error"].is_string(), "{attempt}");
    assert!(
        attempt["retry_at"].is_string(),
        "a timed-out attempt is retried: {attempt}"
    );
    assert!(requests.load(Ordering::SeqCst) >= 1);
}

#[tokio::test]
async fn a_redirect_loop_is_not_followed() {
    let (failed, requests) = test_webhook_to(Receiver::RedirectToSelf, "failed").await;
    let attempts = failed["attempts"].as_array().unwrap();
    assert!(attempts.iter().all(|a| a["http_status"] == 302), "{failed}");
    assert_eq!(
        requests.load(Ordering::SeqCst),
        attempts.len(),
        "one request per attempt: no redirect followed"
    );
}

#[tokio::test]
async fn an_endless_answer_is_read_only_up_to_a_small_cap() {
    let (delivered, _) = test_webhook_to(Receiver::EndlessBody, "delivered").await;
    let attempts = delivered["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{delivered}");
    let excerpt = attempts[0]["response_excerpt"].as_str().unwrap();
    assert!(
        !excerpt.is_empty() && excerpt.len() <= 2048,
        "{}",
        excerpt.len()
    );
}

#[test]
fn the_allow_list_matches_hosts_subdomains_addresses_and_blocks() {
    let list: Destinations = "hooks.example.com, *.corp.test, 10.0.0.0/8, ::1"
        .parse()
        .unwrap();
    assert!(list.is_restricted());
    assert!(list.allows("https://HOOKS.example.com/x"));
    assert!(list.allows("http://a.b.corp.test:8080/"));
    assert!(!list.allows("http://corp.test/"));
    assert!(!list.allows("http://evilcorp.test/"));
    assert!(list.allows("http://10.1.2.3/"));
    assert!(!list.allows("http://11.0.0.1/"));
    assert!(list.allows("http://[::1]:9/"));
    assert!(!list.allows("http://[::ffff:127.0.0.1]/"));
    assert!(!list.allows("http://127.0.0.1/"));
    assert!(!list.allows("http://2130706433/"), "127.0.0.1 as a number");
    assert!(!list.allows("not a url"));
    assert!(Destinations::anywhere().allows("http://169.254.169.254/"));
    assert_eq!(
        "".parse::<Destinations>().unwrap(),
        Destinations::anywhere()
    );
    for invalid in ["10.0.0.0/33", "a b", "*.", "http://x/"] {
        assert!(invalid.parse::<Destinations>().is_err(), "{invalid}");
    }
}

const BINARY: &str = env!("CARGO_BIN_EXE_twin");

/// The real binary's admin API as a [`TestApp`], leaked for the dialects' helpers.
fn as_app(process: &TwinProcess) -> &'static TestApp {
    Box::leak(Box::new(TestApp {
        base: process.base.clone(),
        admin_token: process.admin_token.clone(),
        client: reqwest::Client::new(),
    }))
}

/// With `--webhook-allow`, subscriptions elsewhere are refused in each dialect's shape;
/// a subscription made before the list was set is never delivered to.
#[tokio::test]
async fn the_allow_list_refuses_subscriptions_and_deliveries_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("twin.db").display());
    let sink = WebhookSink::start().await;

    // Before the list: a subscription to the sink, on a server that allows anything.
    let open = TwinProcess::start(BINARY, &url, &[]).await;
    let ms = Ms::on(as_app(&open)).await;
    subscribe(
        &ms,
        json!({ "url": sink.url("/early"), "action": "CREATE", "entityType": "store" }),
    )
    .await;
    open.kill().await;

    let allow = "hooks.example.com,*.corp.test,10.0.0.0/8";
    let guarded = TwinProcess::start(BINARY, &url, &["--webhook-allow", allow]).await;
    let app = as_app(&guarded);
    let ms = Ms { app, ..ms };
    let refused = ms
        .post(
            "/entity/webhook",
            json!({ "url": sink.url("/late"), "action": "CREATE", "entityType": "product" }),
        )
        .await;
    assert_eq!(refused.0, 412, "{}", refused.1);
    assert_eq!(code(&refused.1), 30005);
    subscribe(
        &ms,
        json!({ "url": "https://a.corp.test/hook", "action": "CREATE", "entityType": "product" }),
    )
    .await;

    let kassa = Kassa::on(app).await;
    let endpoint = |url: &str| json!({ "status": "ACTIVE", "url": url, "authType": "NO", "events": ["OPERATION_COMPLETED"] });
    let (status, body) = kassa
        .post("/application-webhooks/endpoints", endpoint(&sink.url("/k")))
        .await;
    crate::kassa::assert_invalid(
        (status, &body),
        &["url: This URL is not an allowed webhook destination."],
    );
    let (status, body) = kassa
        .post(
            "/application-webhooks/endpoints",
            endpoint("http://10.1.2.3/k"),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let test = app
        .admin(
            Method::POST,
            &format!("/accounts/{}/webhooks/test", ms.account),
        )
        .json(&json!({ "url": sink.url("/admin") }))
        .send()
        .await
        .unwrap();
    assert_eq!(test.status(), 422);

    // The early subscription's event is given up unsent.
    let (status, _) = ms.post("/entity/store", json!({ "name": "Склад 2" })).await;
    assert_eq!(status, 200);
    let given_up = settled(&ms, 1).await;
    let id = given_up[0]["id"].as_i64().unwrap();
    let detail = wait_status(app, id, "failed").await;
    assert_eq!(detail["attempts"].as_array().unwrap().len(), 1, "{detail}");
    assert_eq!(detail["attempts"][0]["error"], REFUSED);
    assert!(
        sink.received().is_empty(),
        "delivered outside the allow-list"
    );
    guarded.kill().await;
}
