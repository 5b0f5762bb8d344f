//! Custom fields: definitions per entity (`order`, `customer`, `customer_corporate`,
//! `company`) made by `custom-fields/{entity}/create`, and the values entities carry in
//! `customFields`: a value of a defined field is checked against its type and kept in the
//! type's form (numbers as numbers, dates as `Y-m-d`), so filters compare them rightly.
//! Codes no field defines are kept as given (*Inferred*: a real account's fields are made
//! in its interface; Twin's accounts start with none and would otherwise keep nothing).

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery, PageRequest};

use crate::customers::entity;
use crate::customers::fields::{boolean, Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::render::created;
use crate::request::{parse_time, success, timestamp, Ctx, RetailRequest};

const CUSTOM_FIELD: &str = "custom_field";

/// The types of the vendor's custom fields (*Inferred*: the seed names `dictionary` only).
const TYPES: [&str; 10] = [
    "string",
    "text",
    "integer",
    "numeric",
    "boolean",
    "date",
    "datetime",
    "email",
    "dictionary",
    "multiselect_dictionary",
];

/// The entities and the display areas the seed lists for each (the first the default,
/// *Inferred*).
const AREAS: [(&str, &[&str]); 4] = [
    (
        "order",
        &[
            "customer",
            "legal_details",
            "shipment",
            "dimensions",
            "delivery",
            "payment",
        ],
    ),
    ("customer", &["main_data", "delivery", "legal_details"]),
    ("customer_corporate", &["main_data"]),
    ("company", &["main_data", "legal_details"]),
];

/// The view modes (*Inferred*: the seed names the default `editable` only).
const VIEW_MODES: [&str; 3] = ["editable", "readonly", "not_editable"];

/// A value in the form its type keeps, or the validator's text.
pub fn typed(kind: &str, value: &Value) -> Result<Value, &'static str> {
    let text = value.as_str().map(str::trim);
    match kind {
        "integer" => value
            .as_i64()
            .or_else(|| text.and_then(|t| t.parse().ok()))
            .map(Value::from)
            .ok_or(texts::INTEGER),
        "numeric" => value
            .as_f64()
            .or_else(|| text.and_then(|t| t.parse().ok()))
            .map(|n| json!(n))
            .ok_or(texts::NUMBER),
        "boolean" => boolean(value).map(Value::Bool).ok_or(texts::BOOLEAN),
        "date" => text
            .filter(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok())
            .map(|t| json!(t))
            .ok_or(texts::DATE),
        "datetime" => text
            .and_then(parse_time)
            .map(|at| json!(timestamp(at)))
            .ok_or(texts::DATETIME),
        "email" => text
            .filter(|t| twin_http::is_email(t))
            .map(|t| json!(t))
            .ok_or(texts::EMAIL),
        "multiselect_dictionary" => match value {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(value.clone()),
            _ => Err(texts::CHOICE),
        },
        "dictionary" => text.map(|t| json!(t)).ok_or(texts::CHOICE),
        "string" => match text {
            Some(t) if t.chars().count() > 255 => Err(texts::TOO_LONG),
            _ => value_text(value),
        },
        _ => value_text(value),
    }
}

fn value_text(value: &Value) -> Result<Value, &'static str> {
    match value {
        Value::String(_) => Ok(value.clone()),
        Value::Number(n) => Ok(json!(n.to_string())),
        _ => Err(texts::BLANK),
    }
}

/// The custom fields defined for one entity: code → type.
pub struct Definitions(BTreeMap<String, String>);

impl Definitions {
    pub async fn load(ctx: &Ctx, entity: &str) -> RetailResult<Self> {
        let query = ListQuery::new(ctx.scope.clone(), CUSTOM_FIELD)
            .filter(Filter::eq("entity", entity))
            .page(PageRequest::Offset {
                offset: 0,
                limit: 1000,
            });
        let page = ctx.core.entities.list(&query).await?;
        Ok(Self(
            page.items
                .into_iter()
                .filter_map(|doc| {
                    let code = doc.body["code"].as_str()?.to_owned();
                    Some((code, doc.body["type"].as_str()?.to_owned()))
                })
                .collect(),
        ))
    }

    /// The type of a defined field.
    pub fn kind(&self, code: &str) -> Option<&str> {
        self.0.get(code).map(String::as_str)
    }

    /// Checks the values `doc` gives for defined fields (`doc.customFields`) and keeps
    /// them in `body.customFields` in their type's form; problems as
    /// `customFields[code]`. `null` clears a value.
    pub fn check(
        &self,
        doc: &Map<String, Value>,
        body: &mut Map<String, Value>,
        problems: &mut Problems,
    ) {
        let Some(Value::Object(given)) = doc.get("customFields") else {
            return;
        };
        let Some(Value::Object(kept)) = body.get_mut("customFields") else {
            return;
        };
        for (code, value) in given {
            let Some(kind) = self.kind(code) else {
                continue;
            };
            if value.is_null() {
                kept.remove(code);
                continue;
            }
            match typed(kind, value) {
                Ok(value) => {
                    kept.insert(code.clone(), value);
                }
                Err(text) => {
                    problems.insert(format!("customFields[{code}]"), text.to_owned());
                }
            }
        }
    }
}

