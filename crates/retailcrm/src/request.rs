//! What a handler gets: the account and key (`Ctx`) and the request's parameters
//! (`RetailRequest`): the query and, for POST, the form body, both in PHP's bracket form,
//! whose entity fields (`customer=<json>`) are JSON documents.

use std::collections::BTreeMap;
use std::ops::Deref;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};
use twin_core::accounts::Account;
use twin_core::credentials::Credential;
use twin_core::Core;
use twin_http::AccountCtx;
use twin_store::{Document, Filter, ListQuery, PageRequest};

use crate::auth;
use crate::error::{texts, RetailError, RetailResult};
use crate::DIALECT;

/// One account's RetailCRM data, as the request's API key sees it.
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

    /// The sites the key is limited to; empty when it reaches every site.
    pub fn key_sites(&self) -> &[String] {
        auth::grants(&self.credential).1
    }

    pub fn may_reach(&self, site: &str) -> bool {
        let sites = self.key_sites();
        sites.is_empty() || sites.iter().any(|s| s == site)
    }

    /// The next number of the account's sequence of `kind` (ids of new entities).
    pub async fn next_id(&self, kind: &str) -> RetailResult<i64> {
        Ok(self
            .core
            .store
            .next_sequence(&self.scope, kind)
            .await
            .map_err(twin_core::CoreError::from)?)
    }

    /// The entity of `kind` stored under the integer `id` (as a path gives it); none
    /// when there is none or `id` is no integer.
    pub async fn numbered(
        &self,
        kind: &str,
        id: &str,
    ) -> RetailResult<Option<twin_store::Document>> {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        Ok(self
            .core
            .entities
            .find(&self.scope, kind, &id.to_string())
            .await?)
    }
}

/// The vendor's times: `Y-m-d H:i:s` in the account's time zone, Moscow time by default
/// (*Inferred*: the seed gives the format, not the zone).
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).expect("a valid offset")
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&zone())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// `Y-m-d H:i:s`, or a bare `Y-m-d` (its midnight).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    zone()
        .from_local_datetime(&naive)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

pub struct RetailRequest<'a> {
    /// The values of the path's placeholders, in order.
    pub args: Vec<&'a str>,
    /// Query and form parameters, nested by brackets; the form's win on a clash.
    pub params: Value,
    /// The POST body as sent and its `Content-Type` (`files/upload` takes the body whole).
    pub body: &'a [u8],
    pub content_type: &'a str,
}

impl<'a> RetailRequest<'a> {
    pub fn new(args: Vec<&'a str>, query: Value, form: Option<&'a [u8]>) -> Self {
        let mut params = query;
        if let (Some(form), Some(map)) = (form, params.as_object_mut()) {
            let form = twin_http::php_query::parse(&String::from_utf8_lossy(form));
            if let Value::Object(fields) = form {
                map.extend(fields);
            }
        }
        Self {
            args,
            params,
            body: form.unwrap_or_default(),
            content_type: "",
        }
    }

    /// The request with its `Content-Type`.
    pub fn typed(self, content_type: &'a str) -> Self {
        Self {
            content_type,
            ..self
        }
    }

