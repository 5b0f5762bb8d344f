//! Files: uploaded through the API (`upload`), then read (`get`, the list), downloaded
//! byte for byte, renamed and attached to orders and customers (`edit`), deleted. A file
//! is two documents of the account's store, so snapshots and restarts keep it: its
//! description (kind `file`: `{id, filename, type, createdAt, size, attachment}`, with
//! Twin's index fields of its attachments) and its bytes (kind `file_content`, base64),
//! kept apart so lists never load the bytes. A key limited to sites does not see a file
//! attached only to entities of other sites (403 when named, as for customers).

pub mod edit;
pub mod list;
pub mod upload;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};
use twin_store::{Batch, Document, Expect, Write};

use crate::customers::public;
use crate::error::{RetailError, RetailResult};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

pub const FILE: &str = "file";
/// The bytes of a file, under the file's id.
pub const CONTENT: &str = "file_content";

/// The file with this id: 404 when there is none, 403 when the key reaches none of its
/// attachments' sites (a file attached to nothing is reached by every key).
pub async fn find(ctx: &Ctx, id: &str) -> RetailResult<Document> {
    crate::sites::numbered_within(ctx, FILE, id, ("_sites", true)).await
}

/// `GET /api/v5/files/{id}` (the Python client's companion): `{"file": {id, filename,
/// type, createdAt, size, attachment}}`; 404/403 as `find`.
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    Ok(ok(success(json!({ "file": public(&doc.body) }))))
}

/// `GET /api/v5/files/{id}/download` (companion): the bytes as uploaded, the file's
/// `type` as `Content-Type`, its name in `Content-Disposition` (the seed: "the file
/// name is returned in the Content-Disposition HTTP header"), `attachment` with an ASCII
/// `filename` and the exact one as UTF-8 `filename*` (RFC 6266).
pub async fn download(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    let stored = ctx
        .core
        .entities
        .find(&ctx.scope, CONTENT, &doc.key.id)
        .await?
        .ok_or_else(RetailError::internal)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(stored.body["content"].as_str().unwrap_or_default())
        .map_err(|_| RetailError::internal())?;
    let name = doc.body["filename"].as_str().unwrap_or("file");
    let kind = doc.body["type"]
        .as_str()
        .unwrap_or("application/octet-stream");
    let headers = [
        (header::CONTENT_TYPE, kind.to_owned()),
        (header::CONTENT_DISPOSITION, disposition(name)),
    ];
    Ok((StatusCode::OK, headers, bytes).into_response())
}

/// `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>`.
fn disposition(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

/// `POST /api/v5/files/{id}/delete` (companion): the file and its bytes are removed;
/// `{"success": true}`; 404/403 as `find`.
pub async fn delete(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request.arg()).await?;
    let content = ctx.scope.key(CONTENT, doc.key.id.clone());
    let batch = Batch::new()
        .write(Write::Delete {
            key: doc.key,
            expect: Expect::Version(doc.version),
        })
        .write(Write::Delete {
            key: content,
            expect: Expect::Any,
        });
    crate::journal::apply(ctx, batch).await?;
    Ok(ok(success(json!({}))))
}

/// The file's body with Twin's index fields of its `attachment` list: `_orderIds`,
/// `_orderExternalIds`, `_customerIds`, `_customerExternalIds`, `_sites` (text, which
/// the list's filters find) and `_attached`.
pub fn indexed(mut body: Value) -> Value {
    let attachment = body["attachment"].as_array().cloned().unwrap_or_default();
    let texts = |entity: &str, member: &str| -> Value {
        attachment
            .iter()
            .map(|a| &a[entity][member])
            .filter(|v| !v.is_null())
            .map(|v| Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect()
    };
    let mut sites: Vec<Value> = attachment
        .iter()
        .flat_map(|a| [&a["order"]["site"], &a["customer"]["site"]])
        .filter(|v| v.is_string())
        .cloned()
        .collect();
    sites.dedup();
    body["_orderIds"] = texts("order", "id");
    body["_orderExternalIds"] = texts("order", "externalId");
    body["_customerIds"] = texts("customer", "id");
    body["_customerExternalIds"] = texts("customer", "externalId");
    body["_sites"] = Value::Array(sites);
    body["_attached"] = json!(!attachment.is_empty());
    body
}
