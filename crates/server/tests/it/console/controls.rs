//! The Controls page: reset, snapshot download and upload, the clock — each form posted as a
//! browser posts it, its effect checked through the vendor APIs and the admin API.

use reqwest::{Method, Response};
use serde_json::{json, Value};
use twin_testkit::{console_client, sqlite_app, TestApp};

use crate::moysklad::Ms;
use crate::retailcrm::Crm;

/// An account with a MoySklad login and a RetailCRM key, holding one product and one
/// customer; the product's id and the customer's.
async fn account_with_data() -> (Ms, Crm, String, i64) {
    let crm = Crm::new().await;
    let login = format!("admin@{}", crm.account);
    crm.app
        .credential(
            &crm.account,
            json!({ "dialect": "moysklad", "type": "password", "login": login, "password": "secret" }),
        )
        .await;
    let ms = Ms {
        app: crm.app,
        account: crm.account.clone(),
        login,
        password: "secret".into(),
    };
    let (status, product) = ms
        .post("/entity/product", json!({ "name": "Controls lamp" }))
        .await;
    assert_eq!(status, 200, "{product}");
    let customer = crm.create(json!({ "firstName": "Vera" })).await;
    let product = product["id"].as_str().unwrap().to_owned();
    (ms, crm, product, customer)
}

/// Posts a form to a console path (below `/console`), signed in.
async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Response {
    app.console(Method::POST, path)
        .form(form)
        .send()
        .await
        .expect("console form")
}

/// Uploads `bytes` as the file `name` of a `multipart/form-data` form, as a browser does.
async fn upload(app: &TestApp, account: &str, name: &str, bytes: &[u8]) -> Response {
    let boundary = "twin-controls-test-5f2a9c";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    app.console(
        Method::POST,
        &format!("/accounts/{account}/snapshot/import"),
    )
    .header(
        "content-type",
        format!("multipart/form-data; boundary={boundary}"),
    )
    .body(body)
    .send()
    .await
    .expect("snapshot upload")
}

/// Asserts a 303 back to the account's Controls page and gives the page it leads to.
async fn followed(app: &TestApp, response: Response, account: &str) -> String {
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let page = format!("/console/controls?account={account}&notice=");
    assert!(location.starts_with(&page), "{location}");
    super::page(app, location.strip_prefix("/console").unwrap()).await
}

/// Asserts an HTML page with this status and gives its text.
async fn failed(response: Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    response.text().await.unwrap()
}

