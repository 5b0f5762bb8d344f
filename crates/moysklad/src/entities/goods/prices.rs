//! Prices of goods: `salePrices` (one per price type), `buyPrice` and `minPrice`. Each is a
//! value in kopecks and a currency, the accounting currency unless given. References are
//! stored as `{type, id}`; reads show currencies as references and price types in full.

use serde_json::{json, Map, Value};

use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::model::Ctx;
use crate::price_types;
use crate::seed::{rub_id, sale_price_id, PRICE_TYPE};

/// A new good's sale prices: zero in the accounting currency for the account's price type.
pub fn default_sale_prices(ctx: &Ctx) -> Value {
    json!([{
        "value": 0.0,
        "currency": stored_reference("currency", &rub_id(&ctx.account)),
        "priceType": stored_reference(PRICE_TYPE, &sale_price_id(&ctx.account)),
    }])
}

/// A `{value, currency}` object of a write as stored; `field` names it in errors.
async fn price(ctx: &Ctx, input: &Map<String, Value>, field: &str) -> MsResult<Map<String, Value>> {
    let value = match fields::number(input, "value").map_err(|_| MsError::wrong_type(field))? {
        Given::Value(value) if value < 0.0 => {
            return Err(MsError::new(
                3002,
                format!(
                "Ошибка сохранения объекта: поле '{field}' не может иметь отрицательное значение"
            ),
            )
            .on(field))
        }
        Given::Value(value) => value,
        _ => 0.0,
    };
    let currency = match fields::reference(ctx, input, "currency", "currency").await? {
        Given::Value(target) => target.id,
        _ => rub_id(&ctx.account),
    };
    let mut stored = Map::new();
    stored.insert("value".into(), json!(value));
    stored.insert("currency".into(), stored_reference("currency", &currency));
    Ok(stored)
}

/// `buyPrice` or `minPrice` of a write; `null` removes it.
pub async fn set_price(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    field: &str,
) -> MsResult<()> {
    match input.get(field) {
        None => {}
        Some(Value::Null) => {
            body.remove(field);
        }
        Some(Value::Object(given)) => {
            let stored = price(ctx, given, field).await?;
            body.insert(field.into(), Value::Object(stored));
        }
        Some(_) => return Err(MsError::wrong_type(field)),
    }
    Ok(())
}

/// `salePrices` of a write, merged by price type into the stored ones: a given type's
/// price is replaced or added, the others stay (as the vendor documents for updates). A
/// price without a type is for the account's price type; one type twice is 3013.
pub async fn set_sale_prices(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    let given = match input.get("salePrices") {
        None => return Ok(()),
        Some(Value::Null) => {
            body.remove("salePrices");
            return Ok(());
        }
        Some(Value::Array(given)) => given,
        Some(_) => return Err(MsError::wrong_type("salePrices")),
    };
    let mut prices = body
        .get("salePrices")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut seen = Vec::new();
    for element in given {
        let Value::Object(element) = element else {
            return Err(MsError::new(
                3012,
                "Ошибка валидации: для поля 'salePrices' массив элементов не должен содержать атомарный тип или null",
            )
            .on("salePrices"));
        };
        let price_type = match fields::reference(ctx, element, "priceType", PRICE_TYPE).await? {
            Given::Value(target) => target.id,
            _ => sale_price_id(&ctx.account),
        };
        if seen.contains(&price_type) {
            return Err(MsError::new(
                3013,
                "Ошибка валидации: для поля 'salePrices' массив элементов не должен содержать сущности с одинаковыми идентификаторами",
            )
            .on("salePrices"));
        }
        let mut stored = price(ctx, element, "salePrices").await?;
        stored.insert(
            "priceType".into(),
            stored_reference(PRICE_TYPE, &price_type),
        );
        match prices
            .iter_mut()
            .find(|p| p["priceType"]["id"] == json!(price_type))
        {
            Some(existing) => *existing = Value::Object(stored),
            None => prices.push(Value::Object(stored)),
        }
        seen.push(price_type);
    }
    body.insert("salePrices".into(), Value::Array(prices));
    Ok(())
}

/// The stored currency reference of a price as the client sees it.
fn render_currency(ctx: &Ctx, price: &mut Value) {
    if let Some(id) = price["currency"]["id"].as_str().map(str::to_owned) {
        price["currency"] = ctx.links.reference("currency", &id);
    }
}

/// Stored prices as the client sees them.
pub async fn render(ctx: &Ctx, body: &mut Map<String, Value>) -> MsResult<()> {
    if let Some(Value::Array(prices)) = body.get_mut("salePrices") {
        for price in prices {
            render_currency(ctx, price);
            if let Some(id) = price["priceType"]["id"].as_str().map(str::to_owned) {
                price["priceType"] = price_types::one(ctx, &id).await?;
            }
        }
    }
    for field in ["buyPrice", "minPrice"] {
        if let Some(price) = body.get_mut(field) {
            render_currency(ctx, price);
        }
    }
    Ok(())
}
