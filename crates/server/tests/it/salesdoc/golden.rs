//! The vendor docs' request examples as golden cases (`conformance/salesdoc/*.json`, see its
//! README): each case runs in a fresh account with a SalesDoc login of its own; the cases it
//! names in `given` are sent first (the records its example refers to by code_1C), then its
//! request exactly as documented except `auth`, which becomes the `{userId, token}` that
//! `login` issued. The answer must have the case's status and exactly the documented fields
//! with their JSON types, recursively; values are not compared, and ids and times may be
//! `null` where the fresh state has none. A case's `carry` (JSON pointers) names ids the
//! twin makes up where the docs print theirs (setPhoto's `imageId`): the string a pointer
//! finds in a given case's documented answer is replaced, wherever the case's request
//! sends it, by the one the twin answered there. A case's `admin` steps make, through the
//! admin API, what no API method makes (van warehouses, filials, cashboxes).

use std::path::PathBuf;

use serde_json::{json, Value};
use twin_testkit::{known_failures, shape_problems, sqlite_app, unique, TestApp};

/// SalesDoc's single endpoint.
const ENDPOINT: &str = "/api/v2";
const PASSWORD: &str = "golden-password";

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../conformance/salesdoc")
}

fn read_case(name: &str) -> Value {
    let path = cases_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every case's name (its file name without `.json`), sorted.
fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("conformance/salesdoc")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".json")?.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// An answer of `POST /api/v2`: its body as JSON, or `None` for another content type
/// (getPhoto's image).
struct Reply {
    status: u16,
    content_type: String,
    body: Option<Value>,
}

async fn post(app: &TestApp, body: &Value) -> Reply {
    let response = app
        .client
        .post(app.url(ENDPOINT))
        .json(body)
        .send()
        .await
        .expect("POST /api/v2");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.expect("body");
    Reply {
        status,
        content_type,
        body: serde_json::from_slice(&bytes).ok(),
    }
}

/// A fresh account with a SalesDoc user, logged in.
struct Session {
    app: &'static TestApp,
    account: String,
    login: String,
    /// The `{userId, token}` that `login` issued.
    auth: Value,
}

impl Session {
    /// Logs a new user of a new account in.
    async fn open() -> Self {
        let app = sqlite_app();
        let account = app.unique_account().await;
        let login = unique("sd-golden");
        let credential = json!({ "dialect": "salesdoc", "type": "password", "login": login, "password": PASSWORD });
        app.credential(&account, credential).await;
        let mut session = Self {
            app,
            account,
            login,
            auth: Value::Null,
        };
        let reply = post(app, &session.login_request()).await;
        let body = reply.body.unwrap_or_default();
        assert_eq!(
            (reply.status, &body["status"]),
            (200, &json!(true)),
            "login: {body}"
        );
        session.auth = body["result"].clone();
        session
    }

    fn login_request(&self) -> Value {
        json!({ "method": "login", "auth": { "login": self.login, "password": PASSWORD } })
    }

    /// A case's request with only its `auth` replaced: the user's login and password for
    /// `login`, the issued `{userId, token}` for every other method.
    fn authorized(&self, request: &Value) -> Value {
        let mut request = request.clone();
        request["auth"] = if request["method"] == "login" {
            self.login_request()["auth"].clone()
        } else {
            self.auth.clone()
        };
        request
    }

    /// Sends the `given` cases of `case` first (each after its own), each once, keeping in
    /// `carried` what the `carry` pointers find in their answers (documented, twin's);
    /// what went wrong, if anything.
    async fn prepare(
        &self,
        case: &Value,
        done: &mut Vec<String>,
        carry: &[&str],
        carried: &mut Vec<(Value, Value)>,
    ) -> Result<(), String> {
        let given: Vec<String> = case["given"]
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        for name in given {
            if done.contains(&name) {
                continue;
            }
            done.push(name.clone());
            let other = read_case(&name);
            Box::pin(self.prepare(&other, done, carry, carried)).await?;
            self.admin_steps(&other).await?;
            let reply = post(self.app, &self.authorized(&other["request"])).await;
            let body = reply.body.unwrap_or_default();
            if reply.status != 200 || body["status"] != json!(true) {
                return Err(format!("given {name}: {} {body}", reply.status));
            }
            for pointer in carry {
                if let (Some(Value::String(docs)), Some(Value::String(twin))) =
                    (other["response"].pointer(pointer), body.pointer(pointer))
                {
                    carried.push((Value::from(docs.as_str()), Value::from(twin.as_str())));
                }
            }
        }
        Ok(())
    }

