//! Admin errors as RFC 9457 problem documents, and extractors that reject malformed input
//! with one instead of axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use twin_http::Plumbing;
pub use twin_http::Problem;

pub fn plumbing(error: Plumbing) -> Response {
    let (status, title) = match error {
        Plumbing::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "Payload too large"),
        Plumbing::Timeout => (StatusCode::REQUEST_TIMEOUT, "Request timeout"),
        Plumbing::NotFound => (StatusCode::NOT_FOUND, "Not found"),
        Plumbing::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
    };
    Problem::new(status, title, title.to_lowercase()).into_response()
}

/// `Json<T>` that rejects with a problem document.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> Problem {
    let detail = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid body", detail)
        }
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "send the body as application/json",
        ),
        JsonRejection::BytesRejection(_) => {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Payload too large", detail)
        }
        _ => Problem::new(StatusCode::BAD_REQUEST, "Malformed JSON", detail),
    }
}

/// `Query<T>` that rejects with a problem document.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|rejection: QueryRejection| Problem::bad_request(rejection.body_text()))
    }
}

/// `Path<T>` that rejects with a problem document.
pub struct PathParams<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PathParams<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|rejection: PathRejection| Problem::bad_request(rejection.body_text()))
    }
}
