//! `GET /api/v5/files` and its filters.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::Value;
use twin_store::{Filter, TextMode};

use super::FILE;
use crate::customers::list::{ids, list_of, page_of, short_text};
use crate::customers::ranges::{date_range, flags};
use crate::error::{texts, RetailResult};
use crate::orders::list::{bounds, codes};
use crate::request::{Ctx, RetailRequest};
use crate::sites;

/// Any of `values` among the texts of the index field `path`.
fn any_of(path: &str, values: Vec<String>) -> Filter {
    Filter::Or(values.iter().map(|v| Filter::holds(path, v)).collect())
}

/// `filter[<name>][]` as texts for an index field; integers when `integers`.
fn texts_of(
    filter: &Value,
    name: &str,
    integers: bool,
    problems: &mut BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, value) in list_of(&filter[name]).into_iter().enumerate() {
        let text = value.as_str().unwrap_or_default();
        if integers && text.parse::<i64>().is_err() {
            problems.insert(format!("filter[{name}][{i}]"), texts::INTEGER.into());
        } else {
            out.push(text.to_owned());
        }
    }
    out
}

/// `GET /api/v5/files` (the Python client's companion): `limit`, `page` and the PHP
/// client's `filter[...]`: `ids[]`, `orderIds[]`, `orderExternalIds[]`, `customerIds[]`,
/// `customerExternalIds[]` (files attached to any of them), `createdAtFrom`/`createdAtTo`
/// (days), `sizeFrom`/`sizeTo` (bytes), `type[]` (exact types), `filename` (any part,
/// case-insensitive, *Inferred*), `isAttached` (1/0), `sites[]` (attached to an entity of
/// one of them). Files attached only to sites the key does not reach are left out. In id
/// order: `{pagination, files: [...]}`.
pub async fn list(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let paging = request.paging()?;
    let filter = request.filter();
    let mut problems = BTreeMap::new();
    let mut filters: Vec<Filter> = [ids(filter, &mut problems), codes(filter, "type", "type")]
        .into_iter()
        .flatten()
        .collect();
    for (name, path, integers) in [
        ("orderIds", "_orderIds", true),
        ("orderExternalIds", "_orderExternalIds", false),
        ("customerIds", "_customerIds", true),
        ("customerExternalIds", "_customerExternalIds", false),
    ] {
        let values = texts_of(filter, name, integers, &mut problems);
        if !values.is_empty() {
            filters.push(any_of(path, values));
        }
    }
    let wanted = sites::check_all(ctx, &filter["sites"]).await?;
    if !wanted.is_empty() {
        filters.push(any_of("_sites", wanted));
    }
    if !ctx.key_sites().is_empty() {
        let reachable = any_of("_sites", ctx.key_sites().to_vec());
        filters.push(Filter::Or(vec![Filter::eq("_attached", false), reachable]));
    }
    filters.extend(date_range(
        filter,
        ("createdAtFrom", "createdAtTo"),
        "createdAt",
        &mut problems,
    ));
    filters.extend(bounds(
        filter,
        &[("sizeFrom", "sizeTo", "size")],
        &mut problems,
    ));
    filters.extend(flags(filter, &[("isAttached", "_attached")], &mut problems));
    if let Some(name) = short_text(filter, "filename", &mut problems) {
        filters.push(Filter::text("filename", TextMode::Contains, name, true));
    }
    page_of(ctx, FILE, "files", paging, filters, problems).await
}
