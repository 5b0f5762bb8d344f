//! A PostgreSQL cluster of the test's own, on a spare port, that the test may stop and
//! start (the shared test server must stay up for everyone else). Found as `.ci/run` and
//! scripts/lib/pg.sh find it: the newest `/usr/lib/postgresql/*/bin` with `initdb`; as
//! root, the cluster belongs to the `postgres` user (initdb refuses root).

use std::path::PathBuf;
use std::process::Command;

pub struct PrivatePg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn pg_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

impl PrivatePg {
    /// Creates and starts the cluster; `None` when PostgreSQL is not installed.
    pub fn start() -> Option<Self> {
        let bin = pg_bin()?;
        let dir = tempfile::tempdir().expect("cluster directory");
        if is_root() {
            let _ = Command::new("useradd")
                .args(["--system", "--no-create-home", "postgres"])
                .output();
            run(Command::new("chown").arg("postgres").arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("spare port")
            .port();
        let pg = Self { dir, bin, port };
        let data = pg.data();
        run(pg
            .tool("initdb")
            .args(["-D", &data, "--auth=trust", "--username=postgres"])
            .args(["--encoding=UTF8", "--locale=C.UTF-8"]));
        pg.start_again();
        Some(pg)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// The cluster's tool `name`, run as the cluster's owner.
    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// Starts the (stopped) cluster and waits until it accepts connections.
    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log").display().to_string();
        run(self.tool("pg_ctl").args([
            "-D",
            &self.data(),
            "-l",
            &log,
            "-w",
            "-o",
            &options,
            "start",
        ]));
    }

    /// Stops the cluster at once, as a crash or a failover would: open connections break.
    pub fn stop(&self) {
        run(self
            .tool("pg_ctl")
            .args(["-D", &self.data(), "-m", "immediate", "-w", "stop"]));
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = self
            .tool("pg_ctl")
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
    }
}

fn run(command: &mut Command) {
    let out = command.output().expect("run a PostgreSQL tool");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
