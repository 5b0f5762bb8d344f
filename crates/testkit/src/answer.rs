//! Reading an answer the way every dialect's tests do: status, headers and JSON body.

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response};
use serde_json::Value;

/// An answer: status, headers and JSON body (`null` when empty).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// Reads `response` whole; a body that is neither empty nor JSON fails the test, with
    /// the text in the message.
    pub async fn read(response: Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON body: {text}"))
        };
        Self {
            status,
            headers,
            body,
        }
    }
}

/// Most assertions want only these two.
impl From<Answer> for (u16, Value) {
    fn from(answer: Answer) -> Self {
        (answer.status, answer.body)
    }
}

/// Sends `request` and reads its answer.
pub async fn answer(request: RequestBuilder) -> Answer {
    Answer::read(request.send().await.expect("request")).await
}
