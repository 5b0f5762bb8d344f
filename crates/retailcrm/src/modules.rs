//! Integration modules: a partner's module registered in the account (`edit` creates or
//! changes it, kept by its code) and the permissions of the API key it works with
//! (`update-scopes`).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::Document;

use crate::customers::entity;
use crate::customers::fields::{boolean, Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::{created, ok};
use crate::request::{success, timestamp, Ctx, RetailRequest};

pub const MODULE: &str = "integration_module";

/// Text fields of a module.
const TEXTS: [&str; 4] = ["integrationCode", "name", "clientId", "logo"];
/// URL fields of a module.
const URLS: [&str; 2] = ["baseUrl", "accountUrl"];
/// What a new module must give: Twin's modules are never published in the marketplace,
/// where the seed makes these required.
const REQUIRED: [&str; 3] = ["name", "logo", "availableCountries"];

fn url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://")) && text.len() > 8
}

/// Reads the fields `doc` gives into `module`, recording problems.
fn apply(doc: &Map<String, Value>, module: &mut Map<String, Value>, problems: &mut Problems) {
    for (name, value) in doc {
        let problem = match name.as_str() {
            n if TEXTS.contains(&n) => match value.as_str() {
                Some(t) if t.chars().count() <= 255 => None,
                Some(_) => Some(texts::TOO_LONG),
                None => Some(texts::BLANK),
            },
            n if URLS.contains(&n) => {
                (!value.as_str().is_some_and(url)).then_some("This value is not a valid URL.")
            }
            "active" => match boolean(value) {
                Some(flag) => {
                    module.insert(name.clone(), Value::Bool(flag));
                    continue;
                }
                None => Some(texts::BOOLEAN),
            },
            "availableCountries" => {
                let iso = |c: &Value| {
                    c.as_str()
                        .is_some_and(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
                };
                (!value.as_array().is_some_and(|list| list.iter().all(iso)))
                    .then_some("This value is not a valid country.")
            }
            "actions" => (!value
                .as_object()
                .is_some_and(|actions| actions.values().all(Value::is_string)))
            .then_some(texts::CHOICE),
            "integrations" => (!value.is_object()).then_some(texts::CHOICE),
            _ => continue,
        };
        match problem {
            Some(text) => {
                problems.insert(name.clone(), text.to_owned());
            }
            None => {
                module.insert(name.clone(), value.clone());
            }
        }
    }
}

/// `POST /api/v5/integration-modules/{code}/edit`: `integrationModule=<json>`. Creates the
/// module (201; `name`, `logo` and `availableCountries` required) or changes the fields
/// given (200); `{"info": {}}`: no `billingInfo`, the module not being published.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let code = request.arg();
    let doc = entity(request, "integrationModule")?;
    let before = ctx.core.entities.find(&ctx.scope, MODULE, code).await?;
    let mut module = match &before {
        Some(found) => found.body.as_object().cloned().unwrap_or_default(),
        None => {
            let mut fresh = Map::new();
            fresh.insert("code".into(), json!(code));
            fresh.insert("integrationCode".into(), json!(code));
            fresh.insert("active".into(), json!(true));
            fresh.insert("createdAt".into(), json!(timestamp(ctx.now)));
            fresh
        }
    };
    let mut problems = Problems::new();
    crate::reference_edit::code_in_path(&doc, code, &mut problems);
    apply(&doc, &mut module, &mut problems);
    if before.is_none() {
        for field in REQUIRED {
            if !module.contains_key(field) && !problems.contains_key(field) {
                problems.insert(field.to_owned(), texts::BLANK.to_owned());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let module_body = Value::Object(module);
    let stored = Document::new(ctx.scope.key(MODULE, code), module_body.clone());
    crate::journal::put(ctx, stored, before.as_ref()).await?;
    crate::delivery::registered(ctx, &module_body).await?;
    let answer = success(json!({ "info": {} }));
    Ok(if before.is_some() {
        ok(answer)
    } else {
        created(answer)
    })
}

/// `POST /api/v5/integration-modules/{code}/update-scopes`: `requires={"scopes": [...]}`,
/// permissions the seed names. The calling key gets exactly these (`/api/credentials`
/// reports them); `{"apiKey": key}`, the same key (*Inferred*: the vendor may issue a
/// new one; Twin changes the key in use so the module keeps working). 404 when the
/// module was never registered.
pub async fn update_scopes(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let requires = match &request.params["requires"] {
        Value::Object(given) => Value::Object(given.clone()),
        _ => request.document("requires")?,
    };
    let known = crate::auth::all_scopes();
    let mut problems = BTreeMap::new();
    let mut scopes = Vec::new();
    match requires["scopes"].as_array().filter(|s| !s.is_empty()) {
        None => {
            problems.insert("requires[scopes]".to_owned(), texts::BLANK.to_owned());
        }
        Some(list) => {
            for (i, scope) in list.iter().enumerate() {
                match scope.as_str().filter(|s| known.contains(s)) {
                    Some(scope) if !scopes.iter().any(|s| s == scope) => {
                        scopes.push(scope.to_owned())
                    }
                    Some(_) => {}
                    None => {
                        problems.insert(format!("requires[scopes][{i}]"), texts::CHOICE.to_owned());
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    if ctx
        .core
        .entities
        .find(&ctx.scope, MODULE, request.arg())
        .await?
        .is_none()
    {
        return Err(RetailError::not_found());
    }
    let updated = ctx
        .core
        .credentials
        .set_scopes(&ctx.credential, scopes)
        .await?;
    let key = match updated.secret {
        twin_core::credentials::Secret::ApiKey { key, .. } => key,
        _ => String::new(),
    };
    Ok(ok(success(json!({ "apiKey": key }))))
}
