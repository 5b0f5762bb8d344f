//! Rules the catalog's goods share: the fields products, services and bundles have in
//! common (and the part of them variants have), VAT inherited from the folder chain, the
//! folder path, and the codes the catalog settings check and fill in.

use std::collections::HashMap;

use serde_json::{json, Map, Value};
use twin_store::{Filter, ListQuery};

use super::{barcodes, prices};
use crate::catalog_settings::CatalogSettings;
use crate::engine;
use crate::entities::productfolder::{self, TAX_SYSTEMS, TREE};
use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, set_enum, set_string, stored_reference, Given};
use crate::model::Ctx;

/// The types whose `code` is unique across the catalog when `checkUniqueCode` is on.
const CODED: [&str; 5] = ["product", "service", "bundle", "variant", "productfolder"];

/// The counter behind filled-in codes, one per account for all goods.
const CODE_SEQUENCE: &str = "catalog_code";

/// Payment item types of goods that are things (products and bundles).
pub const GOOD_PAYMENT_ITEMS: [&str; 4] = [
    "GOOD",
    "EXCISABLE_GOOD",
    "COMPOUND_PAYMENT_ITEM",
    "ANOTHER_PAYMENT_ITEM",
];

/// Payment item types of services.
pub const SERVICE_PAYMENT_ITEMS: [&str; 5] = [
    "SERVICE",
    "WORK",
    "PROVIDING_RID",
    "COMPOUND_PAYMENT_ITEM",
    "ANOTHER_PAYMENT_ITEM",
];

const TRACKING_TYPES: [&str; 23] = [
    "BEER_ALCOHOL",
    "BICYCLE",
    "ELECTRONICS",
    "FOOD_SUPPLEMENT",
    "LP_CLOTHES",
    "LP_LINENS",
    "MEDICAL_DEVICES",
    "MILK",
    "NABEER",
    "NCP",
    "NOT_TRACKED",
    "OTP",
    "PERFUMERY",
    "PET_FOOD",
    "SANITIZER",
    "SEAFOOD",
    "SHOES",
    "SOFT_DRINKS",
    "TIRES",
    "TOBACCO",
    "VEGETABLE_OIL",
    "VETPHARMA",
    "WATER",
];

/// Which of `codes` catalog entities have, in one query: code → holder's id. Inside a
/// remembering scope the answer is remembered ([`Ctx::mark_checked`]).
pub async fn check_codes(ctx: &Ctx, codes: &[String]) -> MsResult<HashMap<String, String>> {
    let mut taken = HashMap::new();
    if codes.is_empty() {
        return Ok(taken);
    }
    let query = ListQuery::new(ctx.scope.clone(), CODED[0])
        .with_kinds(&CODED[1..])
        .filter(Filter::In {
            path: Filter::path("code"),
            values: codes.iter().map(|code| code.as_str().into()).collect(),
        });
    for doc in engine::all(ctx, query).await? {
        if let Some(code) = doc.body.get("code").and_then(Value::as_str) {
            taken.insert(code.to_owned(), doc.key.id.clone());
        }
    }
    ctx.mark_checked("code", codes.iter().map(String::as_str), &taken);
    Ok(taken)
}

