//! Currencies: the account's base currency (RUB, *Inferred*: the vendor's default for a
//! Russian account) and the additional ones it converts to, kept by id as reference data
//! (`crate::reference`). Costs are in the base currency.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::customers::entity;
use crate::customers::fields::{boolean, Problems};
use crate::error::{texts, RetailError, RetailResult};
use crate::reference::{self, Reference};
use crate::render::{created, ok};
use crate::request::{success, Ctx, RetailRequest};

pub const CURRENCIES: Reference = Reference {
    kind: "ref_currency",
    member: "currencies",
    as_list: true,
    key: "id",
    defaults: base,
};

/// The base currencies whose central bank sets the rates of automatic conversion (the
/// seed's Belarusian ruble, Kazakhstani tenge and Russian ruble).
const AUTO_BASES: [&str; 3] = ["BYN", "KZT", "RUB"];

/// The fields of an additional currency an edit may change.
const SETTINGS: [&str; 4] = [
    "isAutoConvert",
    "autoConvertExtraPercent",
    "manualConvertNominal",
    "manualConvertValue",
];

fn base() -> Vec<Value> {
    vec![json!({ "id": 1, "code": "RUB", "isBase": true })]
}

/// The code of the account's base currency.
pub async fn base_code(ctx: &Ctx) -> RetailResult<String> {
    let all = reference::load(ctx, CURRENCIES).await?;
    Ok(all
        .iter()
        .find(|c| c["isBase"] == true)
        .and_then(|c| c["code"].as_str())
        .unwrap_or("RUB")
        .to_owned())
}

/// A three-letter upper-case code (ISO 4217's form).
fn valid_code(code: &Value) -> Option<&str> {
    code.as_str()
        .filter(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()))
}

/// The conversion settings of `doc` read into `currency`: `isAutoConvert` chooses which of
/// the other fields the currency keeps (the seed: the extra percent when automatic, the
/// nominal and rate when manual). Automatic conversion needs a base of `AUTO_BASES`.
fn settings(doc: &Map<String, Value>, currency: &mut Map<String, Value>, base: &str) -> Problems {
    let mut problems = Problems::new();
    if let Some(value) = doc.get("isAutoConvert").filter(|v| !v.is_null()) {
        match boolean(value) {
            Some(flag) => {
                currency.insert("isAutoConvert".into(), json!(flag));
            }
            None => {
                problems.insert("isAutoConvert".into(), texts::BOOLEAN.into());
            }
        }
    }
    let auto = currency.get("isAutoConvert") == Some(&Value::Bool(true));
    if auto && !AUTO_BASES.contains(&base) {
        problems.insert(
            "isAutoConvert".into(),
            format!("Automatic conversion is not available for the base currency {base}."),
        );
    }
    let number = |name: &str| doc.get(name).filter(|v| !v.is_null());
    if let Some(value) = number("autoConvertExtraPercent") {
        match value.as_i64().filter(|p| (0..=100).contains(p)) {
            Some(p) => {
                currency.insert("autoConvertExtraPercent".into(), json!(p));
            }
            None => {
                problems.insert(
                    "autoConvertExtraPercent".into(),
                    "This value should be between 0 and 100.".into(),
                );
            }
        }
    }
    if let Some(value) = number("manualConvertNominal") {
        match value.as_i64().filter(|n| *n >= 1) {
            Some(n) => {
                currency.insert("manualConvertNominal".into(), json!(n));
            }
            None => {
                problems.insert("manualConvertNominal".into(), texts::AT_LEAST_ONE.into());
            }
        }
    }
    if let Some(value) = number("manualConvertValue") {
        match value.as_f64().filter(|v| *v > 0.0) {
            Some(_) => {
                currency.insert("manualConvertValue".into(), value.clone());
            }
            None => {
                problems.insert(
                    "manualConvertValue".into(),
                    "This value should be greater than 0.".into(),
                );
            }
        }
    }
    if auto {
        currency.remove("manualConvertNominal");
        currency.remove("manualConvertValue");
        currency
            .entry("autoConvertExtraPercent")
            .or_insert(json!(0));
    } else {
        currency.remove("autoConvertExtraPercent");
        currency.entry("manualConvertNominal").or_insert(json!(1));
        if !currency.contains_key("manualConvertValue")
            && !problems.contains_key("manualConvertValue")
        {
            problems.insert("manualConvertValue".into(), texts::BLANK.into());
        }
    }
    problems
}

