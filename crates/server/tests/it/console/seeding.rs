//! Seeding demo data from the Controls page: the form starts a job, its progress fragment
//! follows it to the end (done = total, as the admin's jobs API says), the goods then
//! answer through the MoySklad API; a second run's failure and the admin's refusals show.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use twin_testkit::{answer, sqlite_app, TestApp};

use crate::moysklad::Ms;

/// Posts the seed form of `account`; the status and the `Location` or the page.
async fn start(app: &TestApp, account: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = app
        .console(Method::POST, &format!("/accounts/{account}/seed"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::SEE_OTHER {
        return (
            status,
            response.headers()["location"].to_str().unwrap().into(),
        );
    }
    (status, response.text().await.unwrap())
}

/// The job the Controls page of `account` follows, from its live region's source.
async fn followed_job(app: &TestApp, account: &str) -> String {
    let page = super::page(app, &format!("/controls?account={account}")).await;
    let marker = "data-live-src=\"/console/jobs/";
    let at = page.find(marker).expect("a job followed") + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// An attribute's value in `html`.
fn attribute<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("{name}=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {html}"))
        + marker.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

/// The job's fragment once the job has ended (within a generous bound).
async fn ended(app: &TestApp, job: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let fragment = super::page(app, &format!("/jobs/{job}")).await;
        if attribute(&fragment, "data-state") != "running" {
            return fragment;
        }
        assert!(
            Instant::now() < deadline,
            "job {job} still running: {fragment}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn seeding_from_the_controls_page_reaches_finished_and_the_goods_answer() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let before = super::page(app, &format!("/controls?account={account}")).await;
    assert!(before.contains("data-test=\"no-seed-job\""));
    assert!(before.contains(&format!("action=\"/console/accounts/{account}/seed\"")));

    let (status, location) = start(
        app,
        &account,
        &[("dataset", "goods"), ("goods", "30"), ("seed", "7")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        format!("/console/controls?account={account}&notice=Seeding%20started.#seed")
    );
    let job = followed_job(app, &account).await;
    let fragment = ended(app, &job).await;
    let admin = answer(app.admin(Method::GET, &format!("/jobs/{job}"))).await;
    assert_eq!(admin.body["state"], "finished", "{}", admin.body);
    assert_eq!(admin.body["account"], account.as_str());
    let total = admin.body["total"].as_u64().unwrap();
    assert!(total > 0);
    assert_eq!(admin.body["done"], total);
    assert_eq!(attribute(&fragment, "data-state"), "finished");
    assert_eq!(attribute(&fragment, "data-done"), total.to_string());
    assert_eq!(attribute(&fragment, "data-total"), total.to_string());
    assert!(fragment.contains(&format!("<progress value=\"{total}\" max=\"{total}\"")));
    assert!(fragment.contains("data-live-done"), "the refresh stops");
    let products = admin.body["result"]["products"].as_u64().unwrap();
    assert!(
        fragment.contains(&format!("{products} products")),
        "{fragment}"
    );

    // The goods, through the MoySklad API with the login the job gave the account.
    let ms = Ms {
        app,
        account: account.clone(),
        login: format!("admin@{account}"),
        password: account.clone(),
    };
    let (status, listed) = ms.get("/entity/product?limit=1").await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["meta"]["size"], products, "{listed}");

    // A second run into the same account fails (folder codes taken), and the page says so.
    let (status, _) = start(app, &account, &[("dataset", "goods"), ("goods", "30")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let again = followed_job(app, &account).await;
    assert_ne!(again, job, "the newest job is followed");
    let failed = ended(app, &again).await;
    assert_eq!(attribute(&failed, "data-state"), "failed");
    assert!(failed.contains("<span class=\"bad\">Failed</span>"));
    let error = answer(app.admin(Method::GET, &format!("/jobs/{again}"))).await;
    let reason = error.body["error"].as_str().unwrap();
    let shown = reason
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(failed.contains(&shown), "{failed}");
}

#[tokio::test]
async fn refused_seeds_show_the_admins_reason_and_start_nothing() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    for (form, status, reason) in [
        (
            &[("dataset", "goods"), ("goods", "")][..],
            422,
            "expected small, large or a number of goods",
        ),
        (
            &[("dataset", "goods"), ("goods", "2000000")][..],
            422,
            "at most 1000000 goods",
        ),
        (
            &[("dataset", "small"), ("seed", "-1")][..],
            400,
            "malformed request",
        ),
    ] {
        let (answered, page) = start(app, &account, form).await;
        assert_eq!(answered, status, "{form:?}: {page}");
        assert!(page.contains(reason), "{form:?}: {page}");
        assert!(page.contains("data-test=\"controls-error\""));
    }
    let jobs = answer(app.admin(Method::GET, "/jobs")).await;
    let mine = jobs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|job| job["account"] == account.as_str())
        .count();
    assert_eq!(mine, 0);
    let (status, page) = start(app, "no-such-account", &[("dataset", "small")]).await;
    assert_eq!(status, 404, "{page}");
    let unknown = app
        .console(Method::GET, "/jobs/no-such-job")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
