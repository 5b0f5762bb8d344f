//! The real `twin` binary: crash survival, two replicas on one PostgreSQL database, and
//! the demo account.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use twin_testkit::{fresh_pg_database, TwinProcess, WebhookSink};

const BINARY: &str = env!("CARGO_BIN_EXE_twin");

fn admin(
    process: &TwinProcess,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    client
        .request(method, format!("{}/admin/api{path}", process.base))
        .bearer_auth(&process.admin_token)
}

/// Writes accounts from 8 tasks, SIGKILLs the server once `kill_after` were acknowledged,
/// restarts it on the same database, and checks every acknowledged account is there.
async fn acknowledged_writes_survive_sigkill(database_url: &str) {
    let process = TwinProcess::start(BINARY, database_url, &[]).await;
    let client = reqwest::Client::new();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let kill_after = 150;
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let request = admin(&process, &client, reqwest::Method::POST, "/accounts");
        let acknowledged = acknowledged.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..1000 {
                let id = format!("crash-{worker}-{n}");
                let sent = request
                    .try_clone()
                    .unwrap()
                    .json(&json!({ "id": id }))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 201 => {
                        acknowledged.lock().unwrap().push(id)
                    }
                    _ => return,
                }
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < kill_after {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    process.kill().await;
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= kill_after);

    let restarted = TwinProcess::start(BINARY, database_url, &[]).await;
    let listed: Value = admin(
        &restarted,
        &client,
        reqwest::Method::GET,
        "/accounts?limit=1000",
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let stored: HashSet<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after SIGKILL: {lost:?}"
    );
    eprintln!(
        "{} acknowledged writes survived SIGKILL",
        acknowledged.len()
    );
    restarted.kill().await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    acknowledged_writes_survive_sigkill(&format!(
        "sqlite:{}",
        dir.path().join("crash.db").display()
    ))
    .await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    match fresh_pg_database("crash").await {
        Some(url) => acknowledged_writes_survive_sigkill(&url).await,
        None => eprintln!("TWIN_TEST_PG_URL unset: skipped"),
    }
}

#[tokio::test]
async fn two_replicas_deliver_each_webhook_once_and_never_share_a_number() {
    let Some(url) = fresh_pg_database("replicas").await else {
        eprintln!("TWIN_TEST_PG_URL unset: skipped");
        return;
    };
    let fast = ["--webhook-poll-ms", "10", "--webhook-retry-ms", "50"];
    let replicas = [
        TwinProcess::start(BINARY, &url, &fast).await,
        TwinProcess::start(BINARY, &url, &fast).await,
    ];
    let client = reqwest::Client::new();
    let sink = WebhookSink::start().await;

    // Accounts created through both replicas at once get distinct numbers.
    let mut creations = Vec::new();
    for n in 0..40 {
        let request = admin(
            &replicas[n % 2],
            &client,
            reqwest::Method::POST,
            "/accounts",
        )
        .json(&json!({ "id": format!("r-{n}") }));
        creations.push(tokio::spawn(async move {
            request.send().await.unwrap().json::<Value>().await.unwrap()
        }));
    }
    let mut numbers = HashSet::new();
    for creation in creations {
        let account = creation.await.unwrap();
        assert!(
            numbers.insert(account["number"].as_i64().expect("a number")),
            "number issued twice: {account}"
        );
    }
    assert_eq!(numbers.len(), 40);

    let total = 30;
    for n in 0..total {
        let queued = admin(
            &replicas[n % 2],
            &client,
            reqwest::Method::POST,
            "/accounts/r-0/webhooks/test",
        )
        .json(&json!({ "url": sink.url("/hook"), "payload": { "n": n } }))
        .send()
        .await
        .unwrap();
        assert_eq!(queued.status(), 202);
    }
    sink.wait_for(total, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = sink.received();
    let bodies: HashSet<&str> = received.iter().map(|r| r.body.as_str()).collect();
    assert_eq!(received.len(), total, "each webhook arrives exactly once");
    assert_eq!(bodies.len(), total);
    for replica in replicas {
        replica.kill().await;
    }
}

#[tokio::test]
async fn demo_mode_creates_well_known_credentials_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let process = TwinProcess::start(BINARY, &url, &["--demo"]).await;
        let credentials: Vec<Value> = admin(
            &process,
            &client,
            reqwest::Method::GET,
            "/accounts/demo/credentials",
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        // Tokens a login obtained (SalesDoc's, from the previous round) are no seeds.
        let mut seen: Vec<(String, String)> = credentials
            .iter()
            .filter(|c| c["type"] != "token")
            .map(|c| {
                let id = ["key", "login", "client_token"]
                    .iter()
                    .find_map(|f| c[*f].as_str())
                    .unwrap();
                (c["dialect"].as_str().unwrap().to_owned(), id.to_owned())
            })
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("kassa".to_owned(), "demo-client-token".to_owned()),
                ("moysklad".to_owned(), "admin@demo".to_owned()),
                ("retailcrm".to_owned(), "demo-retailcrm-key".to_owned()),
                ("salesdoc".to_owned(), "demo".to_owned()),
            ]
        );
        // The SalesDoc user logs in as the banner's curl does.
        let login = client
            .post(format!("{}/api/v2", process.base))
            .body(r#"{"method":"login","auth":{"login":"demo","password":"demo"}}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let login: Value = login.json().await.unwrap();
        assert_eq!(login["result"]["userId"], "d0_1", "{login}");
        process.kill().await;
    }
}
