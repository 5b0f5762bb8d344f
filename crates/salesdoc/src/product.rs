//! Products: `getProduct` (9.4) and `setProduct` (10.6), without filial (01-general §3).
//!
//! An item names its unit (required), category, subcategory, group and brand by `CS_id`
//! / `SD_id` / `code_1C`. A unit, subcategory, group or brand that matches nothing fails
//! the item (*Inferred*: only the category's fallback is documented); a category that
//! matches nothing is created from the link (its identifiers and `name`), or without a
//! `name` the product goes to the category "Other", created when absent (10.6). A new
//! product is inactive unless the item says otherwise (10.6: "default `N` for new").
//!
//! The trade direction, `sapCode`, `ikpu` and the image are not set by setProduct; GET
//! answers show them empty: `trade` with `null` identifiers, `sapCode`/`ikpu` `null`,
//! and `imageID`/`imageUrl`/`thumbUrl` `""` (*Inferred*: the docs type them strings, not
//! nullable). Numbers not given show `0`, `barCode` not given `""` (*Inferred*, the same
//! reason).
//!
//! `filter.products.SD_id[]` / `filter.products.code_1C[]` narrow the list to those
//! products (either list matching, when both are sent); `filter.trade.{CS_id | SD_id |
//! code_1C}` to the products of that trade direction (the first identifier given, matched
//! against the product's link).

use axum::response::Response;
use serde_json::{Map, Value};
use twin_store::Filter;

use crate::endpoint::Include;
use crate::envelope::Envelope;
use crate::error::{SdError, SdResult};
use crate::product_refs::{sort, PRODUCT_CATEGORY};
use crate::reference::link::{self, Home, Link, Missing};
use crate::reference::named::{
    active_flag, finish, name, optional_number, optional_text, render_name_active,
};
use crate::reference::rules::Rules;
use crate::reference::{list, upsert, Ids, RefKind};
use crate::request::Ctx;
use crate::values::text;

pub const PRODUCT: RefKind = RefKind {
    key: "product",
    read,
    render,
};

/// A link to a kind of the filial the request names (none: setProduct has no filial).
const fn filial_link(member: &'static str, key: &'static str) -> Link {
    Link {
        member,
        key,
        home: Home::Filial,
        required: false,
        missing: Missing::Refuse,
    }
}

const LINKS: &[Link] = &[
    Link {
        member: "category",
        key: "productCategory",
        home: Home::HeadOffice,
        required: false,
        missing: Missing::Create {
            kind: &PRODUCT_CATEGORY,
            other: "Other",
        },
    },
    Link {
        member: "unit",
        key: "unit",
        home: Home::HeadOffice,
        required: true,
        missing: Missing::Refuse,
    },
    filial_link("subCategory", "subCategory"),
    filial_link("group", "productGroup"),
    filial_link("brand", "brand"),
];

pub const RULES: Rules = Rules::linked(LINKS);

/// The numbers of a product.
const NUMBERS: [&str; 4] = ["sort", "volume", "packQuantity", "weight"];
/// The links a GET shows, `trade` (not settable here) among them.
const SHOWN_LINKS: [&str; 6] = ["category", "subCategory", "unit", "brand", "trade", "group"];

fn read(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = stored.cloned().unwrap_or_default();
    fields.insert("name".into(), name(item, &mut errors));
    let active = match (item.get("active"), stored) {
        (None | Some(Value::Null), None) => Value::Bool(false),
        _ => active_flag(item, stored, &mut errors),
    };
    fields.insert("active".into(), active);
    for member in NUMBERS {
        let value = optional_number(item, stored, member, &mut errors);
        fields.insert(member.into(), value);
    }
    for member in ["barCode", "part_number"] {
        fields.insert(member.into(), optional_text(item, stored, member));
    }
    for member in ["category", "unit", "subCategory", "group", "brand"] {
        fields.insert(member.into(), link::field(item, stored, member));
    }
    finish(fields, errors)
}

fn render(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_name_active(fields);
    shown.insert("sort".into(), sort(fields));
    for member in ["volume", "packQuantity", "weight"] {
        let value = match fields.get(member) {
            Some(Value::Number(n)) => Value::Number(n.clone()),
            _ => Value::from(0),
        };
        shown.insert(member.into(), value);
    }
    let text_or = |member: &str, empty: Value| {
        fields
            .get(member)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(empty)
    };
    shown.insert("barCode".into(), text_or("barCode", Value::from("")));
    for member in ["sapCode", "ikpu", "part_number"] {
        shown.insert(member.into(), text_or(member, Value::Null));
    }
    let image = fields.get("imageID").and_then(text);
    let (url, thumb, id) = match image {
        Some(id) => (
            format!("/upload/adtProduct/{id}"),
            format!("/upload/adtProduct/thumbs/150x150_{id}"),
            id,
        ),
        None => Default::default(),
    };
    shown.insert("imageID".into(), Value::from(id));
    shown.insert("imageUrl".into(), Value::from(url));
    shown.insert("thumbUrl".into(), Value::from(thumb));
    for member in SHOWN_LINKS {
        shown.insert(member.into(), link::show(fields, member));
    }
    shown
}

/// `setProduct` (10.6).
pub async fn set(ctx: &Ctx, envelope: &Envelope) -> SdResult<Response> {
    upsert::set_by_rules(ctx, envelope, &PRODUCT, &RULES).await
}

/// `getProduct` (9.4) with its filters.
pub async fn get(ctx: &Ctx, envelope: &Envelope, include: Include) -> SdResult<Response> {
    let filter = envelope.filter();
    let mut extra = Vec::new();
    if let Some(products) = filter.get("products").filter(|v| !v.is_null()) {
        extra.push(products_filter(products)?);
    }
    if let Some(trade) = filter.get("trade").filter(|v| !v.is_null()) {
        extra.push(trade_filter(trade)?);
    }
    let options = list::Options {
        extra,
        ..list::Options::ruled(&RULES)
    };
    list::get_with(ctx, envelope, &PRODUCT, include, options).await
}

/// A list of identifiers (one string or number is a list of one).
fn id_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        Some(one) => text(one).into_iter().collect(),
        None => Vec::new(),
    }
}

fn products_filter(products: &Value) -> SdResult<Filter> {
    let bad = || SdError::bad_request("params.filter.products must name SD_id or code_1C");
    let products = products.as_object().ok_or_else(bad)?;
    let sd_ids = id_list(products.get("SD_id"));
    let codes = id_list(products.get("code_1C"));
    if products.get("SD_id").is_none() && products.get("code_1C").is_none() {
        return Err(bad());
    }
    Ok(Filter::Or(vec![
        Filter::IdIn(sd_ids),
        Filter::In {
            path: Filter::path("code_1C"),
            values: codes.into_iter().map(Value::from).collect(),
        },
    ]))
}

fn trade_filter(trade: &Value) -> SdResult<Filter> {
    let ids = trade.as_object().map(Ids::of).unwrap_or_default();
    let (member, id) = match (ids.cs_id, ids.sd_id, ids.code_1c) {
        (Some(cs), _, _) => ("CS_id", cs),
        (None, Some(sd), _) => ("SD_id", sd),
        (None, None, Some(code)) => ("code_1C", code),
        _ => {
            return Err(SdError::bad_request(
                "params.filter.trade must name CS_id, SD_id or code_1C",
            ))
        }
    };
    Ok(Filter::eq(&format!("fields.trade.{member}"), id))
}
