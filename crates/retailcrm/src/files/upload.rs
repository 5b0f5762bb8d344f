//! `POST /api/v5/files/upload`: the bytes, their type, their checks.

use axum::response::Response;
use base64::Engine;
use serde_json::json;
use twin_store::{Batch, Document, Expect, Write};

use super::{indexed, CONTENT, FILE};
use crate::customers::public;
use crate::error::{texts, RetailError, RetailResult};
use crate::render::created;
use crate::request::{success, timestamp, Ctx, RetailRequest};

/// The largest file Twin keeps: 5 MiB (*Inferred*: the seed gives no size; half of the
/// request body limit, so a file always fits a request).
pub const MAX_SIZE: usize = 5 * 1024 * 1024;

/// The name the seed gives every file uploaded through the API.
const NAME: &str = "API upload";

/// `POST /api/v5/files/upload` (seed: files): the request body is the file (the seed:
/// "insert its content into the query body"; the PHP client sends the bytes alone),
/// whatever its `Content-Type`; a `multipart/form-data` body gives the part named
/// `file` (else its first part with a file name) instead (*Inferred*, for form-based
/// clients). The file is named `API upload` (the seed). Its `type` is the part's or the
/// request's own `Content-Type` when that names a type (not a form's nor
/// `application/octet-stream`), else what its
/// first bytes show (PNG, JPEG, GIF, PDF, ZIP, else `text/plain` for UTF-8 text, else
/// `application/octet-stream`). Empty: 400 `errors.file` "This value should not be
/// blank."; over `MAX_SIZE`: 400 `errors.file` "The file is too large. Allowed maximum
/// size is 5 MiB."; programs and scripts (Windows and ELF executables, `#!` and PHP
/// scripts, the vendor's "some file types are prohibited"): 400 `errors.file` "This file
/// type is not allowed." (*Inferred* texts). 201 `{"success": true, "file": {id,
/// filename, type, createdAt, size, attachment: []}}`.
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let (bytes, declared) = content(request.body, request.content_type);
    if bytes.is_empty() {
        return Err(RetailError::parameter("file", texts::BLANK));
    }
    if bytes.len() > MAX_SIZE {
        return Err(RetailError::parameter(
            "file",
            "The file is too large. Allowed maximum size is 5 MiB.",
        ));
    }
    if prohibited(bytes) {
        return Err(RetailError::parameter(
            "file",
            "This file type is not allowed.",
        ));
    }
    let kind = declared
        .filter(|t| !t.is_empty() && !t.starts_with("multipart/") && !GENERIC.contains(t))
        .map_or_else(|| sniff(bytes).to_owned(), str::to_owned);
    let id = ctx.next_id(FILE).await?;
    let body = indexed(json!({
        "id": id,
        "filename": NAME,
        "type": kind,
        "createdAt": timestamp(ctx.now),
        "size": bytes.len(),
        "attachment": [],
    }));
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let file = Document::new(ctx.scope.key(FILE, id.to_string()), body.clone());
    let stored = Document::new(
        ctx.scope.key(CONTENT, id.to_string()),
        json!({ "content": encoded }),
    );
    let batch = Batch::new()
        .write(Write::Put {
            doc: file,
            expect: Expect::Absent,
        })
        .write(Write::Put {
            doc: stored,
            expect: Expect::Absent,
        });
    crate::journal::apply(ctx, batch).await?;
    Ok(created(success(json!({ "file": public(&body) }))))
}

/// Types that name no type: a form's, and "some bytes".
const GENERIC: [&str; 2] = [
    "application/x-www-form-urlencoded",
    "application/octet-stream",
];

/// The file's bytes and the type declared for them (`Content-Type` without parameters).
fn content<'a>(body: &'a [u8], content_type: &'a str) -> (&'a [u8], Option<&'a str>) {
    let declared = content_type.split(';').next().map(str::trim);
    if declared != Some("multipart/form-data") {
        return (body, declared);
    }
    let Some(boundary) = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
    else {
        return (&[], None);
    };
    let parts = parts(body, boundary);
    let chosen = parts
        .iter()
        .find(|(headers, _)| disposition_has(headers, "name=\"file\""))
        .or_else(|| parts.iter().find(|(h, _)| disposition_has(h, "filename=")));
    match chosen {
        Some((headers, bytes)) => (bytes, part_type(headers)),
        None => (&[], None),
    }
}

fn disposition_has(headers: &str, wanted: &str) -> bool {
    headers.lines().any(|line| {
        line.to_ascii_lowercase()
            .starts_with("content-disposition:")
            && line.contains(wanted)
    })
}

fn part_type(headers: &str) -> Option<&str> {
    headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| value.split(';').next().unwrap_or_default().trim())
    })
}

/// The parts of a multipart body: each its headers (text) and its bytes.
fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<(&'a str, &'a [u8])> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&body[at..], delimiter) {
        starts.push(at + found);
        at += found + delimiter.len();
    }
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len()..pair[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let Some(split) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let headers = std::str::from_utf8(&part[..split]).unwrap_or_default();
        out.push((headers, &part[split + 4..]));
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Programs and scripts: what the vendor's "prohibited types" stand for in Twin.
fn prohibited(bytes: &[u8]) -> bool {
    [&b"MZ"[..], b"\x7fELF", b"#!", b"<?php"]
        .iter()
        .any(|magic| bytes.starts_with(magic))
}

/// The type the first bytes show, else text or "some bytes".
fn sniff(bytes: &[u8]) -> &'static str {
    if let Some(kind) = twin_core::media::sniff(bytes) {
        return kind;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => "text/plain",
        _ => "application/octet-stream",
    }
}
