//! The real `twin` binary as a child process, for crash and multi-replica tests.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

pub struct TwinProcess {
    pub base: String,
    pub admin_token: String,
    child: Child,
}

impl TwinProcess {
    /// Starts `binary serve` on a free loopback port over `database_url` and waits until
    /// `/health` answers.
    pub async fn start(binary: &str, database_url: &str, extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let admin_token = crate::unique("admin");
        let child = Command::new(binary)
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .args(["--admin-token", &admin_token])
            .args(["--log", "warn"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn twin");
        let process = Self {
            base: format!("http://127.0.0.1:{port}"),
            admin_token,
            child,
        };
        process.wait_healthy().await;
        process
    }

    async fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{}/health", self.base)).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "twin did not become healthy");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGKILL: no shutdown, no flush, as a crash would.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("kill twin");
    }
}