/// Reads a flag of the document with its default.
fn flag(doc: &Map<String, Value>, name: &str, default: bool, problems: &mut Problems) -> bool {
    match doc.get(name) {
        None | Some(Value::Null) => default,
        Some(value) => boolean(value).unwrap_or_else(|| {
            problems.insert(name.to_owned(), texts::BOOLEAN.to_owned());
            default
        }),
    }
}

/// A choice of the document with its default.
fn choice(
    doc: &Map<String, Value>,
    name: &str,
    allowed: &[&str],
    problems: &mut Problems,
) -> Value {
    match doc.get(name) {
        None | Some(Value::Null) => json!(allowed[0]),
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => json!(s),
        Some(_) => {
            problems.insert(name.to_owned(), texts::CHOICE.to_owned());
            Value::Null
        }
    }
}

/// A symbolic code: latin letters, digits and `_`, starting with a letter, at most 255
/// (*Inferred*).
fn valid_code(code: &str) -> bool {
    code.chars().count() <= 255
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `POST /api/v5/custom-fields/{entity}/create`: `customField=<json>` with `name`, `code`
/// and `type` (required), `dictionary` (required for data book types), `default`,
/// `displayArea`, `ordering` and the flags with the seed's defaults. 201 `{"code"}`
/// (*Inferred*); a code the entity already has is a 400.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let entity_name = request.arg();
    let Some((_, areas)) = AREAS.iter().find(|(name, _)| *name == entity_name) else {
        return Err(RetailError::parameter("entity", texts::CHOICE));
    };
    let doc = entity(request, "customField")?;
    let mut problems = Problems::new();
    let required_text = |name: &str, problems: &mut Problems| match doc.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 255 => s.clone(),
        Some(Value::String(s)) if !s.trim().is_empty() => {
            problems.insert(name.to_owned(), texts::TOO_LONG.to_owned());
            String::new()
        }
        _ => {
            problems.insert(name.to_owned(), texts::BLANK.to_owned());
            String::new()
        }
    };
    let name = required_text("name", &mut problems);
    let code = required_text("code", &mut problems);
    if !code.is_empty() && !valid_code(&code) {
        problems.insert("code".into(), "This value is not valid.".into());
    }
    let kind = choice(&doc, "type", &TYPES, &mut problems);
    let kind = match doc.get("type") {
        None | Some(Value::Null) => {
            problems.insert("type".into(), texts::BLANK.into());
            String::new()
        }
        _ => kind.as_str().unwrap_or_default().to_owned(),
    };
    let mut body = json!({
        "entity": entity_name,
        "code": code,
        "name": name,
        "type": kind,
        "required": flag(&doc, "required", false, &mut problems),
        "inFilter": flag(&doc, "inFilter", true, &mut problems),
        "inList": flag(&doc, "inList", true, &mut problems),
        "inGroupActions": flag(&doc, "inGroupActions", false, &mut problems),
        "viewMode": choice(&doc, "viewMode", &VIEW_MODES, &mut problems),
        "viewModeMobile": choice(&doc, "viewModeMobile", &VIEW_MODES, &mut problems),
        "displayArea": choice(&doc, "displayArea", areas, &mut problems),
        "ordering": 50,
    });
    match doc.get("ordering") {
        None | Some(Value::Null) => {}
        Some(value) => match value.as_i64().filter(|n| *n >= 0) {
            Some(n) => body["ordering"] = json!(n),
            None => {
                problems.insert("ordering".into(), texts::POSITIVE_OR_ZERO.into());
            }
        },
    }
    if kind.ends_with("dictionary") {
        match doc
            .get("dictionary")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
        {
            Some(dictionary) => body["dictionary"] = json!(dictionary),
            None => {
                problems.insert("dictionary".into(), texts::BLANK.into());
            }
        }
    }
    if let Some(default) = doc.get("default").filter(|d| !d.is_null()) {
        match typed(&kind, default) {
            Ok(value) => body["default"] = value,
            Err(text) => {
                problems.insert("default".into(), text.into());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let id = format!("{entity_name}:{code}");
    if ctx
        .core
        .entities
        .find(&ctx.scope, CUSTOM_FIELD, &id)
        .await?
        .is_some()
    {
        return Err(RetailError::entity(
            [(
                "code".to_owned(),
                "A custom field with this code already exists.".to_owned(),
            )]
            .into(),
        ));
    }
    let stored = twin_store::Document::new(ctx.scope.key(CUSTOM_FIELD, id), body);
    crate::journal::put(ctx, stored, None).await?;
    Ok(created(success(json!({ "code": code }))))
}
