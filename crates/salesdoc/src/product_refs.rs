//! The references a product is filed under: product categories (`getProductCategory`
//! 9.5 / `setProductCategory` 10.7, without filial), subcategories
//! (`getProductSubCategory` 9.6 / `setProductSubCategory` 10.8, key `subCategory`),
//! product groups (`getProductGroup` 9.7 / `setProductGroup` 10.9) and brands
//! (`getBrand` 9.17 / `setBrand` 10.20).
//!
//! Categories and subcategories carry a `sort` and a default `unit` (a unit, found
//! without filial); GET answers show `name`, `active` and `unit`, not `sort` (the docs'
//! answers have none: it is kept). Brands are numbered `1`, `2`, ... (the docs' `"SD_id":
//! "1"`, and setProduct links `{"SD_id": "1"}`), GET answers show no `code_1C`, and an
//! item without identifiers creates a brand (the documented setBrand example sends
//! `CS_id` and `SD_id` empty and no `code_1C`).

use serde_json::{Map, Value};

use crate::endpoint::SdEndpoint;
use crate::reference::link::{self, Home, Link, Missing};
use crate::reference::named::{finish, named_kind, read_sorted, render_name_active};
use crate::reference::rules::{plain, Rules};
use crate::reference::RefKind;

/// A category's or subcategory's default unit: optional, found without filial.
const UNIT_LINK: Link = Link {
    member: "unit",
    key: "unit",
    home: Home::HeadOffice,
    required: false,
    missing: Missing::Refuse,
};

pub const CATEGORY_RULES: Rules = Rules::linked(&[UNIT_LINK]);

/// A kind with the fields of categories (`name`, `active`, `sort`, `unit`).
const fn classed(key: &'static str) -> RefKind {
    RefKind {
        key,
        read: read_classed,
        render: render_classed,
    }
}

pub const PRODUCT_CATEGORY: RefKind = classed("productCategory");

pub const SUB_CATEGORY: RefKind = classed("subCategory");

pub const PRODUCT_GROUP: RefKind = named_kind("productGroup");

pub const BRAND: RefKind = RefKind {
    key: "brand",
    read: read_brand,
    render: render_brand,
};

pub const BRAND_RULES: Rules = Rules {
    numbering: plain,
    unnamed: true,
    shows_code: false,
    links: &[],
};

/// The kind and rules a get/set method of this module serves.
pub fn of(endpoint: SdEndpoint) -> (&'static RefKind, &'static Rules) {
    use SdEndpoint as E;
    match endpoint {
        E::GetProductCategory | E::SetProductCategory => (&PRODUCT_CATEGORY, &CATEGORY_RULES),
        E::GetProductSubCategory | E::SetProductSubCategory => (&SUB_CATEGORY, &CATEGORY_RULES),
        E::GetBrand | E::SetBrand => (&BRAND, &BRAND_RULES),
        _ => (&PRODUCT_GROUP, &Rules::PLAIN),
    }
}

/// Categories and subcategories: `{name, active, sort, unit}`.
fn read_classed(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let mut fields = read_sorted(item, stored, Value::Null, &mut errors);
    fields.insert("unit".into(), link::field(item, stored, "unit"));
    finish(fields, errors)
}

fn render_classed(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_name_active(fields);
    shown.insert("unit".into(), link::show(fields, "unit"));
    shown
}

/// Brands: `{name, sort, active}`.
fn read_brand(
    item: &Map<String, Value>,
    stored: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut errors = Vec::new();
    let fields = read_sorted(item, stored, Value::Null, &mut errors);
    finish(fields, errors)
}

fn render_brand(fields: &Map<String, Value>) -> Map<String, Value> {
    let mut shown = render_name_active(fields);
    shown.insert("sort".into(), sort(fields));
    shown
}

/// `sort` as answers show it: `0` until one is given (*Inferred*: the docs type it an
/// integer, never `null`).
pub fn sort(fields: &Map<String, Value>) -> Value {
    match fields.get("sort") {
        Some(Value::Number(n)) => Value::Number(n.clone()),
        _ => Value::from(0),
    }
}
