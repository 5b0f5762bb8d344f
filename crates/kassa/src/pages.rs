//! Cursor pages as the vendor has them: `cursor` is the id of the page's first record,
//! `limit` is 1..50 (10 when absent), and the answer is `{"items":[...],"nextCursor"}`
//! where `nextCursor` is the id of the next page's first record, or null on the last page.
//! Records come in the order they were created.

use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use twin_store::{Document, ListQuery, PageRequest};

use crate::error::KassaResult;
use crate::render::public;
use crate::request::{Ctx, KassaRequest, Problems};

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 50;

pub struct PageParams {
    cursor: Option<String>,
    limit: u32,
}

impl PageParams {
    /// Reads `cursor` and `limit`, adding what is wrong with them to `problems`.
    pub fn read(request: &KassaRequest, problems: &mut Problems) -> Self {
        let cursor = problems.uuid(request, "cursor").map(str::to_owned);
        let limit = match request.query("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
                Ok(_) => {
                    problems.add(
                        "limit",
                        &format!("This value should be between 1 and {MAX_LIMIT}."),
                    );
                    DEFAULT_LIMIT
                }
                Err(_) => {
                    problems.add("limit", "This value should be of type int.");
                    DEFAULT_LIMIT
                }
            },
        };
        Self { cursor, limit }
    }
}

/// The page of `query`'s documents the parameters ask for, and the next page's cursor.
pub async fn fetch(
    ctx: &Ctx,
    query: ListQuery,
    params: &PageParams,
) -> KassaResult<(Vec<Document>, Option<String>)> {
    // One row more than the page shows: its id is the next page's cursor.
    let wanted = params.limit + 1;
    let page = match &params.cursor {
        None => PageRequest::Cursor {
            after: None,
            limit: wanted,
            descending: false,
        },
        Some(id) => PageRequest::StartingAt {
            id: id.clone(),
            limit: wanted,
        },
    };
    let mut query = query.page(page);
    query.count_total = false;
    let mut items = ctx.core.entities.list(&query).await?.items;
    let next = if items.len() > params.limit as usize {
        items.pop().map(|doc| doc.key.id)
    } else {
        None
    };
    Ok((items, next))
}

/// The list answer.
pub fn body(items: Vec<Value>, next: Option<String>) -> Value {
    json!({ "items": items, "nextCursor": next })
}

/// A whole list request: reads the page parameters, answers the caller's `problems` with
/// them (the filters it checked), then fetches the page and answers each document's body
/// without Twin's bookkeeping.
pub async fn list(
    ctx: &Ctx,
    request: &KassaRequest<'_>,
    query: ListQuery,
    problems: Problems,
) -> KassaResult<Response> {
    let mut problems = problems;
    let params = PageParams::read(request, &mut problems);
    problems.into_result()?;
    let (docs, next) = fetch(ctx, query, &params).await?;
    let items = docs.into_iter().map(|doc| public(doc.body)).collect();
    Ok(axum::Json(body(items, next)).into_response())
}
