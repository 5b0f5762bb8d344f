//! `twin seed` and `serve --demo` through the real binary: the documented counts through
//! the MoySklad API, the same data for the same seed, history of the seeded entities.

use reqwest::Method;
use serde_json::Value;
use twin_testkit::TwinProcess;

const BINARY: &str = env!("CARGO_BIN_EXE_twin");

/// Runs `twin seed` on the database; panics unless it succeeds.
async fn seed(database_url: &str, account: &str, dataset: &str, seed: u64) {
    let output = tokio::process::Command::new(BINARY)
        .args(["seed", "--database-url", database_url])
        .args(["--account", account, "--dataset", dataset])
        .args(["--seed", &seed.to_string()])
        .output()
        .await
        .expect("run twin seed");
    assert!(
        output.status.success(),
        "twin seed failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A MoySklad client of `account` with the login `twin seed` issues.
struct Client<'a> {
    process: &'a TwinProcess,
    http: reqwest::Client,
    login: String,
    password: String,
}

impl<'a> Client<'a> {
    fn new(process: &'a TwinProcess, login: &str, password: &str) -> Self {
        Self {
            process,
            http: reqwest::Client::new(),
            login: login.into(),
            password: password.into(),
        }
    }

    fn seeded(process: &'a TwinProcess, account: &str) -> Self {
        Self::new(process, &format!("admin@{account}"), account)
    }

    async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}/api/remap/1.2{path}", self.process.base))
            .basic_auth(&self.login, Some(&self.password))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON")
    }

    async fn size(&self, path: &str) -> u64 {
        self.get(&format!("{path}?limit=1")).await["meta"]["size"]
            .as_u64()
            .expect("meta.size")
    }

    /// `(code, name, first sale price)` of every row of a list, in code order.
    async fn catalog(&self, keyword: &str) -> Vec<(String, String, Value)> {
        let list = self
            .get(&format!("/entity/{keyword}?limit=1000&order=code"))
            .await;
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["code"].as_str().unwrap_or_default().to_owned(),
                    row["name"].as_str().unwrap().to_owned(),
                    row["salePrices"][0]["value"].clone(),
                )
            })
            .collect()
    }

    /// Stock per good code.
    async fn stock_by_code(&self) -> Vec<(String, f64)> {
        let report = self.get("/report/stock/all/current").await;
        let mut codes = std::collections::HashMap::new();
        for keyword in ["product", "variant"] {
            let list = self.get(&format!("/entity/{keyword}?limit=1000")).await;
            for row in list["rows"].as_array().unwrap() {
                codes.insert(
                    row["id"].as_str().unwrap().to_owned(),
                    row["code"].as_str().unwrap().to_owned(),
                );
            }
        }
        let mut levels: Vec<(String, f64)> = report
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let id = row["assortmentId"].as_str().unwrap();
                (codes[id].clone(), row["stock"].as_f64().unwrap())
            })
            .collect();
        levels.sort_by(|a, b| a.0.cmp(&b.0));
        levels
    }
}

#[tokio::test]
async fn seeding_gives_the_documented_counts_the_same_data_per_seed_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("seed.db").display());
    seed(&url, "alpha", "100", 1).await;
    seed(&url, "beta", "100", 1).await;
    seed(&url, "gamma", "100", 2).await;
    let process = TwinProcess::start(BINARY, &url, &[]).await;
    let alpha = Client::seeded(&process, "alpha");
    let beta = Client::seeded(&process, "beta");
    let gamma = Client::seeded(&process, "gamma");

    // 100 goods: 2 bundles, 15 services, 83 products; 2 folders; 5 counterparties, a
    // contract for every third; a second organization; 3 warehouses.
    assert_eq!(alpha.size("/entity/product").await, 83);
    assert_eq!(alpha.size("/entity/service").await, 15);
    assert_eq!(alpha.size("/entity/bundle").await, 2);
    assert_eq!(alpha.size("/entity/productfolder").await, 2);
    assert_eq!(alpha.size("/entity/counterparty").await, 5);
    assert_eq!(alpha.size("/entity/contract").await, 2);
    assert_eq!(alpha.size("/entity/organization").await, 2);
    assert_eq!(alpha.size("/entity/store").await, 3);
    let variants = alpha.size("/entity/variant").await;
    assert!(variants > 0, "some products have variants");
    assert_eq!(
        alpha.size("/entity/assortment").await,
        83 + 15 + 2 + variants
    );
    let stock = alpha.stock_by_code().await;
    assert!(
        stock.len() as u64 >= (83 + variants) * 3 / 5,
        "most goods are in stock: {}",
        stock.len()
    );
    let counterparties = alpha.get("/entity/counterparty").await;
    let first = &counterparties["rows"][0];
    for field in ["inn", "phone", "actualAddress", "legalTitle"] {
        assert!(first[field].is_string(), "{field} in {first}");
    }

    // The same seed gives the same data, ids included (both accounts have id seed 1).
    for keyword in ["product", "variant", "service", "bundle", "counterparty"] {
        assert_eq!(
            alpha.catalog(keyword).await,
            beta.catalog(keyword).await,
            "{keyword}"
        );
        assert_ne!(
            alpha.catalog(keyword).await,
            gamma.catalog(keyword).await,
            "{keyword}"
        );
    }
    assert_eq!(stock, beta.stock_by_code().await);
    assert_ne!(stock, gamma.stock_by_code().await);
    let ids = |list: Value| -> Vec<String> {
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(alpha.get("/entity/product?limit=1000&order=code").await),
        ids(beta.get("/entity/product?limit=1000&order=code").await)
    );

    // Seeded entities have history, as API writes do.
    let export: Value = process_admin(&process, Method::GET, "/accounts/alpha/snapshot").await;
    let history = export["snapshot"]["history"].as_array().unwrap();
    for kind in ["product", "variant", "counterparty", "contract", "stock"] {
        assert!(
            history
                .iter()
                .any(|change| change["kind"] == kind && change["action"] == "create"),
            "history of {kind}"
        );
    }
}

async fn process_admin(process: &TwinProcess, method: Method, path: &str) -> Value {
    let response = reqwest::Client::new()
        .request(method, format!("{}/admin/api{path}", process.base))
        .bearer_auth(&process.admin_token)
        .send()
        .await
        .expect("admin request");
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn seed_refuses_a_dataset_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("seed.db").display());
    let output = tokio::process::Command::new(BINARY)
        .args(["seed", "--database-url", &url])
        .args(["--account", "alpha", "--dataset", "huge"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("small, large or a number"));
}

#[tokio::test]
async fn demo_mode_loads_the_small_dataset_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let mut seen = Vec::new();
    for _ in 0..2 {
        let process = TwinProcess::start(BINARY, &url, &["--demo"]).await;
        let demo = Client::new(&process, "admin@demo", "demo");
        seen.push((
            demo.size("/entity/product").await,
            demo.size("/entity/counterparty").await,
            demo.catalog("service").await,
        ));
    }
    // 200 goods: 30 services, 2 bundles, 168 products; 10 counterparties.
    assert_eq!((seen[0].0, seen[0].1), (168, 10));
    assert_eq!(seen[0].2.len(), 30);
    assert_eq!(seen[0], seen[1], "a restart adds nothing");
}
