//! `product`: a good kept in stock, with the catalog's shared fields plus supplier,
//! weight and volume, weighed and alcoholic marks, serial tracking and a minimum balance.
//! Its variants and consignments are named after it and are deleted with it.

use async_trait::async_trait;
use serde_json::{json, Map, Value};

use super::catalog::{self, GOOD_PAYMENT_ITEMS};
use super::{consignment, variant};
use crate::catalog_settings;
use crate::error::{MsError, MsResult};
use crate::fields::{self, set_bool, set_int_in, stored_reference, Given};
use crate::model::{Ctx, Entity, EntityInfo, FieldSpec, FieldType};

pub struct Product;

static INFO: EntityInfo = EntityInfo {
    keyword: "product",
    fields: &[
        FieldSpec::new("name", FieldType::Str, true, true),
        FieldSpec::new("code", FieldType::Str, true, true),
        FieldSpec::new("description", FieldType::Str, true, true),
        FieldSpec::new("article", FieldType::Str, true, true),
        FieldSpec::new("pathName", FieldType::Str, true, true),
        FieldSpec::new(
            "productFolder",
            FieldType::Ref("productfolder"),
            true,
            false,
        ),
        FieldSpec::new("uom", FieldType::Ref("uom"), true, false),
        FieldSpec::new("supplier", FieldType::Ref("counterparty"), true, false),
        FieldSpec::new("weight", FieldType::Float, true, true),
        FieldSpec::new("volume", FieldType::Float, true, true),
        FieldSpec::new("minimumBalance", FieldType::Float, true, true),
        FieldSpec::new("weighed", FieldType::Bool, true, false),
        FieldSpec::new("isSerialTrackable", FieldType::Bool, true, false),
        FieldSpec::new("alcoholic.type", FieldType::Int, true, false),
        FieldSpec::new("vat", FieldType::Int, true, true),
        FieldSpec::new("paymentItemType", FieldType::Str, true, false),
        FieldSpec::new("trackingType", FieldType::Str, true, false),
    ],
    search: &["name", "code", "article"],
    common: true,
    hides_archived: true,
    writable: true,
    attributes: true,
    states: false,
};

/// `alcoholic`: excise mark, product kind code, strength and container volume.
fn set_alcoholic(body: &mut Map<String, Value>, input: &Map<String, Value>) -> MsResult<()> {
    match input.get("alcoholic") {
        None => {}
        Some(Value::Null) => {
            body.remove("alcoholic");
        }
        Some(Value::Object(given)) => {
            let mut alcoholic = body
                .get("alcoholic")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            set_bool(&mut alcoholic, given, "excise")?;
            set_int_in(
                &mut alcoholic,
                given,
                "type",
                0..=i64::from(i32::MAX),
                "код вида алкогольной продукции должен быть неотрицательным",
            )?;
            catalog::set_non_negative(&mut alcoholic, given, "strength")?;
            catalog::set_non_negative(&mut alcoholic, given, "volume")?;
            body.insert("alcoholic".into(), Value::Object(alcoholic));
        }
        Some(_) => return Err(MsError::wrong_type("alcoholic")),
    }
    Ok(())
}

/// Serial tracking does not go with weighed or alcoholic goods, as the vendor documents;
/// the code of its refusal is not documented, 3028 (conflicting fields) fits.
fn ensure_compatible(body: &Map<String, Value>) -> MsResult<()> {
    if body.get("isSerialTrackable") != Some(&json!(true)) {
        return Ok(());
    }
    let conflict = if body.get("weighed") == Some(&json!(true)) {
        "weighed"
    } else if body.contains_key("alcoholic") {
        "alcoholic"
    } else {
        return Ok(());
    };
    Err(MsError::new(
        3028,
        format!("Ошибка валидации: Значение поля 'isSerialTrackable' конфликтует со значением поля '{conflict}'. Требуется выбрать одно из них"),
    )
    .on("isSerialTrackable"))
}

async fn apply(
    ctx: &Ctx,
    body: &mut Map<String, Value>,
    input: &Map<String, Value>,
    creating: bool,
) -> MsResult<()> {
    catalog::apply_item(ctx, body, input, &GOOD_PAYMENT_ITEMS).await?;
    catalog::apply_physical(body, input, creating)?;
    match fields::reference_to(ctx, input, "supplier", &["counterparty", "organization"]).await? {
        Given::Value(target) => {
            body.insert(
                "supplier".into(),
                stored_reference(&target.keyword, &target.id),
            );
        }
        Given::Null => {
            body.remove("supplier");
        }
        Given::Absent => {}
    }
    set_bool(body, input, "weighed")?;
    set_bool(body, input, "isSerialTrackable")?;
    set_alcoholic(body, input)?;
    catalog::set_non_negative(body, input, "minimumBalance")?;
    ensure_compatible(body)
}

#[async_trait]
impl Entity for Product {
    fn info(&self) -> &'static EntityInfo {
        &INFO
    }

    async fn create(&self, ctx: &Ctx, input: &Map<String, Value>) -> MsResult<Map<String, Value>> {
        let settings = catalog_settings::load(ctx).await?;
        let mut body = catalog::new_item(ctx, &settings, input)?;
        body.insert("weighed".into(), json!(false));
        body.insert("isSerialTrackable".into(), json!(false));
        apply(ctx, &mut body, input, true).await?;
        catalog::settle_new(ctx, &settings, &mut body, input).await?;
        Ok(body)
    }

    async fn prepare_creates(&self, ctx: &Ctx, inputs: &[&Map<String, Value>]) -> MsResult<()> {
        catalog::prepare_creates(ctx, inputs).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> MsResult<Map<String, Value>> {
        let mut body = stored.clone();
        apply(ctx, &mut body, input, false).await?;
        catalog::check_code_change(ctx, &body, input).await?;
        Ok(body)
    }

    /// Variants and consignments carry the product's name in theirs.
    async fn after_update(&self, ctx: &Ctx, body: &Map<String, Value>) -> MsResult<()> {
        variant::follow_product(ctx, body).await?;
        consignment::follow_assortment(ctx, body).await
    }

    /// Variants and consignments go with their product; a variant in a bundle stops it.
    async fn before_delete(&self, ctx: &Ctx, stored: &Map<String, Value>) -> MsResult<()> {
        let id = catalog::id_of(stored);
        variant::delete_of_product(ctx, &id).await?;
        consignment::delete_of(ctx, &id).await
    }

    async fn prepare_page(&self, ctx: &Ctx, rows: &[twin_store::Document]) -> MsResult<()> {
        catalog::prefetch_folders(ctx, rows).await?;
        variant::count_for_page(ctx, rows).await
    }

    /// Effective VAT, prices in full, images, the number of variants; `weighed` only when
    /// set, as the vendor shows it.
    async fn decorate(
        &self,
        ctx: &Ctx,
        body: &mut Map<String, Value>,
        _expand: &[String],
    ) -> MsResult<()> {
        let id = catalog::id_of(body);
        catalog::decorate_item(ctx, body).await?;
        body.insert("images".into(), catalog::images(ctx, "product", &id));
        body.insert(
            "variantsCount".into(),
            json!(variant::count_of(ctx, &id).await?),
        );
        if body.get("weighed") == Some(&json!(false)) {
            body.remove("weighed");
        }
        Ok(())
    }
}
