//! `drop`: the connection closes without an answer, also when kept alive and behind the
//! compression layer, and the next connection is served.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::{add_rule, rule};
use crate::moysklad::{Ms, ROOT};
use crate::retailcrm::Crm;

#[tokio::test]
async fn a_dropped_request_gets_no_answer_and_the_next_connection_works() {
    let ms = Ms::new().await;
    // A client of the test's own that keeps its connection alive between requests and
    // asks for gzip, as MoySklad clients must (itself, to see the answer compressed).
    let client = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(60))
        .no_gzip()
        .build()
        .unwrap();
    let employee = || {
        client
            .get(ms.app.url(&format!("{ROOT}/context/employee")))
            .basic_auth(&ms.login, Some(&ms.password))
            .header("accept-encoding", "gzip")
    };
    let first = employee().send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-encoding"], "gzip");
    first.bytes().await.unwrap();

    let added = add_rule(
        ms.app,
        json!({ "account": ms.account, "count": 1, "action": { "type": "drop" } }),
    )
    .await;
    let dropped = employee().send().await;
    let error = dropped.expect_err("no answer on a dropped connection");
    assert!(!error.is_status() && !error.is_decode(), "{error:?}");
    assert_eq!(rule(ms.app, &added["id"]).await["fired"], 1);

    let after = employee().send().await.unwrap();
    assert_eq!(after.status(), 200, "the next connection is served");
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_without_a_byte() {
    let crm = Crm::new().await;
    add_rule(
        crm.app,
        json!({ "account": crm.account, "endpoint": "v5/customers", "count": 1,
                "action": { "type": "drop" } }),
    )
    .await;
    let address = crm.app.base.trim_start_matches("http://");
    let request = |path: &str| {
        format!(
            "GET /api{path} HTTP/1.1\r\nHost: {address}\r\nX-API-KEY: {}\r\n\r\n",
            crm.key
        )
    };
    let mut stream = BufReader::new(TcpStream::connect(address).await.unwrap());
    stream
        .get_mut()
        .write_all(request("/api-versions").as_bytes())
        .await
        .unwrap();
    assert_eq!(read_answer(&mut stream).await, 200);
    // The same connection, kept alive: the faulted request ends it without a byte.
    stream
        .get_mut()
        .write_all(request("/v5/customers").as_bytes())
        .await
        .unwrap();
    let mut rest = Vec::new();
    let read = stream.read_to_end(&mut rest).await;
    assert!(
        read.is_err() || rest.is_empty(),
        "nothing written: {:?}",
        String::from_utf8_lossy(&rest)
    );
    assert_eq!(
        crm.get("/v5/customers", "").await.0,
        200,
        "the rule is spent"
    );
}

/// Reads one answer with a `Content-Length` body off the connection; its status.
async fn read_answer(stream: &mut BufReader<TcpStream>) -> u16 {
    let mut status_line = String::new();
    stream.read_line(&mut status_line).await.unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    status_line.split(' ').nth(1).unwrap().parse().unwrap()
}
