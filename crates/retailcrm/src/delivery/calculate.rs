//! `delivery/calculate`: what each chosen delivery type would cost for an order.

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::{delivery_type, service_of};
use crate::customers::fields::Problems;
use crate::error::{texts, RetailError, RetailResult};
use crate::orders::fields::{amount, integer, percent};
use crate::render::ok;
use crate::request::{success, Ctx, RetailRequest};

/// The integrated services' tariff (*Inferred*, a deterministic stand-in for the
/// service's own calculation): a base, a price per started kilogram of the chargeable
/// weight, a price per postal zone, and insurance of the declared value, in kopecks.
const BASE: i64 = 20_000;
const PER_KG: i64 = 4_000;
const PER_ZONE: i64 = 1_500;
/// Insurance: 0.5 % of the declared value.
const INSURANCE_PER_MILLE: i64 = 5;
/// Cubic centimetres per volumetric kilogram (the couriers' usual divisor).
const VOLUMETRIC_DIVISOR: i64 = 5000;

/// What the tariff reads of an order, checked.
struct Parcel {
    /// Grams.
    weight: i64,
    /// Centimetres, when all three are given.
    dimensions: Option<[i64; 3]>,
    /// Kopecks: the items' prices after their own discounts, times their quantities.
    declared: i64,
    index: Option<String>,
    country: Option<String>,
}

fn cents(value: &Value) -> i64 {
    (value.as_f64().unwrap_or_default() * 100.0).round() as i64
}

/// Reads `order` (as parameters: problems keyed `order[weight]`, `order[items][0][quantity]`).
fn parcel(order: &Value, problems: &mut Problems) -> Parcel {
    let mut read = |name: &str, check: fn(&mut Problems, &str, &Value) -> Option<Value>| {
        let value = &order[name];
        (!value.is_null())
            .then(|| check(problems, &format!("order[{name}]"), value))
            .flatten()
    };
    let weight = read("weight", amount).map_or(0, |w| w.as_f64().unwrap_or_default() as i64);
    let sides: Vec<Option<i64>> = ["length", "width", "height"]
        .iter()
        .map(|side| read(side, integer).and_then(|v| v.as_i64()))
        .collect();
    let dimensions = match sides.as_slice() {
        [Some(l), Some(w), Some(h)] => Some([*l, *w, *h]),
        _ => None,
    };
    let mut declared = 0;
    let items = match &order["items"] {
        Value::Null => Vec::new(),
        Value::Array(items) => items.clone(),
        Value::Object(indexed) => indexed.values().cloned().collect(),
        _ => {
            problems.insert("order[items]".into(), texts::CHOICE.into());
            Vec::new()
        }
    };
    for (i, item) in items.iter().enumerate() {
        let mut field = |name: &str, check: fn(&mut Problems, &str, &Value) -> Option<Value>| {
            let value = &item[name];
            (!value.is_null())
                .then(|| check(problems, &format!("order[items][{i}][{name}]"), value))
                .flatten()
        };
        let price = field("initialPrice", amount).map_or(0, |v| cents(&v));
        let off = field("discountManualAmount", amount).map_or(0, |v| cents(&v));
        let percent =
            field("discountManualPercent", percent).map_or(0.0, |v| v.as_f64().unwrap_or(0.0));
        let quantity = field("quantity", amount).map_or(1.0, |v| v.as_f64().unwrap_or(1.0));
        let unit = (price - off - (price as f64 * percent / 100.0).round() as i64).max(0);
        declared += (unit as f64 * quantity).round() as i64;
    }
    let address = &order["delivery"]["address"];
    if !order["delivery"].is_null() && !order["delivery"].is_object() {
        problems.insert("order[delivery]".into(), texts::CHOICE.into());
    }
    if let Some(date) = order["delivery"]["date"].as_str() {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            problems.insert("order[delivery][date]".into(), texts::DATE.into());
        }
    }
    let text = |name: &str| {
        address[name]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Parcel {
        weight,
        dimensions,
        declared,
        index: text("index"),
        country: text("countryIso"),
    }
}

