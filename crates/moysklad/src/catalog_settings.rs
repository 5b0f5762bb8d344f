//! Catalog settings (`GET/PUT /entity/assortment/settings`): per account, whether goods
//! codes are checked for uniqueness and filled in, whether new goods get an EAN-13 barcode,
//! the weight-barcode prefix, and whether new catalog entities are shared. A PUT merges what
//! it gives into the stored settings field by field and ignores keys it does not know.

use serde_json::{json, Map, Value};
use twin_core::entities::EntityWrite;
use twin_store::Document;

use crate::error::{MsError, MsResult};
use crate::fields::{self, Given};
use crate::model::Ctx;

/// The settings document: one per account.
const KIND: &str = "assortmentsettings";
const ID: &str = "current";

/// The settings as the goods rules read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogSettings {
    pub check_unique_code: bool,
    pub fill_unique_code: bool,
    pub fill_ean13_barcode: bool,
    pub created_shared: bool,
}

/// A new account's settings. The vendor does not document them; these follow its examples
/// (codes `00001`, barcodes `2000000000015`, shared goods) and its fixture's prefix.
fn defaults() -> Map<String, Value> {
    let body = json!({
        "uniqueCodeRules": { "checkUniqueCode": true, "fillUniqueCode": true },
        "barcodeRules": { "fillEAN13Barcode": true, "weightBarcode": false, "weightBarcodePrefix": 20 },
        "createdShared": true,
    });
    body.as_object().cloned().unwrap_or_default()
}

/// The stored settings document, if any PUT created it.
async fn stored(ctx: &Ctx) -> MsResult<Option<Document>> {
    ctx.find(KIND, ID).await
}

/// The account's settings, defaults filled in.
async fn current(ctx: &Ctx) -> MsResult<Map<String, Value>> {
    Ok(match stored(ctx).await? {
        Some(doc) => doc.body.as_object().cloned().unwrap_or_else(defaults),
        None => defaults(),
    })
}

fn flag(settings: &Map<String, Value>, group: &str, name: &str) -> bool {
    settings
        .get(group)
        .and_then(|g| g.get(name))
        .and_then(Value::as_bool)
        .unwrap_or_default()
}

/// The settings the goods rules follow.
pub async fn load(ctx: &Ctx) -> MsResult<CatalogSettings> {
    let settings = current(ctx).await?;
    Ok(CatalogSettings {
        check_unique_code: flag(&settings, "uniqueCodeRules", "checkUniqueCode"),
        fill_unique_code: flag(&settings, "uniqueCodeRules", "fillUniqueCode"),
        fill_ean13_barcode: flag(&settings, "barcodeRules", "fillEAN13Barcode"),
        created_shared: settings.get("createdShared").and_then(Value::as_bool) == Some(true),
    })
}

fn render(ctx: &Ctx, mut settings: Map<String, Value>) -> Value {
    settings.insert(
        "meta".into(),
        json!({
            "href": format!("{}/entity/assortment/settings", ctx.links.root),
            "metadataHref": format!("{}/entity/assortment/metadata", ctx.links.root),
            "type": KIND,
            "mediaType": "application/json",
        }),
    );
    Value::Object(settings)
}

/// `GET /entity/assortment/settings`.
pub async fn get(ctx: &Ctx) -> MsResult<Value> {
    Ok(render(ctx, current(ctx).await?))
}

/// The nested object `group` of a PUT, if given (`null` changes nothing).
fn group<'a>(
    input: &'a Map<String, Value>,
    name: &str,
) -> MsResult<Option<&'a Map<String, Value>>> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(group)) => Ok(Some(group)),
        Some(_) => Err(MsError::wrong_type(name)),
    }
}

/// `PUT /entity/assortment/settings`: a partial update; answers the whole settings.
pub async fn update(ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Value> {
    let existing = stored(ctx).await?;
    let mut settings = match &existing {
        Some(doc) => doc.body.as_object().cloned().unwrap_or_else(defaults),
        None => defaults(),
    };
    if let Some(given) = group(input, "uniqueCodeRules")? {
        let rules = nested(&mut settings, "uniqueCodeRules");
        fields::set_bool(rules, given, "checkUniqueCode")?;
        fields::set_bool(rules, given, "fillUniqueCode")?;
    }
    if let Some(given) = group(input, "barcodeRules")? {
        let rules = nested(&mut settings, "barcodeRules");
        fields::set_bool(rules, given, "fillEAN13Barcode")?;
        fields::set_bool(rules, given, "weightBarcode")?;
        if let Given::Value(prefix) = fields::integer(given, "weightBarcodePrefix")? {
            if !(1..=99).contains(&prefix) {
                return Err(MsError::bad_value(
                    "weightBarcodePrefix",
                    "префикс штрихкодов для весовых товаров — число формата X или XX",
                ));
            }
            rules.insert("weightBarcodePrefix".into(), json!(prefix));
        }
    }
    if let Given::Value(shared) = fields::boolean(input, "createdShared")? {
        settings.insert("createdShared".into(), json!(shared));
    }
    ctx.forget(KIND, ID);
    let mut doc = Document::new(ctx.scope.key(KIND, ID), Value::Object(settings));
    let saved = match existing {
        Some(previous) => {
            doc.version = previous.version;
            ctx.core
                .entities
                .update(EntityWrite::new(doc, ctx.now))
                .await?
        }
        None => {
            ctx.core
                .entities
                .create(EntityWrite::new(doc, ctx.now))
                .await?
        }
    };
    Ok(render(
        ctx,
        saved.body.as_object().cloned().unwrap_or_default(),
    ))
}

/// The nested settings object `name`, created if missing.
fn nested<'a>(settings: &'a mut Map<String, Value>, name: &str) -> &'a mut Map<String, Value> {
    let entry = settings
        .entry(name)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("an object")
}
