//! Snapshots: the admin export passed through as a download, and an uploaded file passed
//! to the admin import (`GET`/`PUT /accounts/{id}/snapshot`), which judges it.

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use twin_http::BODY_LIMIT;

use super::{done, refusal, refused, render};
use crate::api::{encode, read, ApiError};
use crate::html::esc;
use crate::layout::PagePath;
use crate::Console;

pub fn section(id: &str) -> String {
    format!(
        "<section class=\"panel\" id=\"snapshot\" aria-labelledby=\"snapshot-title\">\
         <h2 id=\"snapshot-title\">Snapshot</h2>\
         <p class=\"muted\">The account's data as one JSON file: documents, their history \
         and numbering, not credentials. Import it into this or another account, on this \
         Twin or another.</p>\
         <p><a class=\"button secondary\" href=\"/console/accounts/{link}/snapshot\" \
         data-test=\"snapshot-export\">Download snapshot</a></p>\
         <form method=\"post\" action=\"/console/accounts/{link}/snapshot/import\" \
         enctype=\"multipart/form-data\" class=\"filters\" data-test=\"snapshot-import\" \
         data-confirm=\"Replace all data of account {id} with the file's?\">\
         <label for=\"snapshot-file\">Snapshot file<input id=\"snapshot-file\" type=\"file\" \
         name=\"file\" accept=\".json,application/json\" required></label>\
         <button type=\"submit\">Import</button></form>\
         <p class=\"muted\">Importing replaces the account's data. Files up to {limit} MiB \
         (the server's request body limit; larger ones are refused).</p></section>",
        link = esc(&encode(id)),
        id = esc(id),
        limit = BODY_LIMIT / (1024 * 1024),
    )
}

/// The admin's file as it is (its name in `Content-Disposition`), or the page with why not.
pub async fn export(State(console): State<Console>, PagePath(id): PagePath<String>) -> Response {
    let path = format!("/accounts/{}/snapshot", encode(&id));
    let answer = console.api.raw(Method::GET, &path, None).await;
    if !answer.status().is_success() {
        return render(&console, Some(&id), None, read(answer).await.err()).await;
    }
    let (parts, body) = answer.into_parts();
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    for name in [header::CONTENT_TYPE, header::CONTENT_DISPOSITION] {
        if let Some(value) = parts.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn import(
    State(console): State<Console>,
    PagePath(id): PagePath<String>,
    upload: Result<Multipart, MultipartRejection>,
) -> Response {
    let (name, bytes) = match uploaded_file(upload).await {
        Ok(file) => file,
        Err(failure) => return refused(&console, &id, failure).await,
    };
    let path = format!("/accounts/{}/snapshot", encode(&id));
    match read(console.api.raw(Method::PUT, &path, Some(bytes)).await).await {
        Ok(_) => done(&id, &format!("{name} imported into account {id}.")),
        Err(error) => refused(&console, &id, error).await,
    }
}

/// The name and bytes of the form's `file` part; a form without one (or with an empty
/// one, as browsers send when no file was chosen) is refused.
async fn uploaded_file(
    upload: Result<Multipart, MultipartRejection>,
) -> Result<(String, Bytes), ApiError> {
    let mut multipart = upload.map_err(|r| refusal(r.status(), r.body_text()))?;
    let unreadable =
        |e: axum::extract::multipart::MultipartError| refusal(e.status(), e.body_text());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .filter(|name| !name.is_empty())
            .unwrap_or("The snapshot")
            .to_owned();
        let bytes = field.bytes().await.map_err(unreadable)?;
        if !bytes.is_empty() {
            return Ok((name, bytes));
        }
    }
    Err(refusal(
        StatusCode::BAD_REQUEST,
        "No file: choose a snapshot file (a .twin.json download) to import.",
    ))
}
