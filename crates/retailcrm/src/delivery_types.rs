//! `reference/delivery-types/{code}/edit`: the account's delivery types (reference data,
//! `crate::reference::DELIVERY_TYPES`) created or changed. Orders check their
//! `delivery[code]` against the active ones, so a new type is usable at once.

use axum::response::Response;
use serde_json::{json, Value};

use crate::error::{texts, RetailResult};
use crate::reference::{self, DELIVERY_TYPES, PAYMENT_TYPES};
use crate::reference_edit::{self, flags, text, Edit};
use crate::request::{Ctx, RetailRequest};
use crate::sites;

/// Text fields kept as given.
const TEXTS: [&str; 7] = [
    "name",
    "description",
    "vatRate",
    "defaultTariffCode",
    "defaultTariffType",
    "defaultTariffName",
    "regionWeightCostConditions",
];

/// `defaultCost`/`defaultNetCost`: numbers ≥ 0.
fn costs(edit: &mut Edit) {
    for field in ["defaultCost", "defaultNetCost"] {
        let Some(value) = edit.doc.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let number = value
            .as_f64()
            .or_else(|| value.as_str().and_then(|t| t.parse().ok()));
        match number {
            Some(n) if n >= 0.0 => {
                edit.entry.insert(field.into(), json!(n));
            }
            Some(_) => {
                edit.problems
                    .insert(field.into(), texts::POSITIVE_OR_ZERO.into());
            }
            None => {
                edit.problems.insert(field.into(), texts::NUMBER.into());
            }
        }
    }
}

/// A list of codes each of which must be in `known`; kept in `entry`.
fn code_list(edit: &mut Edit, field: &str, known: &[String]) {
    let Some(value) = edit.doc.get(field).filter(|v| !v.is_null()) else {
        return;
    };
    let Some(list) = value.as_array() else {
        edit.problems.insert(field.into(), texts::CHOICE.into());
        return;
    };
    for (i, code) in list.iter().enumerate() {
        if !code.as_str().is_some_and(|c| known.iter().any(|k| k == c)) {
            edit.problems
                .insert(format!("{field}[{i}]"), texts::CHOICE.into());
        }
    }
    edit.entry.insert(field.into(), value.clone());
}

/// The integration module a type names (`integrationCode`, or the seed's
/// `integrationModule`): it must be a module of the account that is active (the seed:
/// "activated in the system"; *Inferred* text otherwise).
async fn integration(ctx: &Ctx, edit: &mut Edit) -> RetailResult<()> {
    for field in ["integrationCode", "integrationModule"] {
        let Some(code) = edit.doc.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let module = match code.as_str() {
            Some(code) => {
                ctx.core
                    .entities
                    .find(&ctx.scope, crate::modules::MODULE, code)
                    .await?
            }
            None => None,
        };
        if module.is_some_and(|m| m.body["active"] == true) {
            edit.entry.insert("integrationCode".into(), code.clone());
        } else {
            edit.problems.insert(
                field.into(),
                "The integration module is not activated in the system.".into(),
            );
        }
    }
    Ok(())
}

/// `POST /api/v5/reference/delivery-types/{code}/edit`: `deliveryType=<json>` `{name,
/// defaultCost, defaultNetCost, sites[], paymentTypes[], integrationCode |
/// integrationModule, vatRate, defaultTariffCode/Type/Name, description, active,
/// defaultForCrm, regionWeightCostConditions}`. A new type needs `name` (the seed); its
/// costs are 0 and it is active unless given (*Inferred*: the seed marks the costs not
/// blank, which the vendor's form fills with 0). `sites` are checked like `site`, payment
/// types against the account's.
pub async fn edit(ctx: &Ctx, request: &RetailRequest<'_>) -> RetailResult<Response> {
    let mut edit = reference_edit::start(ctx, request, DELIVERY_TYPES, "deliveryType").await?;
    for field in TEXTS {
        text(&mut edit, field);
    }
    costs(&mut edit);
    flags(&mut edit, &["active", "defaultForCrm"]);
    let payment_types = reference::codes(ctx, PAYMENT_TYPES).await?;
    code_list(&mut edit, "paymentTypes", &payment_types);
    if let Some(list) = edit.doc.get("sites").and_then(Value::as_array).cloned() {
        for code in list.iter().filter_map(Value::as_str) {
            sites::check(ctx, code).await?;
        }
    }
    let site_codes = sites::codes(ctx).await?;
    code_list(&mut edit, "sites", &site_codes);
    integration(ctx, &mut edit).await?;
    if edit.is_new() {
        for (field, value) in [
            ("active", json!(true)),
            ("defaultForCrm", json!(false)),
            ("defaultCost", json!(0)),
            ("defaultNetCost", json!(0)),
            ("paymentTypes", json!([])),
            ("deliveryServices", json!([])),
        ] {
            edit.entry.entry(field).or_insert(value);
        }
    }
    reference_edit::finish(ctx, DELIVERY_TYPES, edit, &["name"]).await
}
