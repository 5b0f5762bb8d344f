//! `variant`: a modification of a product, told apart by its characteristics' values.
//! Its name is the product's with the values: "Футболка (красный, XL)", kept as the
//! product is renamed. It has its own code, barcodes and prices; without sale prices of its
//! own it shows the product's, as the vendor does. No owner, group or `shared` (the vendor's
//! variant has none). Its consignments are named after it and are deleted with it.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::{catalog, characteristics, consignment, prices};
use crate::catalog_settings;
use crate::engine;
use crate::error::{MsError, MsResult};
use crate::fields::{self, stored_reference, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Variant;

static INFO: EntityInfo = EntityInfo {
    keyword: "variant",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("product", FieldType::Ref("product"), true, false),
    ],
    search: &["name", "code"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: false,
    states: false,
};

/// "<product name> (<values, in the order given>)".
fn derived_name(product: &Map<String, Value>, variant: &Map<String, Value>) -> String {
    let values: Vec<&str> = variant
        .get("characteristics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c["value"].as_str())
        .collect();
    let name = product
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    format!("{name} ({})", values.join(", "))
}

/// The id of the product a stored variant belongs to.
fn product_id(body: &Map<String, Value>) -> String {
    body.get("product")
        .and_then(|p| p["id"].as_str())
        .unwrap_or_default()
        .to_owned()
}

async fn product_of(ctx: &Ctx, id: &str) -> MsResult<Map<String, Value>> {
    ctx.core
        .entities
        .find(&ctx.scope, "product", id)
        .await?
        .and_then(|doc| doc.body.as_object().cloned())
        .ok_or_else(|| MsError::not_found("product", id))
}

/// `characteristics` of a write: the whole new list, each naming a characteristic once
/// with a non-empty value. A variant always has at least one.
async fn set_characteristics(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    let given = match input.get("characteristics") {
        None if !creating => return Ok(()),
        Some(Value::Array(given)) if !given.is_empty() => given,
        Some(Value::Array(_) | Value::Null) | None => {
            return Err(MsError::required("characteristics"))
        }
        Some(_) => return Err(MsError::wrong_type("characteristics")),
    };
    let mut list: Vec<Value> = Vec::with_capacity(given.len());
    for element in given {
        let Value::Object(element) = element else {
            return Err(MsError::wrong_type("characteristics"));
        };
        let definition = characteristics::resolve(ctx, element).await?;
        let value =
            match fields::string(element, "value", 255).map_err(|e| e.on("characteristics"))? {
                Given::Value(value) if !value.trim().is_empty() => value,
                _ => {
                    return Err(MsError::new(
                        3000,
                        "Ошибка сохранения объекта: не указано значение характеристики",
                    )
                    .on("characteristics"))
                }
            };
        if list.iter().any(|c| c["id"] == definition["id"]) {
            return Err(MsError::new(
                3013,
                "Ошибка валидации: для поля 'characteristics' массив элементов не должен содержать сущности с одинаковыми идентификаторами",
            )
            .on("characteristics"));
        }
        list.push(json!({ "id": definition["id"], "name": definition["name"], "value": value }));
    }
    body.insert("characteristics".into(), Value::Array(list));
    Ok(())
}

/// The characteristics' `(id, value)` pairs, in a comparable order.
fn signature(body: &Map<String, Value>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = body
        .get("characteristics")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&c["id"]), text(&c["value"]))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Two variants of one product cannot have the same characteristics' values (3006).
async fn ensure_distinct(ctx: &Ctx, body: &Map<String, Value>, product: &str) -> MsResult<()> {
    let own = body.get("id").and_then(Value::as_str);
    let mine = signature(body);
    for other in engine::referring(ctx, "variant", "product", product).await? {
        let theirs = signature(other.body.as_object().unwrap_or(&Map::new()));
        if Some(other.key.id.as_str()) != own && theirs == mine {
            return Err(MsError::not_unique("characteristics"));
        }
    }
    Ok(())
}

/// How many variants the product has.
pub async fn count_of(ctx: &Ctx, product: &str) -> MsResult<u64> {
    ctx.count_referring("variant", "product", product).await
}

/// Counts the variants of a page's products in one query, for `count_of`.
pub async fn count_for_page(ctx: &Ctx, products: &[twin_store::Document]) -> MsResult<()> {
    let ids: Vec<String> = products.iter().map(|doc| doc.key.id.clone()).collect();
    ctx.count_referring_all("variant", "product", &ids).await
}

/// Renames the product's variants (and their consignments) after the product was written.
pub async fn follow_product(ctx: &Ctx, product: &Map<String, Value>) -> MsResult<()> {
    let id = catalog::id_of(product);
    for variant in engine::referring(ctx, "variant", "product", &id).await? {
        let body = variant.body.as_object().cloned().unwrap_or_default();
        let name = derived_name(product, &body);
        if let Some(renamed) = engine::rewrite_field(ctx, variant, "name", json!(name)).await? {
            consignment::follow_assortment(ctx, &renamed).await?;
        }
    }
    Ok(())
}

/// Deletes the product's variants with their consignments; nothing goes while one of them
/// is a bundle's component (1028).
pub async fn delete_of_product(ctx: &Ctx, product: &str) -> MsResult<()> {
    let variants = engine::referring(ctx, "variant", "product", product).await?;
    for variant in &variants {
        engine::ensure_unused(ctx, "variant", &variant.key.id).await?;
    }
    for variant in variants {
        engine::delete(ctx, &Variant, &variant.key.id).await?;
    }
    Ok(())
}

#[async_trait]
impl Entity for Variant {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    fn has_owner(&self) -> bool {
        false
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let Given::Value(target) = fields::reference(ctx, input, "product", "product").await?
        else {
            return Err(MsError::required("product"));
        };
        let product = product_of(ctx, &target.id).await?;
        let settings = catalog_settings::load(ctx).await?;
        let mut body = Map::new();
        body.insert("product".into(), stored_reference("product", &target.id));
        body.insert("discountProhibited".into(), json!(false));
        set_characteristics(ctx, &mut body, input, true).await?;
        catalog::apply_goods_fields(ctx, &mut body, input).await?;
        let name = derived_name(&product, &body);
        body.insert("name".into(), json!(name));
        ensure_distinct(ctx, &body, &target.id).await?;
        catalog::settle_new(ctx, &settings, &mut body, input).await?;
        Ok(body)
    }

    async fn prepare_creates(&self, ctx: &Ctx, inputs: &[&Map<String, Value>]) -> MsResult<()> {
        catalog::prepare_creates(ctx, inputs).await
    }

    /// A variant stays with its product (3001 on another one).
    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let product_id = product_id(stored);
        if let Given::Value(target) = fields::reference(ctx, input, "product", "product").await? {
            if target.id != product_id {
                return Err(MsError::immutable("product"));
            }
        }
        let mut body = stored.clone();
        set_characteristics(ctx, &mut body, input, false).await?;
        catalog::apply_goods_fields(ctx, &mut body, input).await?;
        if input.contains_key("characteristics") {
            let product = product_of(ctx, &product_id).await?;
            let name = derived_name(&product, &body);
            body.insert("name".into(), json!(name));
            ensure_distinct(ctx, &body, &product_id).await?;
        }
        catalog::check_code_change(ctx, &body, input).await?;
        Ok(body)
    }

    /// Consignments carry the variant's name in theirs.
    async fn after_update(&self, ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
        consignment::follow_assortment(ctx, body).await
    }

    /// Consignments go with their variant.
    async fn before_delete(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        consignment::delete_of(ctx, &catalog::id_of(stored)).await
    }

    /// Characteristics with their `meta`, the product's sale prices when the variant has
    /// none of its own, prices in full, images.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        let id = catalog::id_of(body);
        if let Some(Value::Array(list)) = body.get_mut("characteristics") {
            for characteristic in list {
                let own = characteristic["id"].as_str().unwrap_or_default().to_owned();
                characteristic["meta"] = characteristics::meta(ctx, &own);
            }
        }
        if !body.contains_key("salePrices") {
            if let Ok(product) = product_of(ctx, &product_id(body)).await {
                if let Some(prices) = product.get("salePrices") {
                    body.insert("salePrices".into(), prices.clone());
                }
            }
        }
        prices::render(ctx, body).await?;
        body.insert("images".into(), catalog::images(ctx, "variant", &id));
        Ok(())
    }
}
