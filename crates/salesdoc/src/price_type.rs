//! Price types: `getPriceType` (9.8) and `setPriceType` (10.11), in the request's filial.
//!
//! A price type links a payment type (found in the filial, by the key `paymentType`) and
//! a currency type (found without filial): both required, one that matches nothing fails
//! the item (*Inferred*). `forClient` is kept (not shown: the docs' answer has no such
//! field). setPriceType also takes a `valyutaType` group, stored first as setValyutaType
//! stores it (without filial), so the price types of the same request can name the
//! currencies it creates; the answer lists both groups.

use axum::response::Response;
use serde_json::{Map, Value};

use crate::batch::{self, answer_groups};
use crate::currency_unit::VALYUTA_TYPE;
use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::SdResult;
use crate::reference::link::{self, Home, Link, Missing};
use crate::reference::named::{finish, read_fields, render_name_active, Flag};
use crate::reference::rules::Rules;
use crate::reference::upsert::{store_group, Ruled};
use crate::reference::{list, RefKind};
use crate::request::Ctx;
use crate::values::active;

pub const PRICE_TYPE: RefKind = RefKind {
    key: "priceType",
    read,
    render,
};

pub const RULES: Rules = Rules::linked(&[
    Link {
        member: "paymentType",
        key: "paymentType",
        home: Home::Filial,
        required: true,
        missing: Missing::Refuse,
    },
    Link {
        member: "valyutaType",
        key: "valyutaType",
        home: Home::HeadOffice,
        required: true,
        missing: Missing::Refuse,
    },
]);

/// *Inferred* item text.
const FOR_CLIENT_INVALID: &str = "forClient must be true or false";

fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = read_fields(item, stored, &[], Flag::Active, &mut errors);
    let for_client = match item.get("forClient") {
        None | Some(Value::Null) => stored
            .and_then(|s| s.get("forClient").cloned())
            .unwrap_or(Value::Bool(false)),
        Some(given) => active(given).map(Value::Bool).unwrap_or_else(|| {
            errors.push(FOR_CLIENT_INVALID.into());
            Value::Null
        }),
    };
    fields.insert("forClient".into(), for_client);
    for member in ["paymentType", "valyutaType"] {
        fields.insert(member.into(), link::field(item, stored, member));
    }
    finish(fields, errors)
}

fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_name_active(fields);
    for member in ["valyutaType", "paymentType"] {
        shown.insert(member.into(), link::show(fields, member));
    }
    shown
}

/// `getPriceType` (9.8).
pub async fn get(ctx: &Ctx, envelope: &Envelope, include: Include) -> SdResult<Response> {
    list::get_with(
        ctx,
        envelope,
        &PRICE_TYPE,
        include,
        list::Options::ruled(&RULES),
    )
    .await
}

/// `setPriceType` (10.11): `data.valyutaType` (optional) first, then `data.priceType`
/// (required unless the request only sends currencies, *Inferred*).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    let has = |key: &str| envelope.data.get(key).is_some_and(|v| !v.is_null());
    let mut groups = Vec::new();
    if has(VALYUTA_TYPE.key) {
        let records = batch::group(&envelope.data, VALYUTA_TYPE.key)?;
        let head_office = ctx.head_office();
        let outcome = store_group(&head_office, &VALYUTA_TYPE, records).await?;
        groups.push((VALYUTA_TYPE.key, outcome));
    }
    if !has(VALYUTA_TYPE.key) || has(PRICE_TYPE.key) {
        let records = batch::group(&envelope.data, PRICE_TYPE.key)?;
        let outcome = store_group(
            ctx,
            &Ruled {
                kind: &PRICE_TYPE,
                rules: &RULES,
            },
            records,
        )
        .await?;
        groups.push((PRICE_TYPE.key, outcome));
    }
    Ok(answer_groups(groups))
}
