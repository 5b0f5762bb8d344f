//! What a handler gets: the account it works in (`Ctx`) and the request's id, query and
//! body (`KassaRequest`), with the vendor's time format.

use std::ops::Deref;

use axum::body::Bytes;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value};
use twin_core::accounts::Account;
use twin_core::credentials::Credential;
use twin_core::Core;
use twin_http::AccountCtx;

use crate::error::{texts, KassaError, KassaResult};
use crate::DIALECT;

/// One account's Kassa data, as the integration behind the request's client token sees it.
/// The credential is the integration of one application with this account: webhook
/// endpoints and rate limits are its own.
pub struct Ctx(AccountCtx);

impl Deref for Ctx {
    type Target = AccountCtx;

    fn deref(&self) -> &AccountCtx {
        &self.0
    }
}

impl Ctx {
    pub fn new(core: Core, account: Account, credential: Credential) -> Self {
        Self(AccountCtx::new(core, account, credential, DIALECT))
    }

    /// The integration's id: the credential behind the client token.
    pub fn integration(&self) -> &str {
        &self.credential.id
    }

    pub async fn new_id(&self) -> KassaResult<String> {
        Ok(self
            .core
            .ids
            .uuid(&self.account, DIALECT)
            .await?
            .to_string())
    }
}

/// The vendor's times are Moscow time with its offset: `2023-01-01T00:00:00+03:00`.
fn moscow() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("a valid offset")
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&moscow())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// A query or body time: `Y-m-d H:i:s` (Moscow time, as the seed's filters), `Y-m-d H:i`
/// (the seed's order delivery times), or RFC 3339.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .and_then(|naive| moscow().from_local_datetime(&naive).single())
        .map(|at| at.with_timezone(&Utc))
}

pub struct KassaRequest<'a> {
    /// The id in the path, when the operation takes one.
    pub id: Option<&'a str>,
    query: Vec<(String, String)>,
    body: Bytes,
}

impl<'a> KassaRequest<'a> {
    pub fn new(id: Option<&'a str>, query: Option<&str>, body: Bytes) -> Self {
        let query = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
        Self { id, query, body }
    }

    /// The path's id, which must be a UUID (404 otherwise: no such resource).
    pub fn uuid(&self) -> KassaResult<&'a str> {
        self.id
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .ok_or_else(KassaError::not_found)
    }

    /// A query parameter; an empty value counts as absent.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a list parameter (`operationIds[]=a&operationIds[]=b`).
    pub fn query_list(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.query
            .iter()
            .filter(|(key, _)| *key == bracketed || key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The body as a JSON object; an empty body is an empty object.
    pub fn json(&self) -> KassaResult<Map<String, Value>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Map::new());
        }
        match serde_json::from_slice(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(KassaError::bad_json()),
        }
    }
}

/// Problems found in a request's parameters, reported together as one validation error.
#[derive(Default)]
pub struct Problems(Vec<String>);

impl Problems {
    pub fn add(&mut self, field: &str, text: &str) {
        self.0.push(format!("{field}: {text}"));
    }

    pub fn into_result(self) -> KassaResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(KassaError::validation(self.0))
        }
    }

    /// A query parameter that must be one of `allowed`.
    pub fn choice<'q>(
        &mut self,
        request: &'q KassaRequest,
        name: &str,
        allowed: &[&str],
    ) -> Option<&'q str> {
        let value = request.query(name)?;
        if allowed.contains(&value) {
            Some(value)
        } else {
            self.add(name, texts::CHOICE);
            None
        }
    }

    /// A query parameter that must be a UUID.
    pub fn uuid<'q>(&mut self, request: &'q KassaRequest, name: &str) -> Option<&'q str> {
        let value = request.query(name)?;
        if uuid::Uuid::parse_str(value).is_ok() {
            Some(value)
        } else {
            self.add(name, texts::UUID);
            None
        }
    }

    /// A query parameter that must be a time (`Y-m-d H:i:s`).
    pub fn time(&mut self, request: &KassaRequest, name: &str) -> Option<DateTime<Utc>> {
        let value = request.query(name)?;
        let parsed = parse_time(value);
        if parsed.is_none() {
            self.add(name, texts::DATETIME);
        }
        parsed
    }
}