async fn admin_json(app: &TestApp, path: &str) -> Value {
    let response = app.admin(Method::GET, path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn resetting_one_dialect_empties_it_and_leaves_the_others() {
    let (ms, crm, product, customer) = account_with_data().await;
    let account = ms.account.clone();
    let html = super::page(ms.app, &format!("/controls?account={account}")).await;
    assert!(html.contains(&format!("action=\"/console/accounts/{account}/reset\"")));
    assert!(html.contains("data-confirm=\"Empty the chosen data of account"));

    let response = post_form(
        ms.app,
        &format!("/accounts/{account}/reset"),
        &[("dialect", "moysklad")],
    )
    .await;
    let html = followed(ms.app, response, &account).await;
    assert!(
        html.contains("MoySklad JSON API 1.2 data of account"),
        "the notice"
    );

    let (status, _) = ms.get(&format!("/entity/product/{product}")).await;
    assert_eq!(status, 404, "the product is gone");
    let (status, body) = crm.get(&format!("/v5/customers/{customer}"), "by=id").await;
    assert_eq!(status, 200, "RetailCRM's customer stays: {body}");

    // The whole account: the customer goes too, the credentials stay.
    let response = post_form(
        ms.app,
        &format!("/accounts/{account}/reset"),
        &[("dialect", "")],
    )
    .await;
    followed(ms.app, response, &account).await;
    let (status, _) = crm.get(&format!("/v5/customers/{customer}"), "by=id").await;
    assert_eq!(status, 404);
    let (status, _) = ms.get("/entity/product").await;
    assert_eq!(status, 200, "the login still works");

    // A dialect Twin does not imitate: the admin's refusal, on the page.
    let response = post_form(
        ms.app,
        &format!("/accounts/{account}/reset"),
        &[("dialect", "<sap>")],
    )
    .await;
    let html = failed(response, 422).await;
    assert!(html.contains("data-test=\"controls-error\""));
    assert!(
        html.contains("dialect: one of [&quot;retailcrm&quot;, &quot;moysklad&quot;"),
        "{html}"
    );
    assert!(!html.contains("<sap>"));

    // A body that is not a form: refused on the page.
    let response = ms
        .app
        .console(Method::POST, &format!("/accounts/{account}/reset"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    let html = failed(response, 415).await;
    assert!(html.contains("data-test=\"controls-error\""), "{html}");
}

#[tokio::test]
async fn the_download_is_the_admin_export_and_the_upload_lands_in_another_account() {
    let (ms, _crm, product, _) = account_with_data().await;
    let app = ms.app;
    let admin = app
        .admin(Method::GET, &format!("/accounts/{}/snapshot", ms.account))
        .send()
        .await
        .unwrap();
    let admin_disposition = admin.headers()["content-disposition"].clone();
    let admin_bytes = admin.bytes().await.unwrap();

    let download = app
        .console(Method::GET, &format!("/accounts/{}/snapshot", ms.account))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-disposition"], admin_disposition);
    assert_eq!(
        download.headers()["content-disposition"],
        format!("attachment; filename=\"{}.twin.json\"", ms.account).as_str()
    );
    assert!(download.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let bytes = download.bytes().await.unwrap();
    assert_eq!(
        bytes, admin_bytes,
        "the console passes the admin's file through"
    );

    // Into a second account, padded past axum's 2 MB default (JSON allows the spaces):
    // the console forwards as much as the admin API takes over the network.
    let other = Ms::on(app).await;
    let mut padded = bytes.to_vec();
    padded.extend(std::iter::repeat_n(b' ', 3 * 1024 * 1024));
    let name = "<b>lamp</b>.twin.json";
    let response = upload(app, &other.account, name, &padded).await;
    let html = followed(app, response, &other.account).await;
    assert!(
        html.contains("&lt;b&gt;lamp&lt;/b&gt;.twin.json imported into account"),
        "the notice names the file, escaped"
    );
    assert!(!html.contains("<b>lamp</b>"));
    let (status, body) = other.get(&format!("/entity/product/{product}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Controls lamp");
}

#[tokio::test]
async fn a_wrong_file_shows_the_admins_reason_with_its_status() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let clock_before = admin_json(app, &format!("/accounts/{account}/clock")).await;

    let html = failed(
        upload(app, &account, "notes.txt", b"not json at all").await,
        400,
    )
    .await;
    assert!(html.contains("Malformed JSON"), "{html}");

    let mut wrong_tag = admin_json(app, &format!("/accounts/{account}/snapshot")).await;
    wrong_tag["format"] = json!("other/9");
    let response = upload(app, &account, "x.json", wrong_tag.to_string().as_bytes()).await;
    let html = failed(response, 422).await;
    assert!(html.contains("Unknown snapshot format"), "{html}");
    assert!(html.contains("twin-snapshot/1"), "{html}");
    assert!(
        html.contains("id=\"snapshot\""),
        "the account's sections are still there"
    );

    let html = failed(upload(app, &account, "", b"").await, 400).await;
    assert!(html.contains("No file: choose a snapshot file"), "{html}");

    let oversized = vec![b' '; 11 * 1024 * 1024];
    let html = failed(upload(app, &account, "big.json", &oversized).await, 413).await;
    assert!(html.contains("data-test=\"controls-error\""), "{html}");
    assert!(
        html.contains("Files up to 10 MiB"),
        "the page tells the limit"
    );
    assert_eq!(
        admin_json(app, &format!("/accounts/{account}/clock")).await["setting"],
        clock_before["setting"]
    );
}

#[tokio::test]
async fn clock_forms_freeze_set_advance_and_release() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let clock = |app: &'static TestApp, account: String| async move {
        admin_json(app, &format!("/accounts/{account}/clock")).await
    };
    let path = format!("/accounts/{account}/clock");

    let response = post_form(
        app,
        &path,
        &[("action", "freeze"), ("at", "2025-01-31T09:30")],
    )
    .await;
    let html = followed(app, response, &account).await;
    assert!(html.contains("Clock frozen at 2025-01-31 09:30:00 UTC."));
    assert!(html.contains("Frozen at <time datetime=\"2025-01-31T09:30:00+00:00\">"));
    assert_eq!(
        clock(app, account.clone()).await["setting"],
        json!({ "mode": "frozen", "at": "2025-01-31T09:30:00Z" })
    );

    // The quick +1 day button, then a free-form step back.
    let response = post_form(app, &path, &[("action", "advance"), ("seconds", "86400")]).await;
    let html = followed(app, response, &account).await;
    assert!(html.contains("Clock moved 1 d forward: now 2025-02-01 09:30:00 UTC."));
    let response = post_form(app, &path, &[("action", "advance"), ("seconds", "-90")]).await;
    followed(app, response, &account).await;
    assert_eq!(
        clock(app, account.clone()).await["now"],
        "2025-02-01T09:28:30Z"
    );

    let response = post_form(
        app,
        &path,
        &[("action", "set"), ("at", "2030-05-01T00:00:00")],
    )
    .await;
    followed(app, response, &account).await;
    assert_eq!(
        clock(app, account.clone()).await["setting"],
        json!({ "mode": "frozen", "at": "2030-05-01T00:00:00Z" })
    );

    // Input the form cannot read is refused on the page; the clock stays as it was.
    for (form, reason) in [
        (
            vec![("action", "advance"), ("seconds", "soon")],
            "is not a whole number of seconds",
        ),
        (
            vec![("action", "set"), ("at", "tomorrow")],
            "is not a date and time",
        ),
        (vec![("action", "rewind")], "is not a clock action"),
    ] {
        let html = failed(post_form(app, &path, &form).await, 400).await;
        assert!(html.contains(reason), "{reason}: {html}");
        assert!(html.contains("id=\"clock\""));
    }
    assert_eq!(
        clock(app, account.clone()).await["now"],
        "2030-05-01T00:00:00Z"
    );

    let response = post_form(app, &path, &[("action", "release")]).await;
    let html = followed(app, response, &account).await;
    assert!(html.contains("Clock released: real time again"));
    assert!(html.contains("<dd data-test=\"clock-setting\">Real time</dd>"));
    assert_eq!(
        clock(app, account.clone()).await["setting"],
        json!({ "mode": "real" })
    );
}

#[tokio::test]
async fn a_step_beyond_the_calendar_is_refused_not_a_crash() {
    let app = sqlite_app();
    let account = app.unique_account().await;
    let path = format!("/accounts/{account}/clock");
    for seconds in [
        "9223372036854775807",
        "-9223372036854775808",
        "300000000000000",
    ] {
        let response = post_form(app, &path, &[("action", "advance"), ("seconds", seconds)]).await;
        let html = failed(response, 422).await;
        assert!(html.contains("data-test=\"controls-error\""), "{html}");
    }
    let response = post_form(
        app,
        &path,
        &[("action", "set"), ("at", "9999-12-31T23:59:59")],
    )
    .await;
    followed(app, response, &account).await;
    let response = post_form(app, &path, &[("action", "advance"), ("seconds", "86400")]).await;
    failed(response, 422).await;
    assert_eq!(
        admin_json(app, &path).await["setting"]["mode"],
        "shifted",
        "the clock stays where it was set"
    );
}

#[tokio::test]
async fn the_picker_lists_accounts_and_an_unknown_one_is_a_404_page() {
    let app = sqlite_app();
    let account = app.named_account("<i>Shop</i> & co").await;
    let html = super::page(app, "/controls").await;
    assert!(html.contains("data-test=\"account-picker\""));
    assert!(html.contains(&format!(
        "<option value=\"{account}\">{account} — &lt;i&gt;Shop&lt;/i&gt; &amp; co</option>"
    )));
    assert!(!html.contains("id=\"clock\""), "no account, no sections");

    let html = super::page(app, &format!("/controls?account={account}")).await;
    assert!(html.contains(&format!("<option value=\"{account}\" selected>")));
    for section in ["reset", "snapshot", "clock"] {
        assert!(html.contains(&format!("id=\"{section}\"")), "{section}");
    }

    let nobody = "no-such-account";
    let response = app
        .console(Method::GET, &format!("/controls?account={nobody}"))
        .send()
        .await
        .unwrap();
    let html = failed(response, 404).await;
    assert!(html.contains("data-test=\"controls-error\"") && !html.contains("id=\"clock\""));
    let response = post_form(
        app,
        &format!("/accounts/{nobody}/reset"),
        &[("dialect", "")],
    )
    .await;
    failed(response, 404).await;
    let response = app
        .console(Method::GET, &format!("/accounts/{nobody}/snapshot"))
        .send()
        .await
        .unwrap();
    failed(response, 404).await;
    let response = post_form(
        app,
        &format!("/accounts/{nobody}/clock"),
        &[("action", "release")],
    )
    .await;
    failed(response, 404).await;
    // An id that is not UTF-8 once decoded: a 400 page, not plain text.
    let response = post_form(app, "/accounts/%FF/reset", &[("dialect", "")]).await;
    failed(response, 400).await;
}

#[tokio::test]
async fn without_sign_in_the_forms_change_nothing() {
    let (ms, _crm, product, _) = account_with_data().await;
    let app = ms.app;
    let account = &ms.account;
    let stranger = |path: &str| console_client().post(app.url(&format!("/console{path}")));

    let reset = format!("/accounts/{account}/reset");
    let response = stranger(&reset)
        .form(&[("dialect", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/console/login?next=%2Fconsole%2Faccounts%2F{account}%2Freset").as_str()
    );
    let (status, _) = ms.get(&format!("/entity/product/{product}")).await;
    assert_eq!(status, 200, "nothing was reset");

    let response = stranger(&format!("/accounts/{account}/clock"))
        .form(&[("action", "freeze")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        admin_json(app, &format!("/accounts/{account}/clock")).await["setting"]["mode"],
        "real"
    );

    let response = stranger(&format!("/accounts/{account}/snapshot/import"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let response = console_client()
        .get(app.url(&format!("/console/accounts/{account}/snapshot")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "no download either");

    // Signed in at last, the address the sign-in form leads back to shows the page.
    let response = app.console(Method::GET, &reset).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/console/controls?account={account}").as_str()
    );
}
