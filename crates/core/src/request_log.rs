//! The request log writer. Requests hand their entries to a background task that writes
//! them in batches, so logging never holds a response up; `flush` waits until everything
//! handed over so far is stored, so a query right after a request sees it.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use twin_store::{NewLogEntry, Store};

use crate::{CoreError, CoreResult};

/// Names of fields, headers and query parameters whose values never reach the log.
pub const SECRET_NAMES: [&str; 12] = [
    "authorization",
    "apikey",
    "api_key",
    "x-api-key",
    "password",
    "token",
    "access_token",
    "x-app-secret",
    "x-client-token",
    "app_secret",
    "client_token",
    "cookie",
];

pub const MASK: &str = "***";

pub fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.contains(&name.as_str())
}

/// Masks secret fields at any depth of a JSON value.
pub fn mask_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (name, field) in map.iter_mut() {
                if is_secret(name) && !field.is_null() {
                    *field = Value::String(MASK.into());
                } else {
                    mask_json(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// Masks secret parameters of a query or form string (`a=1&apiKey=...`).
pub fn mask_pairs(pairs: &str) -> String {
    pairs
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret(name) => format!("{name}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Masks a body: JSON bodies field by field, form bodies pair by pair.
pub fn mask_body(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(mut json) if json.is_object() || json.is_array() => {
            mask_json(&mut json);
            json.to_string()
        }
        _ if body.contains('=') && !body.contains(char::is_whitespace) => mask_pairs(body),
        _ => body.to_owned(),
    }
}

enum Message {
    Entry(Box<NewLogEntry>),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct RequestLog {
    sender: mpsc::Sender<Message>,
}

/// Entries written per transaction at most.
const BATCH: usize = 256;

impl RequestLog {
    pub fn start(store: Arc<dyn Store>) -> Self {
        let (sender, receiver) = mpsc::channel(4096);
        tokio::spawn(write_loop(store, receiver));
        Self { sender }
    }

    /// Hands an entry to the writer (waiting only when the writer is far behind).
    pub async fn record(&self, entry: NewLogEntry) {
        let _ = self.sender.send(Message::Entry(Box::new(entry))).await;
    }

    /// Waits until every entry recorded before this call is stored.
    pub async fn flush(&self) -> CoreResult<()> {
        let (done, wait) = oneshot::channel();
        self.sender
            .send(Message::Flush(done))
            .await
            .map_err(|_| CoreError::Internal("request log writer stopped".into()))?;
        wait.await
            .map_err(|_| CoreError::Internal("request log writer stopped".into()))
    }
}

async fn write_loop(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<Message>) {
    let mut entries = Vec::with_capacity(BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Entry(entry) => entries.push(*entry),
                Message::Flush(done) => waiting.push(done),
            }
            if entries.len() < BATCH {
                next = receiver.try_recv().ok();
            }
        }
        if !entries.is_empty() {
            if let Err(error) = store.append_log(&entries).await {
                tracing::warn!(%error, dropped = entries.len(), "request log write failed");
            }
            entries.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}
