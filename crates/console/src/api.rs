//! The admin API called in-process: a request goes through the admin router as if it came
//! over the network (same validation, same problem documents), without a socket.

use std::fmt;
use std::sync::Arc;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Form};
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::Value;
use tower::ServiceExt;
use twin_http::BODY_LIMIT;

/// Where the admin router is mounted.
const BASE: &str = "/admin/api";
/// The most of an admin answer the console reads (a snapshot can be large).
const ANSWER_LIMIT: usize = 256 * 1024 * 1024;

#[derive(Clone)]
pub struct Api {
    admin: Router,
    authorization: Arc<str>,
}

/// An admin answer other than 2xx, from its problem document.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
}

impl ApiError {
    /// What the admin said was wrong: its problem detail, else its title.
    pub fn reason(&self) -> &str {
        if self.detail.is_empty() {
            &self.title
        } else {
            &self.detail
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.title, self.status, self.detail)
    }
}

impl Api {
    /// In-process calls carry the app's body limit as network requests do (without it,
    /// axum's extractors would stop at their 2 MB default, e.g. for snapshot imports).
    pub fn new(admin: Router, token: &str) -> Self {
        Self {
            admin: admin.layer(DefaultBodyLimit::max(BODY_LIMIT)),
            authorization: format!("Bearer {token}").into(),
        }
    }

    /// `GET` of a path below `/admin/api` (with its query), as JSON.
    pub async fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.send(Method::GET, path, None).await
    }

    /// A JSON request; an empty answer (204) is `null`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let bytes = body.map(|value| Bytes::from(value.to_string()));
        read(self.raw(method, path, bytes).await).await
    }

    /// The admin answer as it is (for downloads); a JSON body when one is given.
    pub async fn raw(&self, method: Method, path: &str, body: Option<Bytes>) -> Response {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{BASE}{path}"))
            .header(header::AUTHORIZATION, self.authorization.as_ref());
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("a request built from a valid path");
        match self.admin.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// An admin answer as JSON (`null` when empty), or its problem document as an error.
pub async fn read(response: Response) -> Result<Value, ApiError> {
    let status = response.status();
    let bytes = to_bytes(response.into_body(), ANSWER_LIMIT)
        .await
        .map_err(|e| ApiError {
            status: StatusCode::BAD_GATEWAY,
            title: "Unreadable answer".into(),
            detail: e.to_string(),
        })?;
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    };
    if status.is_success() {
        Ok(value)
    } else {
        let text = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
        Err(ApiError {
            status,
            title: text("title"),
            detail: text("detail"),
        })
    }
}

/// A form's fields; a body that is not the form is refused as the admin refuses input.
pub fn fields<T>(form: Result<Form<T>, FormRejection>) -> Result<T, ApiError> {
    form.map(|Form(fields)| fields)
        .map_err(|rejection| refusal(rejection.status(), rejection.body_text()))
}

/// A console-side refusal of a form's input (unreadable, incomplete), shown as the
/// admin's refusals are.
pub fn refusal(status: StatusCode, detail: impl Into<String>) -> ApiError {
    ApiError {
        status,
        title: "Invalid input".into(),
        detail: detail.into(),
    }
}

/// A number field of a form for the admin API: empty is absent; a number as typed;
/// anything else as text, which the admin refuses in its own words.
pub fn number_or_text(text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<Value>(text) {
        Ok(number @ Value::Number(_)) => number,
        _ => Value::String(text.to_owned()),
    })
}

/// A path segment or query value, percent-encoded (everything but RFC 3986's unreserved).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A query string (`?a=1&b=2`) of the pairs whose value is not empty; `""` when none is.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// The value of `name` in a raw query string (the last one when repeated), `""` when absent.
pub fn param(raw: Option<&str>, name: &str) -> String {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .last()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode("a b/ж?&=~"), "a%20b%2F%D0%B6%3F%26%3D~");
        assert_eq!(
            query(&[("a", "1"), ("b", ""), ("q", "x y")]),
            "?a=1&q=x%20y"
        );
        assert_eq!(query(&[("b", "")]), "");
    }

    #[test]
    fn params_are_decoded_and_the_last_wins() {
        let raw = Some("a=1&b=x+y%21&a=2");
        assert_eq!(param(raw, "a"), "2");
        assert_eq!(param(raw, "b"), "x y!");
        assert_eq!(param(raw, "c"), "");
        assert_eq!(param(None, "a"), "");
    }
}
