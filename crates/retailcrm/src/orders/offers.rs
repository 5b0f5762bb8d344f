//! Order items of the catalog. An item naming an offer (`offer.id`, else
//! `offer.externalId`, else `offer.xmlId`: the seed's order) is linked to it and takes the
//! offer's name, price (of the item's `priceType`, else the base price) and purchase price
//! where the item gives none; an offer not found leaves the item as given (the seed: it
//! is then made from `productName`, `initialPrice` and `purchasePrice`). Answers show each
//! linked item's offer as the catalog has it now, its stock (`quantity`) included.

use serde_json::{json, Map, Value};

use crate::error::RetailResult;
use crate::request::Ctx;
use crate::store::find_offer;

/// The members of an offer an item keeps: what names it.
const LINK: [&str; 3] = ["id", "externalId", "xmlId"];

/// Links the items `given` names offers for (`items[i]` read from `given[i]`) in `site`.
pub async fn link(ctx: &Ctx, site: &str, given: &Value, items: &mut [Value]) -> RetailResult<()> {
    let empty = Vec::new();
    let given = given.as_array().unwrap_or(&empty);
    for (item, asked) in items.iter_mut().zip(given) {
        let Some(named) = asked.get("offer").filter(|o| o.is_object()) else {
            continue;
        };
        let Some(found) = find_offer(ctx, named, Some(site)).await? else {
            continue;
        };
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let stored = &found.offer.body;
        let link: Map<String, Value> = LINK
            .iter()
            .filter(|member| !stored[**member].is_null())
            .map(|member| (member.to_string(), stored[*member].clone()))
            .collect();
        item.insert("offer".into(), Value::Object(link));
        let unless_given = |item: &mut Map<String, Value>, field: &str, value: Option<Value>| {
            if asked.get(field).is_none_or(Value::is_null) {
                if let Some(value) = value {
                    item.insert(field.into(), value);
                }
            }
        };
        unless_given(item, "productName", Some(json!(found.name())));
        let price_type = asked["priceType"]["code"].as_str();
        unless_given(
            item,
            "initialPrice",
            found.price(price_type).map(|p| json!(p)),
        );
        unless_given(
            item,
            "purchasePrice",
            found.purchase_price().map(|p| json!(p)),
        );
    }
    Ok(())
}

/// Shows each linked item's offer as the catalog has it now (an offer since removed stays
/// as the item named it).
pub async fn show(ctx: &Ctx, items: &mut Value) -> RetailResult<()> {
    for item in items.as_array_mut().into_iter().flatten() {
        let Some(id) = item["offer"]["id"].as_i64() else {
            continue;
        };
        if let Some(found) = find_offer(ctx, &json!({ "id": id }), None).await? {
            item["offer"] = found.summary();
        }
    }
    Ok(())
}