/// The tariff's cost of a parcel, in kopecks: `BASE + PER_KG × chargeable kilograms +
/// PER_ZONE × zone + 0.5 % of the declared value`. The chargeable weight is the larger of
/// the started kilograms (at least one) and the volumetric ones (`l × w × h / 5000`,
/// started); the zone is the first digit of the postal index (1 without one).
fn tariff(parcel: &Parcel) -> i64 {
    let kilograms = ((parcel.weight + 999) / 1000).max(1);
    let volumetric = parcel.dimensions.map_or(0, |[l, w, h]| {
        (l * w * h + VOLUMETRIC_DIVISOR - 1) / VOLUMETRIC_DIVISOR
    });
    let zone = parcel
        .index
        .as_deref()
        .and_then(|index| index.chars().next())
        .and_then(|digit| digit.to_digit(10))
        .map_or(1, i64::from);
    let insurance = (parcel.declared * INSURANCE_PER_MILLE + 500) / 1000;
    BASE + PER_KG * kilograms.max(volumetric) + PER_ZONE * zone + insurance
}

/// `POST /api/v5/delivery/calculate`: `deliveryTypeCodes[]` (or the Python client's JSON
/// list) and `order` (bracket fields or a JSON document); `{"calculations": [{code,
/// available, vatRate, cost}]}` in the order of the codes. An integrated delivery type
/// costs its service's tariff (`tariff`), and is not available for an address in a
/// country its module does not serve (`availableCountries`; no `cost` then). Any other
/// type costs its `defaultCost` (*Inferred*: Twin keeps no cost conditions by region and
/// weight); an inactive type is not available. `vatRate` is the type's, else `none`.
/// No codes, a code the account has no type of, or a malformed order: 400 `Errors in
/// the input parameters` (*Inferred* texts).
pub async fn calculate(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut problems = Problems::new();
    let codes: Vec<Value> = match request.structured("deliveryTypeCodes")? {
        Some(Value::Array(codes)) => codes,
        Some(Value::Object(indexed)) => indexed.into_iter().map(|(_, code)| code).collect(),
        Some(Value::String(code)) => vec![Value::String(code)],
        _ => Vec::new(),
    };
    if codes.is_empty() {
        problems.insert("deliveryTypeCodes".into(), texts::BLANK.into());
    }
    let order = request.structured("order")?.unwrap_or_else(|| json!({}));
    if !order.is_object() {
        problems.insert("order".into(), texts::CHOICE.into());
    }
    let parcel = parcel(&order, &mut problems);
    let mut types = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match code.as_str() {
            Some(code) => match delivery_type(ctx, code).await? {
                Some(found) => types.push(found),
                None => {
                    problems.insert(format!("deliveryTypeCodes[{i}]"), texts::CHOICE.into());
                }
            },
            None => {
                problems.insert(format!("deliveryTypeCodes[{i}]"), texts::CHOICE.into());
            }
        }
    }
    if !problems.is_empty() {
        return Err(RetailError::parameters(problems));
    }
    let mut calculations = Vec::new();
    for found in &types {
        let mut out = Map::new();
        out.insert("code".into(), found["code"].clone());
        let vat = found["vatRate"].as_str().unwrap_or("none");
        let cost = match service_of(ctx, found).await? {
            Some(module) => {
                let serves = parcel.country.as_ref().is_none_or(|country| {
                    module["availableCountries"]
                        .as_array()
                        .is_none_or(|list| list.iter().any(|c| c == country.as_str()))
                });
                serves.then(|| json!(tariff(&parcel) as f64 / 100.0))
            }
            None => Some(json!(found["defaultCost"].as_f64().unwrap_or_default())),
        };
        let available = cost.is_some() && found["active"] != false;
        out.insert("available".into(), json!(available));
        out.insert("vatRate".into(), json!(vat));
        if let (true, Some(cost)) = (available, cost) {
            out.insert("cost".into(), cost);
        }
        calculations.push(Value::Object(out));
    }
    Ok(ok(success(json!({ "calculations": calculations }))))
}
