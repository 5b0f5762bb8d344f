//! The vendor's `reference/<name>/{code}/edit` methods (cost groups, cost items, delivery
//! types): one method creates the entry the path's code names or changes the fields its
//! document gives. `start` reads the document and the entry, the caller checks and applies
//! its fields, `finish` stores it: 201 `{"success": true}` for a new entry, 200 for a
//! change (*Inferred*: the vendor's answer to its other create-or-edit methods).

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use crate::customers::entity;
use crate::customers::fields::Problems;
use crate::error::{texts, RetailError, RetailResult};
use crate::reference::{self, Reference};
use crate::render::{created, ok};
use crate::request::{success, Ctx, RetailRequest};

/// An edit under way: the document, the stored entry (none: a new one), the entry as it
/// becomes and the problems found so far.
pub struct Edit {
    pub doc: Map<String, Value>,
    pub before: Option<Document>,
    pub entry: Map<String, Value>,
    pub problems: Problems,
}

impl Edit {
    pub fn is_new(&self) -> bool {
        self.before.is_none()
    }
}

/// Reads `field` (`costItem=<json>`) and the entry the path's code names. A code in the
/// document other than the path's is a problem (the path names the entry).
pub async fn start(
    ctx: &Ctx,
    request: &RetailRequest<'_>,
    reference: Reference,
    field: &str,
) -> RetailResult<Edit> {
    let code = request.arg();
    let doc = entity(request, field)?;
    let before = reference::find(ctx, reference, code).await?;
    let entry = match &before {
        Some(found) => found.body.as_object().cloned().unwrap_or_default(),
        None => Map::from_iter([("code".to_owned(), json!(code))]),
    };
    let mut problems = Problems::new();
    code_in_path(&doc, code, &mut problems);
    if code.chars().count() > 255 {
        problems.insert("code".into(), texts::TOO_LONG.into());
    }
    Ok(Edit {
        doc,
        before,
        entry,
        problems,
    })
}

/// A code in the document other than the path's is a problem: the path names the entry.
pub fn code_in_path(doc: &Map<String, Value>, code: &str, problems: &mut Problems) {
    if doc
        .get("code")
        .and_then(Value::as_str)
        .is_some_and(|given| given != code)
    {
        problems.insert(
            "code".into(),
            "The code must be the one in the path.".into(),
        );
    }
}

/// Stores the entry: a new one must have the `required` fields (400 otherwise, as every
/// problem: `Errors in the entity format`).
pub async fn finish(
    ctx: &Ctx,
    reference: Reference,
    mut edit: Edit,
    required: &[&str],
) -> RetailResult<Response> {
    if edit.is_new() {
        for field in required {
            if !edit.entry.contains_key(*field) && !edit.problems.contains_key(*field) {
                edit.problems
                    .insert((*field).to_owned(), texts::BLANK.to_owned());
            }
        }
    }
    if !edit.problems.is_empty() {
        return Err(RetailError::entity(edit.problems));
    }
    let body = Value::Object(edit.entry);
    reference::save(ctx, reference, body, edit.before.as_ref()).await?;
    Ok(if edit.before.is_some() {
        ok(success(json!({})))
    } else {
        created(success(json!({})))
    })
}

/// A text field of at most 255 characters, kept in `entry`.
pub fn text(edit: &mut Edit, field: &str) {
    if let Some(value) = edit.doc.get(field).filter(|v| !v.is_null()) {
        match value.as_str().filter(|t| !t.trim().is_empty()) {
            Some(t) if t.chars().count() > 255 => {
                edit.problems.insert(field.into(), texts::TOO_LONG.into());
            }
            Some(t) => {
                edit.entry.insert(field.into(), json!(t));
            }
            None => {
                edit.problems.insert(field.into(), texts::BLANK.into());
            }
        }
    }
}

/// Boolean fields (`1`/`0`/`true`/`false` too), kept in `entry`.
pub fn flags(edit: &mut Edit, fields: &[&str]) {
    for field in fields {
        if let Some(value) = edit.doc.get(*field).filter(|v| !v.is_null()) {
            match crate::customers::fields::boolean(value) {
                Some(flag) => {
                    edit.entry.insert((*field).into(), Value::Bool(flag));
                }
                None => {
                    edit.problems.insert((*field).into(), texts::BOOLEAN.into());
                }
            }
        }
    }
}

/// An integer field (`ordering`), kept in `entry`.
pub fn integer(edit: &mut Edit, field: &str) {
    if let Some(value) = edit.doc.get(field).filter(|v| !v.is_null()) {
        let number = value
            .as_i64()
            .or_else(|| value.as_str().and_then(|t| t.parse().ok()));
        match number {
            Some(n) => {
                edit.entry.insert(field.into(), json!(n));
            }
            None => {
                edit.problems.insert(field.into(), texts::INTEGER.into());
            }
        }
    }
}