    /// The first path placeholder.
    pub fn arg(&self) -> &'a str {
        self.args.first().copied().unwrap_or_default()
    }

    /// A scalar parameter; an empty value counts as absent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.params[name].as_str().filter(|v| !v.is_empty())
    }

    /// The filter object (`filter[...]`), empty when absent.
    pub fn filter(&self) -> &Value {
        static EMPTY: Value = Value::Null;
        match &self.params["filter"] {
            Value::Object(_) => &self.params["filter"],
            _ => &EMPTY,
        }
    }

    /// A form field holding a JSON document: 400 when missing or not JSON.
    pub fn document(&self, name: &str) -> RetailResult<Value> {
        let text = self
            .text(name)
            .ok_or_else(|| RetailError::bad_request(format!("Parameter '{name}' is missing")))?;
        serde_json::from_str(text).map_err(|_| {
            RetailError::bad_request(format!("Parameter '{name}' must be a valid JSON document"))
        })
    }

    /// A structured parameter in either of the vendor clients' forms: bracket fields
    /// (`order[weight]=1`) or one field holding a JSON document (`order={"weight": 1}`,
    /// the Python client's). `None` when absent; 400 when the text is not JSON.
    pub fn structured(&self, name: &str) -> RetailResult<Option<Value>> {
        match &self.params[name] {
            Value::Null => Ok(None),
            Value::String(text) if text.is_empty() => Ok(None),
            Value::String(_) => self.document(name).map(Some),
            other => Ok(Some(other.clone())),
        }
    }

    /// A form field holding a JSON list of 1 to `max` documents (an upload's): 400 on the
    /// field otherwise.
    pub fn batch(&self, name: &str, max: usize) -> RetailResult<Vec<Value>> {
        match self.document(name)? {
            Value::Array(list) if !list.is_empty() && list.len() <= max => Ok(list),
            _ => Err(RetailError::parameter(
                name,
                &format!(
                    "This collection should contain 1 element or more and {max} elements or less."
                ),
            )),
        }
    }

    /// `by`: `externalId` (the default) or `id`.
    pub fn by_id(&self) -> RetailResult<bool> {
        match self.text("by") {
            None | Some("externalId") => Ok(false),
            Some("id") => Ok(true),
            Some(_) => Err(RetailError::parameter("by", texts::CHOICE)),
        }
    }

    /// `limit` (20, 50 or 100; 20 by default) and `page` (from 1): 400 otherwise.
    pub fn paging(&self) -> RetailResult<Paging> {
        let mut errors = BTreeMap::new();
        let limit = match self.text("limit") {
            None => 20,
            Some(text) => match text.parse::<u32>() {
                Ok(limit @ (20 | 50 | 100)) => limit,
                _ => {
                    errors.insert("limit".to_owned(), texts::CHOICE.to_owned());
                    20
                }
            },
        };
        let page = match self.text("page") {
            None => 1,
            Some(text) => match text.parse::<u64>() {
                Ok(page) if page >= 1 => page,
                _ => {
                    errors.insert("page".to_owned(), texts::AT_LEAST_ONE.to_owned());
                    1
                }
            },
        };
        if errors.is_empty() {
            Ok(Paging { limit, page })
        } else {
            Err(RetailError::parameters(errors))
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: u32,
    pub page: u64,
}

impl Paging {
    /// Where the page starts; saturating, as `page` may be any `u64` a client sends.
    pub fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(u64::from(self.limit))
    }

    /// This page of `items` (a list filtered in memory) and their total.
    pub fn window<T>(self, items: Vec<T>) -> (Vec<T>, u64) {
        let total = items.len() as u64;
        let shown = items
            .into_iter()
            .skip(self.offset() as usize)
            .take(self.limit as usize)
            .collect();
        (shown, total)
    }

    /// `{limit, totalCount, currentPage, totalPageCount}`.
    pub fn pagination(self, total: u64) -> Value {
        json!({
            "limit": self.limit,
            "totalCount": total,
            "currentPage": self.page,
            "totalPageCount": total.div_ceil(u64::from(self.limit)),
        })
    }
}

/// The success envelope: `{"success": true, ...fields}`.
pub fn success(fields: Value) -> Value {
    let mut body = Map::from_iter([("success".to_owned(), Value::Bool(true))]);
    if let Value::Object(fields) = fields {
        body.extend(fields);
    }
    Value::Object(body)
}

/// Every document of `kind` under `filter` (at most 10000: Twin's accounts are small).
pub async fn every(ctx: &Ctx, kind: &str, filter: Filter) -> RetailResult<Vec<Document>> {
    let query = ListQuery::new(ctx.scope.clone(), kind)
        .filter(filter)
        .page(PageRequest::Offset {
            offset: 0,
            limit: 10_000,
        });
    Ok(ctx.core.entities.list(&query).await?.items)
}
