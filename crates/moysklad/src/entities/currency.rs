//! `currency`: system currencies from the directory, custom ones, and the accounting
//! currency's rules (it cannot be deleted and its rate is fixed at 1).

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, set_string, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Currency;

static INFO: EntityInfo = EntityInfo {
    keyword: "currency",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("fullName", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("isoCode", FieldType::Str, true, true),
        FieldSpec::new("multiplicity", FieldType::Int, true, true),
        FieldSpec::new("archived", FieldType::Bool, true, true),
        FieldSpec::new("default", FieldType::Bool, true, true),
    ],
    search: &["name"],
    common: false,
    hides_archived: true,
    writable: true,
    attributes: false,
    states: false,
};

/// One entry of the currency directory.
struct Known {
    iso: &'static str,
    numeric: &'static str,
    name: &'static str,
    full_name: &'static str,
    major: (&'static str, [&'static str; 3]),
    minor: (&'static str, [&'static str; 3]),
}

const DIRECTORY: [Known; 3] = [
    Known {
        iso: "RUB",
        numeric: "643",
        name: "руб",
        full_name: "Российский рубль",
        major: ("masculine", ["рубль", "рубля", "рублей"]),
        minor: ("feminine", ["копейка", "копейки", "копеек"]),
    },
    Known {
        iso: "USD",
        numeric: "840",
        name: "доллар",
        full_name: "Доллар США",
        major: ("masculine", ["доллар", "доллара", "долларов"]),
        minor: ("masculine", ["цент", "цента", "центов"]),
    },
    Known {
        iso: "EUR",
        numeric: "978",
        name: "евро",
        full_name: "Евро",
        major: ("masculine", ["евро", "евро", "евро"]),
        minor: ("masculine", ["цент", "цента", "центов"]),
    },
];

/// Fields fixed for a currency created from the directory.
const SYSTEM_FIXED: [&str; 6] = [
    "name",
    "fullName",
    "code",
    "isoCode",
    "majorUnit",
    "minorUnit",
];

fn unit(gender: &str, names: [&str; 3]) -> Value {
    json!({ "gender": gender, "s1": names[0], "s2": names[1], "s5": names[2] })
}

/// A directory currency's stored body (without id), found by iso or numeric code.
pub fn system_currency(code: &str) -> Option<Map<String, Value>> {
    let known = DIRECTORY
        .iter()
        .find(|entry| entry.iso.eq_ignore_ascii_case(code) || entry.numeric == code)?;
    let body = json!({
        "name": known.name, "fullName": known.full_name, "code": known.numeric, "isoCode": known.iso,
        "rate": 1.0, "multiplicity": 1, "indirect": false, "rateUpdateType": "auto", "margin": 0.0,
        "majorUnit": unit(known.major.0, known.major.1), "minorUnit": unit(known.minor.0, known.minor.1),
        "archived": false, "default": false, "system": true,
    });
    body.as_object().cloned()
}

fn set_rate(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    match fields::number(input, "rate")? {
        Given::Value(rate) if rate <= 0.0 => Err(MsError::new(
            3003,
            "Ошибка сохранения объекта: курс валюты должен быть больше нуля",
        )
        .on("rate")),
        Given::Value(rate) => {
            body.insert("rate".into(), json!(rate));
            Ok(())
        }
        _ => Ok(()),
    }
}

fn set_numbers(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    if let Given::Value(multiplicity) = fields::integer(input, "multiplicity")? {
        if multiplicity <= 0 {
            return Err(MsError::new(
                3003,
                "Ошибка сохранения объекта: кратность должна быть больше нуля",
            )
            .on("multiplicity"));
        }
        body.insert("multiplicity".into(), json!(multiplicity));
    }
    if let Given::Value(margin) = fields::number(input, "margin")? {
        body.insert("margin".into(), json!(margin));
    }
    set_bool(body, input, "indirect")?;
    set_bool(body, input, "archived")
}

