//! `syncOrder` (12.6): the integrator confirms documents it took into 1C. `data` is a
//! bare array of `{SD_id, code_order?, code_return?, code_replace?, status?}`; the
//! `SD_id` finds one document of the family (they share one numbering), whose kind says
//! which code it takes: an order `code_order`, a return `code_return`, an exchange both
//! `code_return` and `code_replace` (its `code_1C` becomes `code_replace`, *Inferred*;
//! `code_return` is kept with it). The code becomes the document's `code_1C`, so it
//! leaves `include: "sd"` for `include: "1c"`. A `status` 1–5 changes the status with
//! its side effects; 0 or none leaves it.
//!
//! The answer is `{completed: [items as sent], failed: [{...item, error}]}` (12.6's
//! prose); with any failure `status` is false, `error {code: 400}` and HTTP 400, as
//! every SET answer with refused records (*Inferred*).

use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::status::restatus;
use super::{status_of, stored_status, Family};
use crate::envelope::Envelope;
use crate::error::{http_status, SdError, SdResult};
use crate::reference::upsert::Refused;
use crate::reference::{by_sd_in, Ids, Record};
use crate::request::Ctx;
use crate::values::text;

/// The family document with this `SD_id`, and its kind.
async fn document(ctx: &Ctx, sd_id: &str) -> SdResult<Option<(Family, Record)>> {
    for family in Family::ALL {
        if let Some(found) = by_sd_in(ctx, family.key(), sd_id).await? {
            return Ok(Some((family, found)));
        }
    }
    Ok(None)
}

/// One item: synchronized, or why not.
async fn sync_one(ctx: &Ctx, item: &Map<String, Value>) -> Result<(), Refused> {
    let refuse = |text: &str| Err(Refused::Item(vec![text.to_owned()]));
    let Some(sd_id) = item.get("SD_id").and_then(text) else {
        return refuse("SD_id is required");
    };
    let code = |member: &str| item.get(member).and_then(text);
    let status = match item.get("status") {
        Some(v) if v.as_i64() == Some(0) || text(v).as_deref() == Some("0") => None,
        other => match status_of(other) {
            Ok(status) => status,
            Err(error) => return refuse(&error),
        },
    };
    let Some((family, found)) = document(ctx, &sd_id).await? else {
        return refuse("Document not found");
    };
    let new_code = match family {
        Family::Order => code("code_order"),
        Family::Defect => code("code_return"),
        Family::Replace => code("code_return").and(code("code_replace")),
    };
    let Some(new_code) = new_code else {
        return refuse(match family {
            Family::Order => "code_order is required for an order",
            Family::Defect => "code_return is required for a return",
            Family::Replace => "code_return and code_replace are required for an exchange",
        });
    };
    let ids = Ids {
        code_1c: Some(new_code),
        ..Ids::default()
    };
    let mut found = found;
    if family == Family::Replace {
        found
            .fields
            .insert("code_return".into(), Value::from(code("code_return")));
    }
    let status = status.unwrap_or_else(|| stored_status(&found));
    restatus(ctx, family, &ids, &found, status, None).await?;
    Ok(())
}

/// `syncOrder` (12.6).
pub async fn sync_orders(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let items = envelope
        .data
        .as_array()
        .ok_or_else(|| SdError::bad_request("data must be an array"))?;
    let (mut completed, mut failed) = (Vec::new(), Vec::new());
    for item in items {
        let outcome = match item.as_object() {
            Some(fields) => sync_one(ctx, fields).await,
            None => Err(Refused::Item(vec![
                "The record must be a JSON object".into()
            ])),
        };
        match outcome {
            Ok(()) => completed.push(item.clone()),
            Err(Refused::Item(errors)) => {
                let mut shown = item.as_object().cloned().unwrap_or_default();
                shown.insert("error".into(), Value::from(errors.join("; ")));
                failed.push(Value::Object(shown));
            }
            Err(Refused::Request(error)) => return Err(error),
        }
    }
    let ok = failed.is_empty();
    let mut body = json!({ "status": ok, "result": { "completed": completed, "failed": failed } });
    if !ok {
        body["error"] = json!({ "code": 400, "message": "Error" });
    }
    let code = if ok { 200 } else { 400 };
    Ok((http_status(code), axum::Json(body)).into_response())
}