    /// Sends the case's `admin` steps (`[{method, path, body}]`, `path` under the
    /// account's admin route): the records no API method makes (filials, van
    /// warehouses, cashboxes, ...), after the case's `given` and before its request.
    async fn admin_steps(&self, case: &Value) -> Result<(), String> {
        for step in case["admin"].as_array().into_iter().flatten() {
            let method = match step["method"].as_str() {
                Some("PUT") => reqwest::Method::PUT,
                _ => reqwest::Method::POST,
            };
            let path = format!(
                "/accounts/{}/{}",
                self.account,
                step["path"].as_str().unwrap_or_default()
            );
            let request = self.app.admin(method, &path).json(&step["body"]);
            let answer = twin_testkit::answer(request).await;
            if answer.status != 200 {
                return Err(format!("admin {path}: {} {}", answer.status, answer.body));
            }
        }
        Ok(())
    }
}

/// A SalesDoc id (`d0_123`, `F1-d0_123`), the docs' `...` placeholder, or a date or time
/// (`2025-06-15`, `2025-06-15 18:00:00`): the sample strings an answer may give as `null`.
fn redacted(text: &str) -> bool {
    let id = text.rsplit('-').next().unwrap_or(text);
    let is_id = id.split_once('_').is_some_and(|(head, tail)| {
        head.starts_with('d') && tail.bytes().all(|b| b.is_ascii_digit())
    });
    let bytes = text.as_bytes();
    let is_date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-';
    is_id || is_date || text == "..."
}

/// Replaces, anywhere in `value`, each documented string of `carried` by the twin's.
fn substitute(value: &mut Value, carried: &[(Value, Value)]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, carried)),
        Value::Object(members) => members.values_mut().for_each(|v| substitute(v, carried)),
        other => {
            if let Some((_, twin)) = carried.iter().find(|(docs, _)| docs == other) {
                *other = twin.clone();
            }
        }
    }
}

/// Runs one case; what is wrong with its answer.
async fn run(case: &Value) -> Vec<String> {
    let session = Session::open().await;
    if let Some(at) = case["clock"].as_str() {
        let command = json!({ "action": "freeze", "at": at });
        session.app.clock(&session.account, command).await;
    }
    let carry: Vec<&str> = case["carry"]
        .as_array()
        .map(|pointers| pointers.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut carried = Vec::new();
    if let Err(problem) = session
        .prepare(case, &mut Vec::new(), &carry, &mut carried)
        .await
    {
        return vec![problem];
    }
    if let Err(problem) = session.admin_steps(case).await {
        return vec![problem];
    }
    let mut request = session.authorized(&case["request"]);
    substitute(&mut request, &carried);
    let reply = post(session.app, &request).await;
    let status = case["status"].as_u64().unwrap_or(200);
    let mut problems = Vec::new();
    if u64::from(reply.status) != status {
        problems.push(format!(
            "status {} where the docs have {status}",
            reply.status
        ));
    }
    match (&case["response"], reply.body) {
        // getPhoto: the image itself.
        (Value::Null, _) if !reply.content_type.starts_with("image/") => {
            problems.push(format!(
                "Content-Type {:?}, not an image",
                reply.content_type
            ));
        }
        (Value::Null, _) => {}
        (_, None) => problems.push(format!("not JSON ({})", reply.content_type)),
        (want, Some(body)) => {
            let found = shape_problems(want, &body, &redacted);
            if !found.is_empty() {
                problems.extend(found);
                problems.push(format!("answer: {body}"));
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_documented_example_is_answered_with_its_fields_and_types() {
    let known = known_failures(&cases_dir());
    let names = case_names();
    assert!(names.len() >= 250, "only {} cases", names.len());
    let mut report = Vec::new();
    for name in &names {
        let case = read_case(name);
        for field in ["method", "section", "issue", "request", "response"] {
            assert!(case.get(field).is_some(), "{name}: no {field}");
        }
        let problems = run(&case).await;
        match (known.contains(name), problems.is_empty()) {
            (false, false) => report.push(format!("{name}:\n  {}", problems.join("\n  "))),
            (true, true) => report.push(format!("{name}: passes; take it off known-failures.txt")),
            _ => {}
        }
    }
    let unknown: Vec<&String> = known.iter().filter(|name| !names.contains(name)).collect();
    assert!(
        unknown.is_empty(),
        "known-failures.txt names no case: {unknown:?}"
    );
    assert!(report.is_empty(), "golden cases:\n{}", report.join("\n"));
}

#[test]
fn salesdoc_ids_dates_and_placeholders_are_redacted() {
    for text in [
        "d0_1",
        "F1-d0_123",
        "...",
        "2025-06-15",
        "2025-06-15 18:00:00",
    ] {
        assert!(redacted(text), "{text}");
    }
    for text in ["UZS", "000000001", "Piece", "d0_x"] {
        assert!(!redacted(text), "{text}");
    }
}
