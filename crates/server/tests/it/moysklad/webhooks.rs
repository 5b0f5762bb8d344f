//! `webhook` and `webhookstock`: CRUD and validation, and real notifications through the
//! outbox to a sink — payloads, order, `diffType`, the disable headers, the vendor's
//! retry policy, and stock notifications.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use twin_testkit::{Received, TestApp, WebhookSink};

use super::{code, read, Ms, ROOT};

/// How long a test waits for notifications. Generous: the test binary shares one worker,
/// and a test's silent receiver holds it up for 4 × 1.5 s.
const PATIENCE: Duration = Duration::from_secs(60);

pub(crate) async fn subscribe(ms: &Ms, body: Value) -> Value {
    let (status, created) = ms.post("/entity/webhook", body).await;
    assert_eq!(status, 200, "{created}");
    created
}

/// The account's outbox deliveries, oldest first.
async fn deliveries(ms: &Ms) -> Vec<Value> {
    let listed: Value = ms
        .app
        .admin(
            Method::GET,
            &format!("/webhooks/deliveries?account={}&limit=1000", ms.account),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut items = listed["items"].as_array().cloned().unwrap_or_default();
    items.reverse();
    items
}

/// Waits until the account has `count` deliveries and none is pending; returns them,
/// oldest first.
pub(crate) async fn settled(ms: &Ms, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let items = deliveries(ms).await;
        if items.len() == count && items.iter().all(|d| d["status"] != "pending") {
            return items;
        }
        assert!(
            Instant::now() < deadline,
            "expected {count} settled deliveries, have {items:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn body(received: &Received) -> Value {
    serde_json::from_str(&received.body).expect("JSON notification")
}

fn request_id(received: &Received) -> String {
    let query = received.query.as_deref().unwrap_or_default();
    let id = query.strip_prefix("requestId=").expect("requestId");
    uuid::Uuid::parse_str(id).expect("requestId is a UUID");
    id.to_owned()
}

/// `(path, action, type, id)` of each entity event received.
fn summary(received: &[Received]) -> Vec<(String, String, String, String)> {
    received
        .iter()
        .map(|r| {
            let event = &body(r)["events"][0];
            let href = event["meta"]["href"].as_str().unwrap();
            (
                r.path.clone(),
                event["action"].as_str().unwrap().to_owned(),
                event["meta"]["type"].as_str().unwrap().to_owned(),
                href.rsplit('/').next().unwrap().to_owned(),
            )
        })
        .collect()
}

fn id(entity: &Value) -> String {
    entity["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn webhooks_have_the_vendor_fields_and_every_operation() {
    let ms = Ms::new().await;
    let created = subscribe(
        &ms,
        json!({ "url": "http://www.example.com", "action": "CREATE", "entityType": "supply" }),
    )
    .await;
    let (_, context) = ms.get("/entity/organization").await;
    assert_eq!(created["accountId"], context["rows"][0]["accountId"]);
    assert_eq!(created["meta"]["type"], "webhook");
    assert_eq!(
        created["meta"]["href"],
        ms.href(&format!("/entity/webhook/{}", id(&created)))
    );
    assert_eq!(
        (
            &created["method"],
            &created["enabled"],
            &created["entityType"],
            &created["action"]
        ),
        (
            &json!("POST"),
            &json!(true),
            &json!("supply"),
            &json!("CREATE")
        )
    );
    assert!(
        created.get("diffType").is_none(),
        "only UPDATE has diffType"
    );
    assert!(created.get("updated").is_none() && created.get("owner").is_none());

    let on_update = subscribe(
        &ms,
        json!({ "url": "http://www.example.com", "action": "UPDATE", "entityType": "ProductFolder" }),
    )
    .await;
    assert_eq!(on_update["diffType"], "NONE");
    assert_eq!(
        on_update["entityType"], "productfolder",
        "kept in lower case"
    );

    let path = format!("/entity/webhook/{}", id(&created));
    let (status, fetched) = ms.get(&path).await;
    assert_eq!((status, &fetched), (200, &created));
    let (status, changed) = ms
        .put(&path, json!({ "action": "UPDATE", "diffType": "FIELDS" }))
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (&changed["action"], &changed["diffType"]),
        (&json!("UPDATE"), &json!("FIELDS"))
    );
    let (_, changed) = ms.put(&path, json!({ "action": "DELETE" })).await;
    assert!(
        changed.get("diffType").is_none(),
        "leaving UPDATE drops diffType: {changed}"
    );
    let (_, disabled) = ms.put(&path, json!({ "enabled": false })).await;
    assert_eq!(
        (&disabled["enabled"], &disabled["action"]),
        (&json!(false), &json!("DELETE"))
    );

    let (status, list) = ms.get("/entity/webhook?filter=action=UPDATE").await;
    assert_eq!(status, 200);
    assert_eq!(list["meta"]["size"], 1);
    assert_eq!(list["rows"][0]["id"], on_update["id"]);

    let (status, batch) = ms
        .post(
            "/entity/webhook/batch",
            json!([
                { "url": "https://example.com/a", "action": "CREATE", "entityType": "product" },
                { "meta": created["meta"], "url": "https://example.com/b" },
                { "url": "bad", "action": "CREATE", "entityType": "product" },
            ]),
        )
        .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch[0]["entityType"], "product");
    assert_eq!(
        (&batch[1]["id"], &batch[1]["url"]),
        (&created["id"], &json!("https://example.com/b"))
    );
    assert_eq!(code(&batch[2]), 30005);
    let (status, array) = ms
        .post(
            "/entity/webhook",
            json!([{ "url": "https://example.com/c", "action": "DELETE", "entityType": "product" }]),
        )
        .await;
    assert_eq!((status, &array[0]["action"]), (200, &json!("DELETE")));

    let response = ms.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(read(response).await, (200, Value::Null));
    let (status, gone) = ms.get(&path).await;
    assert_eq!((status, code(&gone)), (404, 1021));
    let (status, deleted) = ms
        .post(
            "/entity/webhook/delete",
            json!([{ "meta": on_update["meta"] }, { "meta": batch[0]["meta"] }]),
        )
        .await;
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(
        deleted[0]["info"],
        format!(
            "Сущность 'webhook' с UUID: {} успешно удалена",
            id(&on_update)
        )
    );
    let (_, left) = ms.get("/entity/webhook").await;
    assert_eq!(
        left["meta"]["size"], 1,
        "only the array-created one is left"
    );
    let (_, employee) = ms.get("/context/employee").await;
    assert_eq!(employee["permissions"]["webhook"]["create"], "ALL");
    assert_eq!(employee["permissions"]["webhookstock"]["delete"], "ALL");
}

#[tokio::test]
async fn webhook_validation_answers_the_vendor_codes() {
    let ms = Ms::new().await;
    let hook = |entity_type: &str, action: &str, url: &str| json!({ "entityType": entity_type, "action": action, "url": url });
    let refused = |body: Value| {
        let ms = &ms;
        async move {
            let (status, answer) = ms.post("/entity/webhook", body).await;
            (status, code(&answer), answer["errors"][0]["error"].clone())
        }
    };
    let url = "https://example.com/hook";
    for missing in ["entityType", "action", "url"] {
        let mut body = hook("product", "CREATE", url);
        body.as_object_mut().unwrap().remove(missing);
        assert_eq!(refused(body).await.0, 412);
        let mut body = hook("product", "CREATE", url);
        body[missing] = Value::Null;
        assert_eq!(refused(body).await.1, 3000, "{missing}: null");
    }
    for entity_type in ["webhook", "discount", "notes", "webhookstock", "nothing"] {
        let (status, unsupported, error) = refused(hook(entity_type, "CREATE", url)).await;
        assert_eq!((status, unsupported), (412, 30000), "{entity_type}");
        assert_eq!(
            error,
            format!("Ошибка сохранения webhook: неподдерживаемый тип сущности '{entity_type}'")
        );
    }
    let mut get = hook("product", "CREATE", url);
    get["method"] = json!("GET");
    assert_eq!(refused(get).await.1, 30001);
    let (_, code_of_bad_action, error) = refused(hook("product", "MODIFY", url)).await;
    assert_eq!(code_of_bad_action, 30002);
    assert_eq!(
        error,
        "Ошибка сохранения webhook: неизвестное действие 'MODIFY'. Допустимые: CREATE, UPDATE, DELETE"
    );
    for (entity_type, action) in [
        ("async", "CREATE"),
        ("async", "DELETE"),
        ("product", "PROCESSED"),
    ] {
        let (status, refusal, _) = refused(hook(entity_type, action, url)).await;
        assert_eq!((status, refusal), (412, 30008), "{entity_type} {action}");
    }
    subscribe(&ms, hook("async", "PROCESSED", url)).await;
    subscribe(&ms, hook("async", "UPDATE", url)).await;
    for bad in [
        "not a url",
        "example.com/hook",
        "ftp://example.com/x",
        "http://",
        "http://exa mple.com",
    ] {
        let (status, refusal, _) = refused(hook("product", "CREATE", bad)).await;
        assert_eq!((status, refusal), (412, 30005), "{bad}");
    }
    let long = format!("https://example.com/{}", "a".repeat(236));
    assert_eq!(long.len(), 256);
    assert_eq!(refused(hook("product", "CREATE", &long)).await.1, 30010);
    subscribe(&ms, hook("product", "CREATE", &long[..255])).await;
    let mut with_diff = hook("product", "CREATE", url);
    with_diff["diffType"] = json!("NONE");
    assert_eq!(refused(with_diff).await.1, 30009);
    let mut bad_diff = hook("product", "UPDATE", url);
    bad_diff["diffType"] = json!("ALL");
    assert_eq!(refused(bad_diff).await.1, 3005);
    let mut wrong_type = hook("product", "CREATE", url);
    wrong_type["url"] = json!(5);
    assert_eq!(refused(wrong_type).await.1, 2016);

    let first = subscribe(&ms, hook("product", "CREATE", url)).await;
    let (status, duplicate, error) = refused(hook("product", "CREATE", url)).await;
    assert_eq!((status, duplicate), (412, 30003));
    assert_eq!(
        error,
        "Ошибка сохранения webhook: webhook с данным набором параметров уже существует"
    );
    subscribe(&ms, hook("product", "UPDATE", url)).await;
    for n in 2..=4 {
        subscribe(&ms, hook("product", "CREATE", &format!("{url}/{n}"))).await;
    }
    let (status, limit, error) = refused(hook("product", "CREATE", &format!("{url}/6"))).await;
    assert_eq!((status, limit), (412, 30007), "the long url makes five");
    assert_eq!(
        error,
        "Нельзя создать больше '5' веб-хуков одинакового типа на одну сущность"
    );
    let path = format!("/entity/webhook/{}", id(&first));
    let (status, answer) = ms.put(&path, json!({ "url": format!("{url}/2") })).await;
    assert_eq!((status, code(&answer)), (412, 30003));
    let (status, answer) = ms.put(&path, json!({ "action": "PROCESSED" })).await;
    assert_eq!((status, code(&answer)), (412, 30008));
    let (status, answer) = ms.put(&path, json!({ "url": null })).await;
    assert_eq!((status, code(&answer)), (412, 3000));
    let (status, unchanged) = ms.put(&path, json!({ "url": url, "method": "POST" })).await;
    assert_eq!(
        (status, &unchanged["url"]),
        (200, &json!(url)),
        "its own url is no duplicate"
    );
}

#[tokio::test]
async fn webhookstock_has_the_vendor_fields_and_rules() {
    let ms = Ms::new().await;
    let (status, created) = ms
        .post(
            "/entity/webhookstock",
            json!({ "url": "http://www.example.com", "stockType": "stock", "reportType": "all" }),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["meta"]["type"], "webhookstock");
    assert_eq!(
        (&created["enabled"], &created["reportType"]),
        (&json!(true), &json!("all"))
    );
    assert!(created["accountId"].is_string());
    let path = format!("/entity/webhookstock/{}", id(&created));
    let (_, changed) = ms
        .put(&path, json!({ "reportType": "bystore", "enabled": false }))
        .await;
    assert_eq!(
        (&changed["reportType"], &changed["enabled"]),
        (&json!("bystore"), &json!(false))
    );
    let (_, read) = ms.get(&path).await;
    assert_eq!(read, changed);

    let stock =
        |report: &str, url: &str| json!({ "url": url, "stockType": "stock", "reportType": report });
    let refused = |body: Value| {
        let ms = &ms;
        async move {
            let (status, answer) = ms.post("/entity/webhookstock", body).await;
            (status, code(&answer))
        }
    };
    let mut missing = stock("all", "https://example.com/s");
    missing.as_object_mut().unwrap().remove("stockType");
    assert_eq!(refused(missing).await, (412, 3000));
    let mut free = stock("all", "https://example.com/s");
    free["stockType"] = json!("freeStock");
    assert_eq!(refused(free).await, (412, 3005));
    assert_eq!(
        refused(stock("byday", "https://example.com/s")).await,
        (412, 3005)
    );
    assert_eq!(refused(stock("all", "nowhere")).await, (412, 30005));
    let long = format!("https://example.com/{}", "s".repeat(236));
    assert_eq!(refused(stock("all", &long)).await, (412, 30010));
    assert_eq!(
        refused(stock("bystore", "http://www.example.com")).await,
        (412, 30003)
    );
    for n in 1..=4 {
        let (status, _) = ms
            .post(
                "/entity/webhookstock",
                stock("bystore", &format!("https://example.com/{n}")),
            )
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(
        refused(stock("bystore", "https://example.com/5")).await,
        (412, 30007)
    );
    let (status, _) = ms
        .post(
            "/entity/webhookstock",
            stock("all", "https://example.com/5"),
        )
        .await;
    assert_eq!(status, 200, "the limit is per report type");

    let (status, deleted) = ms
        .post(
            "/entity/webhookstock/delete",
            json!([{ "meta": created["meta"] }]),
        )
        .await;
    assert_eq!(status, 200, "{deleted}");
    let (_, list) = ms.get("/entity/webhookstock").await;
    assert_eq!(list["meta"]["size"], 5);
}

/// Subscribes `url` to CREATE, UPDATE (with `diff`) and DELETE of `entity_type`.
async fn subscribe_all(ms: &Ms, entity_type: &str, url: &str, diff: &str) {
    for action in ["CREATE", "UPDATE", "DELETE"] {
        let mut body = json!({ "entityType": entity_type, "action": action, "url": url });
        if action == "UPDATE" {
            body["diffType"] = json!(diff);
        }
        subscribe(ms, body).await;
    }
}

#[tokio::test]
async fn entity_events_arrive_once_each_in_order_with_the_vendor_payload() {
    let ms = Ms::new().await;
    let sink = WebhookSink::start().await;
    let url = sink.url("/moysklad");
    subscribe_all(&ms, "productfolder", &url, "FIELDS").await;
    subscribe_all(&ms, "contract", &url, "NONE").await;
    subscribe_all(&ms, "currency", &url, "FIELDS").await;
    subscribe_all(&ms, "product", &url, "FIELDS").await;

    let (_, folder) = ms
        .post("/entity/productfolder", json!({ "name": "A" }))
        .await;
    let folder_path = format!("/entity/productfolder/{}", id(&folder));
    let (status, _) = ms
        .put(&folder_path, json!({ "name": "B", "description": "d" }))
        .await;
    assert_eq!(status, 200);
    ms.request(Method::DELETE, &folder_path)
        .send()
        .await
        .unwrap();

    let (_, organizations) = ms.get("/entity/organization").await;
    let (_, counterparty) = ms
        .post("/entity/counterparty", json!({ "name": "Покупатель" }))
        .await;
    let (status, contract) = ms
        .post(
            "/entity/contract",
            json!({ "ownAgent": { "meta": organizations["rows"][0]["meta"] }, "agent": { "meta": counterparty["meta"] } }),
        )
        .await;
    assert_eq!(status, 200, "{contract}");
    let contract_path = format!("/entity/contract/{}", id(&contract));
    ms.put(&contract_path, json!({ "description": "x" })).await;
    ms.request(Method::DELETE, &contract_path)
        .send()
        .await
        .unwrap();

    let (status, currency) = ms
        .post(
            "/entity/currency",
            json!({ "name": "тенге", "code": "398", "isoCode": "KZT" }),
        )
        .await;
    assert_eq!(status, 200, "{currency}");
    let currency_path = format!("/entity/currency/{}", id(&currency));
    ms.put(
        &currency_path,
        json!({ "rate": 0.2, "fullName": "Казахстанский тенге" }),
    )
    .await;
    ms.request(Method::DELETE, &currency_path)
        .send()
        .await
        .unwrap();

    let (status, product) = ms
        .post("/entity/product", json!({ "name": "Гвозди" }))
        .await;
    assert_eq!(status, 200, "{product}");
    let product_path = format!("/entity/product/{}", id(&product));
    ms.put(
        &product_path,
        json!({ "name": "Гвозди 100", "article": "N-100" }),
    )
    .await;
    ms.request(Method::DELETE, &product_path)
        .send()
        .await
        .unwrap();

    let outbox = settled(&ms, 12).await;
    let received = sink.wait_for(12, PATIENCE).await;
    assert_eq!(received.len(), 12, "once each");
    let expected: Vec<_> = [
        ("CREATE", "productfolder", &folder),
        ("UPDATE", "productfolder", &folder),
        ("DELETE", "productfolder", &folder),
        ("CREATE", "contract", &contract),
        ("UPDATE", "contract", &contract),
        ("DELETE", "contract", &contract),
        ("CREATE", "currency", &currency),
        ("UPDATE", "currency", &currency),
        ("DELETE", "currency", &currency),
        ("CREATE", "product", &product),
        ("UPDATE", "product", &product),
        ("DELETE", "product", &product),
    ]
    .iter()
    .map(|(action, kind, entity)| {
        (
            "/moysklad".to_owned(),
            action.to_string(),
            kind.to_string(),
            id(entity),
        )
    })
    .collect();
    assert_eq!(summary(&received), expected, "in the order of the writes");

    let account_id = folder["accountId"].clone();
    let mut request_ids = std::collections::BTreeSet::new();
    for (n, notification) in received.iter().enumerate() {
        assert_eq!(
            notification.headers["user-agent"],
            "MoySklad webhook touch agent 2.0 (/https://www.moysklad.ru)"
        );
        assert_eq!(notification.headers["content-type"], "application/json");
        request_ids.insert(request_id(notification));
        let payload = body(notification);
        let audit = &payload["auditContext"];
        assert_eq!(audit["meta"]["type"], "audit");
        let audit_href = audit["meta"]["href"].as_str().unwrap();
        let audit_id = audit_href
            .strip_prefix(&ms.href("/audit/"))
            .expect("audit href");
        uuid::Uuid::parse_str(audit_id).expect("audit id");
        assert_eq!(audit["uid"], ms.login.as_str());
        let moment = audit["moment"].as_str().unwrap();
        assert!(
            chrono::NaiveDateTime::parse_from_str(moment, "%Y-%m-%d %H:%M:%S").is_ok(),
            "moment {moment}"
        );
        let (_, action, kind, entity_id) = &expected[n];
        let mut event = json!({
            "meta": { "type": kind, "href": ms.href(&format!("/entity/{kind}/{entity_id}")) },
            "action": action,
            "accountId": account_id,
        });
        match (kind.as_str(), action.as_str()) {
            ("productfolder", "UPDATE") => event["updatedFields"] = json!(["description", "name"]),
            ("currency", "UPDATE") => event["updatedFields"] = json!(["fullName", "rate"]),
            ("product", "UPDATE") => event["updatedFields"] = json!(["article", "name"]),
            _ => {}
        }
        assert_eq!(
            payload,
            json!({ "auditContext": audit, "events": [event] }),
            "notification {n}"
        );
    }
    assert_eq!(request_ids.len(), 12, "a requestId per notification");

    assert!(outbox
        .iter()
        .all(|d| d["status"] == "delivered" && d["dialect"] == "moysklad"));
    assert_eq!(outbox[1]["event"], "productfolder.UPDATE");
    assert!(outbox[0]["url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{url}?requestId=")));
    assert_eq!(outbox[0]["max_attempts"], 4);
}

#[tokio::test]
async fn mass_writes_and_sub_folders_notify_each_folder() {
    let ms = Ms::new().await;
    let sink = WebhookSink::start().await;
    subscribe_all(&ms, "productfolder", &sink.url("/tree"), "FIELDS").await;
    let (status, created) = ms
        .post(
            "/entity/productfolder",
            json!([{ "name": "A" }, { "name": "B" }]),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let (a, b) = (&created[0], &created[1]);
    let (_, c) = ms
        .post(
            "/entity/productfolder",
            json!({ "name": "C", "productFolder": { "meta": a["meta"] } }),
        )
        .await;
    ms.put(
        &format!("/entity/productfolder/{}", id(a)),
        json!({ "name": "A2" }),
    )
    .await;
    ms.request(Method::DELETE, &format!("/entity/productfolder/{}", id(a)))
        .send()
        .await
        .unwrap();
    let (status, _) = ms
        .post(
            "/entity/productfolder/delete",
            json!([{ "meta": b["meta"] }]),
        )
        .await;
    assert_eq!(status, 200);

    settled(&ms, 8).await;
    let received = sink.wait_for(8, PATIENCE).await;
    let seen: Vec<_> = summary(&received)
        .into_iter()
        .map(|(_, action, _, entity)| (action, entity))
        .collect();
    let expected: Vec<_> = [
        ("CREATE", a),
        ("CREATE", b),
        ("CREATE", &c),
        ("UPDATE", a),
        ("UPDATE", &c),
        ("DELETE", &c),
        ("DELETE", a),
        ("DELETE", b),
    ]
    .iter()
    .map(|(action, entity)| (action.to_string(), id(entity)))
    .collect();
    assert_eq!(seen, expected);
    assert_eq!(
        body(&received[3])["events"][0]["updatedFields"],
        json!(["name"])
    );
    assert_eq!(
        body(&received[4])["events"][0]["updatedFields"],
        json!(["pathName"]),
        "the sub-folder's path followed the rename"
    );
}

#[tokio::test]
async fn disabled_webhooks_and_the_disable_headers_hold_notifications_back() {
    let ms = Ms::new().await;
    let sink = WebhookSink::start().await;
    let off = subscribe(
        &ms,
        json!({ "entityType": "productfolder", "action": "CREATE", "url": sink.url("/off") }),
    )
    .await;
    ms.put(
        &format!("/entity/webhook/{}", id(&off)),
        json!({ "enabled": false }),
    )
    .await;
    for path in ["/b", "/c"] {
        subscribe(
            &ms,
            json!({ "entityType": "productfolder", "action": "CREATE", "url": sink.url(path) }),
        )
        .await;
    }
    let create = |name: &str, headers: &[(&str, String)]| {
        let mut request = ms
            .request(Method::POST, "/entity/productfolder")
            .json(&json!({ "name": name }));
        for (header, value) in headers {
            request = request.header(*header, value);
        }
        async move {
            let (status, folder) = read(request.send().await.unwrap()).await;
            assert_eq!(status, 200, "{folder}");
            id(&folder)
        }
    };
    let prefix = "X-Lognex-WebHook-DisableByPrefix";
    create("quiet", &[("X-Lognex-WebHook-Disable", "true".into())]).await;
    let not_b = create("not b", &[(prefix, sink.url("/b"))]).await;
    create(
        "neither",
        &[(prefix, sink.url("/b")), (prefix, sink.url("/c"))],
    )
    .await;
    let comma = create(
        "comma",
        &[(prefix, format!("{},{}", sink.url("/b"), sink.url("/c")))],
    )
    .await;
    let all = create("all", &[]).await;

    for bad in [
        "http://",
        "https://some_url",
        "example.com",
        "ftp://example.com",
    ] {
        let response = ms
            .request(Method::GET, "/entity/productfolder")
            .header(prefix, bad)
            .send()
            .await
            .unwrap();
        let (status, answer) = read(response).await;
        assert_eq!((status, code(&answer)), (400, 1091), "{bad}");
    }

    settled(&ms, 5).await;
    let mut seen: Vec<_> = summary(&sink.wait_for(5, PATIENCE).await)
        .into_iter()
        .map(|(path, _, _, folder)| (path, folder))
        .collect();
    seen.sort();
    let mut expected = vec![
        ("/c".to_owned(), not_b),
        ("/b".to_owned(), comma.clone()),
        ("/c".to_owned(), comma),
        ("/b".to_owned(), all.clone()),
        ("/c".to_owned(), all),
    ];
    expected.sort();
    assert_eq!(
        seen, expected,
        "a comma list is one prefix, matching nothing"
    );
}

/// Waits for delivery `id` to reach `status`.
async fn delivery_in(app: &TestApp, id: &Value, status: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let delivery: Value = app
            .admin(Method::GET, &format!("/webhooks/deliveries/{id}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if delivery["status"] == status {
            return delivery;
        }
        assert!(Instant::now() < deadline, "delivery stuck at {delivery}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_notification_again_at_once() {
    let ms = Ms::new().await;
    let sink = WebhookSink::start().await;
    sink.respond_with(&[500, 201]);
    subscribe(
        &ms,
        json!({ "entityType": "counterparty", "action": "CREATE", "url": sink.url("/flaky") }),
    )
    .await;
    ms.post("/entity/counterparty", json!({ "name": "X" }))
        .await;
    let queued = deliveries(&ms).await;
    assert_eq!(queued.len(), 1);
    let delivered = delivery_in(ms.app, &queued[0]["id"], "delivered").await;
    let attempts = delivered["attempts"].as_array().unwrap();
    let statuses: Vec<_> = attempts.iter().map(|a| a["http_status"].as_u64()).collect();
    assert_eq!(
        statuses,
        [Some(500), Some(201), Some(200)],
        "201 is no success for MoySklad"
    );
    assert!(attempts[..2].iter().all(|a| a["succeeded"] == false));
    let received = sink.wait_for(3, PATIENCE).await;
    assert_eq!(received.len(), 3);
    assert_eq!(request_id(&received[0]), request_id(&received[2]));
    assert_eq!(received[0].body, received[2].body);
}

#[tokio::test]
async fn a_silent_receiver_does_not_hold_up_writes_and_is_given_up_after_four_attempts() {
    let ms = Ms::new().await;
    let sink = WebhookSink::start().await;
    sink.stay_silent(4);
    subscribe(
        &ms,
        json!({ "entityType": "store", "action": "CREATE", "url": sink.url("/silent") }),
    )
    .await;
    let (status, _) = ms.post("/entity/store", json!({ "name": "Склад 2" })).await;
    assert_eq!(status, 200);
    sink.wait_for(1, PATIENCE).await;
    for n in 0..3 {
        let (status, _) = ms
            .post(
                "/entity/counterparty",
                json!({ "name": format!("Покупатель {n}") }),
            )
            .await;
        assert_eq!(status, 200);
    }
    let waiting = deliveries(&ms).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        waiting[0]["status"], "pending",
        "the writes were answered while the receiver kept the notification waiting"
    );
    let failed = delivery_in(ms.app, &waiting[0]["id"], "failed").await;
    let attempts = failed["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4);
    assert!(attempts
        .iter()
        .all(|a| a["http_status"].is_null() && a["error"].is_string()));
    assert!(attempts[3]["retry_at"].is_null());
    let received = sink.received();
    assert_eq!(received.len(), 4);
    assert!(received.iter().all(|r| r.query == received[0].query));
}

#[tokio::test]
async fn stock_changes_notify_each_webhookstock_once_until_sent() {
    let (app, running) = TestApp::private().await;
    let app: &'static TestApp = Box::leak(Box::new(app));
    let ms = Ms::on(app).await;
    let sink = WebhookSink::start().await;
    let set_delay = |seconds: u64| {
        app.settings(
            &ms.account,
            json!({ "moysklad": { "webhookStockDelaySeconds": seconds } }),
        )
    };
    for (report, path, enabled) in [
        ("all", "/all", true),
        ("bystore", "/bystore", true),
        ("all", "/off", false),
    ] {
        let (status, created) = ms
            .post(
                "/entity/webhookstock",
                json!({ "url": sink.url(path), "stockType": "stock", "reportType": report, "enabled": enabled }),
            )
            .await;
        assert_eq!(status, 200, "{created}");
    }
    // Stock changes at a known moment: the account's clock stands still there.
    app.clock(
        &ms.account,
        json!({ "action": "freeze", "at": "2024-05-06T07:08:09Z" }),
    )
    .await;
    let (_, product) = ms
        .post("/entity/product", json!({ "name": "Гвозди" }))
        .await;
    let (_, stores) = ms.get("/entity/store").await;
    let set_stock = |stock: i64| {
        let request = app
            .admin(Method::PUT, &format!("/accounts/{}/moysklad/stock", ms.account))
            .json(&json!({ "assortment": product["id"], "store": stores["rows"][0]["id"], "stock": stock }));
        async move { assert_eq!(request.send().await.unwrap().status(), 200) }
    };

    set_delay(3600).await;
    set_stock(5).await;
    assert_eq!(deliveries(&ms).await.len(), 2, "enabled subscriptions only");
    set_stock(6).await;
    assert_eq!(
        deliveries(&ms).await.len(),
        2,
        "coalesced with the pending ones"
    );
    let pending = deliveries(&ms).await;
    assert_eq!(pending.len(), 2);
    let due = chrono::DateTime::parse_from_rfc3339(pending[0]["next_attempt_at"].as_str().unwrap())
        .unwrap();
    assert!(
        due > chrono::Utc::now() + chrono::Duration::minutes(59),
        "delayed by the setting"
    );
    for delivery in &pending {
        app.admin(
            Method::POST,
            &format!("/webhooks/deliveries/{}/redeliver", delivery["id"]),
        )
        .send()
        .await
        .unwrap();
    }
    let received = sink.wait_for(2, PATIENCE).await;
    let (_, organizations) = ms.get("/entity/organization").await;
    let account_id = &organizations["rows"][0]["accountId"];
    let mut bodies: Vec<Value> = received.iter().map(body).collect();
    bodies.sort_by_key(|b| b["reportType"].as_str().unwrap().to_owned());
    let report = |kind: &str| {
        format!(
            "{}{ROOT}/report/stock/{kind}/current?changedSince=2024-05-06 10:08:09",
            app.base
        )
    };
    assert_eq!(
        bodies,
        [
            json!({ "accountId": account_id, "stockType": "stock", "reportType": "all", "reportUrl": report("all") }),
            json!({ "accountId": account_id, "stockType": "stock", "reportType": "bystore", "reportUrl": report("bystore") }),
        ]
    );
    assert!(received.iter().all(|r| r.headers["user-agent"]
        == "MoySklad webhook touch agent 2.0 (/https://www.moysklad.ru)"));
    request_id(&received[0]);
    // The report the notification points at answers with the change.
    let path = report("all").replace(&format!("{}{ROOT}", app.base), "");
    let (status, lines) = ms.get(&path.replace(' ', "%20")).await;
    assert_eq!(status, 200, "{lines}");
    assert_eq!(
        lines,
        json!([{ "assortmentId": product["id"], "stock": 6.0 }])
    );

    settled(&ms, 2).await;
    set_delay(0).await;
    set_stock(7).await;
    assert_eq!(
        deliveries(&ms).await.len(),
        4,
        "nothing pending: notified again"
    );
    sink.wait_for(4, PATIENCE).await;
    settled(&ms, 4).await;
    running.stop().await;
}
