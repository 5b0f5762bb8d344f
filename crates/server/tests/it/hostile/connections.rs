//! The real binary under attacks on its connections: oversized and numerous headers,
//! slowloris clients, crowds of idle connections, raw bytes that are not UTF-8 in the
//! request line. Each gets a 4xx or is dropped after the header-read timeout, and a
//! normal client is answered meanwhile.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use twin_testkit::TwinProcess;

const BINARY: &str = env!("CARGO_BIN_EXE_twin");

/// The header-read timeout the attacked server runs with (short, so tests are quick).
const HEADER_TIMEOUT_MS: u64 = 1500;

/// The generous bound a normal request must be answered within while an attack runs.
const ANSWER_BOUND: Duration = Duration::from_secs(5);

/// How long after the header timeout a slow connection must have been closed.
const DROP_BOUND: Duration = Duration::from_secs(20);

async fn server() -> (TwinProcess, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("twin.db").display());
    let timeout = HEADER_TIMEOUT_MS.to_string();
    let process = TwinProcess::start(BINARY, &url, &["--header-read-timeout-ms", &timeout]).await;
    (process, dir)
}

fn address(process: &TwinProcess) -> String {
    process.base.trim_start_matches("http://").to_owned()
}

/// Sends raw bytes as a whole request and reads the status of the answer.
async fn raw_status(process: &TwinProcess, request: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(address(process)).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.unwrap_or(0);
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"))
}

/// A normal client: `/health` answers 200 within the bound, `times` times in a row.
async fn answered_meanwhile(process: &TwinProcess, times: usize) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for _ in 0..times {
        let started = Instant::now();
        let sent = tokio::time::timeout(
            ANSWER_BOUND,
            client.get(format!("{}/health", process.base)).send(),
        )
        .await;
        let response = sent
            .unwrap_or_else(|_| panic!("no answer within {ANSWER_BOUND:?}"))
            .expect("answer");
        assert_eq!(response.status(), 200);
        assert!(started.elapsed() < ANSWER_BOUND);
    }
}

/// Whether the server closed `stream` (a read returns end of file or an error) within
/// the bound.
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    let deadline = Instant::now() + DROP_BOUND;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar answer before the close is fine; keep reading.
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn oversized_or_numerous_headers_get_431_and_raw_bad_bytes_a_400() {
    let (process, _dir) = server().await;
    let long = format!(
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Long: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    assert_eq!(raw_status(&process, long.as_bytes()).await, 431);
    let many: String = (0..200).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET /health HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    assert_eq!(raw_status(&process, many.as_bytes()).await, 431);
    for request in [
        &b"GET /api/remap/1.2/entity/product?filter=name=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"GET /api/v5/customers?filter[name]=\xc0\xaf HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"GET /kassa/v1/products\xff HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"POST /api/v2\x00 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"[..],
        &b"\xff\xfe\xfd\r\n\r\n"[..],
    ] {
        let status = raw_status(&process, request).await;
        assert!((400..500).contains(&status), "{status} for {request:?}");
    }
    answered_meanwhile(&process, 3).await;
}

/// Many connections each sending a request head one byte at a time, never finishing it.
#[tokio::test]
async fn slowloris_connections_are_dropped_and_others_are_served() {
    let (process, _dir) = server().await;
    let head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    let mut attackers = Vec::new();
    for _ in 0..300 {
        let address = address(&process);
        attackers.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            let started = Instant::now();
            for byte in head.iter().chain(std::iter::repeat(&b'a')) {
                if stream.write_all(&[*byte]).await.is_err() {
                    return true;
                }
                if started.elapsed() > DROP_BOUND {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            unreachable!()
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    answered_meanwhile(&process, 10).await;
    for attacker in attackers {
        assert!(
            attacker.await.unwrap(),
            "a slowloris connection was kept open"
        );
    }
    answered_meanwhile(&process, 3).await;
}

/// Connections that open and send nothing: served others meanwhile, closed after the
/// header-read timeout.
#[tokio::test]
async fn idle_connections_are_dropped_and_others_are_served() {
    let (process, _dir) = server().await;
    let mut idle = Vec::new();
    for _ in 0..500 {
        idle.push(TcpStream::connect(address(&process)).await.unwrap());
    }
    answered_meanwhile(&process, 10).await;
    for stream in &mut idle {
        assert!(
            closed_by_server(stream).await,
            "an idle connection was kept open"
        );
    }
    answered_meanwhile(&process, 3).await;
}