/// Checks the codes a batch of new goods gives, in one query; nothing to check when the
/// account lets codes repeat (`checkUniqueCode` off).
pub async fn prepare_creates(ctx: &Ctx, inputs: &[&Map<String, Value>]) -> MsResult<()> {
    if !crate::catalog_settings::load(ctx).await?.check_unique_code {
        return Ok(());
    }
    let codes: Vec<String> = inputs
        .iter()
        .filter_map(|input| input.get("code").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    check_codes(ctx, &codes).await.map(drop)
}

/// Whether another catalog entity (not the one with `own_id`) has `code`, and if not,
/// claims it among the scope's writes.
async fn code_free(ctx: &Ctx, code: &str, own_id: Option<&str>) -> MsResult<bool> {
    if !ctx.checked("code", code) {
        let taken = check_codes(ctx, &[code.to_owned()]).await?;
        if taken
            .get(code)
            .is_some_and(|holder| Some(holder.as_str()) != own_id)
        {
            return Ok(false);
        }
    }
    Ok(ctx.claim("code", code, own_id))
}

/// With `checkUniqueCode` on, refuses a `code` another catalog entity has (3006).
pub async fn ensure_unique_code(
    ctx: &Ctx,
    settings: &CatalogSettings,
    body: &Map<String, Value>,
) -> MsResult<()> {
    let Some(code) = body.get("code").and_then(Value::as_str) else {
        return Ok(());
    };
    let own_id = body.get("id").and_then(Value::as_str);
    if settings.check_unique_code && !code_free(ctx, code, own_id).await? {
        return Err(MsError::not_unique("code"));
    }
    Ok(())
}

/// `ensure_unique_code` for an update that gives a new `code`.
pub async fn check_code_change(
    ctx: &Ctx,
    body: &Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    if input.get("code").is_some_and(Value::is_string) {
        let settings = crate::catalog_settings::load(ctx).await?;
        ensure_unique_code(ctx, &settings, body).await?;
    }
    Ok(())
}

/// The next filled-in code, `00001` and on, skipping codes clients gave meanwhile. The
/// codes of a newly reserved block are checked in one query.
async fn next_code(ctx: &Ctx, settings: &CatalogSettings) -> MsResult<String> {
    loop {
        let number = ctx.next_number(CODE_SEQUENCE).await?;
        let code = format!("{:05}", number.value);
        if !settings.check_unique_code {
            return Ok(code);
        }
        let free = match number.opened {
            // The block's check answers for this code too: no second query.
            Some(block) => {
                let codes: Vec<String> = block.map(|n| format!("{n:05}")).collect();
                !check_codes(ctx, &codes).await?.contains_key(&code)
                    && ctx.claim("code", &code, None)
            }
            None => code_free(ctx, &code, None).await?,
        };
        if free {
            return Ok(code);
        }
    }
}

/// What the catalog settings add to a new good (product, service, bundle or variant): a
/// code when it has none and `fillUniqueCode` is on (else its code is checked), and an
/// EAN-13 barcode.
pub async fn settle_new(
    ctx: &Ctx,
    settings: &CatalogSettings,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    if settings.fill_unique_code && !body.contains_key("code") {
        body.insert("code".into(), json!(next_code(ctx, settings).await?));
    } else {
        ensure_unique_code(ctx, settings, body).await?;
    }
    barcodes::fill(ctx, settings, body, input).await
}

/// The body of a new product, service or bundle before its write applies: VAT inherited,
/// `shared` as the settings say, and a zero sale price.
pub fn new_item(
    ctx: &Ctx,
    settings: &CatalogSettings,
    input: &Map<String, Value>,
) -> MsResult<Map<String, Value>> {
    if !input.contains_key("name") {
        return Err(MsError::required("name"));
    }
    let body = json!({
        "vatEnabled": false,
        "useParentVat": true,
        "discountProhibited": false,
        "shared": settings.created_shared,
        "salePrices": prices::default_sale_prices(ctx),
    });
    Ok(body.as_object().cloned().unwrap_or_default())
}

/// A number field that may not be negative (3002); `null` removes it.
pub fn set_non_negative(
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    name: &str,
) -> MsResult<()> {
    match fields::number(input, name)? {
        Given::Value(value) if value < 0.0 => Err(MsError::new(
            3002,
            format!(
                "Ошибка сохранения объекта: поле '{name}' не может иметь отрицательное значение"
            ),
        )
        .on(name)),
        Given::Value(value) => {
            body.insert(name.into(), json!(value));
            Ok(())
        }
        Given::Null => {
            body.remove(name);
            Ok(())
        }
        Given::Absent => Ok(()),
    }
}

/// Fields every good, variants included, has: code, description, barcodes, prices and the
/// discount ban.
pub async fn apply_goods_fields(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
) -> MsResult<()> {
    set_string(body, input, "code", 255, false)?;
    set_string(body, input, "description", 4096, false)?;
    set_bool(body, input, "discountProhibited")?;
    barcodes::set(body, input)?;
    prices::set_sale_prices(ctx, body, input).await?;
    prices::set_price(ctx, body, input, "buyPrice").await?;
    prices::set_price(ctx, body, input, "minPrice").await
}

/// The fields products, services and bundles share: name, VAT, tax system, payment item
/// type (of `payment_items`), unit, folder and path, and every good's fields.
pub async fn apply_item(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    payment_items: &[&str],
) -> MsResult<()> {
    set_string(body, input, "name", 255, true)?;
    apply_goods_fields(ctx, body, input).await?;
    productfolder::set_vat(body, input)?;
    set_enum(body, input, "taxSystem", &TAX_SYSTEMS)?;
    set_enum(body, input, "paymentItemType", payment_items)?;
    match fields::reference(ctx, input, "uom", "uom").await? {
        Given::Value(target) => {
            body.insert("uom".into(), stored_reference("uom", &target.id));
        }
        Given::Null => {
            body.remove("uom");
        }
        Given::Absent => {}
    }
    TREE.place_item(ctx, body, input).await
}

/// Fields of goods that are things (products and bundles): article, weight, volume and
/// the marking type. A new one weighs nothing and is not marked.
pub fn apply_physical(
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    if creating {
        body.insert("weight".into(), json!(0.0));
        body.insert("volume".into(), json!(0.0));
        body.insert("trackingType".into(), json!("NOT_TRACKED"));
    }
    set_string(body, input, "article", 255, false)?;
    set_non_negative(body, input, "weight")?;
    set_non_negative(body, input, "volume")?;
    set_enum(body, input, "trackingType", &TRACKING_TYPES)
}

/// What a product, service or bundle shows besides its stored fields: effective VAT and
/// prices in full.
/// Reads the folders of a page's goods, and their parents up the tree, a level per query,
/// for `decorate_item` to find remembered.
pub async fn prefetch_folders(ctx: &Ctx, rows: &[twin_store::Document]) -> MsResult<()> {
    let parent_of = |body: &Value| {
        body.get("productFolder")
            .and_then(|folder| folder.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut wanted: Vec<String> = rows.iter().filter_map(|doc| parent_of(&doc.body)).collect();
    while !wanted.is_empty() {
        let found = ctx.prefetch("productfolder", wanted).await?;
        wanted = found
            .iter()
            .filter_map(|doc| parent_of(&doc.body))
            .collect();
    }
    Ok(())
}

pub async fn decorate_item(ctx: &Ctx, body: &mut Map<String, Value>) -> MsResult<()> {
    productfolder::inherit_vat(ctx, body).await?;
    prices::render(ctx, body).await
}

/// The `images` collection of a good. Twin stores no images, so it is always empty.
pub fn images(ctx: &Ctx, keyword: &str, id: &str) -> Value {
    let href = format!("{}/images", ctx.links.entity(keyword, id));
    json!({ "meta": ctx.links.collection_meta(href, "image", 0, 1000, 0) })
}

/// The id of the stored entity `body`.
pub fn id_of(body: &Map<String, Value>) -> String {
    body.get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
