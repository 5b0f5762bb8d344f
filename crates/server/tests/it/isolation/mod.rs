//! Isolation across accounts (issue 13): account B, with its own credentials, tries
//! account A's ids, hrefs, externalIds, codes, tokens and webhook ids on every route of
//! every dialect. Each dialect's file is a table of probes (method, path, body) built
//! from the dialect's own route list where it exposes one; the runner sends them all and
//! checks that no answer carries A's marker (a unique text in every name and email A
//! wrote), that none is a 5xx, and that A's data (its admin snapshot) is the same after
//! as before. Failures are gathered, so one run names every leak.
//! docs/reliability/isolation.md lists the coverage.

mod admin;
mod kassa;
mod login_limits;
mod moysklad;
mod retailcrm;
mod salesdoc;

use reqwest::{Method, RequestBuilder};
use serde_json::Value;
use twin_testkit::TestApp;

/// One probe: what it is (for the failure list) and the request, B's credentials on.
pub struct Probe {
    pub label: String,
    pub request: RequestBuilder,
}

impl Probe {
    pub fn new(label: impl Into<String>, request: RequestBuilder) -> Self {
        Self {
            label: label.into(),
            request,
        }
    }
}

/// What a probe answered, for the table's own expectations (e.g. a 4xx for a read by id).
pub struct Seen {
    pub label: String,
    pub status: u16,
    pub body: String,
}

/// The body of a create that must have answered `want`.
pub fn expect_created((status, body): (u16, Value), want: u16, what: &str) -> Value {
    assert_eq!(status, want, "{what}: {body}");
    body
}

/// A's data as the admin API exports it: documents, sequences and history.
pub async fn snapshot(app: &TestApp, account: &str) -> Value {
    let response = app
        .admin(Method::GET, &format!("/accounts/{account}/snapshot"))
        .send()
        .await
        .expect("snapshot");
    assert_eq!(response.status(), 200, "snapshot of {account}");
    response.json().await.expect("snapshot JSON")
}

/// Sends every probe; fails listing each one whose answer shows `marker` or is a 5xx.
pub async fn run(marker: &str, probes: Vec<Probe>) -> Vec<Seen> {
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for probe in probes {
        let response = probe.request.send().await.expect("probe request");
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        if body.contains(marker) {
            failures.push(format!(
                "{} → {status}: leaks A's data: {body}",
                probe.label
            ));
        } else if status >= 500 {
            failures.push(format!("{} → {status}: {body}", probe.label));
        }
        seen.push(Seen {
            label: probe.label,
            status,
            body,
        });
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for s in &seen {
        *statuses.entry(s.status).or_default() += 1;
    }
    eprintln!(
        "{} probes answered (status: count) {statuses:?}",
        seen.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} probes failed:\n{}",
        failures.len(),
        seen.len(),
        failures.join("\n")
    );
    seen
}

/// Fails unless every probe whose label starts with one of `prefixes` was refused (4xx):
/// reads and writes of A's things by id must not find them.
pub fn assert_refused(seen: &[Seen], prefixes: &[&str]) {
    let found: Vec<String> = seen
        .iter()
        .filter(|s| prefixes.iter().any(|p| s.label.starts_with(p)))
        .filter(|s| !(400..500).contains(&s.status))
        .map(|s| format!("{} → {}: {}", s.label, s.status, s.body))
        .collect();
    assert!(found.is_empty(), "found A's things:\n{}", found.join("\n"));
}

/// Fails unless A's snapshot is what it was before the probes.
pub async fn assert_unchanged(app: &TestApp, account: &str, before: &Value) {
    let after = snapshot(app, account).await;
    assert!(
        &after == before,
        "account {account} changed under another account's requests:\nbefore {before}\nafter {after}"
    );
}
