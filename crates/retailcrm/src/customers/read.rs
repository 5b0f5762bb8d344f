//! One customer.

use axum::response::Response;
use serde_json::json;

use super::{find, public};
use crate::error::RetailResult;
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// `GET /api/v5/customers/{externalId}`: by external id, or by internal id with `by=id`;
/// `site` narrows the search (external ids are unique per site).
pub async fn get(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = find(ctx, request, request.arg()).await?;
    Ok(ok(success(json!({ "customer": public(&doc.body) }))))
}