/// Whether another currency of the account than `except` has this code.
async fn code_taken(ctx: &Ctx, code: &str, except: Option<i64>) -> RetailResult<bool> {
    Ok(reference::load(ctx, CURRENCIES)
        .await?
        .iter()
        .any(|c| c["code"] == code && c["id"].as_i64() != except))
}

fn duplicate() -> (String, String) {
    (
        "code".into(),
        "A currency with this code already exists.".into(),
    )
}

/// `GET /api/v5/reference/currencies`: `{"currencies": [...]}`, the base one first.
pub async fn list(ctx: &Ctx) -> RetailResult<Response> {
    reference::list(ctx, CURRENCIES).await
}

/// `POST /api/v5/reference/currencies/create`: `currency=<json>` `{code, isAutoConvert,
/// autoConvertExtraPercent? | manualConvertNominal? (1), manualConvertValue}`: an
/// additional currency only. A code the account has (the base one too) is a problem
/// (*Inferred* text). 201 `{"success": true, "id"}`.
pub async fn create(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let doc = entity(request, "currency")?;
    let base = base_code(ctx).await?;
    let mut currency = Map::new();
    let mut problems = Problems::new();
    match doc.get("code").map(valid_code) {
        Some(Some(code)) if code_taken(ctx, code, None).await? => {
            problems.extend([duplicate()]);
        }
        Some(Some(code)) => {
            currency.insert("code".into(), json!(code));
        }
        Some(None) => {
            problems.insert("code".into(), "This value is not a valid currency.".into());
        }
        None => {
            problems.insert("code".into(), texts::BLANK.into());
        }
    }
    if doc.get("isAutoConvert").is_none_or(Value::is_null) {
        problems.insert("isAutoConvert".into(), texts::BLANK.into());
    }
    problems.extend(settings(&doc, &mut currency, &base));
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    let all = reference::load(ctx, CURRENCIES).await?;
    let id = all
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .max()
        .unwrap_or(0)
        + 1;
    currency.insert("id".into(), json!(id));
    currency.insert("isBase".into(), json!(false));
    reference::save(ctx, CURRENCIES, Value::Object(currency), None).await?;
    Ok(created(success(json!({ "id": id }))))
}

/// `POST /api/v5/reference/currencies/{id}/edit`: `currency=<json>`. The base currency
/// changes its `code` only, an additional one everything but its `code` (the seed); a
/// field of the other kind is a problem (*Inferred* text). A new base code must not be
/// another currency's, and must allow the automatic conversion additional currencies use.
/// 404 for an id that names no currency. 200 `{"success": true, "id"}`.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let id = request.arg();
    let doc = entity(request, "currency")?;
    let before = reference::find(ctx, CURRENCIES, id)
        .await?
        .ok_or_else(RetailError::not_found)?;
    let mut currency = before.body.as_object().cloned().unwrap_or_default();
    let id = before.body["id"].as_i64();
    let mut problems = Problems::new();
    let refused = |field: &str| (field.to_owned(), "This field cannot be changed.".to_owned());
    if before.body["isBase"] == true {
        problems.extend(
            SETTINGS
                .iter()
                .filter(|f| doc.contains_key(**f))
                .map(|f| refused(f)),
        );
        if let Some(code) = doc.get("code") {
            match valid_code(code) {
                Some(code) if code_taken(ctx, code, id).await? => problems.extend([duplicate()]),
                Some(code) => {
                    let auto_used = reference::load(ctx, CURRENCIES)
                        .await?
                        .iter()
                        .any(|c| c["isAutoConvert"] == true);
                    if auto_used && !AUTO_BASES.contains(&code) {
                        problems.insert(
                            "code".into(),
                            "Additional currencies convert automatically; the base currency must allow it.".into(),
                        );
                    }
                    currency.insert("code".into(), json!(code));
                }
                None => {
                    problems.insert("code".into(), "This value is not a valid currency.".into());
                }
            }
        }
    } else {
        if doc.get("code").is_some_and(|c| *c != before.body["code"]) {
            problems.extend([refused("code")]);
        }
        let base = base_code(ctx).await?;
        problems.extend(settings(&doc, &mut currency, &base));
    }
    if !problems.is_empty() {
        return Err(RetailError::entity(problems));
    }
    reference::save(ctx, CURRENCIES, Value::Object(currency), Some(&before)).await?;
    Ok(ok(success(json!({ "id": id }))))
}
