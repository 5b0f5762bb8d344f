//! Corporate customers (`customers-corporate`): a company's account in the CRM, with its
//! addresses, companies (requisites) and contact persons (individual customers linked to
//! it). The corporate customer is stored like an individual one (`crate::customers`: the
//! same id sequence, external ids unique across both kinds per site) under the kind
//! `customer_corporate`; its addresses, companies and contacts are documents of their own
//! (`parts`), whose changes are records of the corporate customer's history.

pub mod addresses;
pub mod companies;
pub mod contacts;
pub mod create;
pub mod edit;
pub mod notes;
mod parts;

use serde_json::{Map, Value};

use crate::customers::create::defaults;
use crate::customers::fields::{apply, checked_text, Problems};
use crate::request::Ctx;

/// The fields of a corporate customer document besides `nickName`, read as a customer's.
const FIELDS: [&str; 11] = [
    "externalId",
    "createdAt",
    "vip",
    "bad",
    "managerId",
    "tags",
    "customFields",
    "personalDiscount",
    "discountCardNumber",
    "firstClientId",
    "lastClientId",
];

/// Reads the writable fields of `doc` into `into` (`null` clears one): `nickName` (the
/// corporate customer's name) and the fields it shares with individuals. Its addresses,
/// companies and contacts are read by `create` (they are parts of their own).
pub fn read(doc: &Map<String, Value>, into: &mut Map<String, Value>, problems: &mut Problems) {
    let shared: Map<String, Value> = doc
        .iter()
        .filter(|(name, _)| FIELDS.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    apply(&shared, into, problems);
    match doc.get("nickName") {
        None => {}
        Some(Value::Null) => {
            into.remove("nickName");
        }
        Some(value) => {
            if let Some(name) = checked_text(problems, "nickName", value) {
                into.insert("nickName".into(), name);
            }
        }
    }
}

/// A new corporate customer body: the defaults the vendor answers with (`vip`, `bad`
/// false, no custom fields), then the document's fields. `id` comes later.
pub fn new_body(
    ctx: &Ctx,
    site: &str,
    doc: &Map<String, Value>,
    problems: &mut Problems,
) -> Map<String, Value> {
    let mut body = defaults(ctx, crate::customers::CORPORATE, site);
    read(doc, &mut body, problems);
    if body.get("externalId").is_some_and(Value::is_null) {
        body.remove("externalId");
    }
    body
}
