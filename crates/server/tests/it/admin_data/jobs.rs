//! `POST /accounts/{id}/moysklad/seed` as a job, followed through `/jobs`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{answer, sqlite_app};

use super::{get, problem_status};

/// The job once it is no longer running (within a generous bound).
async fn ended(app: &twin_testkit::TestApp, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let (status, job) = get(app, &format!("/jobs/{id}")).await;
        assert_eq!(status, 200, "{job}");
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "the job still runs: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_seed_job_fills_the_account_and_reports_progress() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let seed = format!("/accounts/{account}/moysklad/seed");
    let started = answer(
        app.admin(Method::POST, &seed)
            .json(&json!({ "dataset": "small" })),
    )
    .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let job = &started.body;
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(started.headers["location"], format!("/admin/api/jobs/{id}"));
    assert_eq!(
        (&job["kind"], &job["account"], &job["state"]),
        (&json!("moysklad.seed"), &json!(account), &json!("running"))
    );
    let again = json!({ "dataset": 10, "seed": 2 });
    let status = problem_status(app, Method::POST, &seed, Some(again)).await;
    assert_eq!(status, 409, "one seed job per account at a time");

    let job = ended(app, &id).await;
    assert_eq!(job["state"], "finished", "{job}");
    assert_eq!(job["error"], Value::Null);
    assert!(job["total"].as_u64().unwrap() > 0, "{job}");
    assert_eq!(job["done"], job["total"], "{job}");
    assert!(job["finishedAt"].is_string(), "{job}");
    assert_eq!(job["result"]["products"], 168, "{job}");
    let (_, listed) = get(app, "/jobs").await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["id"] == id.as_str()),
        "{listed}"
    );
    let products = format!("/accounts/{account}/data/moysklad/product?limit=1");
    let (_, page) = get(app, &products).await;
    assert_eq!(page["total"], 168, "{page}");
    let credentials = format!("/accounts/{account}/credentials");
    let (_, issued) = get(app, &credentials).await;
    assert!(
        issued.to_string().contains(&format!("admin@{account}")),
        "a MoySklad login made for the writes: {issued}"
    );

    let second = answer(
        app.admin(Method::POST, &seed)
            .json(&json!({ "dataset": 20 })),
    )
    .await;
    assert_eq!(
        second.status, 202,
        "another run once the first ended: {}",
        second.body
    );
    let second = ended(app, second.body["id"].as_str().unwrap()).await;
    assert_eq!(
        second["state"], "failed",
        "a second copy clashes on folder codes, and the job says so: {second}"
    );
    assert!(
        second["error"].as_str().unwrap().contains("code"),
        "{second}"
    );
}

#[tokio::test]
async fn seed_requests_are_checked() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let seed = format!("/accounts/{account}/moysklad/seed");
    for (body, status) in [
        (json!({ "dataset": "huge" }), 422),
        (json!({ "dataset": 0 }), 422),
        (json!({ "dataset": 2_000_000 }), 422),
        (json!({ "dataset": [1] }), 422),
        (json!({ "dataset": "small", "seed": -1 }), 400),
        (json!({ "goods": 5 }), 400),
    ] {
        let got = problem_status(app, Method::POST, &seed, Some(body.clone())).await;
        assert_eq!(got, status, "{body}");
    }
    let unknown = "/accounts/nobody-here/moysklad/seed";
    let got = problem_status(app, Method::POST, unknown, Some(json!({}))).await;
    assert_eq!(got, 404);
    assert_eq!(
        problem_status(app, Method::GET, "/jobs/nope", None).await,
        404
    );
    let (_, jobs) = get(app, "/jobs").await;
    assert!(
        !jobs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|j| j["account"] == account.as_str()),
        "refused requests start no job: {jobs}"
    );
}