fn set_units(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    for field in ["majorUnit", "minorUnit"] {
        match input.get(field) {
            Some(Value::Object(unit)) => {
                if let Some(gender) = unit.get("gender") {
                    if !matches!(gender.as_str(), Some("masculine" | "feminine")) {
                        return Err(MsError::bad_value(
                            field,
                            "пол единицы должен быть masculine или feminine",
                        ));
                    }
                }
                body.insert(field.into(), Value::Object(unit.clone()));
            }
            Some(Value::Null) | None => {}
            Some(_) => return Err(MsError::wrong_type(field)),
        }
    }
    Ok(())
}

#[async_trait]
impl Entity for Currency {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, _ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        if fields::boolean(input, "system")? == Given::Value(true) {
            let code = fields::string(input, "isoCode", 255)?
                .value()
                .or(fields::string(input, "code", 255)?.value())
                .ok_or_else(|| {
                    MsError::new(31002, "Не указан код или буквенный код системной валюты")
                })?;
            let mut body = system_currency(&code).ok_or_else(|| {
                MsError::new(
                    31001,
                    format!("Валюта с кодом '{code}' не найдена в справочнике"),
                )
            })?;
            if let Given::Value(mode) = fields::string(input, "rateUpdateType", 16)? {
                if mode != "auto" && mode != "manual" {
                    return Err(MsError::bad_value(
                        "rateUpdateType",
                        "допустимы значения auto и manual",
                    ));
                }
                body.insert("rateUpdateType".into(), json!(mode));
            }
            if body["rateUpdateType"] == "manual" {
                set_rate(&mut body, input)?;
            }
            set_numbers(&mut body, input)?;
            return Ok(body);
        }
        for field in ["name", "code", "isoCode"] {
            if input
                .get(field)
                .and_then(Value::as_str)
                .is_none_or(|v| v.trim().is_empty())
            {
                if input
                    .get(field)
                    .is_some_and(|v| !v.is_string() && !v.is_null())
                {
                    return Err(MsError::wrong_type(field));
                }
                return Err(MsError::required(field));
            }
        }
        let mut body = json!({
            "rate": 1.0, "multiplicity": 1, "indirect": false, "rateUpdateType": "manual",
            "margin": 0.0, "majorUnit": {"gender": "masculine"}, "minorUnit": {"gender": "masculine"},
            "archived": false, "default": false, "system": false,
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        for field in ["name", "code", "isoCode"] {
            set_string(&mut body, input, field, 255, true)?;
        }
        set_string(&mut body, input, "fullName", 255, false)?;
        set_rate(&mut body, input)?;
        set_numbers(&mut body, input)?;
        set_units(&mut body, input)?;
        Ok(body)
    }

    async fn update(
        &self,
        _ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        let system = stored.get("system") == Some(&json!(true));
        if system {
            for field in SYSTEM_FIXED {
                if input
                    .get(field)
                    .is_some_and(|v| stored.get(field) != Some(v))
                {
                    return Err(MsError::immutable(field));
                }
            }
        } else {
            for field in ["name", "code", "isoCode"] {
                set_string(&mut body, input, field, 255, true)?;
            }
            set_string(&mut body, input, "fullName", 255, false)?;
            set_units(&mut body, input)?;
        }
        let rate_fixed = stored.get("default") == Some(&json!(true))
            || stored.get("rateUpdateType") == Some(&json!("auto"));
        if rate_fixed
            && input
                .get("rate")
                .is_some_and(|r| r.as_f64() != stored.get("rate").and_then(Value::as_f64))
        {
            return Err(MsError::new(
                31003,
                "Нельзя изменить курс учетной валюты или валюты с автоматическим обновлением курса",
            )
            .on("rate"));
        }
        set_rate(&mut body, input)?;
        set_numbers(&mut body, input)?;
        if body.get("default") == Some(&json!(true)) && body.get("archived") == Some(&json!(true)) {
            return Err(MsError::bad_value(
                "archived",
                "учетную валюту нельзя архивировать",
            ));
        }
        Ok(body)
    }

    async fn before_delete(&self, _ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        if stored.get("default") == Some(&json!(true)) {
            return Err(MsError::new(31000, "Нельзя удалить учетную валюту"));
        }
        Ok(())
    }
}
