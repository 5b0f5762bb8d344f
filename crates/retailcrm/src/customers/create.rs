//! New customers, one (`customers/create`) or up to 50 at once (`customers/upload`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use twin_core::CoreError;

use super::fields::{apply, Problems};
use super::{document, entity, id_answer, public, taken, CUSTOMER};
use crate::custom_fields::Definitions;
use crate::error::{RetailError, RetailResult};
use crate::journal::Journal;
use crate::render::created;
use crate::request::{timestamp, Ctx, RetailRequest};
use crate::sites;

/// The most customers one upload takes.
const UPLOAD_MAX: usize = 50;

/// What a new customer of either kind (`type`) answers with unless its document says
/// otherwise: created now, `vip` and `bad` false, no custom fields.
pub fn defaults(ctx: &Ctx, kind: &str, site: &str) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("type".into(), json!(kind));
    body.insert("site".into(), json!(site));
    body.insert("createdAt".into(), json!(timestamp(ctx.now)));
    body.insert("vip".into(), json!(false));
    body.insert("bad".into(), json!(false));
    body.insert("customFields".into(), json!({}));
    body
}

/// A new customer body from its document: the defaults the vendor answers with
/// (`isContact` false, an individual contragent besides `defaults`), then the document's
/// fields. `id` comes later.
pub fn new_body(
    ctx: &Ctx,
    site: &str,
    doc: &Map<String, Value>,
    defs: &Definitions,
    problems: &mut Problems,
) -> Map<String, Value> {
    let mut body = defaults(ctx, super::CUSTOMER, site);
    body.insert("isContact".into(), json!(false));
    body.insert(
        "contragent".into(),
        json!({ "contragentType": "individual" }),
    );
    apply(doc, &mut body, problems);
    defs.check(doc, &mut body, problems);
    if body.get("externalId").is_some_and(Value::is_null) {
        body.remove("externalId");
    }
    body
}

/// `count` new ids of customers of either kind (they share one sequence).
pub async fn next_ids(ctx: &Ctx, count: u32) -> RetailResult<i64> {
    ctx.core
        .store
        .reserve_sequence(&ctx.scope, CUSTOMER, count)
        .await
        .map_err(|e| CoreError::from(e).into())
}

/// `POST /api/v5/customers/create`: `customer=<json>` and `site`; 201 `{"id": N}`. An
/// external id already used in the site is a 400.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "customer")?;
    let site = sites::for_write(ctx, request).await?;
    let mut problems = Problems::new();
    let defs = Definitions::load(ctx, CUSTOMER).await?;
    let mut body = new_body(ctx, &site, &doc, &defs, &mut problems);
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    if let Some(external) = body.get("externalId").and_then(Value::as_str) {
        if super::external_id_taken(ctx, &site, external).await? {
            return Err(taken(external));
        }
    }
    let id = next_ids(ctx, 1).await?;
    body.insert("id".into(), json!(id));
    let doc = document(ctx, Value::Object(body));
    let snapshot = public(&doc.body);
    let mut journal = Journal::new(ctx).await?;
    journal.create(doc, "customer", snapshot);
    journal.commit(taken).await?;
    Ok(created(id_answer(&json!(id))))
}

/// `POST /api/v5/customers/upload`: `customers=<json list>` (at most 50) and `site`. The
/// valid ones are created together; 201 `{"uploadedCustomers": [{id, externalId}]}`, or
/// 460 with `errors` (one line per customer left out) when some were not valid.
pub async fn upload(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let list = match request.document("customers")? {
        Value::Array(list) => list,
        _ => {
            return Err(RetailError::parameter(
                "customers",
                "This value should be of type array.",
            ))
        }
    };
    if list.is_empty() || list.len() > UPLOAD_MAX {
        return Err(RetailError::parameter(
            "customers",
            "This collection should contain 1 element or more and 50 elements or less.",
        ));
    }
    let site = sites::for_write(ctx, request).await?;
    let mut bodies = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let defs = Definitions::load(ctx, CUSTOMER).await?;
    for (i, item) in list.iter().enumerate() {
        let Some(doc) = item.as_object() else {
            errors.push(format!(
                "customers[{i}]: This value should be of type object."
            ));
            continue;
        };
        let mut problems = Problems::new();
        let body = new_body(ctx, &site, doc, &defs, &mut problems);
        if let Some(external) = body.get("externalId").and_then(Value::as_str) {
            let clash = !seen.insert(external.to_owned())
                || super::external_id_taken(ctx, &site, external).await?;
            if clash {
                problems.insert(
                    "externalId".into(),
                    "Customer with the same externalId already exists.".into(),
                );
            }
        }
        match problems.into_iter().next() {
            Some((field, text)) => errors.push(format!("customers[{i}][{field}]: {text}")),
            None => bodies.push(body),
        }
    }
    let mut uploaded = Vec::new();
    if !bodies.is_empty() {
        let first = next_ids(ctx, bodies.len() as u32).await?;
        let mut journal = Journal::new(ctx).await?;
        for (n, mut body) in bodies.into_iter().enumerate() {
            let id = first + n as i64;
            body.insert("id".into(), json!(id));
            let doc = document(ctx, Value::Object(body));
            let snapshot = public(&doc.body);
            uploaded.push(super::identity(&snapshot));
            journal.create(doc, "customer", snapshot);
        }
        journal.commit(taken).await?;
    }
    for entry in &mut uploaded {
        if let Some(map) = entry.as_object_mut() {
            map.remove("site");
        }
    }
    Ok(uploaded_answer(uploaded, errors))
}

/// The answer of an upload: 201 `{"uploadedCustomers": [{id, externalId}]}`, or 460 with
/// `errors` (one line per customer left out) when some were not valid.
pub fn uploaded_answer(uploaded: Vec<Value>, errors: Vec<String>) -> Response {
    let message = "Customers are loaded with errors";
    uploaded_answer_of("uploadedCustomers", message, uploaded, errors)
}

/// `uploaded_answer` of any kind: the list under `member`, `message` on errors.
pub fn uploaded_answer_of(
    member: &str,
    message: &str,
    uploaded: Vec<Value>,
    errors: Vec<String>,
) -> Response {
    if errors.is_empty() {
        let mut body = json!({});
        body[member] = Value::Array(uploaded);
        return created(crate::request::success(body));
    }
    let mut body = json!({
        "success": false,
        "errorMsg": message,
        "errors": errors,
    });
    body[member] = Value::Array(uploaded);
    let status = StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}
